"""What the manager dashboard shows, computed in one go so the page can cache it per data version:
readiness now and week by week, the Stage 1 gate and Stage 2 readiness, roadmap progress with its
forecast, overdue actions per owner, the top risks and the open findings. Read-only: nothing here
writes. Figures are shared through the cache: callers must not change them.

Readiness week by week and the trends of every headline figure (weeks rebuilt from the change
log, baselines, now): aims.progress.trends, which states what is rebuilt exactly and what is
approximated.

Open findings: the findings register (aims.audit.findings) once the workspace has any finding;
until then the open major nonconformities the record of nonconformities states (the Stage 1 gate
reads the same). Next to them the dashboard lists the open gaps, labelled as gaps, never as
audit findings.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from aims.assessment import requirements as assessments
from aims.assessment import scoring
from aims.audit import findings as audit_findings
from aims.catalog.standard import Catalog
from aims.governance import documents
from aims.progress import charts as progress_charts
from aims.progress import trends
from aims.progress.snapshot import figures as snapshot_figures
from aims.risk import register as risks
from aims.roadmap import actions as roadmap
from aims.roadmap import charts as roadmap_charts
from aims.roadmap import forecast
from aims.roadmap import phases as roadmap_phases

NO_OWNER = "(no owner)"


# ---- readiness trend (rebuilt from the change log: aims.progress.trends) -------------------------------

def change(trend: pd.DataFrame, weeks: int = 4) -> tuple[float, date] | None:
    """(readiness now minus readiness `weeks` weeks earlier, in points, and the day it is measured
    from): the earliest week when the trend is shorter; None with fewer than two weeks or a
    readiness missing at either end."""
    if len(trend) < 2:
        return None
    then = trend.iloc[max(0, len(trend) - 1 - weeks)]
    now = trend.iloc[-1]
    if pd.isna(then["readiness_pct"]) or pd.isna(now["readiness_pct"]):
        return None
    return round(float(now["readiness_pct"]) - float(then["readiness_pct"]), 1), then["as_of"]


# ---- actions, risks, findings --------------------------------------------------------------------

def overdue_by_owner(acts: pd.DataFrame) -> pd.DataFrame:
    """Overdue actions (actions.actions `overdue`: past due and not done) per owner, blanks as
    NO_OWNER: owner, overdue (count), oldest_due, actions (their IDs, oldest due first). Most
    overdue actions first, then the oldest due date, then the owner."""
    cols = ["owner", "overdue", "oldest_due", "actions"]
    late = acts[acts["overdue"]] if len(acts) else acts
    if late.empty:
        return pd.DataFrame(columns=cols)
    late = late.assign(owner=late["owner"].where(late["owner"].fillna("").str.strip() != "", NO_OWNER))
    late = late.sort_values(["due", "id"])
    rows = [{"owner": owner, "overdue": len(part), "oldest_due": part["due"].iloc[0], "actions": list(part["id"])}
            for owner, part in late.groupby("owner", sort=False)]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["overdue", "oldest_due", "owner"], ascending=[False, True, True]).reset_index(drop=True)


def top_risks(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` risks not closed with the highest current score (register.table output), those
    above appetite first among equal scores, then by ID (the register's order): id, title,
    current_score, current_level, above_appetite, owner, treatment ('' when not decided),
    status, due, treatment_overdue. Unrated risks come last."""
    cols = ["id", "title", "current_score", "current_level", "above_appetite", "owner", "treatment", "status", "due",
            "treatment_overdue"]
    live = table[table["status"] != "closed"] if len(table) else table
    if live.empty:
        return pd.DataFrame(columns=cols)
    ranked = live.assign(_s=live["current_score"].astype("Float64").fillna(-1), _o=range(len(live)))
    ranked = ranked.sort_values(["_s", "above_appetite", "_o"], ascending=[False, False, True])
    return ranked.head(n)[cols].reset_index(drop=True)


def open_findings(record: dict, status: pd.DataFrame, register: pd.DataFrame | None = None) -> dict:
    """The findings on record and the open gaps (see the module rules).

    `record` is the register entry of the record of nonconformities (documents.register row:
    document, status, record_date, open_major), `status` scoring.with_status output. Returns
    nonconformities: {record (its name), on_file (the record is available), open_major (int, or
    None when the record is not on file or does not state it), text (its state in words)};
    gaps: the open gaps, mandatory documentation first then the largest gap (scoring.top_gaps
    order); gap_count; not_assessed (applicable requirements not rated yet: not gaps, not ready);
    open: the open findings of `register` (findings.table; worst grade first, then ID) when it has
    rows, which then also decide open_major and the text."""
    if register is not None and len(register):
        return _from_register(register, status)
    name, on_file = record["document"], record["status"] == "available"
    open_major = record["open_major"] if on_file and not pd.isna(record["open_major"]) else None
    dated = f" (record dated {record['record_date'].isoformat()})" if on_file and record["record_date"] else ""
    if not on_file:
        text = f"{name}: {record['status']}, so no nonconformity is on record yet."
    elif open_major is None:
        text = f"{name} available; it does not state how many major nonconformities are open."
    elif open_major == 0:
        text = f"No major nonconformity open{dated}."
    else:
        text = f"{open_major} major nonconformit{'y' if open_major == 1 else 'ies'} open{dated}."
    return {"nonconformities": {"record": name, "on_file": on_file, "open_major": open_major, "text": text},
            **_gaps(status), "open": pd.DataFrame(columns=OPEN_COLUMNS)}


OPEN_COLUMNS = ["id", "grade", "title", "owner", "due", "overdue"]
_GRADE_ORDER = {"major nonconformity": 0, "minor nonconformity": 1, "observation": 2, "opportunity for improvement": 3}


def _gaps(status: pd.DataFrame) -> dict:
    gaps = scoring.top_gaps(status, len(status))
    applicable = status[status["applicable"].astype(bool)]
    return {"gaps": gaps.reset_index(drop=True), "gap_count": len(gaps),
            "not_assessed": int((applicable["status"] == "not assessed").sum())}


def _from_register(register: pd.DataFrame, status: pd.DataFrame) -> dict:
    live = register[register["status"] == "open"]
    live = live.assign(_g=live["grade"].map(_GRADE_ORDER), _n=range(len(live))).sort_values(["_g", "_n"])
    majors = list(live.loc[live["grade"] == "major nonconformity", "id"])
    minors = int((live["grade"] == "minor nonconformity").sum())
    other = len(live) - len(majors) - minors
    parts = [f"{len(majors)} major nonconformit{'y' if len(majors) == 1 else 'ies'} open"
             + (f" ({', '.join(majors)})" if majors else ""),
             f"{minors} minor", f"{other} observation{'' if other == 1 else 's'} or opportunit{'y' if other == 1 else 'ies'}"]
    text = "; ".join(parts) + " (findings register)."
    return {"nonconformities": {"record": "Findings register", "on_file": True, "open_major": len(majors), "text": text},
            **_gaps(status), "open": live[OPEN_COLUMNS].reset_index(drop=True)}


# ---- everything the page shows --------------------------------------------------------------------

def snapshot(con, workspace_id: int, catalog: Catalog, default_target: int, target_date: date | None,
             today: date | None = None) -> dict:
    """The dashboard of a workspace: overall (scoring.summary), trend (progress.trends.trend: weeks,
    baselines, now) and since (trends.change_since: since the last baseline, else over 4 weeks),
    gate (Stage 1), forecast (roadmap Forecast), actions (count),
    blocked (count), overdue (overdue_by_owner), risks (top_risks), risk_summary
    (register.summary), appetite (the risk appetite score), findings (open_findings) and
    figures: progress (the percentages over time), counts (open gaps and risks above appetite over
    time), burnup, phases (None when there is nothing to draw)."""
    today = today or date.today()
    status = scoring.with_status(assessments.table(con, workspace_id, catalog, default_target))
    overall = scoring.summary(status)
    gate = documents.stage1_gate(con, workspace_id, catalog, today)
    acts = roadmap.actions(con, workspace_id, catalog, default_target, today)
    fc = forecast.forecast(acts, today, target_date)
    progress = forecast.phase_progress(acts, roadmap_phases.phases(con, workspace_id), today)
    table = risks.table(con, workspace_id, today=today)
    series = trends.trend(con, workspace_id, catalog, default_target, target_date, today, gate=gate,
                          now=snapshot_figures(status, gate, table, acts, today, target_date))
    register = documents.register(con, workspace_id, catalog, today).set_index("id", drop=False)
    record = register.loc[catalog.stage1_record("nonconformities")].to_dict()
    raised = audit_findings.table(con, workspace_id, today)
    return {
        "today": today, "overall": overall, "trend": series, "since": trends.change_since(series), "gate": gate,
        "forecast": fc, "actions": len(acts), "blocked": int((acts["status"] == "blocked").sum()) if len(acts) else 0,
        "overdue": overdue_by_owner(acts), "risks": top_risks(table), "risk_summary": risks.summary(table),
        "appetite": risks.criteria(con, workspace_id)["appetite"], "findings": open_findings(record, status, raised),
        "figures": {
            "progress": progress_charts.percent_trend(series, today, target_date),
            "counts": progress_charts.count_trend(series, today, target_date),
            "burnup": None if acts.empty else roadmap_charts.burnup(
                forecast.burnup(acts, today, target_date), today, target_date, fc.ready, fc.earned),
            "phases": None if acts.empty or progress.empty else roadmap_charts.phase_progress(progress),
        },
    }
