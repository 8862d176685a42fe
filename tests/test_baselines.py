"""Baselines: a workspace's assessment frozen at one moment, and the comparison of two moments.
Figures are computed by hand from the catalogue's 70 assessable requirements (32 clause leaves,
38 Annex A controls) and the default target 3."""
from datetime import date

import pytest
from helpers import rows

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.assessment import requirements as assessments
from aims.audit import findings
from aims.common.validate import ValidationError
from aims.governance import documents
from aims.progress import baselines, compare, snapshot
from aims.risk import register
from aims.roadmap import actions as roadmap
from aims.roadmap import phases

TODAY = date(2026, 3, 2)


def take(con, cat, ws, name="Kick-off", **kw):
    return baselines.take(con, ws, name, cat, 3, today=TODAY, **kw)


@pytest.fixture
def kickoff(con, cat, ws_id):
    """At kick-off: 4.2 rated 1, 5.1 rated 3, 4.1 not rated; risk R-001 rated 4x4 with no
    residual; an action to do; the AI policy missing. The baseline 'Kick-off' is taken then."""
    assessments.save(con, ws_id, cat, {"4.2": {"maturity": 1}, "5.1": {"maturity": 3}})
    register.create(con, ws_id, {"title": "Model drift", "lifecycle_stage": "deployed", "inherent_likelihood": 4,
                                 "inherent_impact": 4})
    phases.ensure_phases(con, ws_id, None, TODAY)
    phase = rows(con, "SELECT min(id) FROM phase WHERE workspace_id = ?", [ws_id])[0][0]
    roadmap.create_action(con, ws_id, cat, {"title": "Write the AI policy", "phase_id": phase}, TODAY)
    return take(con, cat, ws_id)


def later(con, cat, ws_id):
    """Six weeks on: 4.1 rated 3 (newly assessed, at target), 4.2 raised to 3 (improved), 5.1
    down to 2 (worse), A.10.4 excluded; R-001 treated to 2x3, R-002 added; the action done; the
    AI policy approved; a finding raised."""
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 3}, "4.2": {"maturity": 3}, "5.1": {"maturity": 2},
                                       "A.10.4": {"applicable": False, "exclusion_reason": "No AI supplied"}})
    register.update(con, ws_id, "R-001", {"treatment": "mitigate", "residual_likelihood": 2, "residual_impact": 3})
    register.create(con, ws_id, {"title": "Bias", "lifecycle_stage": "deployed", "inherent_likelihood": 2,
                                 "inherent_impact": 2})
    roadmap.update_actions(con, ws_id, cat, {"ACT-001": {"status": "done"}}, today=TODAY)
    documents.save(con, ws_id, cat, {"AI policy": {"status": "approved", "owner": "Priya Shah (CRO)", "version": "1.0", "location": "Intranet"}}, today=TODAY)
    findings.raise_finding(con, ws_id, {"source": "internal audit", "grade": "minor nonconformity",
                                        "title": "Policy not communicated", "requirements": ["5.2"],
                                        "owner": "Priya Shah (CRO)", "due": date(2026, 4, 30),
                                        "raised_on": TODAY}, today=TODAY)


def test_a_baseline_keeps_the_state_it_was_taken_in(con, cat, ws_id, kickoff):
    later(con, cat, ws_id)
    kept = baselines.load(con, ws_id, kickoff)
    assert kept["name"] == "Kick-off" and kept["id"] == "B-001"
    assert kept["requirements"]["4.2"]["maturity"] == 1 and kept["requirements"]["4.1"]["maturity"] is None
    assert kept["requirements"]["4.1"]["status"] == "not assessed"
    assert kept["requirements"]["A.10.4"]["applicable"] is True
    assert kept["risks"]["R-001"]["inherent"] == [4, 4] and kept["risks"]["R-001"]["residual"] is None
    assert set(kept["risks"]) == {"R-001"} and kept["actions"]["ACT-001"]["status"] == "to do"
    assert kept["documents"]["AI policy"]["status"] == "missing" and kept["findings"] == {}
    # kick-off: 5.1 at target of 70 applicable -> 1.4 %; 2 of 70 rated -> 2.9 %; 4.2 is the one open gap
    assert kept["figures"]["readiness_pct"] == 1.4 and kept["figures"]["assessed_pct"] == 2.9
    assert kept["figures"]["open_gaps"] == 1 and kept["figures"]["risks_above"] == 1     # 16 > appetite 9
    assert kept["figures"]["roadmap_pct"] == 0.0
    listed = baselines.listing(con, ws_id)
    assert listed[["id", "name", "kind"]].values.tolist() == [["B-001", "Kick-off", "manual"]]
    assert listed.loc[0, "readiness_pct"] == 1.4 and listed.loc[0, "open_gaps"] == 1
    assert listed.loc[0, "size_bytes"] == len(rows(con, "SELECT payload FROM baseline")[0][0])


def test_comparison_with_now_by_hand(con, cat, ws_id, kickoff):
    later(con, cat, ws_id)
    now = snapshot.capture(con, ws_id, cat, 3, TODAY)
    c = compare.compare(baselines.load(con, ws_id, kickoff), now, cat)
    assert c["before"]["name"] == "Kick-off" and c["after"]["name"] == "now"
    fig = c["figures"].set_index("metric")
    # now: 4.1 and 4.2 at target, 5.1 a gap, A.10.4 excluded -> 2 of 69 = 2.9 %
    assert fig.loc["readiness_pct", ["before", "after", "change"]].tolist() == [1.4, 2.9, 1.5]
    assert fig.loc["open_gaps", ["before", "after", "change"]].tolist() == [1, 1, 0.0]
    # R-001's treatment (2x3) is planned, not implemented: it still counts at 4x4 = 16 > 9; R-002 is 4
    assert fig.loc["risks_above", ["before", "after"]].tolist() == [1, 1]
    groups = c["groups"].set_index("group")
    assert groups.loc["4", ["before_pct", "after_pct", "change"]].tolist() == [0.0, 50.0, 50.0]   # 2 of 4
    assert groups.loc["5", ["before_pct", "after_pct"]].tolist() == [round(100 / 3, 1), 0.0]      # 5.1 of 3
    reqs = c["requirements"].set_index("req_id")
    assert reqs["change"].to_dict() == {"4.1": "newly assessed", "4.2": "improved", "5.1": "worse",
                                        "A.10.4": "now excluded"}
    assert reqs.loc["4.2", ["maturity_before", "maturity_after", "status_after"]].tolist() == [1, 3, "at target"]
    risks = c["risks"].set_index("id")
    assert risks["change"].to_dict() == {"R-001": "moved", "R-002": "new"}
    assert risks.loc["R-001", ["inherent_before", "residual_before", "residual_after"]].tolist() == ["4×4", "", "2×3"]
    assert c["actions_done"]["id"].tolist() == ["ACT-001"]
    assert c["documents_approved"][["id", "status_before", "status_after"]].values.tolist() == [
        ["AI policy", "missing", "approved"]]
    assert c["findings"][["id", "change"]].values.tolist() == [["F-001", "raised"]]
    assert c["counts"]["requirements"] == 4 and c["counts"]["requirements improved"] == 1


def test_two_baselines_of_the_same_state_show_no_change(con, cat, ws_id, kickoff):
    again = take(con, cat, ws_id, "Same day")
    c = compare.compare(baselines.load(con, ws_id, kickoff), baselines.load(con, ws_id, again), cat)
    assert all(c["counts"][k] == 0 for k in ("requirements", "risks", "actions_done", "documents_approved", "findings"))
    assert set(c["figures"]["change"]) == {0.0}


def test_bad_names_are_refused_and_nothing_is_written(con, cat, ws_id, kickoff):
    before = rows(con, "SELECT count(*) FROM baseline")[0][0], rows(con, "SELECT count(*) FROM change_log")[0][0]
    for name, problem in (("", "Baseline name is required."),
                          ("  KICK-OFF ", "A baseline named 'KICK-OFF' already exists in this workspace; "
                                          "choose another name."),
                          ("x" * 81, "Baseline name is 81 characters long; the limit is 80.")):
        with pytest.raises(ValidationError) as err:
            take(con, cat, ws_id, name)
        assert err.value.problems == [problem]
    with pytest.raises(ValidationError):
        take(con, cat, ws_id, "Fine", kind="weekly")
    with pytest.raises(ValidationError, match="no workspace"):
        baselines.take(con, 999, "Elsewhere", cat, 3)
    assert (rows(con, "SELECT count(*) FROM baseline")[0][0], rows(con, "SELECT count(*) FROM change_log")[0][0]) == before


def test_rename_delete_and_unknown_baselines(con, cat, ws_id, kickoff):
    baselines.rename(con, ws_id, kickoff, "Kick-off workshop", note="Day one with the client")
    assert baselines.listing(con, ws_id)[["name", "note"]].values.tolist() == [["Kick-off workshop", "Day one with the client"]]
    assert baselines.find(con, ws_id, "kick-off WORKSHOP") == kickoff and baselines.find(con, ws_id, "B-001") == kickoff
    assert baselines.find(con, ws_id, "nothing") is None
    assert baselines.free_name(con, ws_id, "Kick-off workshop") == "Kick-off workshop (2)"
    for call in (lambda: baselines.load(con, ws_id, "B-404"), lambda: baselines.rename(con, ws_id, "B-404", "X"),
                 lambda: baselines.delete(con, ws_id, "B-404")):
        with pytest.raises(ValidationError, match="There is no baseline B-404"):
            call()
    baselines.delete(con, ws_id, kickoff)
    assert baselines.listing(con, ws_id).empty
    logged = rows(con, "SELECT field, old_value, new_value FROM change_log WHERE entity = 'baseline' ORDER BY id")
    assert logged == [("taken", None, "Kick-off"), ("name", "Kick-off", "Kick-off workshop"),
                      ("note", "", "Day one with the client"), ("deleted", "Kick-off workshop", None)]


def test_a_viewer_cannot_take_rename_or_delete_a_baseline_and_an_editor_can(con, cat, ws_id, kickoff):
    members.add(con, ws_id, "vera@firm.example", "viewer")
    members.add(con, ws_id, "ed@firm.example", "editor")
    with identity.acting(identity.person("vera@firm.example")):
        for call in (lambda: take(con, cat, ws_id, "Mine"), lambda: baselines.rename(con, ws_id, kickoff, "Mine"),
                     lambda: baselines.delete(con, ws_id, kickoff)):
            with pytest.raises(AccessDenied):
                call()
        assert baselines.load(con, ws_id, kickoff)["name"] == "Kick-off"       # reading is allowed
    assert baselines.listing(con, ws_id)["name"].tolist() == ["Kick-off"]
    with identity.acting(identity.person("ed@firm.example")):
        bid = take(con, cat, ws_id, "Editor's")
        baselines.rename(con, ws_id, bid, "Editor's baseline")
        baselines.delete(con, ws_id, bid)
    assert rows(con, "SELECT taken_by FROM baseline") == [(rows(con, "SELECT taken_by FROM baseline")[0][0],)]


def test_a_snapshot_packs_small_and_round_trips(con, cat, ws_id, kickoff):
    later(con, cat, ws_id)
    snap = snapshot.capture(con, ws_id, cat, 3, TODAY)
    packed = snapshot.pack(snap)
    assert snapshot.unpack(packed) == snap
    assert len(packed) < 4000      # 70 requirements, 2 risks, 1 action, the document register, 1 finding


def test_the_baseline_command_lists_takes_and_compares(tmp_path, capsys):
    from openpyxl import load_workbook

    from aims.cli import main
    from aims.workbook import comparison
    path = str(tmp_path / "cli.duckdb")
    assert main(["--db", path, "demo"]) == 0
    ws = ["--db", path, "baseline", "--workspace", "Northwind Lending (demo)"]
    capsys.readouterr()
    out = tmp_path / "progress.xlsx"
    assert main([*ws, "--take", "After workshop 3", "--compare", "Kick-off workshop", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Baseline B-003 After workshop 3 taken." in printed and "readiness 2.9 % -> 23.2 %" in printed
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", *[s[0] for s in comparison.SHEETS]]
    assert [c.value for c in book["Summary"][6]] == ["Readiness", "2.9%", "23.2%", "+20.3 pts"]
    # an unknown baseline: refused before anything is taken or written
    assert main([*ws, "--take", "Never", "--compare", "nope", "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "There is no baseline named 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
    assert main(ws) == 0
    assert [line.split("  ")[2] for line in capsys.readouterr().out.splitlines()] == [
        "Kick-off workshop", "Gap analysis complete", "After workshop 3"]
    assert main([*ws, "--compare", "B-001"]) == 1                     # --out is needed


@pytest.fixture
def con(engine_con):          # these tests run on both engines
    return engine_con


def test_a_rename_never_overwrites_a_name_someone_saved_meanwhile(con, cat, ws_id, kickoff):
    from aims.store.conflicts import EditConflict
    shown = {"name": "Kick-off", "note": ""}
    baselines.rename(con, ws_id, kickoff, "Kick-off workshop", note="")          # someone else, meanwhile
    logged = rows(con, "SELECT count(*) FROM change_log")[0][0]
    with pytest.raises(EditConflict) as err:
        baselines.rename(con, ws_id, kickoff, "First day", note="", base=shown)
    assert "Kick-off workshop" in str(err.value) and rows(con, "SELECT count(*) FROM change_log")[0][0] == logged
    assert baselines.listing(con, ws_id)["name"].tolist() == ["Kick-off workshop"]
    # a field left as shown is not written: their name stays, my note is saved
    baselines.rename(con, ws_id, kickoff, "Kick-off", note="Day one", base=shown)
    assert baselines.listing(con, ws_id)[["name", "note"]].values.tolist() == [["Kick-off workshop", "Day one"]]
