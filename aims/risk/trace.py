"""Traceability between the risk register and the Statement of Applicability: which risks need
each Annex A control, and where the two disagree."""
from __future__ import annotations

import pandas as pd

from aims.catalog.standard import CONTROL_IDS, Catalog
from aims.risk.register import LEVELS, table


def controls_trace(con, workspace_id: int, catalog: Catalog) -> pd.DataFrame:
    """One row per Annex A control (catalogue order): which risks need it and what the SoA says.

    Columns: control_id, title, objective, applicable, inclusion_reasons (list), exclusion_reason,
    implementation, risk_ids (risks not closed that plan the control), risk_count, highest_level,
    above_appetite_ids, conflict (a risk needs it but the SoA excludes it), reason_missing (risks
    need it, the SoA applies it, but 'risk treatment' is not among its reasons), unsupported_claim
    (the SoA cites 'risk treatment' but no risk needs it).
    """
    from aims.assessment.requirements import table as soa_table
    soa = soa_table(con, workspace_id, catalog, 3)
    soa = soa[soa["kind"] == "control"].set_index("req_id")
    risks = table(con, workspace_id)
    live = risks[risks["status"] != "closed"]
    needing: dict[str, list[tuple]] = {}     # control -> [(risk id, current level, above appetite)]
    for rid, controls, lvl, above in zip(live["id"].tolist(), live["controls"].tolist(),
                                         live["current_level"].tolist(), live["above_appetite"].tolist()):
        for cid in controls:
            needing.setdefault(cid, []).append((rid, lvl, above))
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    rows = []
    for cid in CONTROL_IDS:
        s = soa.loc[cid]
        hit = needing.get(cid, [])
        reasons = [r.strip() for r in str(s["inclusion_reasons"]).split(";") if r.strip()]
        levels = [lvl for _, lvl, _ in hit if lvl]
        applicable, needed = bool(s["applicable"]), bool(hit)
        rows.append({
            "control_id": cid, "title": s["title"], "objective": s["group_title"], "applicable": applicable,
            "inclusion_reasons": reasons, "exclusion_reason": s["exclusion_reason"],
            "implementation": s["implementation"], "risk_ids": [rid for rid, _, _ in hit], "risk_count": len(hit),
            "highest_level": max(levels, key=rank.get) if levels else None,
            "above_appetite_ids": [rid for rid, _, above in hit if above],
            "conflict": needed and not applicable,
            "reason_missing": needed and applicable and "risk treatment" not in reasons,
            "unsupported_claim": applicable and not needed and "risk treatment" in reasons,
        })
    return pd.DataFrame(rows)


def soa_reason_changes(trace: pd.DataFrame) -> dict[str, dict]:
    """SoA changes that add 'risk treatment' to the inclusion reasons of applicable controls that
    risks need (for assessments.save): the justification follows from the risk links."""
    return {r["control_id"]: {"inclusion_reasons": r["inclusion_reasons"] + ["risk treatment"]}
            for r in trace[trace["reason_missing"]].to_dict("records")}
