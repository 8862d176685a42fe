"""The management review inputs compiled from the app's own records, on a small hand-built
workspace: every text worked out by hand from what the test stored."""
from datetime import date, datetime, timedelta

import pytest
from helpers import rows

from aims.assessment import requirements as assessments
from aims.audit import findings, review
from aims.reports import review_inputs
from aims.roadmap import actions as roadmap
from aims.store import db, workspaces

TODAY = date.today()        # the gap analysis and the change log carry the real date
EARLIER = TODAY - timedelta(days=30)


def add_audit(con, ws, aid, kind, status, finish, scope, title="Audit", start=None):
    """An audit row as the audit programme stores it."""
    now = datetime.now()
    with db.writing(con) as cur:
        cur.execute("INSERT INTO audit (workspace_id, id, kind, title, status, start, finish, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [ws, aid, kind, title, status, start, finish, now, now])
        for r in scope:
            cur.execute("INSERT INTO audit_scope VALUES (?, ?, ?)", [ws, aid, r])


@pytest.fixture
def client(con, cat, ws_id):
    """A workspace with four ratings, a review held a month ago that decided two actions (one
    done, one overdue), a review planned for next week, a completed internal audit of clause 4
    with an opportunity for improvement, and an open major nonconformity from an incident."""
    workspaces.update(con, ws_id, {"target_date": TODAY + timedelta(days=365)})
    first = review.plan(con, ws_id, {"held_on": EARLIER})
    review.hold(con, ws_id, first, EARLIER, "CEO; CRO", True)
    a1 = review.add_action(con, ws_id, cat, first, {"title": "Approve the AI policy", "due": TODAY - timedelta(days=5)})
    a2 = review.add_action(con, ws_id, cat, first, {"title": "Brief the staff", "due": TODAY + timedelta(days=5)})
    roadmap.update_actions(con, ws_id, cat, {a2: {"status": "done"}})
    # the ratings come after the first review: they are changes since it
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 2, "evidence": "Context workshop"},
                                       "6.2": {"maturity": 3}, "9.1": {"maturity": 1}})
    add_audit(con, ws_id, "AU-001", "internal", "completed", TODAY - timedelta(days=40), ["4.1", "4.2"],
              "Clause 4 audit")
    add_audit(con, ws_id, "AU-002", "stage 1", "planned", None, [], "Stage 1 with Cert Body", TODAY + timedelta(days=60))
    findings.raise_finding(con, ws_id, {"source": "incident", "grade": "major nonconformity",
                                        "title": "AI risk assessment not repeated", "requirements": ["8.2"],
                                        "owner": "Priya Shah", "due": TODAY + timedelta(days=30)})
    findings.raise_finding(con, ws_id, {"source": "internal audit", "audit_id": "AU-001",
                                        "grade": "opportunity for improvement", "title": "Automate drift reports",
                                        "owner": "Tom Becker"})
    second = review.plan(con, ws_id, {"held_on": TODAY + timedelta(days=7)})
    return {"first": first, "second": second, "actions": (a1, a2)}


def test_every_input_is_compiled_from_the_workspace_records(con, cat, ws_id, client):
    texts = review_inputs.compile_inputs(con, ws_id, cat, 3, client["second"])
    assert list(texts) == [i.key for i in review.input_catalogue()]
    a1, a2 = client["actions"]
    assert texts["previous_actions"] == (
        "2 actions from earlier reviews (MR-001): 1 done, 1 open (1 overdue).\n"
        f"- {a1} Approve the AI policy (MR-001): to do, 0%, due {TODAY - timedelta(days=5)}, overdue\n"
        f"- {a2} Brief the staff (MR-001): done on {TODAY}")
    assert texts["issues"] == (
        "4.1 Understanding the organization and its context, in the gap analysis: maturity 2 Repeatable against a "
        "target of 3, a gap of 1.\n"
        "Evidence: Context workshop\n"
        f"Last changed on {TODAY} by tester.\n"
        f"Changed since the last review ({EARLIER}): evidence, maturity.")
    assert texts["interested_parties"] == (
        "4.2 Understanding the needs and expectations of interested parties, in the gap analysis: not assessed yet.\n"
        f"Changed since the last review ({EARLIER}): nothing.")
    # 70 applicable requirements; 6.2 at target; 4.1 and 9.1 below it; 67 not rated
    assert texts["readiness"].split("\n")[:2] == [
        "Readiness: 1.4% (1 of 70 applicable requirements at target); 3 assessed, 2 gaps open, 67 not assessed.",
        "Stage 2 readiness (at target with verified evidence): 0%."]
    assert texts["nonconformities"] == (
        "Nonconformities: 1 recorded (1 major, 0 minor): 1 open, 0 closed.\n"
        "Open:\n"
        "- F-001 major nonconformity against 8.2: AI risk assessment not repeated; owner Priya Shah; "
        f"due {TODAY + timedelta(days=30)}; next step: correction")
    assert texts["monitoring"] == (
        "9.1 Monitoring, measurement, analysis and evaluation, in the gap analysis: maturity 1 Initial against a "
        "target of 3, a gap of 2.\n"
        f"Last changed on {TODAY} by tester.\n"
        f"Changed since the last review ({EARLIER}): maturity.\n"
        "Monitoring and measurement results (record in the register): missing.")
    assert texts["audits"] == (
        "Internal audits: 1 completed.\n"
        f"- AU-001 Clause 4 audit (internal): completed, finished {TODAY - timedelta(days=40)}; 2 requirements in "
        "scope; findings: 1 opportunity for improvement\n"
        "Certification audits: 1 planned.\n"
        f"- AU-002 Stage 1 with Cert Body (stage 1): planned, starts {TODAY + timedelta(days=60)}; findings: none\n"
        "Coverage: 1 completed, covering 2 of 70 applicable requirements; not covered yet: 4.3, 4.4, 5.1, 5.2, 5.3, "
        "6.1.1, 6.1.2, 6.1.3 and 60 more.")
    assert texts["risks"] == "The AI risk register is empty."
    assert texts["impact"] == "No AI system in use is in the inventory yet."
    assert texts["objectives"] == (
        "6.2 AI objectives and planning to achieve them, in the gap analysis: maturity 3 Defined against a target "
        "of 3, at target.\n"
        f"Last changed on {TODAY} by tester.\n"
        f"Changed since the last review ({EARLIER}): maturity.\n"
        "AI objectives (document in the register): missing.")
    assert texts["opportunities"] == ("1 open opportunity for improvement:\n"
                                      "- F-002 Automate drift reports (internal audit AU-001); owner Tom Becker")


def test_a_first_review_on_an_empty_workspace_says_there_is_no_data_yet(con, cat, ws_id):
    texts = review_inputs.compile_inputs(con, ws_id, cat, 3)
    assert texts["previous_actions"] == "No earlier management review is recorded in the app."
    assert texts["nonconformities"] == "No nonconformity is recorded in the app yet."
    assert texts["audits"] == "No audit is recorded in the app yet."
    assert texts["opportunities"] == "No open opportunity for improvement is recorded in the app."
    assert texts["issues"] == ("4.1 Understanding the organization and its context, in the gap analysis: not "
                               "assessed yet.")
    assert texts["readiness"].split("\n")[0] == ("Readiness: 0% (0 of 70 applicable requirements at target); "
                                                 "0 assessed, 0 gaps open, 70 not assessed.")
    assert "not enough history yet" in texts["readiness"]


def test_an_earlier_review_without_actions_and_the_risk_register(con, cat, ws_id):
    from aims.risk import register as risks
    first = review.plan(con, ws_id, {"held_on": EARLIER})
    review.hold(con, ws_id, first, EARLIER, "CEO", True)
    risks.create(con, ws_id, {"title": "Model drift", "lifecycle_stage": "deployed", "inherent_likelihood": 4,
                              "inherent_impact": 4, "owner": "Tom Becker"})
    risks.create(con, ws_id, {"title": "Vendor lock-in", "lifecycle_stage": "deployed", "inherent_likelihood": 1,
                              "inherent_impact": 2})
    texts = review_inputs.compile_inputs(con, ws_id, cat, 3)
    assert texts["previous_actions"] == "The earlier reviews (MR-001) decided no roadmap actions."
    appetite = risks.criteria(con, ws_id)["appetite"]
    level = risks.table(con, ws_id).set_index("id").at["R-001", "current_level"]
    assert texts["risks"] == (
        f"AI risk register: 2 open risks (0 closed); 1 above the appetite ({appetite}) now; 0 treatments overdue; "
        "0 reviews overdue; 0 acceptances expired.\n"
        "Above the appetite now:\n"
        f"- R-001 Model drift: score 16 ({level}), open, owner Tom Becker")


def test_planning_stores_the_compiled_texts_and_the_page_compiles_again_without_losing_edits(con, cat, ws_id, client):
    texts = review_inputs.compile_inputs(con, ws_id, cat, 3, client["second"])
    result = review.refresh_inputs(con, ws_id, client["second"], texts)
    assert sorted(result.refreshed) == sorted(texts)
    review.save_inputs(con, ws_id, client["second"], {"issues": {"content": "New regulator guidance in March."}})
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 3}})
    again = review_inputs.compile_inputs(con, ws_id, cat, 3, client["second"])
    result = review.refresh_inputs(con, ws_id, client["second"], again)
    assert result.kept == ["issues"] and "readiness" in result.refreshed
    ins = review.inputs(con, ws_id, client["second"]).set_index("key")
    assert ins.at["issues", "content"] == "New regulator guidance in March."
    assert "maturity 3 Defined" in ins.at["issues", "compiled"]
    assert rows(con, "SELECT count(*) FROM review_input WHERE review_id = ?", [client["second"]]) == [(11,)]


def test_nonconformities_closed_since_the_last_review_are_listed(con, cat, ws_id, client):
    fid = findings.raise_finding(con, ws_id, {"source": "incident", "grade": "minor nonconformity",
                                              "title": "Training records incomplete", "requirements": ["7.2"],
                                              "owner": "Ann Lee", "raised_on": TODAY - timedelta(days=3)})
    findings.update(con, ws_id, fid, {"correction": "Records completed", "root_cause": "No reminder"})
    aid = findings.create_corrective_action(con, ws_id, fid)
    roadmap.update_actions(con, ws_id, cat, {aid: {"status": "done"}})
    findings.update(con, ws_id, fid, {"verified_by": "Ann Lee", "verified_on": TODAY, "verification": "effective"})
    findings.close(con, ws_id, fid, "Ann Lee", TODAY)
    text = review_inputs.compile_inputs(con, ws_id, cat, 3, client["second"])["nonconformities"]
    assert text.split("\n")[0] == "Nonconformities: 2 recorded (1 major, 1 minor): 1 open, 1 closed."
    assert text.split("\n")[-2:] == [
        f"Closed since the last review ({EARLIER}):",
        f"- {fid} minor nonconformity against 7.2: Training records incomplete; closed on {TODAY}; verified effective "
        f"on {TODAY}"]
