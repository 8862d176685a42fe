"""AI policy record: versioning, approval rules, frozen history, review dates; bad input writes nothing."""
from datetime import date, timedelta

import pytest
from helpers import rows

from aims.common.validate import ValidationError
from aims.governance import policy

TODAY = date(2027, 3, 1)
APPROVAL = {"endorsed_by": "Dana Reyes", "endorser_role": "Chief Executive Officer",
            "approved_on": date(2027, 2, 1), "next_review": date(2028, 2, 1),
            "location": "Policy portal > POL-AI-001", "principles": ["Fairness", "Transparency"]}


def count(con, table="policy_version"):
    return rows(con, f"SELECT count(*) FROM {table}")[0][0]


def test_a_new_version_starts_as_a_draft_and_every_field_is_logged(con, ws_id):
    pid = policy.create(con, ws_id, {"version": "1.0", "principles": ["Fairness", "Privacy"]}, today=TODAY)
    assert pid == "P-001"
    v = policy.get(con, ws_id, pid)
    assert v["status"] == "draft" and v["title"] == "AI policy" and v["principles"] == ["Fairness", "Privacy"]
    logged = dict(rows(con, "SELECT field, new_value FROM change_log WHERE entity = 'policy'"))
    assert logged["version"] == "1.0" and logged["principles"] == "Fairness; Privacy"


def test_the_policy_evidences_5_2_and_a_2_2_to_a_2_4(cat):
    assert [rid for rid, _ in policy.evidenced_requirements(cat)] == ["5.2", "A.2.2", "A.2.3", "A.2.4"]
    assert dict(policy.evidenced_requirements(cat))["A.2.4"] == cat.requirements["A.2.4"].title


def test_the_starting_principles_are_the_six_of_the_issue():
    assert list(policy.starting_principles()) == ["Fairness", "Transparency", "Accountability", "Privacy",
                                                  "Safety", "Human oversight"]


@pytest.mark.parametrize("version, message", [
    ("one", "Version must look like 1.0"),
    ("1.0.0.1", "Version must look like 1.0"),
    ("", "Version is required"),
])
def test_a_badly_numbered_version_is_refused_and_nothing_written(con, ws_id, version, message):
    with pytest.raises(ValidationError, match=message):
        policy.create(con, ws_id, {"version": version})
    assert count(con) == 0
    assert rows(con, "SELECT count(*) FROM change_log WHERE entity = 'policy'") == [(0,)]


def test_a_leading_v_is_accepted_and_dropped(con, ws_id):
    pid = policy.create(con, ws_id, {"version": "v2.1"})
    assert policy.get(con, ws_id, pid)["version"] == "2.1"


def test_a_new_version_must_be_higher_than_every_earlier_one(con, ws_id):
    policy.create(con, ws_id, {"version": "1.9", "status": "approved", **APPROVAL}, today=TODAY)
    with pytest.raises(ValidationError, match="already exists"):
        policy.create(con, ws_id, {"version": "1.9"})
    with pytest.raises(ValidationError, match="lower than the latest version 1.9"):
        policy.create(con, ws_id, {"version": "1.2"})
    assert count(con) == 1
    # numbers compare as numbers: 1.10 comes after 1.9
    pid = policy.create(con, ws_id, {"version": "1.10"})
    assert list(policy.versions(con, ws_id)["version"]) == ["1.10", "1.9"]
    assert policy.working(con, ws_id)["id"] == pid


def test_only_one_working_version_at_a_time(con, ws_id):
    policy.create(con, ws_id, {"version": "1.0"})
    with pytest.raises(ValidationError, match="Version 1.0 is still draft"):
        policy.create(con, ws_id, {"version": "1.1"})
    assert count(con) == 1


def test_approval_lists_everything_missing_and_writes_nothing(con, ws_id):
    pid = policy.create(con, ws_id, {"version": "1.0"})
    logged = rows(con, "SELECT count(*) FROM change_log")[0][0]
    with pytest.raises(ValidationError) as info:
        policy.update(con, ws_id, pid, {"status": "approved"}, today=TODAY)
    problems = " ".join(info.value.problems)
    for what in ("the endorser's name", "the endorser's role", "the approval date", "the next review date",
                 "where the document lives", "at least one ethical principle"):
        assert what in problems
    assert policy.get(con, ws_id, pid)["status"] == "draft"
    assert rows(con, "SELECT count(*) FROM change_log")[0][0] == logged


@pytest.mark.parametrize("change, message", [
    ({"approved_on": date(2027, 3, 2)}, "approval date cannot be in the future"),
    ({"next_review": date(2027, 2, 1)}, "next review date must be after the approval date"),
    ({"principles": []}, "at least one ethical principle"),
    ({"principles": ["Fairness", "fairness"]}, "listed twice"),
    ({"endorsed_by": "x" * 201}, "limit is 200"),
])
def test_approval_rules_refuse_bad_values(con, ws_id, change, message):
    pid = policy.create(con, ws_id, {"version": "1.0"})
    with pytest.raises(ValidationError, match=message):
        policy.update(con, ws_id, pid, {"status": "approved", **APPROVAL, **change}, today=TODAY)
    assert policy.get(con, ws_id, pid)["status"] == "draft"


def test_approving_a_new_version_retires_the_one_in_force(con, ws_id):
    v1 = policy.create(con, ws_id, {"version": "1.0", "status": "approved", **APPROVAL}, today=TODAY)
    v2 = policy.start_revision(con, ws_id, "1.1", "adds contestability")
    assert policy.current(con, ws_id)["id"] == v1
    n = policy.update(con, ws_id, v2, {"status": "approved", "endorsed_by": "Dana Reyes",
                                       "endorser_role": "CEO", "approved_on": TODAY,
                                       "next_review": TODAY + timedelta(days=365)}, today=TODAY)
    assert n == 5
    statuses = dict(rows(con, "SELECT version, status FROM policy_version"))
    assert statuses == {"1.0": "retired", "1.1": "approved"}
    assert rows(con, "SELECT old_value, new_value FROM change_log WHERE entity = 'policy' AND entity_id = ?"
                     " AND field = 'status' ORDER BY id", [v1]) == [(None, "approved"), ("approved", "retired")]


def test_start_revision_copies_content_but_not_the_approval(con, ws_id):
    policy.create(con, ws_id, {"version": "1.0", "status": "approved", "title": "Group AI policy", **APPROVAL},
                  today=TODAY)
    draft = policy.get(con, ws_id, policy.start_revision(con, ws_id, "1.1", "yearly update"))
    assert draft["status"] == "draft" and draft["title"] == "Group AI policy"
    assert draft["principles"] == ["Fairness", "Transparency"] and draft["location"] == APPROVAL["location"]
    assert draft["endorsed_by"] == "" and draft["approved_on"] is None and draft["change_summary"] == "yearly update"


def test_approved_and_retired_versions_are_frozen(con, ws_id):
    v1 = policy.create(con, ws_id, {"version": "1.0", "status": "approved", **APPROVAL}, today=TODAY)
    with pytest.raises(ValidationError, match="frozen: title cannot change"):
        policy.update(con, ws_id, v1, {"title": "Renamed"}, today=TODAY)
    with pytest.raises(ValidationError, match="it can only become retired"):
        policy.update(con, ws_id, v1, {"status": "draft"}, today=TODAY)
    with pytest.raises(ValidationError, match="version number cannot change"):
        policy.update(con, ws_id, v1, {"version": "1.5"}, today=TODAY)
    # a review that changed nothing moves the next review date (A.2.4)
    assert policy.update(con, ws_id, v1, {"next_review": date(2028, 6, 1)}, today=TODAY) == 1
    assert policy.update(con, ws_id, v1, {"status": "retired"}, today=TODAY) == 1
    with pytest.raises(ValidationError, match="retired and can no longer change"):
        policy.update(con, ws_id, v1, {"status": "approved"}, today=TODAY)
    with pytest.raises(ValidationError, match="frozen: next review cannot change"):
        policy.update(con, ws_id, v1, {"next_review": date(2029, 1, 1)}, today=TODAY)
    assert policy.get(con, ws_id, v1)["title"] == "AI policy"


def test_in_review_can_go_back_to_draft(con, ws_id):
    pid = policy.create(con, ws_id, {"version": "0.9", "status": "in review"})
    assert policy.update(con, ws_id, pid, {"status": "draft"}) == 1


def test_a_version_cannot_start_as_retired(con, ws_id):
    with pytest.raises(ValidationError, match="cannot start as retired"):
        policy.create(con, ws_id, {"version": "1.0", "status": "retired"})
    assert count(con) == 0


def test_only_drafts_can_be_deleted(con, ws_id):
    v1 = policy.create(con, ws_id, {"version": "1.0", "status": "approved", **APPROVAL}, today=TODAY)
    with pytest.raises(ValidationError, match="only a draft or a version in review can be deleted"):
        policy.delete_draft(con, ws_id, v1)
    v2 = policy.start_revision(con, ws_id, "1.1")
    policy.delete_draft(con, ws_id, v2)
    assert list(policy.versions(con, ws_id)["version"]) == ["1.0"]


def test_unknown_version_and_workspace_are_refused(con, ws_id):
    with pytest.raises(ValidationError, match="no AI policy version 'P-404'"):
        policy.update(con, ws_id, "P-404", {"title": "x"})
    with pytest.raises(ValidationError, match="no workspace"):
        policy.create(con, 999, {"version": "1.0"})
    assert count(con) == 0


def test_status_figures_for_the_overview(con, ws_id):
    assert policy.status(con, ws_id, TODAY)["label"] == "no policy"
    policy.create(con, ws_id, {"version": "0.1", "status": "in review"})
    assert policy.status(con, ws_id, TODAY)["label"] == "v0.1 in review"
    policy.create(con, ws_id, {"version": "1.0", "status": "approved", **APPROVAL}, today=TODAY)
    s = policy.status(con, ws_id, TODAY)
    assert s["label"] == "v1.0 approved" and s["endorsed_by"] == "Dana Reyes, Chief Executive Officer"
    assert s["review_overdue"] is False
    assert policy.status(con, ws_id, date(2028, 2, 2))["review_overdue"] is True


def test_creating_an_approved_version_retires_the_old_one(con, ws_id):
    policy.create(con, ws_id, {"version": "1.0", "status": "approved", **APPROVAL}, today=TODAY)
    policy.create(con, ws_id, {"version": "2.0", "status": "approved", **APPROVAL}, today=TODAY)
    assert dict(rows(con, "SELECT version, status FROM policy_version")) == {"1.0": "retired", "2.0": "approved"}
