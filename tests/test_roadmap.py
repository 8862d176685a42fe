"""Roadmap actions: derived priorities, the write paths, owners, bad input and the change log."""
from datetime import date

import pytest
from helpers import TODAY, action_rows, by_ref, generated, log_count, rows

from aims.assessment import requirements as assessments
from aims.common.validate import ValidationError
from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases
from aims.store import workspaces


@pytest.mark.parametrize("status,gap,mandatory,expected", [
    ("gap", 1, False, "low"), ("gap", 2, False, "medium"), ("gap", 3, False, "high"), ("gap", 5, False, "high"),
    ("gap", 1, True, "medium"), ("gap", 2, True, "high"), ("gap", 3, True, "critical"),
    ("not assessed", None, False, "medium"), ("not assessed", None, True, "high"),
    ("at target", 0, True, "low"), ("excluded", None, False, "low"),
])
def test_priority_from_the_size_of_the_gap_and_mandatory_documentation(status, gap, mandatory, expected):
    assert roadmap.gap_priority(status, gap, mandatory) == expected


def test_the_highest_signal_wins_and_says_why():
    reqs = [{"req_id": "7.3", "status": "gap", "gap": 1, "mandatory_doc": False},
            {"req_id": "5.2", "status": "gap", "gap": 2, "mandatory_doc": True}]
    assert roadmap.derive_priority(reqs, []) == ("high", "gap of 2 on 5.2 (mandatory documentation)")
    assert roadmap.derive_priority(reqs, [("R-004", "critical")]) == ("critical", "linked risk R-004 is critical")
    assert roadmap.derive_priority(reqs[:1], [("R-001", "medium")]) == ("medium", "linked risk R-001 is medium")
    assert roadmap.derive_priority([], []) == ("medium", "no linked requirement or risk")


def test_risk_levels_use_the_default_bands_when_the_workspace_has_no_criteria():
    assert [roadmap.risk_level(lik, imp) for lik, imp in [(1, 4), (1, 5), (3, 3), (2, 5), (3, 5), (4, 4)]] == \
        ["low", "medium", "medium", "high", "high", "critical"]


def test_an_override_wins_over_the_derived_priority(con, cat, rated):
    generated(con, cat, rated)
    aid = by_ref(con, cat, rated).loc["7.3", "id"]
    roadmap.update_actions(con, rated, cat, {aid: {"priority_override": "critical"}}, TODAY)
    row = by_ref(con, cat, rated).loc["7.3"]
    assert (row["priority"], row["priority_derived"]) == ("critical", "low")
    roadmap.update_actions(con, rated, cat, {aid: {"priority_override": ""}}, TODAY)
    assert by_ref(con, cat, rated).loc["7.3", "priority"] == "low"


def test_a_done_action_invites_a_rerating_and_never_changes_the_maturity(con, cat, rated):
    generated(con, cat, rated)
    aid = by_ref(con, cat, rated).loc["5.2", "id"]
    result = roadmap.update_actions(con, rated, cat, {aid: {"status": "done"}}, TODAY)
    assert result.newly_done == {aid: ["5.2"]}
    waiting = roadmap.awaiting_rerating(con, rated, cat, 3)
    assert list(waiting["req_id"]) == ["5.2"] and waiting.iloc[0]["action_id"] == aid
    assert assessments.table(con, rated, cat, 3).set_index("req_id").loc["5.2", "maturity"] == 1
    again = generated(con, cat, rated)
    assert again.created == [] and again.waiting_rerating == ["5.2"]
    # re-rated, still below target: the invitation ends and the next run plans the rest of the gap
    assessments.save(con, rated, cat, {"5.2": {"maturity": 2}})
    assert roadmap.awaiting_rerating(con, rated, cat, 3).empty
    assert generated(con, cat, rated).created == ["ACT-004"]


def test_marking_done_sets_percent_and_date_and_reopening_clears_the_date(con, cat, rated):
    generated(con, cat, rated)
    roadmap.update_actions(con, rated, cat, {"ACT-001": {"status": "done", "done_at": "2026-02-27"}}, TODAY)
    row = by_ref(con, cat, rated).loc["5.2"]
    assert (row["percent"], row["done_at"]) == (100, date(2026, 2, 27))
    roadmap.update_actions(con, rated, cat, {"ACT-001": {"status": "in progress", "percent": 80}}, TODAY)
    row = by_ref(con, cat, rated).loc["5.2"]
    assert (row["status"], row["percent"], row["done_at"]) == ("in progress", 80, None)


def test_every_field_change_is_logged(con, cat, rated):
    generated(con, cat, rated)
    roadmap.update_actions(con, rated, cat, {"ACT-002": {"owner": "Lena Novak (DPO)", "requirements": ["7.3", "7.2"]}},
                           TODAY)
    log = rows(con, "SELECT field, old_value, new_value FROM change_log WHERE entity = 'action'"
                    " AND entity_id = 'ACT-002' AND field IN ('owner', 'requirements') ORDER BY id")
    assert log == [("requirements", None, "7.3"),                  # created (a blank owner is not logged)
                   ("owner", "", "Lena Novak (DPO)"), ("requirements", "7.3", "7.2; 7.3")]


def test_bad_action_edits_are_all_reported_with_the_field_and_nothing_is_written(con, cat, rated):
    generated(con, cat, rated)
    before, logs = action_rows(con, rated), log_count(con)
    with pytest.raises(ValidationError) as exc:
        roadmap.update_actions(con, rated, cat, {
            "ACT-001": {"start": "2026-06-01", "due": "2026-05-01"},
            "ACT-002": {"owner": "Tom; Lena", "effort": "XXL"},
            "ACT-003": {"percent": 100, "phase_id": "PH-42", "requirements": "5.2; 99.9"},
            "ACT-404": {"title": "ghost"},
        }, TODAY)
    problems = exc.value.problems
    assert "ACT-001: the due date 2026-05-01 is before the start date 2026-06-01; move the due date or the start date." \
        in problems
    assert any(p.startswith("ACT-002 owner 'Tom; Lena' is not a recognisable owner") for p in problems)
    assert "ACT-002 effort 'XXL' is not on the scale: use S, M, L or XL (person-days per size are set in the " \
           "roadmap settings)." in problems
    assert any("percent complete is 100 but the status is 'to do'" in p for p in problems)
    assert "ACT-003 phase 'PH-42' does not exist in this workspace." in problems
    assert any("unknown requirement or control 99.9" in p for p in problems)
    assert "There is no action 'ACT-404' in this workspace." in problems
    assert action_rows(con, rated) == before and log_count(con) == logs


def test_a_done_date_in_the_future_or_on_an_open_action_is_refused(con, cat, rated):
    generated(con, cat, rated)
    with pytest.raises(ValidationError) as exc:
        roadmap.update_actions(con, rated, cat, {"ACT-001": {"status": "done", "done_at": "2026-04-01"},
                                                 "ACT-002": {"done_at": "2026-02-01"}}, TODAY)
    assert any("done date 2026-04-01 is in the future" in p for p in exc.value.problems)
    assert any("a done date is only for a done action" in p for p in exc.value.problems)


def test_creating_an_action_by_hand(con, cat, rated):
    roadmap_phases.ensure_phases(con, rated, date(2027, 3, 1), TODAY)
    aid = roadmap.create_action(con, rated, cat, {"title": "Book the certification body", "phase_id": "PH-08",
                                                  "owner": "aisha.karim@northwind.example", "effort": "s",
                                                  "start": "2026-04-01", "due": "2026-04-15"}, TODAY)
    row = roadmap.actions(con, rated, cat, 3, TODAY).set_index("id").loc[aid]
    assert (row["source"], row["effort"], row["priority"], row["effort_days"]) == ("manual", "S", "medium", 2.0)
    logs = log_count(con)
    with pytest.raises(ValidationError) as exc:
        roadmap.create_action(con, rated, cat, {"title": "", "phase_id": "", "effort": "huge",
                                                "start": "2026-05-01", "due": "2026-04-01"}, TODAY)
    text = " ".join(exc.value.problems)
    assert "title is required" in text and "phase is required" in text and "'huge' is not on the scale" in text
    assert "due date 2026-04-01 is before the start date 2026-05-01" in text
    assert log_count(con) == logs and len(action_rows(con, rated)) == 1


@pytest.mark.parametrize("owner", ["Priya Shah (CRO)", "Tom Becker", "Data Science team", "o'neil@x.example",
                                   "Zoë Ångström (Head of Data)"])
def test_recognisable_owners(owner):
    assert roadmap.owner_problem(owner, "Owner") is None


@pytest.mark.parametrize("owner", ["123", "Tom, Lena", "Tom; Lena", "=HYPERLINK()", "@@", "(CRO)"])
def test_unrecognisable_owners(owner):
    assert "is not a recognisable owner" in roadmap.owner_problem(owner, "Owner")


def test_deleting_actions_removes_their_links(con, cat, rated):
    generated(con, cat, rated)
    assert roadmap.delete_actions(con, rated, ["ACT-001"]) == 1
    assert rows(con, "SELECT count(*) FROM action_requirement WHERE action_id = 'ACT-001'")[0][0] == 0
    with pytest.raises(ValidationError, match="There is no action 'ACT-001'"):
        roadmap.delete_actions(con, rated, ["ACT-001"])


def test_a_duplicated_workspace_keeps_its_roadmap_and_links(con, cat, rated):
    generated(con, cat, rated)
    copy = workspaces.duplicate(con, rated, "Acme copy")
    assert list(by_ref(con, cat, copy)["id"]) == list(by_ref(con, cat, rated)["id"])
    assert roadmap_phases.effort_scale(con, copy) == roadmap_phases.effort_scale(con, rated)


def test_an_action_a_finding_or_a_review_relies_on_cannot_be_deleted(con, cat, ws_id):
    """Action IDs are reused after a deletion, so a finding's corrective action is kept."""
    from aims.audit import findings
    f = findings.raise_finding(con, ws_id, {"source": "incident", "grade": "minor nonconformity",
                                            "title": "Model card missing", "requirements": ["A.6.2.7"]}, today=TODAY)
    aid = findings.create_corrective_action(con, ws_id, f, today=TODAY)
    with pytest.raises(ValidationError, match=f"{aid} is the corrective action of finding {f}: it cannot be deleted"):
        roadmap.delete_actions(con, ws_id, [aid])
    assert rows(con, "SELECT count(*) FROM action WHERE workspace_id = ? AND id = ?", [ws_id, aid]) == [(1,)]
