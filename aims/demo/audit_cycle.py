"""The demo client's audit cycle (9.2, 9.3, 10.2), built through the public write functions only.

The story, dated from `today` like the rest of the demo:
- Day -40: a fraud model threshold was raised without the approval the procedure asks for: an
  incident recorded as a minor nonconformity (F-001). It was corrected the same week, its root
  cause found (the change procedure did not cover thresholds), its corrective action put on the
  roadmap and done, verified effective by the internal audit manager and closed.
- Day -9: the first management review (MR-001), chaired by the CEO: inputs compiled by the app,
  a decision to start the internal audit programme, and one action on the roadmap.
- Day -5: the first internal audit (AU-001, leadership, policy and AI risk) is in progress, led by
  the internal audit manager, who owns none of the rows in scope: its checklist is generated,
  six of ten items are audited, one item is assigned to an auditor who owns it (flagged for
  impartiality, not audited yet), and three findings are raised from it: a minor nonconformity
  (no role accountable for data governance, which the RACI check also shows), an observation
  and an opportunity for improvement. The full-scope audit (AU-002) is planned in the roadmap's
  internal audit phase, before Stage 1, and the next management review just before Stage 1.
- Evidence files the auditors sampled (small text files written for the demo), linked to the
  requirements, checklist items and findings they prove; the training record expires soon.
"""
from __future__ import annotations

from datetime import date, timedelta

from aims.audit import checklist, evidence_files, findings, programme
from aims.audit import review as reviews
from aims.catalog.standard import Catalog
from aims.reports import review_inputs
from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases

LEAD = "Grace Liu (Internal Audit Manager)"
CO_AUDITOR = "Dr Ines Varga (external)"
COMPLIANCE = "Aisha Karim (Head of Compliance)"
CRO = "Priya Shah (CRO)"
FRAUD_LEAD = "Jonas Weber (Fraud Analytics Lead)"
SCOPE = ["5.1", "5.2", "5.3", "6.1.2", "7.2", "7.5.3", "A.2.2", "A.3.2", "A.6.2.6", "A.7.4"]
# requirement -> (result, evidence sampled, notes); the other items of the scope are not audited yet
RESULTS = {
    "5.1": ("conforming", "Executive committee minutes approving the AI policy; the CEO's AIMS kick-off e-mail.",
            "Top management sponsors the AIMS; resources for the programme approved in the budget."),
    "5.2": ("conforming", "AI policy v1.0 on the policy portal (POL-AI-001) with its approval record.",
            "Policy approved by the CEO, published and referenced in the awareness briefing."),
    "5.3": ("minor nonconformity", "RACI matrix on the Governance page; role descriptions of the data stewards.",
            "No role is accountable for data governance decisions: the RACI names data stewards as responsible "
            "but nobody accountable, so a data quality issue on the credit data had no one to decide on it."),
    "6.1.2": ("observation", "AI risk assessment process v0.4 (draft); model risk policy MRM-04; risk register.",
              "Risks are assessed with MRM-04 while the AI-specific criteria are still in draft: the first "
              "assessments should be repeated once the criteria are approved."),
    "7.2": ("opportunity for improvement", "Attendance of the bias and fairness workshop; HR learning records.",
            "Competence records are kept in two places (workshop sign-in sheets and the learning system); one "
            "record in the learning system would make competence evidence easier to show."),
    "A.2.2": ("conforming", "AI policy v1.0, section 3 (principles); the v1.1 draft with contestability.",
              "The policy covers the organisation's AI principles and is being revised for the EU AI Act."),
}
FINDINGS = {    # requirement -> (owner, due in days, title)
    "5.3": (COMPLIANCE, 30, "No role accountable for data governance decisions"),
    "6.1.2": (CRO, 45, "AI risk criteria still draft while risks are assessed"),
    "7.2": (COMPLIANCE, 60, "Competence records kept in two places"),
}


def build(con, ws_id: int, catalog: Catalog, today: date | None = None, who: str | None = "demo") -> None:
    """Add the demo's audit cycle (see the module docstring) to the demo workspace."""
    today = today or date.today()
    closed = _closed_nonconformity(con, ws_id, catalog, today, who)
    _management_review(con, ws_id, catalog, today, who)
    aid, raised = _internal_audits(con, ws_id, catalog, today, who)
    _evidence(con, ws_id, {"{audit}": aid, "{incident}": closed, "{5.3}": raised["5.3"]}, today, who)


def _closed_nonconformity(con, ws_id: int, catalog: Catalog, today: date, who) -> str:
    fid = findings.raise_finding(con, ws_id, {
        "source": "incident", "grade": "minor nonconformity", "requirements": ["8.1", "A.6.2.6"],
        "title": "Fraud model threshold raised without approval",
        "description": "The blocking threshold of the card fraud model was raised over a weekend to cut false "
                       "alarms, without the approval of the Head of Financial Crime that the operating procedure "
                       "asks for.",
        "evidence": "Payment switch configuration log; incident ticket INC-2291; analysts' queue figures.",
        "owner": FRAUD_LEAD, "due": today - timedelta(days=18), "raised_on": today - timedelta(days=40)},
        who, today=today)
    findings.update(con, ws_id, fid, {
        "correction": "Threshold set back to the approved value the next morning; the payments let through over "
                      "the weekend were reviewed (no fraud loss).",
        "root_cause": "The change procedure covered new model versions only: threshold settings could be changed "
                      "in the payment switch without a change ticket or an approval.",
        "five_whys": "The analyst on duty did not know that a threshold change needs an approval.\nThe procedure "
                     "speaks of model changes, not of settings.\nThresholds were set by the vendor when the "
                     "procedure was written.\nNobody owned the procedure after go-live."}, who, today=today)
    action = findings.create_corrective_action(con, ws_id, fid, who, today=today - timedelta(days=38))
    roadmap.update_actions(con, ws_id, catalog, {action: {
        "start": today - timedelta(days=36), "status": "done", "done_at": today - timedelta(days=21),
        "notes": "Threshold settings added to the model change procedure (v2.1); the switch now asks for a change "
                 "ticket before a threshold changes."}}, today=today, who=who)
    findings.update(con, ws_id, fid, {"verified_by": LEAD, "verified_on": today - timedelta(days=12),
                                      "verification": "effective"}, who, today=today)
    findings.close(con, ws_id, fid, COMPLIANCE, today - timedelta(days=11), who, today=today)
    return fid


def _management_review(con, ws_id: int, catalog: Catalog, today: date, who) -> str:
    held = today - timedelta(days=9)
    compiled = review_inputs.compile_inputs(con, ws_id, catalog, 3, today=today)
    rid = reviews.plan(con, ws_id, {"held_on": held, "attendees": "Daniel Reyes (CEO)"}, compiled, who, today=today)
    reviews.hold(con, ws_id, rid, held, "Daniel Reyes (CEO); Aisha Karim (Head of Compliance); Priya Shah (CRO); "
                 "Marc Olsen (CIO); Grace Liu (Internal Audit Manager)", True, who, today=today)
    reviews.update(con, ws_id, rid, {
        "decisions": "Start the internal audit programme now with a first audit of leadership, policy and AI risk; "
                     "the full-scope internal audit to finish before Stage 1.",
        "improvements": "Bring the AI-specific risk criteria to approval before the next risk assessments.",
        "changes": "Threshold settings of AI models fall under the model change procedure (after the fraud "
                   "threshold incident).",
        "resources": "Budget approved for an external co-auditor for the internal audits."}, who, today=today)
    reviews.add_action(con, ws_id, catalog, rid, {
        "title": "Approve the three-year internal audit programme", "owner": LEAD, "effort": "S",
        "due": today + timedelta(days=20), "requirements": ["9.2.2"]}, who, today=today)
    phases = roadmap_phases.phases(con, ws_id).set_index("template")
    if "stage1" in phases.index:      # the next review: before Stage 1, with the executive committee
        reviews.plan(con, ws_id, {"held_on": phases.at["stage1", "start"] - timedelta(days=4),
                                  "attendees": "Daniel Reyes (CEO); executive committee; Grace Liu (Internal Audit "
                                               "Manager)"}, compiled, who, today=today)
    return rid


def _internal_audits(con, ws_id: int, catalog: Catalog, today: date, who) -> str:
    aid = programme.create(con, ws_id, {
        "kind": "internal", "title": "Internal audit 1: leadership, policy and AI risk",
        "objectives": "Check that leadership, the AI policy and AI risk assessment work as the AIMS describes, "
                      "before the full-scope audit.",
        "criteria": "ISO/IEC 42001 clauses and Annex A controls in scope; AI policy v1.0; model risk policy MRM-04.",
        "processes": "AI governance; AI risk assessment; competence and training",
        "systems": "AIS-001 Credit scoring model", "sites": "Head office",
        "start": today - timedelta(days=5), "finish": today + timedelta(days=9), "lead_auditor": LEAD,
        "team": CO_AUDITOR, "status": "in progress", "scope": SCOPE,
        "summary": "Fieldwork so far: interviews with the CEO, the Head of Compliance and the CRO; the policy "
                   "portal, the RACI and the training records sampled. Operation and data quality controls follow "
                   "next week."}, who, today=today)
    checklist.save_results(con, ws_id, aid, {
        rid: {"result": r, "evidence_sampled": ev, "notes": notes} for rid, (r, ev, notes) in RESULTS.items()}, who)
    # assigned to the person who owns it: the checklist flags it until another auditor or a reason is given
    checklist.save_results(con, ws_id, aid, {"7.5.3": {"auditor": COMPLIANCE}}, who)
    raised = {rid: checklist.raise_finding(con, ws_id, aid, rid, {
        "title": title, "owner": owner, "due": today + timedelta(days=due),
        "raised_on": today - timedelta(days=2)}, who, today=today) for rid, (owner, due, title) in FINDINGS.items()}
    findings.update(con, ws_id, raised["5.3"], {
        "correction": "Until the RACI is updated, the CRO decides on data governance questions (e-mail to the "
                      "data stewards)."}, who, today=today)
    window = roadmap_phases.phases(con, ws_id).set_index("template")
    start, finish = (window.at["internal_audit", "start"], window.at["internal_audit", "finish"]) \
        if "internal_audit" in window.index else (None, None)
    programme.create(con, ws_id, {
        "kind": "internal", "title": "Internal audit 2: the full scope before Stage 1",
        "objectives": "Audit every applicable clause and Annex A control before the Stage 1 audit.",
        "criteria": "ISO/IEC 42001; the Statement of Applicability; the AIMS procedures.",
        "start": start, "finish": finish, "lead_auditor": LEAD, "team": CO_AUDITOR,
        "scope": programme.scope_preset(catalog, "everything", programme.excluded_controls(con, ws_id))},
        who, today=today)
    return aid, raised


# (file name, content, description, expires in days or None, links); in link targets '{audit}' is the
# internal audit in progress, '{incident}' the closed nonconformity, '{5.3}' the finding raised on 5.3
EVIDENCE = [
    ("ExCo minutes, AI policy approval (extract).md",
     "# Executive committee, extract of the minutes\n\nItem 4: the AI policy v1.0 is approved as presented by "
     "the Head of Compliance. The CEO sponsors the AI management system; the budget for the programme is "
     "approved.\n", "Extract of the executive committee minutes approving the AI policy v1.0.", None,
     [("requirement", "5.1"), ("requirement", "5.2"), ("audit_item", "{audit}/5.1"), ("audit_item", "{audit}/5.2")]),
    ("RACI export for data governance.csv",
     "activity,accountable,responsible\nData governance decisions,,Data steward\nAI policy,Top management sponsor,"
     "AI governance officer\n", "The RACI as exported during the audit: no role accountable for data governance.",
     None, [("requirement", "5.3"), ("audit_item", "{audit}/5.3"), ("finding", "{5.3}")]),
    ("Model change procedure v2.1.md",
     "# Model change procedure v2.1\n\nA change to a model version, its inputs or its decision thresholds needs a "
     "change ticket approved by the model owner and, for the fraud model, the Head of Financial Crime.\n",
     "The procedure after the corrective action: thresholds are under change control.", None,
     [("requirement", "A.6.2.6"), ("requirement", "8.1"), ("finding", "{incident}")]),
    ("Bias and fairness workshop attendance.txt",
     "Bias and fairness testing workshop: attendance as signed on the day, with the trainer's assessment.\n",
     "Attendance and assessment of the bias and fairness workshop (competence evidence).", 20,
     [("requirement", "7.2"), ("audit_item", "{audit}/7.2")]),
]


def _fill(target: str, ids: dict[str, str]) -> str:
    for mark, value in ids.items():
        target = target.replace(mark, value)
    return target


def _evidence(con, ws_id: int, ids: dict[str, str], today: date, who) -> None:
    for name, content, description, expires, links in EVIDENCE:
        evidence_files.upload(con, ws_id, name, content.encode("utf-8"), description=description,
                              expires_on=None if expires is None else today + timedelta(days=expires),
                              links=[(k, _fill(t, ids)) for k, t in links], who=who)
