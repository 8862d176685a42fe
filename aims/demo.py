"""The demo workspace: a fictional mid-size lender part-way through its ISO/IEC 42001 readiness.

Built only through the public write functions, so it obeys every rule a user's data obeys.
Deterministic: the same content every time.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from . import assessments, workspaces
from .catalog import Catalog

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


def create(con, catalog: Catalog, replace: bool = True) -> int:
    """Create the demo workspace (replacing an existing one when asked); returns its id."""
    existing = workspaces.list_all(con, include_archived=True)
    hit = existing[existing["name"] == DEMO_NAME]
    if not hit.empty:
        if not replace:
            return int(hit.iloc[0]["id"])
        workspaces.delete(con, int(hit.iloc[0]["id"]), DEMO_NAME, who=DEMO_USER)
    ws_id = workspaces.create(con, workspace_fields(), who=DEMO_USER)
    assessments.save(con, ws_id, catalog, assessment_changes(catalog), who=DEMO_USER)
    assessments.set_soa_approval(con, ws_id, "0.3 draft", "", None, who=DEMO_USER)
    # issue 3 demo content
    # issue 4 demo content
    # issue 5 demo content
    # issue 6 demo content
    return ws_id


def ensure(con, catalog: Catalog) -> int | None:
    """On a database with no workspace at all, create the demo; returns its id or None."""
    if workspaces.list_all(con, include_archived=True).empty:
        return create(con, catalog)
    return None
