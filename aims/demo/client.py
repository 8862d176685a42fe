"""The demo workspace: a fictional mid-size lender part-way through its ISO/IEC 42001 readiness.

Built only through the public write functions, so it obeys every rule a user's data obeys.
Deterministic: the same content every time.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from aims.ai_systems import classification, impact, inventory
from aims.assessment import requirements as assessments
from aims.catalog.standard import Catalog
from aims.store import workspaces

DEMO_NAME = "Northwind Lending (demo)"
DEMO_USER = "demo"
OWNERS = ("Priya Shah (CRO)", "Tom Becker (Head of Data Science)", "Lena Novak (DPO)",
          "Marc Olsen (CIO)", "Aisha Karim (Head of Compliance)")
EXCLUDED = {
    "A.10.4": "Northwind does not supply AI systems or AI-based services to customers; "
              "its AI is used internally and in its own lending decisions.",
}
# Where the client stands: stronger on policy and data, weak on audit and review (typical year 1).
BASELINE = {"4": 2, "5": 2, "6": 2, "7": 2, "8": 1, "9": 1, "10": 1, "A.2": 3, "A.3": 2, "A.4": 2,
            "A.5": 1, "A.6": 2, "A.7": 3, "A.8": 1, "A.9": 2, "A.10": 2}
NOT_YET = {"9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.1", "A.8.3", "A.8.4", "A.5.5", "A.6.2.8",
           "7.5.2", "A.4.5"}


def workspace_fields(today: date | None = None) -> dict:
    today = today or date.today()
    return {
        "name": DEMO_NAME, "organisation": "Northwind Lending plc (fictional)",
        "sector": "Financial services: consumer lending", "size": "250-999 staff",
        "scope": "The AI management system covers the design, procurement, deployment and monitoring of "
                 "AI systems used in consumer credit decisions, fraud detection, customer support and "
                 "recruitment, at the head office and the two operations centres.",
        "ai_roles": ["provider", "deployer"], "target_date": today + timedelta(days=270),
        "default_target": 3,
    }


def assessment_changes(catalog: Catalog, today: date | None = None) -> dict[str, dict]:
    """A plausible partial gap analysis and SoA for the demo client."""
    today = today or date.today()
    rng = random.Random(42001)
    changes: dict[str, dict] = {}
    for i, req in enumerate(catalog.requirements.values()):
        row: dict = {"owner": OWNERS[i % len(OWNERS)]}
        if req.id in EXCLUDED:
            row.update(applicable=False, exclusion_reason=EXCLUDED[req.id])
            changes[req.id] = row
            continue
        if req.id not in NOT_YET:
            m = max(0, min(5, BASELINE[req.top_group] + rng.choice((-1, 0, 0, 1))))
            row["maturity"] = m
            row["evidence_strength"] = ("none", "claimed", "claimed", "documented", "verified", "verified")[m]
            if m >= 2:
                row["evidence"] = f"Reviewed in workshop 1; see shared drive folder {req.id}."
            if m < 3:
                row["due"] = today + timedelta(days=30 * (1 + i % 6))
        if req.kind == "control":
            row["inclusion_reasons"] = ["risk treatment", "best practice"] if i % 3 else [
                "legal or regulatory", "risk treatment"]
            m = row.get("maturity")
            row["implementation"] = ("not started" if m is None or m == 0 else "planned" if m == 1
                                     else "partial" if m == 2 else "implemented")
        changes[req.id] = row
    changes["A.7.4"]["target"] = 4  # credit data quality matters more to a lender
    changes["6.1.2"]["notes"] = "Credit model risk assessment exists (model risk policy); AI-specific criteria missing."
    return changes


KICKOFF_GROUPS = ("4", "5", "6", "A.2", "A.7")     # what the first workshop covered


def kickoff_changes(catalog: Catalog, today: date | None = None) -> dict[str, dict]:
    """The ratings of the kick-off workshop: context, leadership, planning, the AI policy and data
    controls only, each a level below where they stand now (assessment_changes)."""
    out = {}
    for req_id, row in assessment_changes(catalog, today).items():
        if "maturity" in row and catalog.requirements[req_id].top_group in KICKOFF_GROUPS:
            m = max(0, row["maturity"] - 1)
            out[req_id] = {"maturity": m, "evidence_strength": "claimed" if m else "none"}
    return out


def _history(con, ws_id: int, catalog: Catalog) -> None:
    """Two baselines of the engagement so far: the kick-off workshop nine weeks ago, and the full
    gap analysis four weeks ago (before the risk register and roadmap were built)."""
    from aims.progress import baselines  # the progress layer sits above the areas the demo builds first
    now = datetime.combine(date.today(), time(10, 0))
    assessments.save(con, ws_id, catalog, kickoff_changes(catalog), who=DEMO_USER)
    baselines.take(con, ws_id, "Kick-off workshop", catalog, 3, note="Ratings from the first workshop.",
                   who=DEMO_USER, taken_at=now - timedelta(weeks=9))
    assessments.save(con, ws_id, catalog, assessment_changes(catalog), who=DEMO_USER)
    baselines.take(con, ws_id, "Gap analysis complete", catalog, 3, note="Every requirement rated; SoA drafted.",
                   who=DEMO_USER, taken_at=now - timedelta(weeks=4))


def create(con, catalog: Catalog, replace: bool = True) -> int:
    """Create the demo workspace (replacing an existing one when asked); returns its id."""
    existing = workspaces.list_all(con, include_archived=True)
    hit = existing[existing["name"] == DEMO_NAME]
    if not hit.empty:
        if not replace:
            return int(hit.iloc[0]["id"])
        workspaces.delete(con, int(hit.iloc[0]["id"]), DEMO_NAME, who=DEMO_USER)
    ws_id = workspaces.create(con, workspace_fields(), who=DEMO_USER)
    _history(con, ws_id, catalog)
    assessments.set_soa_approval(con, ws_id, "0.3 draft", "", None, who=DEMO_USER)
    _systems(con, ws_id)
    from aims.risk import demo as risk_demo  # the risk register's demo content lives in its own module
    risk_demo.build(con, ws_id, who=DEMO_USER)
    from aims.roadmap import (
        generation as roadmap_generation,  # phases, actions from the gaps and treatment plans, progress so far
    )
    roadmap_generation.build_demo(con, ws_id, catalog, who=DEMO_USER)
    from aims.governance import summary as governance  # issue 6: policy, roles and RACI, training, document register
    governance.build_demo(con, ws_id, catalog, who=DEMO_USER)
    from aims.demo import audit_cycle  # issue 16: internal audit in progress, a closed nonconformity, a review
    audit_cycle.build(con, ws_id, catalog, who=DEMO_USER)
    return ws_id


def ensure(con, catalog: Catalog) -> int | None:
    """On a database with no workspace at all, create the demo; returns its id or None."""
    if workspaces.list_all(con, include_archived=True).empty:
        return create(con, catalog)
    return None


SYSTEMS = [
    ({"name": "Credit scoring model", "description": "Scores consumer loan applications for default risk.",
      "business_owner": "Head of Retail Credit", "technical_owner": "Tom Becker (Head of Data Science)",
      "business_unit": "Retail credit", "purpose": "Estimate the probability of default of each applicant.",
      "intended_use": "Credit analysts use the score and its reasons to approve, price or decline personal loans.",
      "foreseeable_misuse": "Using the score alone to decline applicants without analyst review.",
      "lifecycle_stage": "deployed", "sourcing": "built in-house", "model": "Gradient-boosted trees v4",
      "model_type": "classical ML", "data_sources": "Application forms, credit bureau data, account history",
      "personal_data": True, "affected_persons": "Loan applicants", "automation": "human in the loop",
      "oversight": "Analyst reviews every decline and every score near the cut-off.", "org_role": "provider"},
     {"annex_iii_5b": True, "profiling": True}, "provider"),
    ({"name": "Customer support chatbot", "description": "Answers customer questions on the website and app.",
      "business_owner": "Head of Customer Service", "technical_owner": "Marc Olsen (CIO)", "business_unit": "Service",
      "purpose": "Answer routine questions and hand over to an agent.", "lifecycle_stage": "deployed",
      "sourcing": "vendor API", "vendor": "Conversational AI vendor", "model": "Hosted LLM", "model_type": "LLM",
      "data_sources": "Help-centre articles, conversation history", "personal_data": True,
      "affected_persons": "Customers and prospects", "automation": "human on the loop",
      "oversight": "Agents monitor conversations and take over on request.", "org_role": "deployer"},
     {"transparency_interaction": True}, "deployer"),
    ({"name": "Card fraud detection", "description": "Flags card transactions that look fraudulent.",
      "business_owner": "Head of Financial Crime", "technical_owner": "Tom Becker (Head of Data Science)",
      "business_unit": "Financial crime", "purpose": "Stop fraudulent card payments in real time.",
      "lifecycle_stage": "deployed", "sourcing": "built in-house", "model_type": "classical ML",
      "data_sources": "Card transactions, device data", "personal_data": True,
      "affected_persons": "Card holders", "automation": "human on the loop",
      "oversight": "Fraud analysts review blocked payments within the hour.", "org_role": "provider"},
     {}, "provider"),
    ({"name": "CV screening assistant", "description": "Ranks job applications against the vacancy.",
      "business_owner": "Head of People", "technical_owner": "Marc Olsen (CIO)", "business_unit": "HR",
      "purpose": "Shortlist applicants for recruiters.", "lifecycle_stage": "validation",
      "sourcing": "embedded in a bought product", "vendor": "HR software vendor", "model_type": "LLM",
      "data_sources": "CVs and application forms", "personal_data": True, "affected_persons": "Job applicants",
      "automation": "human in the loop", "oversight": "Recruiters see every application, not only the shortlist.",
      "org_role": "deployer"},
     {"annex_iii_4a": True, "profiling": True}, "deployer"),
    ({"name": "Marketing copy generator", "description": "Drafts marketing e-mails and web copy.",
      "business_owner": "Head of Marketing", "lifecycle_stage": "idea", "sourcing": "vendor API", "model_type": "LLM",
      "org_role": "deployer"}, None, None),
]


# The context of each system's impact assessment (ISO/IEC 42005 clause 6). The chatbot's draft is
# part-way: failures, fallback and the rights-assessment facts are still to be written.
IMPACT_CONTEXT = {
    "credit": {
        "scope": "Version 4 of the credit scoring model as used on personal loan applications from the website, "
                 "the app and the two operations centres, from application to decision. Out of scope: the score "
                 "bands sent to broker partners, to be assessed before that agreement is renewed. First assessment "
                 "of a system already in use, ahead of the EU AI Act high-risk duties.",
        "geography": "Ireland and the Netherlands",
        "languages": "English and Dutch (application forms, reason codes and letters)",
        "operating_context": "Runs in the loan origination system on every application. Analysts in the two "
                             "operations centres see the score, its band and the top three reasons, and decide. "
                             "About 1,200 applications a day, with peaks on Mondays and at month end.",
        "model_info": "Gradient-boosted trees (v4, retrained yearly) on seven years of application, credit bureau "
                      "and account data; 48 inputs; the output is a probability of default with reason codes. "
                      "Built in-house and validated by the model risk team on a hold-out year. Known limit: weaker "
                      "for applicants with thin credit files.",
        "interested_parties": "Loan applicants, credit analysts, Retail Credit management, the model risk team, the "
                              "credit bureau, the central bank as supervisor and the data protection authority.",
        "indirectly_affected": "Co-applicants and guarantors, applicants' households, customers that brokers "
                               "pre-qualify on score bands, and other lenders who see declined applications in "
                               "bureau records.",
        "failure_modes": "Scores drift as the economy changes; lower scores for younger applicants and thin files; "
                         "the bureau feed is missing or late; analysts accept scores near the cut-off without "
                         "looking. Noticed through monthly monitoring of approval and default rates per group and "
                         "alerts on the feed.",
        "fallback": "Without a score, applications go to manual underwriting under the credit policy's rules. The "
                    "Head of Retail Credit can switch the model off; decisions continue at about a third of the "
                    "usual volume.",
        "period_of_use": "In use since March 2023 with no planned end; each model version for about a year.",
        "frequency_of_use": "on every case, continuously",
        "persons_affected": "Adults applying for personal loans of EUR 1,000 to 50,000, among them young adults "
                            "with little credit history, self-employed people and recent arrivals in the country.",
        "oversight_measures": "An analyst reviews every decline and every score within five points of the cut-off "
                              "and can override it with a reason; team leads sample overrides weekly; analysts "
                              "are trained on the score's limits.",
        "complaint_handling": "Applicants can ask for a human review through the complaints form or by phone; "
                              "Customer Relations answers within 15 working days with the main reasons. Patterns go "
                              "to the AI risk owner monthly; unresolved cases can go to the financial ombudsman.",
    },
    "fraud": {
        "scope": "The card fraud model as it blocks or lets through card payments in real time, with the analysts' "
                 "review queue. First assessment after go-live.",
        "geography": "Card payments worldwide by customers based in Ireland and the Netherlands",
        "languages": "English and Dutch (text-message confirmations and analyst screens)",
        "operating_context": "Scores every card authorisation in the payment switch within 50 ms. High scores are "
                             "blocked and queued for fraud analysts, who release or confirm them within the hour.",
        "model_info": "Gradient-boosted trees on transaction, merchant and device data, retrained monthly, with a "
                      "device-intelligence feed from one vendor. Known limit: unusual but genuine purchases abroad.",
        "interested_parties": "Card holders, fraud analysts, customer service agents, the card scheme, merchants "
                              "and the payment switch vendor.",
        "indirectly_affected": "Merchants whose sales are declined, people travelling with the card holder, and "
                               "victims of fraud the model misses.",
        "failure_modes": "Genuine payments blocked (about 1 in 40 blocks), new fraud patterns missed, the vendor "
                         "feed changing without notice, the switch timing out.",
        "fallback": "If the model does not answer in time, the card scheme's standard rules decide. Analysts can "
                    "raise the blocking threshold or put the model in watch-only mode.",
        "period_of_use": "Since 2022, with no planned end.",
        "frequency_of_use": "on every case, continuously",
        "persons_affected": "Card holders, including customers abroad and older customers who pay for daily needs "
                            "by card.",
        "oversight_measures": "Analysts review every blocked payment within the hour and can release it; threshold "
                              "changes need the approval of the Head of Financial Crime.",
        "complaint_handling": "Customers can call the card line day and night to release a payment; complaints "
                              "about repeated blocks go to Customer Relations and are reviewed monthly with the "
                              "fraud team.",
    },
    "chatbot": {
        "scope": "The website and app chatbot for routine questions, with its hand-over to agents. Out of scope: "
                 "answer suggestions for agents (planned). Reason: the vendor is moving to a new model version.",
        "geography": "Ireland and the Netherlands",
        "languages": "English and Dutch; questions in other languages are answered in English",
        "operating_context": "Open day and night on the website and in the app; answers from help-centre articles; "
                             "hands over to an agent on request or after two unhelpful answers, in opening hours.",
        "model_info": "A hosted large language model from the conversational AI vendor, limited to help-centre "
                      "articles. Northwind sees the vendor's model card, not its training data; version changes "
                      "are announced 30 days ahead.",
        "interested_parties": "Customers and prospects, service agents, the Head of Customer Service, the vendor "
                              "and the data protection officer.",
    },
}


def _answers(high_sections: set[str], depth: int = 1, sections: set[str] | None = None) -> dict:
    """Deterministic answers: mostly mild options, a high one in the named sections."""
    out = {}
    for sec in impact.questionnaire()["sections"]:
        if sections is not None and sec["id"] not in sections:
            continue
        for i, q in enumerate(sec["questions"]):
            n = len(q["options"])
            idx = min(n - 1, 2) if sec["id"] in high_sections and i == 0 else (i + depth) % 2
            out[q["id"]] = {"value": q["options"][idx]["value"], "note": ""}
    return out


def _systems(con, ws_id: int) -> None:
    today = date.today()
    reviews = [(today - timedelta(days=90), today + timedelta(days=275)), (today - timedelta(days=40), today + timedelta(days=140)),
               (today - timedelta(days=380), today - timedelta(days=15)), (None, today + timedelta(days=30)), (None, None)]
    rows = [{**s[0], "last_review": last, "next_review": nxt} for s, (last, nxt) in zip(SYSTEMS, reviews)]
    ids = inventory.create_many(con, ws_id, rows, who=DEMO_USER)
    for sid, (_, answers, role) in zip(ids, SYSTEMS):
        if answers is not None:
            classification.record(con, ws_id, sid, answers, role, who=DEMO_USER)
    credit, chatbot, fraud, _cv, _mkt = ids
    for sid, high, approved, next_review, ctx in (
            (credit, {"fairness", "individuals"}, today - timedelta(days=60), today + timedelta(days=300), "credit"),
            (fraud, set(), today - timedelta(days=400), today - timedelta(days=35), "fraud")):
        aid = impact.start(con, ws_id, sid, "Aisha Karim (Head of Compliance)", who=DEMO_USER)
        impact.save_answers(con, ws_id, aid, _answers(high), who=DEMO_USER)
        impact.save_context(con, ws_id, aid, IMPACT_CONTEXT[ctx], who=DEMO_USER)
        impact.set_status(con, ws_id, aid, "in review", who=DEMO_USER)
        impact.set_status(con, ws_id, aid, "approved", "Priya Shah (CRO)", approved, next_review, who=DEMO_USER)
    aid = impact.start(con, ws_id, chatbot, "Lena Novak (DPO)", who=DEMO_USER)
    impact.save_answers(con, ws_id, aid, _answers({"oversight"}, sections={"scope", "uses", "data", "oversight"}),
                        who=DEMO_USER)
    impact.save_context(con, ws_id, aid, IMPACT_CONTEXT["chatbot"], who=DEMO_USER)
