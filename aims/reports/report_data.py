"""Everything the client report and the management summary show, gathered from the database
into plain data (dicts, lists and small DataFrames) by the areas' own functions, so the PDF
builders only lay it out and tests can check the figures without reading a PDF.

Bounded by design: the complete tables are the gap table and the Statement of Applicability
(at most the catalogue's 70 requirements); AI systems, risks, actions and findings are counted
in full but listed only up to `top` rows, with the number left out, so a workspace with
thousands of risks still gives a report of a few dozen pages.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from aims.ai_systems import inventory
from aims.assessment import requirements as assessments
from aims.assessment import scoring, soa
from aims.audit import findings as audit_findings
from aims.catalog.standard import Catalog
from aims.governance import documents
from aims.progress import baselines, compare, snapshot, trends
from aims.reports import dashboard
from aims.risk import register as risks
from aims.risk import scoring as risk_scoring
from aims.roadmap import actions as roadmap
from aims.roadmap import forecast
from aims.roadmap import phases as roadmap_phases
from aims.store import workspaces

TOP = 15            # rows listed in the body for registers that can be long
GAPS_PER_GROUP = 3  # top gaps shown with their guidance under each clause and objective


def _day(value) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def _cells(df: pd.DataFrame, which: str) -> list[list[int]]:
    """5x5 counts [likelihood - 1][impact - 1] of the rated rows for 'inherent' or 'residual'."""
    return risk_scoring.cell_counts(list(df[f"{which}_likelihood"]), list(df[f"{which}_impact"]))


def _gap_rows(status: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The full gap table: every requirement in catalogue order with its status and figures as
    text (target and gap '-' where there is none: excluded, or not assessed)."""
    out = pd.DataFrame({
        "req_id": status["req_id"], "kind": status["kind"], "top_group": status["top_group"],
        "title": status["title"], "status": status["status"],
        "maturity": status["maturity"].map(assessments.maturity_label),
        "target": [str(int(t)) if a else "-" for a, t in zip(status["applicable"], status["target"])],
        "gap": ["-" if pd.isna(g) else str(int(g)) for g in status["gap"]],
        "evidence": status["evidence_strength"], "owner": status["owner"].fillna(""),
        "due": [_day(d) for d in status["due"]], "mandatory_doc": status["mandatory_doc"].astype(bool),
    })
    return out.reset_index(drop=True)


def _with_guidance(gaps: pd.DataFrame, catalog: Catalog) -> list[dict]:
    """Gap rows as dicts with the catalogue's own-words guidance and typical evidence."""
    rows = []
    for r in gaps.to_dict("records"):
        req = catalog.requirements[r["req_id"]]
        rows.append({"req_id": r["req_id"], "title": r["title"], "maturity": assessments.maturity_label(r["maturity"]),
                     "target": int(r["target"]), "gap": int(r["gap"]), "mandatory_doc": bool(r["mandatory_doc"]),
                     "owner": r.get("owner") or "", "guidance": req.guidance, "evidence": list(req.evidence[:2])})
    return rows


def _groups(status: pd.DataFrame, catalog: Catalog, kind: str, gaps: list[dict]) -> list[dict]:
    """Per clause (kind 'clause') or Annex A objective ('control'): its summary and its top gaps
    (`gaps`: every open gap in scoring.top_gaps order, with guidance)."""
    table = scoring.by_group(status, kind)
    top_group = dict(zip(status["req_id"], status["top_group"]))
    out = []
    for row in table.to_dict("records"):
        mine = [g for g in gaps if top_group[g["req_id"]] == row["group"]][:GAPS_PER_GROUP]
        out.append({**row, "title": catalog.groups[row["group"]].title, "summary": catalog.groups[row["group"]].summary,
                    "top_gaps": mine})
    return out


def _systems(con, workspace_id: int, top: int) -> dict:
    systems = inventory.list_systems(con, workspace_id, include_retired=False)
    counts = {c: int((systems["ai_act_category"] == c).sum()) if len(systems) else 0 for c in inventory.CATEGORIES}
    order = {c: i for i, c in enumerate(("prohibited", "high-risk", "not classified", "limited", "minimal"))}
    listed = systems.assign(_o=systems["ai_act_category"].map(order).fillna(9)).sort_values(["_o", "id"], kind="stable") \
        if len(systems) else systems
    rows = [{"id": r["id"], "name": r["name"], "category": r["ai_act_category"], "stage": r["lifecycle_stage"],
             "owner": r.get("business_owner") or ""} for r in listed.head(top).to_dict("records")]
    return {"count": len(systems), "by_category": counts, "listed": rows}


def _risks(con, workspace_id: int, today: date, top: int) -> dict:
    table = risks.table(con, workspace_id, today=today)
    crit = risks.criteria(con, workspace_id)
    live = table[table["status"] != "closed"] if len(table) else table
    above = live[live["above_appetite"]] if len(live) else live
    above = above.sort_values(["current_score", "id"], ascending=[False, True], kind="stable") if len(above) else above
    untreated = above[(above["treatment"].fillna("") == "") | (above["status"] == "open")] if len(above) else above

    def rating(lik, imp) -> str:
        return "" if pd.isna(lik) or pd.isna(imp) else f"{int(lik)}\u00d7{int(imp)}"

    listed = [{"id": r["id"], "title": r["title"], "inherent": rating(r["inherent_likelihood"], r["inherent_impact"]),
               "residual": rating(r["residual_likelihood"], r["residual_impact"]),
               "score": None if pd.isna(r["current_score"]) else int(r["current_score"]),
               "level": r["current_level"] or "", "treatment": r["treatment"] or "", "status": r["status"],
               "owner": r["owner"] or ""} for r in above.head(top).to_dict("records")]
    return {
        "count": len(table), "open": len(live), "summary": risks.summary(table) if len(table) else None,
        "appetite": crit["appetite"], "crit": crit,
        "inherent": _cells(live, "inherent"), "residual": _cells(live, "residual"),
        "residual_rated": int(live["residual_score"].notna().sum()) if len(live) else 0,
        "above_count": len(above), "above": listed,
        "untreated_count": len(untreated), "untreated": list(untreated["id"].head(top)) if len(untreated) else [],
        "top": dashboard.top_risks(table, 5),
    }


def _roadmap(con, workspace_id: int, catalog: Catalog, default_target: int, today: date, target: date | None,
             top: int) -> dict:
    acts = roadmap.actions(con, workspace_id, catalog, default_target, today)
    fc = forecast.forecast(acts, today, target)
    progress = forecast.phase_progress(acts, roadmap_phases.phases(con, workspace_id), today) if len(acts) else None
    burn = forecast.burnup(acts, today, target) if len(acts) else None
    overdue = acts[acts["overdue"]].sort_values(["due", "id"]) if len(acts) else acts
    return {
        "count": len(acts), "done": int((acts["status"] == "done").sum()) if len(acts) else 0,
        "blocked": int((acts["status"] == "blocked").sum()) if len(acts) else 0,
        "forecast": fc, "phases": [] if progress is None else progress.to_dict("records"),
        "burnup": None if burn is None else burn.to_dict("records"),
        "overdue_count": len(overdue),
        "overdue": [{"id": r["id"], "title": r["title"], "owner": r["owner"] or "", "due": _day(r["due"])}
                    for r in overdue.head(top).to_dict("records")],
        "by_owner": dashboard.overdue_by_owner(acts).head(top).to_dict("records"),
    }


def _findings(con, workspace_id: int, today: date, top: int) -> dict:
    table = audit_findings.table(con, workspace_id, today)
    s = audit_findings.summarise(table)
    live = table[table["status"] == "open"] if len(table) else table
    order = {"major nonconformity": 0, "minor nonconformity": 1, "observation": 2, "opportunity for improvement": 3}
    if len(live):
        live = live.assign(_g=live["grade"].map(order)).sort_values(["_g", "id"], kind="stable")
    return {"summary": s, "open": [{"id": r["id"], "grade": r["grade"], "title": r["title"], "owner": r["owner"] or "",
                                    "due": _day(r["due"]), "overdue": bool(r["overdue"])}
                                   for r in live.head(top).to_dict("records")]}


def decisions(data: dict) -> list[str]:
    """What management needs to decide or unblock, in plain words (empty when nothing is)."""
    out = []
    rm, rk, fd, gate = data["roadmap"], data["risks"], data["findings"]["summary"], data["gate"]
    if rm["overdue_count"]:
        owners = ", ".join(f"{o['owner']} ({o['overdue']})" for o in rm["by_owner"][:3])
        out.append(f"{rm['overdue_count']} roadmap action{'s are' if rm['overdue_count'] != 1 else ' is'} overdue"
                   f" (most with {owners}): agree new dates or free up the owners' time.")
    if rk["untreated_count"]:
        out.append(f"{rk['untreated_count']} risk{'s' if rk['untreated_count'] != 1 else ''} above the appetite "
                   f"(score above {rk['appetite']}) with no treatment under way: decide how each is treated or "
                   "formally accept it.")
    if fd["majors_open"]:
        out.append(f"{fd['majors_open']} major nonconformit{'ies are' if fd['majors_open'] != 1 else 'y is'} open: "
                   "a certification body will not recommend certification until they are closed.")
    for c in gate["conditions"]:
        if not c["met"]:
            out.append(f"Stage 1 gate not met: {c['label']} ({c['status']}).")
    fc = rm["forecast"]
    if fc.slip_days is not None and fc.slip_days > 0:
        out.append(f"The forecast ready date is {fc.slip_days} days after the target date: add capacity, "
                   "cut scope or move the target.")
    if data["overall"]["not_assessed"]:
        out.append(f"{data['overall']['not_assessed']} applicable requirements are not assessed yet: plan the "
                   "workshops that rate them.")
    return out


def _trend(con, workspace_id: int, catalog: Catalog, default_target: int, target_date, today: date, now: dict,
           gate: dict) -> pd.DataFrame:
    """The figures over time (trends.trend: weeks rebuilt from the change log, baselines as taken,
    now) as the trend chart reads them: as_of (a date), kind, label and the percentages."""
    series = trends.trend(con, workspace_id, catalog, default_target, target_date, today, now=now, gate=gate)
    series = series.assign(as_of=[pd.Timestamp(t).date() for t in series["when"]])
    for m in ("readiness_pct", "stage2_pct", "assessed_pct"):
        series[m] = series[m].astype(object).where(series[m].notna(), None)
    return series


def gather(con, workspace_id: int, catalog: Catalog, today: date | None = None, *, assessor: str = "",
           version: str = "1.0", baseline_id: str | None = None, top: int = TOP) -> dict:
    """Everything the report shows for a workspace on `today` (see the module docstring)."""
    today = today or date.today()
    ws = workspaces.get(con, workspace_id)
    if ws is None:
        raise ValueError(f"There is no workspace with id {workspace_id}.")
    default_target = int(ws["default_target"])
    status = scoring.with_status(assessments.table(con, workspace_id, catalog, default_target))
    gaps = _with_guidance(scoring.top_gaps(status, len(status)), catalog)
    soa_rows = soa.rows(status)
    soa_sum = soa.summary(soa_rows)
    excluded = soa_rows[~soa_rows["Applicable"]]
    soa_sum["excluded_justified"] = int((excluded["Exclusion justification"].str.strip() != "").sum())
    applicable = soa_rows[soa_rows["Applicable"]]
    soa_sum["applicable_justified"] = int((applicable["Inclusion justification"].map(len) > 0).sum())
    soa_sum["by_implementation"] = {k: int((applicable["Implementation"] == k).sum()) for k in assessments.IMPLEMENTATION}
    now = snapshot.capture(con, workspace_id, catalog, default_target, today)    # the trend's last point, compared
    gate = documents.stage1_gate(con, workspace_id, catalog, today)
    data = {
        "workspace": {k: ws.get(k) for k in ("name", "organisation", "sector", "scope", "target_date", "default_target")},
        "brand": workspaces.brand(con, workspace_id), "today": today, "assessor": assessor, "version": version,
        "overall": scoring.summary(status), "clauses": _groups(status, catalog, "clause", gaps),
        "controls": _groups(status, catalog, "control", gaps), "gap_table": _gap_rows(status, catalog),
        "top_gaps": gaps[:10],
        "soa": soa_sum, "soa_rows": soa_rows, "soa_approval": assessments.soa_approval(con, workspace_id),
        "gate": gate,
        "systems": _systems(con, workspace_id, top), "risks": _risks(con, workspace_id, today, top),
        "roadmap": _roadmap(con, workspace_id, catalog, default_target, today, ws["target_date"], top),
        "findings": _findings(con, workspace_id, today, top),
        "trend": _trend(con, workspace_id, catalog, default_target, ws["target_date"], today, now["figures"], gate),
        "comparison": None,
    }
    if baseline_id is not None:
        data["comparison"] = comparison(con, workspace_id, catalog, baseline_id, now)
    data["decisions"] = decisions(data)
    return data


def comparison(con, workspace_id: int, catalog: Catalog, baseline_id: str, now: dict) -> dict:
    """aims.progress.compare of a stored baseline with `now` (snapshot.capture of the workspace)."""
    return compare.compare(baselines.load(con, workspace_id, baseline_id), now, catalog)
