"""No lost update: settle's rules by hand, the assessment save with a stale base, the write turn
and WriteConflict, and a threaded race of saves on one connection."""
import threading
import time
from datetime import date, datetime

import pandas as pd
import pytest
from helpers import log_count, rows

from aims.assessment import requirements as assessments
from aims.store import conflicts, db
from aims.store.conflicts import Conflict, EditConflict, WriteConflict

# ---- settle: the rule, by hand ----------------------------------------------------------------

def test_a_field_left_as_shown_is_not_written_so_a_newer_value_stays():
    stored = {"owner": "Ann", "notes": "n"}           # Ann was saved by someone after the form opened
    write, found = conflicts.settle("4.1", stored, {"owner": "", "notes": "mine"}, {"owner": "", "notes": "n"})
    assert write == {"notes": "mine"} and found == []


def test_a_field_changed_on_both_sides_is_a_conflict_with_both_values():
    write, found = conflicts.settle("4.1", {"owner": "Ann"}, {"owner": "Bob"}, {"owner": ""})
    assert write == {} and found == [Conflict("4.1", "owner", "", "Ann", "Bob")]


def test_the_same_new_value_on_both_sides_is_no_conflict():
    write, found = conflicts.settle("4.1", {"owner": "Ann"}, {"owner": "Ann"}, {"owner": ""})
    assert write == {"owner": "Ann"} and found == []


def test_no_base_writes_every_change_and_unknown_fields_are_written():
    assert conflicts.settle("x", {"a": 1}, {"a": 2}, None) == ({"a": 2}, [])
    assert conflicts.settle("x", {"a": 1}, {"b": 2}, {}) == ({"b": 2}, [])


@pytest.mark.parametrize("a, b", [
    (None, ""), (float("nan"), None), (pd.NaT, None), (3, 3.0), (date(2026, 1, 2), pd.Timestamp("2026-01-02")),
    (date(2026, 1, 2), "2026-01-02"), (["a", "b"], ("a", "b")), (" x ", "x"), (True, True),
])
def test_values_compare_in_one_canonical_form(a, b):
    assert conflicts.same(a, b)


@pytest.mark.parametrize("a, b", [("x", "y"), (3, 4), (None, "x"), (["a"], ["a", "b"]), (date(2026, 1, 2), "2026-01-03")])
def test_different_values_differ(a, b):
    assert not conflicts.same(a, b)


def test_the_message_names_both_values_and_who_saved_theirs():
    c = Conflict("R-003", "owner", "", "Ann", "Bob", "Carol", datetime(2026, 11, 29, 10, 42), "Owner")
    assert conflicts.describe(c) == "R-003 Owner: since you opened it, Carol saved at 10:42 “Ann”; yours is “Bob”."
    assert conflicts.shown(None) == "(empty)" and conflicts.shown(3.0) == "3"


# ---- the assessment save ------------------------------------------------------------------------

def test_a_stale_form_keeps_the_other_sessions_field_and_saves_its_own(con, ws_id, cat):
    shown = {"maturity": "Not assessed", "owner": "", "notes": ""}          # both sessions open 4.1
    assessments.save(con, ws_id, cat, {"4.1": {**shown, "owner": "Ann"}}, base={"4.1": shown})       # A
    assessments.save(con, ws_id, cat, {"4.1": {**shown, "maturity": "2 Repeatable"}}, base={"4.1": shown})  # B
    r = assessments.table(con, ws_id, cat, 3).set_index("req_id").loc["4.1"]
    assert (r["owner"], r["maturity"]) == ("Ann", 2)


def test_the_same_field_saved_from_a_stale_form_is_refused_and_nothing_is_written(con, ws_id, cat):
    shown = {"owner": "", "notes": ""}
    assessments.save(con, ws_id, cat, {"4.1": {"owner": "Ann"}}, base={"4.1": shown}, who="Carol")
    before = log_count(con)
    with pytest.raises(EditConflict) as err:
        assessments.save(con, ws_id, cat, {"4.1": {"owner": "Bob", "notes": "mine"}}, base={"4.1": shown})
    (c,) = err.value.conflicts
    assert (c.record, c.field, c.theirs, c.yours, c.by) == ("4.1", "owner", "Ann", "Bob", "Carol")
    assert "Carol saved" in err.value.problems[0] and "“Ann”; yours is “Bob”" in err.value.problems[0]
    assert log_count(con) == before                     # the notes were not written either
    # "use mine": the user saw theirs now
    assert assessments.save(con, ws_id, cat, {"4.1": {"owner": "Bob", "notes": "mine"}},
                            base={"4.1": {"owner": "Ann", "notes": ""}}) == 2


def test_a_default_target_shown_on_screen_is_not_a_conflict(con, ws_id, cat):
    """An unset target is shown as the workspace default; changing it is an ordinary change."""
    assert assessments.save(con, ws_id, cat, {"4.1": {"target": 4}}, base={"4.1": {"target": 3}}) == 1
    assert assessments.table(con, ws_id, cat, 3).set_index("req_id").loc["4.1", "target"] == 4


# ---- the write turn ---------------------------------------------------------------------------

def test_a_write_the_database_refuses_becomes_write_conflict_and_a_retry_succeeds(con, ws_id, cat):
    assessments.save(con, ws_id, cat, {"4.1": {"owner": "Ann"}})
    other = con.cursor()                       # a transaction outside the app's write turn
    other.begin()
    other.execute("UPDATE assessment SET notes = 'x' WHERE workspace_id = ? AND req_id = '4.1'", [ws_id])
    with pytest.raises(WriteConflict, match="Save again"):
        assessments.save(con, ws_id, cat, {"4.1": {"owner": "Bob"}})
    other.commit()
    attempts = []

    def save():
        attempts.append(1)
        return assessments.save(con, ws_id, cat, {"4.1": {"owner": "Bob"}})
    assert db.retrying(save) == 1 and len(attempts) == 1
    assert rows(con, "SELECT owner, notes FROM assessment WHERE req_id = '4.1'") == [("Bob", "x")]


def test_threaded_saves_on_one_connection_lose_nothing(con, ws_id, cat):
    """Sessions of one process share the connection: many threads save different fields of the
    same rows from forms opened before any save. Every value lands; no exception escapes."""
    reqs = ["4.1", "4.2", "4.3"]
    fields = {"owner": lambda i: f"Owner {i}", "notes": lambda i: f"note {i}", "evidence": lambda i: f"ev {i}",
              "maturity": lambda i: str(i % 6), "target": lambda i: 1 + i % 5, "due": lambda i: f"2027-01-{1 + i % 28:02d}"}
    shown = {f: ("Not assessed" if f == "maturity" else 3 if f == "target" else "") for f in fields}
    errors, barrier = [], threading.Barrier(len(fields) * len(reqs))

    def worker(req, field, i):
        try:
            barrier.wait()
            value = fields[field](i)
            assessments.save(con, ws_id, cat, {req: {**shown, field: value}}, base={req: shown})
        except Exception as exc:        # noqa: BLE001 - the test counts every escape
            errors.append(exc)
    for trial in range(8):
        threads = [threading.Thread(target=worker, args=(r, f, trial * 7 + k)) for k, (r, f) in
                   enumerate((r, f) for r in reqs for f in fields)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        table = assessments.table(con, ws_id, cat, 3).set_index("req_id")
        for k, (r, f) in enumerate((r, f) for r in reqs for f in fields):
            expected = fields[f](trial * 7 + k)
            got = table.loc[r, f]
            assert conflicts.same(assessments.maturity_label(got) if f == "maturity" else got,
                                  assessments.maturity_label(int(expected)) if f == "maturity" else expected), (trial, r, f)
        # the next trial's forms are opened on blank records again
        assessments.save(con, ws_id, cat, {r: dict(shown) for r in reqs})


# ---- every save function: two forms opened on the same record --------------------------------

def _demo(tmp_path):
    from aims.catalog import standard
    from aims.demo import client
    con = db.open_database(tmp_path / "demo.duckdb")
    cat = standard.load()
    return con, cat, client.create(con, cat)


def _cases():
    """(name, read(con, ws, cat) -> dict, save(con, ws, cat, changes, base), field 1 with A's and B's
    values, field 2 with B's value). Each save is what the form or table of that record calls."""
    from aims.ai_systems import classification, impact, inventory
    from aims.governance import documents, policy, roles, training
    from aims.risk import register as risks
    from aims.roadmap import actions, phases
    from aims.store import workspaces
    q = "scope.purpose_clarity"
    return [
        ("gap analysis", lambda c, w, k: assessments.table(c, w, k, 3).set_index("req_id").loc["4.1"].to_dict(),
         lambda c, w, k, ch, b: assessments.save(c, w, k, {"4.1": ch}, base={"4.1": b}),
         ("owner", "Ann", "Bob"), ("notes", "B's note")),
        ("AI system", lambda c, w, k: inventory.get(c, w, "AIS-001"),
         lambda c, w, k, ch, b: inventory.update(c, w, "AIS-001", ch, base=b), ("vendor", "Acme", "Beta"),
         ("purpose", "B's purpose")),
        ("risk", lambda c, w, k: risks.get(c, w, "R-001"), lambda c, w, k, ch, b: risks.update(c, w, "R-001", ch, base=b),
         ("owner", "Ann", "Bob"), ("description", "B's description")),
        ("policy draft", lambda c, w, k: policy.get(c, w, "P-002"),
         lambda c, w, k, ch, b: policy.update(c, w, "P-002", ch, base=b), ("title", "AI policy A", "AI policy B"),
         ("location", "B's link")),
        ("training session", lambda c, w, k: training.sessions(c, w).set_index("id").loc["TR-002"].to_dict(),
         lambda c, w, k, ch, b: training.update_session(c, w, "TR-002", ch, base=b), ("trainer", "Ann", "Bob"),
         ("notes", "B's note")),
        ("workspace", lambda c, w, k: workspaces.get(c, w), lambda c, w, k, ch, b: workspaces.update(c, w, ch, base=b),
         ("sector", "Banking", "Insurance"), ("scope", "B's scope")),
        ("risk criteria", lambda c, w, k: risks.criteria(c, w),
         lambda c, w, k, ch, b: risks.save_criteria(c, w, ch, base=b), ("appetite", 8, 10), ("review_months", 6)),
        ("effort scale", lambda c, w, k: phases.effort_scale(c, w),
         lambda c, w, k, ch, b: phases.set_effort_scale(c, w, ch, base=b), ("S", 3, 4), ("M", 6)),
        ("SoA approval", lambda c, w, k: assessments.soa_approval(c, w),
         lambda c, w, k, ch, b: assessments.set_soa_approval(      # the form sends an approval with its date
             c, w, ch["version"], ch["approved_by"], date(2026, 11, 1) if ch["approved_by"] else None,
             base=b),
         ("version", "1.0", "1.1"), ("approved_by", "Ann")),
        ("EU AI Act date", lambda c, w, k: classification.dates_table(c).set_index("key").loc["ai_literacy"].to_dict(),
         lambda c, w, k, ch, b: classification.update_date(c, "ai_literacy", *(
             {**{f: b[f] for f in ("applies_from", "checked_on")}, **ch}[f] for f in ("applies_from", "checked_on")),
             base=b), ("applies_from", date(2025, 3, 1), date(2025, 4, 1)), ("checked_on", date(2026, 1, 5))),
        ("impact answer", lambda c, w, k: impact.answers(c, w, "IA-003")[q],
         lambda c, w, k, ch, b: impact.save_answers(c, w, "IA-003", {q: {**b, **ch}}, base={q: b}),
         ("value", "verbal_only", "not_defined"), ("note", "B's note")),
        ("document", lambda c, w, k: documents.register(c, w, k).set_index("id").loc["AI policy"].to_dict(),
         lambda c, w, k, ch, b: documents.save(c, w, k, {"AI policy": ch}, base={"AI policy": b}),
         ("version", "2.0", "3.0"), ("notes", "B's note")),
        ("roadmap action", lambda c, w, k: actions._stored(c, w)["ACT-002"],
         lambda c, w, k, ch, b: actions.update_actions(c, w, k, {"ACT-002": ch}, base={"ACT-002": b}),
         ("owner", "Ann", "Bob"), ("notes", "B's note")),
        ("phase", lambda c, w, k: phases.phases(c, w).set_index("id").loc["PH-01"].to_dict(),
         lambda c, w, k, ch, b: phases.save_phases(c, w, {"PH-01": ch}, base={"PH-01": b}),
         ("name", "Gap analysis A", "Gap analysis B"), ("finish", date(2027, 1, 4))),
        ("person", lambda c, w, k: roles.persons(c, w).set_index("id").loc["PE-002"].to_dict(),
         lambda c, w, k, ch, b: roles.save_people(c, w, {"PE-002": ch}, base={"PE-002": b}),
         ("job_title", "Head of Risk", "Head of Audit"), ("name", "Aisha K. Karim")),
        ("role", lambda c, w, k: roles.roles(c, w).set_index("id").loc["RO-002"].to_dict(),
         lambda c, w, k, ch, b: roles.save_roles(c, w, {"RO-002": ch}, base={"RO-002": b}),
         ("responsibilities", "A's words", "B's words"), ("name", "AI governance lead")),
    ]


CASES = {c[0]: c for c in _cases()}


@pytest.mark.parametrize("name", list(CASES))
def test_two_forms_on_one_record_keep_both_fields_and_refuse_the_same_field(tmp_path, name):
    _, read, save, (f1, mine_a, mine_b), (f2, other) = CASES[name]
    con, cat, ws = _demo(tmp_path)
    opened = read(con, ws, cat)                                  # both forms open on these values
    base = {f1: opened[f1], f2: opened[f2]}
    save(con, ws, cat, {f1: mine_a, f2: opened[f2]}, base)       # A changes field 1, sends field 2 as shown
    save(con, ws, cat, {f1: opened[f1], f2: other}, base)        # B changes field 2, sends field 1 as shown
    now = read(con, ws, cat)
    assert conflicts.same(now[f1], mine_a) and conflicts.same(now[f2], other), (now[f1], now[f2])
    before = log_count(con)
    with pytest.raises(EditConflict) as err:                     # B, from the same old form, changes field 1
        save(con, ws, cat, {f1: mine_b, f2: opened[f2]}, base)
    (c,) = err.value.conflicts
    assert conflicts.same(c.theirs, mine_a) and conflicts.same(c.yours, mine_b) and c.by == "tester"
    assert log_count(con) == before and conflicts.same(read(con, ws, cat)[f1], mine_a)


@pytest.mark.parametrize("table", ["raci", "attendance"])
def test_two_tables_keep_both_cells_and_refuse_the_same_cell(tmp_path, table):
    from aims.governance import roles, training
    con, cat, ws = _demo(tmp_path)
    if table == "raci":
        def read():
            return {r: letter for a, r, letter in roles.raci(con, ws).itertuples(index=False) if a == "audit"}

        def save(cells, base):
            return roles.save_raci(con, ws, {"audit": cells}, base={"audit": base})
        one, two, a_value, b_value, other = "RO-001", "RO-002", "C", "R", "I"
    else:
        def read():
            return dict(zip(*training.attendance(con, ws, "TR-002")[["person_id", "status"]].T.values))

        def save(cells, base):
            return training.save_attendance(con, ws, "TR-002", cells, base=base)
        one, two, a_value, b_value, other = "PE-002", "PE-001", "attended", "absent", "invited"
    opened = read()
    save({one: a_value}, {one: opened[one]})
    save({two: other}, {two: opened[two]})
    assert (read()[one], read()[two]) == (a_value, other)
    with pytest.raises(EditConflict) as err:
        save({one: b_value}, {one: opened[one]})
    assert (err.value.conflicts[0].theirs, err.value.conflicts[0].yours) == (a_value, b_value)
    assert read()[one] == a_value


def test_saves_while_an_import_is_applied_wait_their_turn_and_both_land(tmp_path, monkeypatch):
    """An edit made while a workbook import is being applied used to raise DuckDB's 'Conflict on
    update'; now it waits for the import's transaction and is then checked against its result."""
    import io

    import openpyxl

    from aims.workbook import export, importer
    con, cat, ws = _demo(tmp_path)
    wb = openpyxl.load_workbook(io.BytesIO(export.build(con, ws, cat)))
    sheet = wb["Gap Analysis"]
    head = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[head.index("Ref")].value in ("4.1", "4.2", "4.3"):
            row[head.index("Notes")].value = "from the client's workbook"
    buf = io.BytesIO()
    wb.save(buf)
    errors, started = [], threading.Event()
    run = importer._run

    def slow_run(tx, *args, **kwargs):   # the import's rows are written; its transaction stays open a while
        done = run(tx, *args, **kwargs)
        started.set()
        time.sleep(0.5)
        return done

    def run_import():
        try:
            importer.apply(con, ws, buf.getvalue(), cat, db_path=":memory:")
        except Exception as exc:        # noqa: BLE001 - the test counts every escape
            errors.append(exc)
    monkeypatch.setattr(importer, "_run", slow_run)
    t = threading.Thread(target=run_import)
    t.start()
    started.wait(30)
    shown = {r: {"owner": assessments.table(con, ws, cat, 3).set_index("req_id").loc[r, "owner"]} for r in ("4.1", "5.2")}
    for _ in range(20):                  # saves during the import: other fields, and other rows
        assessments.save(con, ws, cat, {"4.1": {"owner": "Ann"}, "5.2": {"owner": "Bob"}}, base=shown)
        shown = {"4.1": {"owner": "Ann"}, "5.2": {"owner": "Bob"}}
    t.join()
    assert errors == []
    table = assessments.table(con, ws, cat, 3).set_index("req_id")
    assert table.loc["4.1", "notes"] == "from the client's workbook" and table.loc["4.1", "owner"] == "Ann"
    assert table.loc["5.2", "owner"] == "Bob"


@pytest.fixture
def con(engine_con):          # these tests run on both engines
    return engine_con
