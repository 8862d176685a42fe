"""The findings register and the nonconformity workflow (ISO/IEC 42001 10.2), with expectations
worked out by hand: raising and validating findings, the closure rules per grade, the
verification rules, the corrective action on the roadmap, overdue figures, the feeds other
pages read, and who may write."""
from datetime import date

import pandas as pd
import pytest
from helpers import rows

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.audit import findings
from aims.common.validate import ValidationError
from aims.roadmap import actions as roadmap
from aims.store import db
from aims.store.conflicts import EditConflict

TODAY = date(2026, 3, 2)
RAISED = date(2026, 2, 10)


def raise_(con, ws, **kw):
    data = {"source": "internal audit", "grade": "major nonconformity", "title": "Risk assessment not repeated",
            "requirements": ["8.2"], "owner": "Priya Shah (CRO)", "due": date(2026, 4, 30), "raised_on": RAISED}
    return findings.raise_finding(con, ws, {**data, **kw}, today=TODAY)


def done(con, ws, cat, aid):
    roadmap.update_actions(con, ws, cat, {aid: {"status": "done"}}, today=TODAY)


def ready_to_close(con, ws, cat, **kw):
    """A nonconformity with correction, root cause and its corrective action done."""
    fid = raise_(con, ws, **kw)
    findings.update(con, ws, fid, {"correction": "Assessment repeated", "root_cause": "No trigger in the change "
                                   "procedure"}, today=TODAY)
    aid = findings.create_corrective_action(con, ws, fid, today=TODAY)
    done(con, ws, cat, aid)
    return fid, aid


def verify(con, ws, fid, result="effective", on=date(2026, 2, 28)):
    findings.update(con, ws, fid, {"verified_by": "Ann Auditor", "verified_on": on, "verification": result},
                    today=TODAY)


def problems(call) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.problems


# ---- raising ------------------------------------------------------------------------------------

def test_a_raised_finding_is_stored_open_with_its_requirements_and_logged(con, ws_id):
    fid = raise_(con, ws_id, requirements=["A.6.2.4", "6.1.2"], description="Model v3.2 retrained")
    second = raise_(con, ws_id, grade="observation", requirements=[], title="Minutes thin")
    assert (fid, second) == ("F-001", "F-002")
    f = findings.get(con, ws_id, fid)
    assert (f["status"], f["grade"], f["raised_on"], f["due"]) == ("open", "major nonconformity", RAISED,
                                                                   date(2026, 4, 30))
    assert f["requirements"] == ["6.1.2", "A.6.2.4"]           # catalogue order
    logged = dict(rows(con, "SELECT field, new_value FROM change_log WHERE entity = 'finding' AND entity_id = ?",
                       [fid]))
    assert logged["title"] == "Risk assessment not repeated" and logged["requirements"] == "6.1.2; A.6.2.4"
    assert logged["status"] == "open" and "correction" not in logged      # blanks are not logged


def test_raised_on_defaults_to_today(con, ws_id):
    fid = findings.raise_finding(con, ws_id, {"source": "incident", "grade": "observation", "title": "x"},
                                 today=TODAY)
    assert findings.get(con, ws_id, fid)["raised_on"] == TODAY


def test_every_problem_is_named_and_nothing_written(con, ws_id):
    found = problems(lambda: findings.raise_finding(con, ws_id, {
        "source": "gossip", "grade": "minor nonconformity", "title": " ", "requirements": ["9.9", "A.6.2.4"],
        "audit_id": "AU-404", "review_id": "MR-404", "raised_on": "2026-03-09", "due": "2026-03-01",
        "owner": "not; an owner"}, today=TODAY))
    text = " ".join(found)
    for expected in ("Source must be one of", "Title is required", "Unknown requirement or control 9.9",
                     "no audit AU-404", "no management review MR-404", "Raised on 2026-03-09 is in the future",
                     "not a recognisable owner"):
        assert expected in text, expected
    assert rows(con, "SELECT count(*) FROM finding")[0][0] == 0
    assert rows(con, "SELECT count(*) FROM change_log WHERE entity = 'finding'")[0][0] == 0


def test_a_nonconformity_needs_a_requirement_an_observation_does_not(con, ws_id):
    assert "at least one requirement" in " ".join(problems(lambda: raise_(con, ws_id, requirements=[])))
    assert raise_(con, ws_id, grade="opportunity for improvement", requirements=[]) == "F-001"


def test_the_due_date_is_not_before_the_finding_was_raised(con, ws_id):
    found = problems(lambda: raise_(con, ws_id, due=date(2026, 2, 9)))
    assert found == ["The due date 2026-02-09 is before the day the finding was raised (2026-02-10)."]


def test_an_audits_kind_decides_the_source(con, ws_id):
    with db.writing(con) as cur:
        for aid, kind in (("AU-001", "internal"), ("AU-002", "stage 1")):
            cur.execute("INSERT INTO audit (workspace_id, id, kind, title, created_at, updated_at) VALUES "
                        "(?, ?, ?, 'Audit', now(), now())", [ws_id, aid, kind])
    assert raise_(con, ws_id, audit_id="AU-001") == "F-001"
    assert raise_(con, ws_id, source="certification audit", audit_id="AU-002") == "F-002"
    found = problems(lambda: raise_(con, ws_id, source="certification audit", audit_id="AU-001"))
    assert found == ["Audit AU-001 is an internal audit: the source must be 'internal audit'."]
    assert findings.audit_options(con, ws_id) == {"AU-001": "AU-001 · Audit (internal)",
                                                  "AU-002": "AU-002 · Audit (stage 1)"}


def test_requirements_are_validated_on_edit_too(con, ws_id):
    fid = raise_(con, ws_id)
    found = problems(lambda: findings.update(con, ws_id, fid, {"requirements": "8.2; 11.1"}, today=TODAY))
    assert found == ["F-001: Unknown requirement or control 11.1: use catalogue IDs such as 6.1.2 or A.6.2.4."]
    assert findings.update(con, ws_id, fid, {"requirements": "8.2, A.5.2 AI system impact assessment process"},
                           today=TODAY) == 1
    assert findings.get(con, ws_id, fid)["requirements"] == ["8.2", "A.5.2"]


# ---- closure rules ------------------------------------------------------------------------------

def test_a_major_nonconformity_is_not_closed_without_an_effective_verification(con, ws_id, cat):
    fid, _ = ready_to_close(con, ws_id, cat)
    found = problems(lambda: findings.close(con, ws_id, fid, "Ann Auditor", TODAY, today=TODAY))
    assert found == ["F-001 cannot be closed: A major nonconformity cannot be closed until its corrective action "
                     "is verified effective (who, when, result 'effective')."]
    verify(con, ws_id, fid, "not effective")
    found = problems(lambda: findings.close(con, ws_id, fid, "Ann Auditor", TODAY, today=TODAY))
    assert len(found) == 2 and "not effective" in found[0]
    assert findings.get(con, ws_id, fid)["status"] == "open"


def test_a_major_nonconformity_closes_once_verified_effective(con, ws_id, cat):
    fid, _ = ready_to_close(con, ws_id, cat)
    verify(con, ws_id, fid)
    findings.close(con, ws_id, fid, "Ann Auditor", date(2026, 3, 1), today=TODAY)
    f = findings.get(con, ws_id, fid)
    assert (f["status"], f["closed_by"], f["closed_on"]) == ("closed", "Ann Auditor", date(2026, 3, 1))


def test_a_fresh_nonconformity_lists_everything_it_lacks(con, ws_id):
    fid = raise_(con, ws_id, grade="minor nonconformity")
    found = problems(lambda: findings.close(con, ws_id, fid, "Ann Auditor", TODAY, today=TODAY))
    assert [p.split(": ", 1)[1] for p in found] == [
        "A minor nonconformity needs its correction recorded (what was done to contain and correct it).",
        "A minor nonconformity needs its root cause recorded.",
        "A minor nonconformity needs a corrective action: create or link one."]


def test_a_minor_nonconformity_closes_with_its_action_done_before_verification(con, ws_id, cat):
    fid = raise_(con, ws_id, grade="minor nonconformity")
    findings.update(con, ws_id, fid, {"correction": "Fixed", "root_cause": "No template"}, today=TODAY)
    aid = findings.create_corrective_action(con, ws_id, fid, today=TODAY)
    found = problems(lambda: findings.close(con, ws_id, fid, "Ann", TODAY, today=TODAY))
    assert found == [f"F-001 cannot be closed: The corrective action {aid} is not done yet (to do)."]
    done(con, ws_id, cat, aid)
    findings.close(con, ws_id, fid, "Ann", TODAY, today=TODAY)
    assert findings.get(con, ws_id, fid)["status"] == "closed"


def test_a_minor_nonconformity_found_not_effective_stays_open(con, ws_id, cat):
    fid, _ = ready_to_close(con, ws_id, cat, grade="minor nonconformity")
    verify(con, ws_id, fid, "not effective")
    found = problems(lambda: findings.close(con, ws_id, fid, "Ann", TODAY, today=TODAY))
    assert found == ["F-001 cannot be closed: The verification found the corrective action not effective: take a "
                     "new corrective action and verify it before closing."]


def test_closing_needs_a_name_and_a_date_within_the_findings_life(con, ws_id):
    fid = raise_(con, ws_id, grade="opportunity for improvement", requirements=[])
    assert problems(lambda: findings.close(con, ws_id, fid, " ", None, today=TODAY)) == [
        "F-001 cannot be closed: Closing needs the name of the person who closes the finding.",
        "F-001 cannot be closed: Closing needs the closure date."]
    assert problems(lambda: findings.close(con, ws_id, fid, "Ann", date(2026, 3, 3), today=TODAY)) == [
        "F-001 cannot be closed: The closure date 2026-03-03 is in the future; record it on the day it happens."]
    assert problems(lambda: findings.close(con, ws_id, fid, "Ann", date(2026, 2, 9), today=TODAY)) == [
        "F-001 cannot be closed: The closure date 2026-02-09 is before the day the finding was raised (2026-02-10)."]
    assert findings.get(con, ws_id, fid)["status"] == "open"


def test_observations_and_opportunities_close_with_a_name_and_a_date_only(con, ws_id):
    for grade in ("observation", "opportunity for improvement"):
        fid = raise_(con, ws_id, grade=grade, requirements=[])
        findings.close(con, ws_id, fid, "Ann", RAISED, today=TODAY)       # the day it was raised is allowed
        assert findings.get(con, ws_id, fid)["status"] == "closed"


def test_the_closure_is_not_before_the_verification(con, ws_id, cat):
    fid, _ = ready_to_close(con, ws_id, cat)
    verify(con, ws_id, fid, on=date(2026, 3, 1))
    found = problems(lambda: findings.close(con, ws_id, fid, "Ann", date(2026, 2, 27), today=TODAY))
    assert found == ["F-001 cannot be closed: The verification (2026-03-01) is after the closure (2026-02-27)."]


def test_a_closed_finding_is_read_only_until_reopened_with_a_reason(con, ws_id):
    fid = raise_(con, ws_id, grade="observation", requirements=[])
    findings.close(con, ws_id, fid, "Ann", TODAY, today=TODAY)
    assert problems(lambda: findings.update(con, ws_id, fid, {"title": "New"}, today=TODAY)) == [
        "F-001 is closed: reopen it to change it."]
    assert problems(lambda: findings.close(con, ws_id, fid, "Ann", TODAY, today=TODAY)) == [
        "F-001 cannot be closed: F-001 is already closed."]
    assert problems(lambda: findings.reopen(con, ws_id, fid, "")) == ["The reason for reopening is required."]
    findings.reopen(con, ws_id, fid, "Seen again in March")
    f = findings.get(con, ws_id, fid)
    assert (f["status"], f["closed_by"], f["closed_on"]) == ("open", "", None)
    log = findings.history(con, ws_id, fid)
    assert log.iloc[0]["field"] == "reopened" and log.iloc[0]["new_value"] == "Seen again in March"
    assert set(log.head(4)["field"]) == {"reopened", "status", "closed_by", "closed_on"}
    assert problems(lambda: findings.reopen(con, ws_id, fid, "again")) == ["F-001 is open already."]


# ---- verification --------------------------------------------------------------------------------

def test_a_verification_judges_an_action_that_is_done(con, ws_id, cat):
    fid = raise_(con, ws_id)
    assert problems(lambda: verify(con, ws_id, fid)) == [
        "F-001: A verification judges a corrective action: create or link the corrective action first."]
    aid = findings.create_corrective_action(con, ws_id, fid, today=TODAY)
    found = problems(lambda: verify(con, ws_id, fid))
    assert found == [f"F-001: The corrective action {aid} is not done yet (to do): effectiveness can be judged only "
                     "once it is implemented. Mark it done on the roadmap first."]
    found = problems(lambda: findings.update(con, ws_id, fid, {"verification": "not effective"}, today=TODAY))
    assert found == ["F-001: A verification of effectiveness records who, when and the result: add the verified by, "
                     "verified on."]
    verify(con, ws_id, fid, "not effective")     # 'not effective' may be found before the action is done
    done(con, ws_id, cat, aid)
    verify(con, ws_id, fid, "effective")
    assert findings.get(con, ws_id, fid)["verification"] == "effective"


def test_a_verification_is_not_in_the_future(con, ws_id, cat):
    fid, _ = ready_to_close(con, ws_id, cat)
    assert problems(lambda: verify(con, ws_id, fid, on=date(2026, 3, 5))) == [
        "F-001: The verification date 2026-03-05 is in the future; record it on the day it happens."]


# ---- corrective action on the roadmap --------------------------------------------------------------

def test_the_corrective_action_is_a_linked_roadmap_action(con, ws_id, cat):
    fid = raise_(con, ws_id, requirements=["8.2", "A.5.2"])
    aid = findings.create_corrective_action(con, ws_id, fid, today=TODAY)
    assert aid == "ACT-001" and findings.get(con, ws_id, fid)["action_id"] == aid
    row = rows(con, "SELECT title, owner, due, status, source, source_ref, phase_id FROM action WHERE id = ?", [aid])[0]
    assert row[:6] == ("Corrective action F-001: Risk assessment not repeated", "Priya Shah (CRO)", date(2026, 4, 30),
                       "to do", "finding", "F-001")
    assert sorted(r[0] for r in rows(con, "SELECT req_id FROM action_requirement WHERE action_id = ?", [aid])) == [
        "8.2", "A.5.2"]
    assert row[6] in set(r[0] for r in rows(con, "SELECT id FROM phase WHERE workspace_id = ?", [ws_id]))
    t = findings.table(con, ws_id, TODAY).set_index("id")
    assert (t.loc[fid, "action_status"], t.loc[fid, "action_title"]) == ("to do", row[0])
    logged = rows(con, "SELECT old_value, new_value FROM change_log WHERE entity = 'finding' AND field = 'action_id'")
    assert logged == [("", aid)]


def test_one_corrective_action_at_a_time_unless_found_not_effective(con, ws_id, cat):
    fid, first = ready_to_close(con, ws_id, cat)
    assert problems(lambda: findings.create_corrective_action(con, ws_id, fid, today=TODAY)) == [
        f"F-001 already has the corrective action {first}; a new one is created only when a verification found "
        "it not effective."]
    verify(con, ws_id, fid, "not effective")
    second = findings.create_corrective_action(con, ws_id, fid, today=TODAY)
    f = findings.get(con, ws_id, fid)
    assert (second, f["action_id"]) == ("ACT-002", "ACT-002")
    assert (f["verified_by"], f["verified_on"], f["verification"]) == ("", None, "")   # the new action's own


def test_linking_an_existing_action_is_validated(con, ws_id, cat):
    fid = raise_(con, ws_id)
    assert problems(lambda: findings.update(con, ws_id, fid, {"action_id": "ACT-404"}, today=TODAY)) == [
        "F-001: There is no roadmap action ACT-404 in this workspace."]
    assert findings.get(con, ws_id, fid)["action_id"] == ""
    phase = rows(con, "SELECT min(id) FROM phase WHERE workspace_id = ?", [ws_id])[0][0]
    if phase is None:
        from aims.roadmap import phases
        phases.ensure_phases(con, ws_id, None, TODAY)
        phase = rows(con, "SELECT min(id) FROM phase WHERE workspace_id = ?", [ws_id])[0][0]
    aid = roadmap.create_action(con, ws_id, cat, {"title": "Add a reassessment trigger", "phase_id": phase}, TODAY)
    assert findings.update(con, ws_id, fid, {"action_id": f"{aid} · Add a reassessment trigger"}, today=TODAY) == 1
    assert findings.get(con, ws_id, fid)["action_id"] == aid


def test_the_corrective_phase_is_running_on_the_due_date(cat):
    d = date
    current = pd.DataFrame({"id": ["PH-01", "PH-02", "PH-03", "PH-04"],
                            "template": ["policy", "controls", "internal_audit", "certification"],
                            "start": [d(2026, 1, 1), d(2026, 3, 1), d(2026, 6, 1), d(2026, 9, 1)],
                            "finish": [d(2026, 4, 30), d(2026, 8, 31), d(2026, 7, 31), d(2026, 10, 31)]})

    def pick(reqs, when, source="internal audit"):
        return findings.corrective_phase(current, cat, reqs, source, when)["id"]
    assert pick(["5.2"], d(2026, 4, 1)) == "PH-01"        # the policy phase runs then: its nature's phase
    assert pick(["A.6.2.4"], d(2026, 4, 1)) == "PH-02"    # a control: the controls phase, also running
    assert pick(["5.2"], d(2026, 7, 1)) == "PH-02"        # policy phase over: the first phase running
    assert pick(["9.2.1"], d(2026, 7, 1)) == "PH-03"      # an audit requirement: the audit phase running
    assert pick(["5.2"], d(2026, 9, 15), "certification audit") == "PH-04"
    assert pick(["5.2"], d(2027, 1, 1)) == "PH-04"        # after every phase: the last one
    assert pick(["A.6.2.4"], d(2025, 6, 1)) == "PH-02"    # before every phase: the preferred one
    assert findings.corrective_phase(current.iloc[0:0], cat, ["5.2"], "incident", d(2026, 4, 1)) is None


# ---- reads: overdue, summary, feeds -----------------------------------------------------------------

def test_overdue_is_open_and_past_due(con, ws_id):
    raise_(con, ws_id, due=date(2026, 3, 1))                                   # F-001 yesterday: overdue
    raise_(con, ws_id, due=TODAY, grade="minor nonconformity")                # F-002 due today: not yet
    raise_(con, ws_id, due=None, grade="observation", requirements=["7.2"])   # F-003 no due date
    late_closed = raise_(con, ws_id, due=date(2026, 2, 20), grade="observation", requirements=["8.2"])
    findings.close(con, ws_id, late_closed, "Ann", TODAY, today=TODAY)       # F-004 closed: never overdue
    t = findings.table(con, ws_id, TODAY)
    assert list(t["overdue"]) == [True, False, False, False]
    s = findings.summary(con, ws_id, TODAY)
    assert s == {"total": 4, "open": 3, "closed": 1,
                 "open_by_grade": {"major nonconformity": 1, "minor nonconformity": 1, "observation": 1,
                                   "opportunity for improvement": 0},
                 "open_nonconformities": 2, "majors_open": 1, "minors_open": 1, "overdue": 1,
                 "overdue_nonconformities": 1}


def test_open_findings_by_requirement(con, ws_id):
    raise_(con, ws_id, requirements=["8.2", "6.1.2"])
    raise_(con, ws_id, grade="observation", requirements=["8.2"], due=None, title="Thin minutes")
    closed = raise_(con, ws_id, grade="observation", requirements=["7.2"])
    findings.close(con, ws_id, closed, "Ann", TODAY, today=TODAY)
    found = findings.open_findings_by_requirement(con, ws_id, TODAY)
    assert sorted(found) == ["6.1.2", "8.2"]
    assert [f["id"] for f in found["8.2"]] == ["F-001", "F-002"]
    assert found["8.2"][1] == {"id": "F-002", "grade": "observation", "title": "Thin minutes", "owner": "Priya Shah (CRO)",
                               "due": None, "overdue": False}


def test_select_filters_the_register(con, ws_id):
    raise_(con, ws_id)
    raise_(con, ws_id, grade="observation", requirements=[], source="incident", owner="Head of People")
    t = findings.table(con, ws_id, TODAY)
    assert list(findings.select(t, grade=["observation"])["id"]) == ["F-002"]
    assert list(findings.select(t, source=["internal audit"], status=["open"])["id"]) == ["F-001"]
    assert list(findings.select(t, owner="priya")["id"]) == ["F-001"]
    assert list(findings.select(t, status=["closed"])["id"]) == []


def test_the_next_step_and_the_closure_checklist_follow_the_workflow():
    f = {"status": "open", "grade": "major nonconformity", "correction": "", "root_cause": "", "action_id": "",
         "verification": ""}
    steps = [findings.next_step(f, None)]
    for change, status in (({"correction": "c"}, None), ({"root_cause": "r"}, None), ({"action_id": "ACT-1"}, "to do"),
                           ({}, "done"), ({"verification": "effective"}, "done")):
        f.update(change)
        steps.append(findings.next_step(f, status))
    assert steps == ["correction", "root cause", "corrective action", "implement action", "verification", "close"]
    assert findings.closure_checklist(f, "done") == [
        ("Correction recorded", True), ("Root cause recorded", True), ("Corrective action ACT-1 done", True),
        ("Corrective action verified effective", True)]
    assert findings.next_step({**f, "grade": "minor nonconformity", "verification": ""}, "done") == "close"
    assert findings.closure_checklist({"grade": "observation"}, None) == []
    assert findings.whys("Why a?\n\n  Why b?  \n") == ["Why a?", "Why b?"]


# ---- conflicts and permissions ------------------------------------------------------------------------

def test_an_edit_does_not_overwrite_someone_elses_newer_value(con, ws_id):
    fid = raise_(con, ws_id)
    findings.update(con, ws_id, fid, {"root_cause": "Theirs"}, today=TODAY)
    with pytest.raises(EditConflict):
        findings.update(con, ws_id, fid, {"root_cause": "Mine"}, base={"root_cause": ""}, today=TODAY)
    assert findings.update(con, ws_id, fid, {"root_cause": "Theirs", "correction": "Mine"},
                           base={"root_cause": "", "correction": ""}, today=TODAY) == 1
    f = findings.get(con, ws_id, fid)
    assert (f["root_cause"], f["correction"]) == ("Theirs", "Mine")


def _counts(con):
    return [rows(con, f"SELECT count(*) FROM {t}")[0][0] for t in ("finding", "finding_requirement", "action",
                                                                    "change_log")] + \
        [rows(con, "SELECT string_agg(status || closed_by || action_id, ',') FROM finding")[0][0]]


def test_a_viewer_is_refused_every_findings_write(con, ws_id, cat):
    viewer, editor = "vera@firm.example", "ed@firm.example"
    members.add(con, ws_id, viewer, "viewer")
    members.add(con, ws_id, editor, "editor")
    open_nc = raise_(con, ws_id)
    closed_obs = raise_(con, ws_id, grade="observation", requirements=[])
    findings.close(con, ws_id, closed_obs, "Ann", TODAY, today=TODAY)
    writes = {
        "raise_finding": lambda: raise_(con, ws_id),
        "update": lambda: findings.update(con, ws_id, open_nc, {"correction": "x"}, today=TODAY),
        "create_corrective_action": lambda: findings.create_corrective_action(con, ws_id, open_nc, today=TODAY),
        "close": lambda: findings.close(con, ws_id, open_nc, "Ann", TODAY, today=TODAY),
        "reopen": lambda: findings.reopen(con, ws_id, closed_obs, "why"),
    }
    before = _counts(con)
    with identity.acting(identity.person(viewer)):
        for name, write in writes.items():
            with pytest.raises(AccessDenied):
                write()
            assert _counts(con) == before, name
    with identity.acting(identity.person(editor)):
        assert writes["raise_finding"]() == "F-003"
        assert writes["update"]() == 1
        assert writes["create_corrective_action"]().startswith("ACT-")
        writes["reopen"]()
        with pytest.raises(ValidationError) as exc:      # the editor passes the permission; the rules refuse
            writes["close"]()
        assert not isinstance(exc.value, AccessDenied)
    who = rows(con, "SELECT DISTINCT changed_by FROM change_log WHERE entity = 'finding' AND entity_id = 'F-003'")
    assert who == [(editor,)]


def test_a_corrective_action_missing_from_the_roadmap_can_be_replaced(con, ws_id, cat):
    """The roadmap refuses to delete a finding's action; one gone all the same (removed from an
    older database) leaves the finding waiting for a new corrective action."""
    fid = raise_(con, ws_id)
    findings.update(con, ws_id, fid, {"correction": "Fixed", "root_cause": "No trigger"}, today=TODAY)
    first = findings.create_corrective_action(con, ws_id, fid, today=TODAY)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        roadmap.delete_actions(con, ws_id, [first])
    with db.writing(con) as cur:
        cur.execute("DELETE FROM action WHERE workspace_id = ? AND id = ?", [ws_id, first])
    f = findings.get(con, ws_id, fid)
    assert (f["action_id"], f["action_status"]) == (first, None)
    assert findings.next_step(f, f["action_status"]) == "corrective action"
    again = findings.create_corrective_action(con, ws_id, fid, today=TODAY)
    assert findings.get(con, ws_id, fid)["action_status"] == "to do"
    assert rows(con, "SELECT source, source_ref FROM action WHERE id = ?", [again]) == [("finding", fid)]
