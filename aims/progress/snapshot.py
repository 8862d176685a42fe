"""A workspace's assessment frozen as plain data (what a baseline stores), and its compact form.

`capture` reads the state now; the result is a dict of JSON-able values:
- version (SNAPSHOT_VERSION), taken_at (ISO timestamp), workspace {name, organisation,
  default_target, target_date (ISO or None)}.
- figures: the headline figures FIGURES, computed with the app's own rules (scoring.summary for
  readiness, Stage 2, assessed and open gaps; the Stage 1 gate's conditions met as a percent;
  open risks above appetite by their current rating; the roadmap's earned share of effort).
- requirements: {req_id: {maturity (int or None: not assessed), target (the effective one),
  applicable, exclusion_reason, implementation, evidence_strength, status (scoring.STATUSES)}}.
- risks: {id: {title, status, inherent [L, I] or None, residual [L, I] or None, score (current),
  above_appetite, treatment}}, with appetite (the score above which a risk is above appetite).
- actions: {id: {title, status, phase, due, done_at, effort_days}}.
- documents: {id: {document, kind, status, required}}.
- findings: {id: {title, grade, status}}.
Dates are ISO strings. `pack`/`unpack` turn a snapshot into zlib-compressed JSON and back.
"""
from __future__ import annotations

import json
import zlib
from datetime import date, datetime

import pandas as pd

from aims.assessment import requirements as assessments
from aims.assessment import scoring
from aims.audit import findings as audit_findings
from aims.catalog.standard import Catalog
from aims.governance import documents
from aims.risk import register as risks
from aims.roadmap import actions as roadmap
from aims.roadmap import forecast
from aims.store import db

SNAPSHOT_VERSION = 1
FIGURES = {
    "readiness_pct": "Readiness (%)",
    "stage1_pct": "Stage 1 gate conditions met (%)",
    "stage2_pct": "Stage 2 readiness (%)",
    "assessed_pct": "Requirements assessed (%)",
    "open_gaps": "Open gaps",
    "risks_above": "Open risks above appetite",
    "roadmap_pct": "Roadmap progress (% of effort)",
}
PERCENTS = ("readiness_pct", "stage1_pct", "stage2_pct", "assessed_pct", "roadmap_pct")


def _plain(value):
    """A value as JSON holds it: None for missing, ISO text for dates, Python numbers."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if not isinstance(value, str) and pd.isna(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat() if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):          # numpy scalars
        return value.item()
    return value


def _pair(likelihood, impact) -> list[int] | None:
    if likelihood is None or impact is None or pd.isna(likelihood) or pd.isna(impact):
        return None
    return [int(likelihood), int(impact)]


def figures(status: pd.DataFrame, gate: dict, risk_table: pd.DataFrame, acts: pd.DataFrame, today: date,
            target_date: date | None) -> dict:
    """The headline figures (FIGURES) from the scored assessment (scoring.with_status), the Stage 1
    gate (documents.stage1_gate), the risk register (register.table) and the roadmap
    (actions.actions). A percentage with nothing to count is None."""
    overall = scoring.summary(status)
    live = risk_table[risk_table["status"] != "closed"] if len(risk_table) else risk_table
    fc = forecast.forecast(acts, today, target_date)
    return {
        "readiness_pct": overall["readiness_pct"],
        "stage1_pct": None if not gate["total"] else round(100.0 * gate["met"] / gate["total"], 1),
        "stage2_pct": overall["stage2_pct"],
        "assessed_pct": overall["assessed_pct"],
        "open_gaps": overall["open_gaps"],
        "risks_above": int(live["above_appetite"].astype(bool).sum()) if len(live) else 0,
        "roadmap_pct": None if fc.progress_pct is None else round(float(fc.progress_pct), 1),
    }


def capture(con, workspace_id: int, catalog: Catalog, default_target: int, today: date | None = None) -> dict:
    """The workspace's assessment now (see the module docstring)."""
    today = today or date.today()
    ws = int(workspace_id)
    with db.reading(con) as cur:
        name, organisation, target_date = cur.execute(
            "SELECT name, organisation, target_date FROM workspace WHERE id = ?", [ws]).fetchone()
    target_date = None if target_date is None else pd.Timestamp(target_date).date()
    status = scoring.with_status(assessments.table(con, ws, catalog, default_target))
    gate = documents.stage1_gate(con, ws, catalog, today)
    risk_table = risks.table(con, ws, today=today)
    acts = roadmap.actions(con, ws, catalog, default_target, today)
    register = documents.register(con, ws, catalog, today)
    raised = audit_findings.table(con, ws, today)
    crit = risks.criteria(con, ws)
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": datetime.now().isoformat(timespec="seconds"),
        "workspace": {"name": name, "organisation": organisation or "", "default_target": int(default_target),
                      "target_date": _plain(target_date)},
        "figures": figures(status, gate, risk_table, acts, today, target_date),
        "requirements": {r["req_id"]: {
            "maturity": _plain(r["maturity"]), "target": _plain(r["target"]), "applicable": bool(r["applicable"]),
            "exclusion_reason": r["exclusion_reason"] or "", "implementation": r["implementation"] or "",
            "evidence_strength": r["evidence_strength"] or "", "status": r["status"]}
            for r in status[["req_id", "maturity", "target", "applicable", "exclusion_reason", "implementation",
                             "evidence_strength", "status"]].to_dict("records")},
        "appetite": int(crit["appetite"]),
        "risks": {r["id"]: {
            "title": r["title"], "status": r["status"],
            "inherent": _pair(r["inherent_likelihood"], r["inherent_impact"]),
            "residual": _pair(r["residual_likelihood"], r["residual_impact"]),
            "score": _plain(r["current_score"]), "above_appetite": bool(r["above_appetite"]),
            "treatment": r["treatment"] or ""}
            for r in risk_table.to_dict("records")} if len(risk_table) else {},
        "actions": {r["id"]: {
            "title": r["title"], "status": r["status"], "phase": r["phase"] or "", "due": _plain(r["due"]),
            "done_at": _plain(r["done_at"]), "effort_days": _plain(r["effort_days"])}
            for r in acts.to_dict("records")} if len(acts) else {},
        "documents": {r["id"]: {"document": r["document"], "kind": r["kind"], "status": r["status"],
                                "required": bool(r["required"])}
                      for r in register.to_dict("records")},
        "findings": {r["id"]: {"title": r["title"], "grade": r["grade"], "status": r["status"]}
                     for r in raised.to_dict("records")} if len(raised) else {},
    }


def pack(snapshot: dict) -> bytes:
    """The snapshot as zlib-compressed JSON."""
    return zlib.compress(json.dumps(snapshot, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 6)


def unpack(data: bytes) -> dict:
    """A snapshot back from `pack`'s bytes."""
    return json.loads(zlib.decompress(bytes(data)).decode("utf-8"))
