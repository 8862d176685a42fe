"""Governance records at a glance, and the demo client's governance records.

`snapshot` gathers the figures the overview shows (AI policy status, the documentation in place
and the Stage 1 gate from the register, training coverage, RACI problems). `build_demo` fills a workspace
with a realistic year-one state for the fictional lender Northwind Lending, through the public
write functions only, so it obeys every rule a user's data obeys. Deterministic apart from dates,
which are relative to today.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from aims.catalog.standard import Catalog
from aims.governance import documents, evidence, policy, roles, training


def snapshot(con, workspace_id: int, catalog: Catalog, today: date | None = None) -> dict:
    """Overview figures: policy (policy.status), stage1 (documents.stage1_readiness), gate
    (documents.stage1_gate), training (training.summary) and raci_problems (number of flagged
    RACI problems)."""
    role_df = roles.roles(con, workspace_id)
    problems = roles.raci_problems(roles.raci(con, workspace_id), role_df) if not role_df.empty else None
    return {"policy": policy.status(con, workspace_id, today),
            "stage1": documents.stage1_readiness(con, workspace_id, catalog),
            "gate": documents.stage1_gate(con, workspace_id, catalog, today),
            "training": training.summary(con, workspace_id),
            "roles": len(role_df),
            "raci_problems": None if problems is None else len(problems)}


def export_frames(con, workspace_id: int, catalog: Catalog) -> dict[str, pd.DataFrame]:
    """Flat tables for the workbook and CSV: every cell a string, number, date or bool (lists are
    joined with '; '), headed in plain words. Keys: 'AI policy', 'Roles', 'People', 'RACI',
    'Training sessions', 'Training coverage', 'Documents', 'Evidence requests'."""
    pv = policy.versions(con, workspace_id)
    pol = pd.DataFrame({
        "Version": pv.get("version", []), "Status": pv.get("status", []), "Title": pv.get("title", []),
        "Endorsed by": pv.get("endorsed_by", []), "Endorser's role": pv.get("endorser_role", []),
        "Approved on": pv.get("approved_on", []), "Next review": pv.get("next_review", []),
        "Location": pv.get("location", []), "Ethical principles": ["; ".join(p) for p in pv.get("principles", [])],
        "What changed": pv.get("change_summary", [])})
    rl = roles.roles(con, workspace_id)
    role_tab = pd.DataFrame({"ID": rl["id"], "Role": rl["name"], "People": rl["holder_labels"].map("; ".join),
                             "Responsibilities": rl["responsibilities"], "Standard role": rl["standard"]})
    pp = roles.persons(con, workspace_id)
    people_tab = pd.DataFrame({"ID": pp["id"], "Name": pp["name"], "Job title": pp["job_title"], "Roles": pp["roles"]})
    raci = roles.raci_matrix(con, workspace_id).drop(columns="activity_id").rename(columns={"activity": "Activity"})
    ss = training.sessions(con, workspace_id)
    sessions = pd.DataFrame({"ID": ss["id"], "Date": ss["held_on"], "Topic": ss["topic"],
                             "Kind": ss["kind"].map(training.KIND_LABELS), "Audience": ss["audience_names"],
                             "Trainer": ss["trainer"], "Completed": ss["completed"], "Attended": ss["attended"],
                             "Absent": ss["absent"], "Invited": ss["invited"], "Notes": ss["notes"]})
    cv = training.coverage(con, workspace_id)
    coverage = pd.DataFrame({"Topic": cv["topic"], "Role": cv["role"], "People in role": cv["holders"],
                             "Trained": cv["trained"], "Coverage %": cv["pct"], "In words": cv["label"]})
    rg = documents.register(con, workspace_id, catalog)
    docs = pd.DataFrame({"ID": rg["id"], "Document": rg["document"], "Kind": rg["kind"],
                         "Requirements": rg["requirements"],
                         "Required": rg["required"], "Applies": rg["applies"], "Status": rg["status"],
                         "Owner": rg["owner"], "Version": rg["version"], "Record date": rg["record_date"],
                         "Location": rg["location"],
                         "Last review": rg["last_review"], "Next review": rg["next_review"], "Due": rg["due"],
                         "Notes": rg["notes"]})
    ev = evidence.requests(con, workspace_id, catalog)
    requests = pd.DataFrame({"Owner": ev["owner"], "Due": ev["due"], "Overdue": ev["overdue"], "Source": ev["source"],
                             "Ref": ev["ref"], "Item": ev["item"], "What to provide": ev["request"],
                             "Status": ev["status"]})
    return {"AI policy": pol, "Roles": role_tab, "People": people_tab, "RACI": raci, "Training sessions": sessions,
            "Training coverage": coverage, "Documents": docs, "Evidence requests": requests}


# ---- demo -------------------------------------------------------------------------------------

PEOPLE = [("Daniel Reyes", "CEO"), ("Aisha Karim", "Head of Compliance"), ("Priya Shah", "CRO"),
          ("Tom Becker", "Head of Data Science"), ("Lena Novak", "DPO"), ("Marc Olsen", "CIO"),
          ("Grace Liu", "Internal Audit Manager"), ("Sofia Marin", "Credit Model Lead"),
          ("Jonas Weber", "Fraud Analytics Lead"), ("Emma Clarke", "Conversational AI Lead"),
          ("Ravi Patel", "People Analytics Lead"), ("Hannah Fischer", "Senior Data Scientist"),
          ("Oliver Grant", "Credit Data Steward"), ("Mei Chen", "Customer Data Steward"),
          ("Samuel Okafor", "Head of Customer Operations")]
HOLDERS = {
    "Top management sponsor": ["Daniel Reyes"],
    "AI governance officer": ["Aisha Karim"],
    "AI risk owner": ["Priya Shah"],
    "Data steward": ["Oliver Grant", "Mei Chen"],
    "Model owner": ["Tom Becker", "Sofia Marin", "Jonas Weber", "Emma Clarke", "Ravi Patel", "Hannah Fischer"],
    "System owner": ["Marc Olsen", "Samuel Okafor"],
    "Internal auditor": ["Grace Liu"],
    "Data protection officer": ["Lena Novak"],
    "Legal and compliance": ["Aisha Karim"],
}
# Year one: data governance has no accountable role yet, which the RACI check flags; every other
# activity has exactly one accountable role.
RACI = {
    "policy": {"Top management sponsor": "A", "AI governance officer": "R", "AI risk owner": "C",
               "Data protection officer": "C", "Legal and compliance": "C", "Model owner": "I", "System owner": "I",
               "Internal auditor": "I"},
    "inventory": {"AI governance officer": "A", "System owner": "R", "Model owner": "R", "Legal and compliance": "C",
                  "Data protection officer": "C", "AI risk owner": "I"},
    "risk": {"AI risk owner": "A/R", "Model owner": "R", "System owner": "C", "AI governance officer": "C",
             "Top management sponsor": "I"},
    "impact": {"AI governance officer": "A", "Model owner": "R", "Data protection officer": "C",
               "Data steward": "C", "AI risk owner": "C"},
    "data": {"Data steward": "R", "Data protection officer": "C", "Model owner": "C"},
    "lifecycle": {"Model owner": "A/R", "System owner": "R", "AI risk owner": "C", "Internal auditor": "I"},
    "competence": {"AI governance officer": "A/R", "Model owner": "C", "System owner": "C",
                   "Top management sponsor": "I"},
    "documents": {"AI governance officer": "A", "Model owner": "R", "System owner": "R", "Internal auditor": "I"},
    "use": {"System owner": "A/R", "Model owner": "C", "AI risk owner": "C", "Data protection officer": "C",
            "AI governance officer": "I"},
    "user_info": {"Model owner": "A", "System owner": "R", "Legal and compliance": "C", "Data protection officer": "C"},
    "suppliers": {"System owner": "A", "Legal and compliance": "R", "Data protection officer": "C", "Model owner": "C",
                  "AI risk owner": "C"},
    "incident": {"System owner": "A", "AI governance officer": "R", "Data protection officer": "C",
                 "Legal and compliance": "C", "Model owner": "C", "Top management sponsor": "I"},
    "reporting": {"Legal and compliance": "A", "AI governance officer": "R", "Data protection officer": "C",
                  "System owner": "C", "Top management sponsor": "I"},
    "audit": {"Internal auditor": "A/R", "AI governance officer": "C", "Top management sponsor": "I"},
    "review": {"Top management sponsor": "A", "AI governance officer": "R", "AI risk owner": "C",
               "Internal auditor": "C"},
}
BIAS_ATTENDANCE = {"Tom Becker": "completed", "Sofia Marin": "completed", "Jonas Weber": "completed",
                   "Hannah Fischer": "completed", "Emma Clarke": "attended", "Ravi Patel": "absent",
                   "Oliver Grant": "completed", "Mei Chen": "absent"}


def _label(name: str) -> str:
    return roles.person_label(name, dict(PEOPLE)[name])


def build_demo(con, workspace_id: int, catalog: Catalog, who: str | None = None, today: date | None = None) -> None:
    """Governance records of the demo client: an approved AI policy v1.0 and a v1.1 draft, people
    and roles with a RACI, two training sessions with attendance and a part-filled register."""
    today = today or date.today()
    ws = workspace_id
    policy_location = "Policy portal > Group policies > POL-AI-001"
    policy.create(con, ws, {
        "version": "1.0", "status": "approved", "title": "Northwind Lending AI policy",
        "endorsed_by": "Daniel Reyes", "endorser_role": "Chief Executive Officer",
        "approved_on": today - timedelta(days=200), "next_review": today + timedelta(days=165),
        "location": policy_location, "principles": list(policy.starting_principles()),
        "change_summary": "First issue, approved by the executive committee."}, who)
    policy.start_revision(con, ws, "1.1", "Adds contestability of automated credit decisions and the EU AI Act "
                          "deployer duties; names the AI governance officer as policy owner.", who)
    draft = policy.working(con, ws)
    policy.update(con, ws, draft["id"], {"principles": draft["principles"] + ["Contestability"]}, who)

    ids = dict(zip([n for n, _ in PEOPLE], roles.add_people(con, ws, [{"name": n, "job_title": t} for n, t in PEOPLE], who)))
    roles.add_standard_roles(con, ws, who)
    role_ids = dict(zip(roles.roles(con, ws)["name"], roles.roles(con, ws)["id"]))
    roles.save_roles(con, ws, {role_ids[r]: {"holders": [ids[n] for n in names]} for r, names in HOLDERS.items()}, who)
    roles.save_raci(con, ws, {act: {role_ids[r]: letter for r, letter in cells.items()}
                              for act, cells in RACI.items()}, who)

    bias = training.add_session(con, ws, {
        "topic": "Bias and fairness testing", "kind": "competence", "audience": ["Model owner", "Data steward"],
        "held_on": today - timedelta(days=75), "trainer": "Dr Ines Varga (external)",
        "notes": "Half-day workshop with exercises on the credit scoring and CV screening models."}, who)
    training.save_attendance(con, ws, bias, {ids[n]: s for n, s in BIAS_ATTENDANCE.items()}, who)
    awareness = training.add_session(con, ws, {
        "topic": "AI policy and responsible AI awareness", "kind": "awareness",
        "audience": list(HOLDERS), "held_on": today - timedelta(days=20),
        "trainer": _label("Aisha Karim"), "notes": "One-hour briefing, recorded for those absent."}, who)
    everyone = {n for names in HOLDERS.values() for n in names}
    status = {n: "completed" for n in everyone}
    status.update({"Hannah Fischer": "absent", "Samuel Okafor": "attended", "Ravi Patel": "absent"})
    training.save_attendance(con, ws, awareness, {ids[n]: s for n, s in status.items()}, who)

    aisha, priya, tom = _label("Aisha Karim"), _label("Priya Shah"), _label("Tom Becker")
    long_ago, soon = today - timedelta(days=200), today + timedelta(days=165)
    register = {
        "AI management system scope": dict(status="approved", owner=aisha, version="1.0", last_review=long_ago,
                                           next_review=soon, location="AIMS manual, section 1 (SharePoint > AIMS)"),
        "AI policy": dict(status="approved", owner=aisha, version="1.0", last_review=long_ago, next_review=soon,
                          location=policy_location, notes="Version 1.1 is in draft (see the Governance page)."),
        "AI objectives": dict(status="approved", owner=aisha, version="1.0", last_review=today - timedelta(days=120),
                              next_review=today + timedelta(days=245), location="AIMS manual, annex B"),
        "Actions to address AI risks and opportunities": dict(status="draft", owner=priya, version="0.2",
                                                              due=today + timedelta(days=45)),
        "AI risk assessment process": dict(status="draft", owner=priya, version="0.4", due=today + timedelta(days=30),
                                           notes="Extends model risk policy MRM-04 with AI-specific criteria."),
        "AI risk treatment process": dict(owner=priya, due=today + timedelta(days=60)),
        "Statement of Applicability": dict(status="draft", owner=aisha, version="0.3",
                                           location="AIMS Workbench, Statement of Applicability page"),
        "AI risk treatment plan": dict(owner=priya, due=today + timedelta(days=90)),
        "AI system impact assessment process": dict(status="draft", owner=_label("Lena Novak"), version="0.1",
                                                    due=today + timedelta(days=40)),
        "Evidence of competence": dict(status="partial", owner=aisha, record_date=today - timedelta(days=20),
                                       location="HR learning system > AI courses",
                                       notes="Training records being compiled from the two sessions held."),
        "AI risk assessment results": dict(status="partial", owner=priya, record_date=today - timedelta(days=40),
                                           location="AIMS Workbench, AI risk register",
                                           notes="Credit scoring done; chatbot, fraud and CV screening to follow."),
        "Monitoring and measurement results": dict(status="available", owner=tom, version="2026-Q2",
                                                   record_date=today - timedelta(days=30),
                                                   location="Model monitoring dashboard export, quarterly pack",
                                                   next_review=today + timedelta(days=60),
                                                   notes="Credit scoring model only; the other systems are not "
                                                         "monitored yet."),
        "Internal audit programme": dict(owner=_label("Grace Liu"), due=today + timedelta(days=120)),
        "AI system technical documentation": dict(status="approved", owner=tom, version="3.2",
                                                  location="Model inventory > credit scoring > documentation",
                                                  last_review=today - timedelta(days=90),
                                                  next_review=today - timedelta(days=5),
                                                  notes="Covers credit scoring only; review is overdue."),
        "Data provenance records": dict(status="partial", owner=_label("Oliver Grant"),
                                        record_date=today - timedelta(days=60), location="Data catalogue > lineage"),
        "AI system event logs": dict(status="available", owner=_label("Marc Olsen"), record_date=today - timedelta(days=1),
                                     location="SIEM, AI systems index (retention set by logging standard IT-LOG-02)"),
    }
    documents.save(con, ws, catalog, register, who)
    documents.add(con, ws, catalog, {
        "title": "Model risk management policy (MRM-04)", "requirements": ["6.1.2", "A.6.2.4"],
        "status": "approved", "owner": priya, "version": "4.0", "location": "Policy portal > Risk > MRM-04",
        "last_review": today - timedelta(days=300), "next_review": today + timedelta(days=65)}, who)
