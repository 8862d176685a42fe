"""What the overview page shows, computed in one go so the page can cache it per data version:
small results (a few figures and rows), never the full registers. Figures stay Plotly figure
objects: a chart drawn from a plain dict is validated again on every rerun, which costs more than
drawing it. Callers must not change the figures they get (they are shared through the cache)."""
from __future__ import annotations

from datetime import date

import pandas as pd

from aims.ai_systems import impact, inventory
from aims.assessment import charts, scoring
from aims.assessment import requirements as assessments
from aims.catalog.standard import Catalog
from aims.progress import charts as progress_charts
from aims.progress import trends
from aims.risk import charts as risk_charts
from aims.risk import register as risks


def readiness(con, workspace_id: int, catalog: Catalog, default_target: int) -> dict:
    """KPIs, per-group scores, the four readiness figures and the top 10 gaps of a workspace."""
    table = scoring.with_status(assessments.table(con, workspace_id, catalog, default_target))
    clauses = scoring.by_group(table, "clause")
    controls = scoring.by_group(table, "control")
    return {
        "overall": scoring.summary(table),
        "figures": {
            "radar_clauses": charts.maturity_radar(clauses, "Maturity by clause (4-10)"),
            "radar_controls": charts.maturity_radar(controls, "Maturity by Annex A objective"),
            "bars_clauses": charts.readiness_bars(clauses, "Readiness by clause"),
            "bars_controls": charts.readiness_bars(controls, "Readiness by Annex A objective"),
        },
        "top_gaps": scoring.top_gaps(table, 10),
    }


def progress(con, workspace_id: int, catalog: Catalog, default_target: int, target_date: date | None,
             today: date | None = None) -> dict:
    """The headline figures over time (trends.trend: weekly points, baselines, now), how they moved
    (trends.change_since) and the two trend charts (percentages; open gaps and risks above appetite)."""
    today = today or date.today()
    series = trends.trend(con, workspace_id, catalog, default_target, target_date, today)
    return {"series": series, "since": trends.change_since(series),
            "percent": progress_charts.percent_trend(series, today, target_date),
            "counts": progress_charts.count_trend(series, today, target_date)}


def risk_panel(con, workspace_id: int, top: int = 5) -> dict:
    """Risk summary, criteria, the `top` open risks above appetite (highest first) and the heatmap
    of open risks (current rating) as a figure; `empty` when the register is."""
    table = risks.table(con, workspace_id)
    crit = risks.criteria(con, workspace_id)
    open_risks = table[table["status"] != "closed"]
    above = table[(table["status"] != "closed") & table["above_appetite"]]
    return {
        "empty": table.empty, "summary": risks.summary(table), "crit": crit, "above_count": len(above),
        "top": above.sort_values("current_score", ascending=False).head(top)[
            ["id", "title", "current_score", "current_level", "status"]].reset_index(drop=True),
        "open_count": len(open_risks),
        "heatmap": None if table.empty else risk_charts.heatmap(
            open_risks, crit, "current", compact=True,
            title=f"Open risks now: {len(open_risks)} (residual where treated)"),
    }


def systems_panel(con, workspace_id: int, listed: int = 6) -> dict:
    """Active AI systems by EU AI Act category and stage (figures), high-risk systems with no
    approved impact assessment and assessments overdue for re-assessment (first `listed` of each,
    with their counts), and how many systems are not classified."""
    systems = inventory.list_systems(con, workspace_id, include_retired=False)
    if systems.empty:
        return {"empty": True}
    done = impact.list_all(con, workspace_id)
    approved = set(done.loc[done["status"] == "approved", "system_id"])
    high = systems[(systems["ai_act_category"] == "high-risk") & ~systems["id"].isin(approved)]
    late = impact.overdue(done)
    return {
        "empty": False,
        "by_category": charts.count_bars(systems["ai_act_category"], inventory.CATEGORIES,
                                         "By EU AI Act category"),
        "by_stage": charts.count_bars(systems["lifecycle_stage"], inventory.LIFECYCLE[:-1],
                                      "By life-cycle stage"),
        "high": pd.DataFrame({"id": high["id"], "label": high["id"] + " " + high["name"]}).head(listed),
        "high_count": len(high),
        "late": pd.DataFrame({"id": late["system_id"], "label": [
            f"{s} {n} (due {pd.Timestamp(d):%Y-%m-%d})" for s, n, d in
            zip(late["system_id"], late["system_name"], late["next_review"])]}).head(listed),
        "late_count": len(late),
        "unclassified": int((systems["ai_act_category"] == "not classified").sum()),
    }
