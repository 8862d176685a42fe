"""No lost update: settle's rules by hand, the assessment save with a stale base, the write turn
and WriteConflict, and a threaded race of saves on one connection."""
import threading
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
