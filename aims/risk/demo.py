"""Demo content for the AI risk register of the fictional lender Northwind Lending.

Built only through the public write functions of aims.risks (library adds, creates, updates and
accepting impact-assessment proposals), deterministic, with dates relative to today. Risks tied
to an AI system are linked to AIS-001..AIS-004 when the inventory holds them; without an
inventory only the organisation-level risks are created.
"""
from __future__ import annotations

from datetime import date, timedelta

from aims.risk import intake as risk_intake
from aims.risk import register as risks

CREDIT, CHATBOT, FRAUD, CV = "AIS-001", "AIS-002", "AIS-003", "AIS-004"
PRIYA, TOM, LENA, MARC, AISHA = ("Priya Shah (CRO)", "Tom Becker (Head of Data Science)", "Lena Novak (DPO)",
                                 "Marc Olsen (CIO)", "Aisha Karim (Head of Compliance)")

# (library id or None, systems, fields). Offsets in days from today: due, next_review, accepted_on, expiry,
# treatment_implemented_on. Seven weeks into the engagement most treatments are planned, not in place, so
# those risks are still at their inherent rating; two are implemented (the AI banner since go-live, the
# accountability for AI systems now that roles and the RACI are agreed).
SPECS: list[tuple[str | None, list[str], dict]] = [
    ("RL-05", [CREDIT], dict(
        inherent_likelihood=3, inherent_impact=5, residual_likelihood=2, residual_impact=5, owner=TOM,
        status="in treatment", due=60, next_review=90,
        stakeholders="Loan applicants, especially younger applicants and those with thin credit files; the Board",
        existing_controls="Annual fairness review by the model risk team; no monitoring of error rates per group.",
        controls=["A.7.4", "A.6.2.4", "A.5.4", "A.7.6", "A.6.2.6"])),
    ("RL-01", [CREDIT], dict(
        inherent_likelihood=4, inherent_impact=3, residual_likelihood=2, residual_impact=3, owner=TOM,
        status="in treatment", treatment="mitigate", due=-12, next_review=60,
        existing_controls="Quarterly back-testing of default predictions against outcomes.")),
    ("RL-13", [CREDIT], dict(
        inherent_likelihood=3, inherent_impact=4, residual_likelihood=2, residual_impact=3, owner=PRIYA,
        status="open", due=90, next_review=120,
        existing_controls="Adverse-action reason codes exist but are generic; complaints team has no case view.")),
    (None, [CREDIT], dict(
        title="Broker partners rely on credit scores without understanding their limits",
        description="Two broker partners receive Northwind's score bands through an API and use them to pre-qualify "
                    "customers. They have no documentation of what the score means, its limits or when it must "
                    "not be used, so customers may be turned away before Northwind ever sees the application.",
        lifecycle_stage="deployed", risk_source="C.3.2", objective="C.2.11",
        stakeholders="Broker partners, loan applicants introduced by brokers",
        inherent_likelihood=3, inherent_impact=4, residual_likelihood=2, residual_impact=3, treatment="mitigate",
        owner=AISHA, status="open", due=75, next_review=120, controls=["A.10.4", "A.8.2"],
        existing_controls="Broker agreements cover data protection only.")),
    ("RL-04", [CHATBOT], dict(
        inherent_likelihood=5, inherent_impact=3, residual_likelihood=3, residual_impact=3, owner=MARC,
        status="in treatment", due=45, next_review=90,
        existing_controls="Vendor guardrails; answers limited to help-centre topics; agents can take over.")),
    ("RL-12", [CHATBOT], dict(
        inherent_likelihood=4, inherent_impact=4, residual_likelihood=2, residual_impact=4, owner=MARC,
        status="in treatment", due=30, next_review=90,
        existing_controls="The chatbot cannot call account APIs; penetration test of the web front end in 2025.")),
    ("RL-06", [CHATBOT], dict(
        inherent_likelihood=3, inherent_impact=4, residual_likelihood=2, residual_impact=4, owner=LENA,
        status="in treatment", due=50, next_review=-15,
        existing_controls="Data processing agreement with the vendor; transcripts kept 90 days.")),
    ("RL-26", [CHATBOT], dict(
        inherent_likelihood=3, inherent_impact=3, residual_likelihood=1, residual_impact=3, owner=LENA,
        status="closed", next_review=200, treatment_implemented_on=-200,
        existing_controls="Banner 'You are chatting with an AI assistant' and a 'talk to a person' button "
                          "since go-live.")),
    ("RL-02", [FRAUD], dict(
        inherent_likelihood=3, inherent_impact=4, residual_likelihood=2, residual_impact=4, owner=TOM,
        status="open", due=120, next_review=150)),
    ("RL-09", [FRAUD], dict(
        inherent_likelihood=3, inherent_impact=4, residual_likelihood=2, residual_impact=4, owner=MARC,
        status="in treatment", due=60, next_review=180,
        existing_controls="Device-intelligence feed bought from a single vendor; SLA without model-change notice.")),
    ("RL-10", [FRAUD, CREDIT], dict(
        inherent_likelihood=4, inherent_impact=4, owner=PRIYA, status="open", due=75, next_review=100,
        existing_controls="Four-eyes rule for declines above EUR 25,000.")),
    (None, [FRAUD], dict(
        title="Legitimate card payments blocked by false fraud alerts",
        description="To keep fraud losses low the model is tuned to block aggressively; about 1 in 40 blocked "
                    "payments is genuine. Customers abroad or making unusual purchases are stopped and must call.",
        lifecycle_stage="deployed", risk_source="C.3.4", objective="C.2.8",
        stakeholders="Card holders, customer service agents",
        inherent_likelihood=4, inherent_impact=3, residual_likelihood=4, residual_impact=3, treatment="accept",
        owner=MARC, status="accepted", accepted_by="Executive Risk Committee (chair: Marc Olsen, CIO)",
        accepted_on=-35, acceptance_expiry=150, next_review=60, controls=["A.6.2.6"],
        existing_controls="Analysts release blocked payments within the hour; SMS confirmation for travel.")),
    ("RL-05", [CV], dict(
        inherent_likelihood=4, inherent_impact=5, residual_likelihood=2, residual_impact=4, owner=AISHA,
        status="in treatment", due=45, next_review=60,
        stakeholders="Job applicants, in particular older applicants and those with career breaks",
        controls=["A.7.4", "A.6.2.4", "A.5.4", "A.9.2", "A.10.3"],
        existing_controls="Recruiters see every application; vendor bias audit report requested, not received.")),
    ("RL-07", [CREDIT, CV], dict(
        inherent_likelihood=3, inherent_impact=5, residual_likelihood=2, residual_impact=4, owner=AISHA,
        status="in treatment", due=120, next_review=90,
        existing_controls="Legal tracks the EU AI Act; no system-by-system obligations list yet.")),
    ("RL-16", [], dict(
        inherent_likelihood=5, inherent_impact=3, residual_likelihood=3, residual_impact=3, owner=AISHA,
        status="in treatment", due=30, next_review=90,
        existing_controls="IT acceptable-use policy (2022) does not mention AI tools; public chatbots not blocked.")),
    ("RL-17", [], dict(
        inherent_likelihood=3, inherent_impact=3, residual_likelihood=1, residual_impact=3, owner=PRIYA,
        status="in treatment", due=20, next_review=180, treatment_implemented_on=-10,
        existing_controls="AI roles and the RACI agreed by the executive committee (see the Governance page).")),
    ("RL-19", [], dict(
        inherent_likelihood=3, inherent_impact=2, owner=MARC, status="accepted", treatment="accept",
        next_review=365, existing_controls="Cloud provider reports energy use per region.")),
    ("RL-22", [], dict(
        title="Emotion analysis of customer calls (proposal rejected)",
        description="Customer service proposed analysing callers' emotions to prioritise complaints. Recognising "
                    "emotions is restricted under the EU AI Act and intrusive for customers; the idea was dropped.",
        inherent_likelihood=2, inherent_impact=5, owner=AISHA, status="closed", treatment="avoid", next_review=365)),
]


def _dated(fields: dict, today: date) -> dict:
    out = dict(fields)
    for key in ("due", "next_review", "accepted_on", "acceptance_expiry", "treatment_implemented_on"):
        if isinstance(out.get(key), int):
            out[key] = today + timedelta(days=out[key])
    return out


def build(con, workspace_id: int, who: str = "demo", today: date | None = None) -> list[str]:
    """Fill the demo workspace's risk register; returns the risk IDs created.

    System-specific risks are skipped when none of their systems is in the inventory. The
    first two proposals of the impact assessments (if any) are accepted into the register.
    """
    today = today or date.today()
    present = set(risks.systems(con, workspace_id)["id"])
    created: list[str] = []
    for library_id, wanted, fields in SPECS:
        linked = [s for s in wanted if s in present]
        if wanted and not linked:  # a system-specific risk whose systems are not in the inventory
            continue
        data = _dated(fields, today)
        if library_id and "title" not in fields:
            rid = risk_intake.add_from_library(con, workspace_id, library_id, linked[0] if linked else None,
                                         owner=data.pop("owner", ""), who=who)
            if len(linked) > 1:
                data["systems"] = linked
            risks.update(con, workspace_id, rid, data, who=who)
        else:
            data.setdefault("lifecycle_stage", "deployed")
            rid = risks.create(con, workspace_id, {**data, "systems": linked, "library_id": library_id or ""}, who)
        created.append(rid)
    proposals = risk_intake.proposals(con, workspace_id)
    for row in proposals[proposals["in_register"] == ""].head(2).to_dict("records"):
        rid, new = risk_intake.accept_proposal(con, workspace_id, row["assessment_id"], row["question_id"], who=who)
        if new:
            created.append(rid)
    return created
