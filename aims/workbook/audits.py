"""Audits sheet: the audit programme (ISO/IEC 42001 9.2) and the certification body's audits, one
row per audit, with its scope as '; '-separated requirement IDs.

Editable: every field the Audits page edits (kind, title, status, dates, lead auditor and team,
scope, objectives, criteria, processes, AI systems, sites, certification body, outcome, the
report's summary and conclusion), saved through aims.audit.programme with its rules (a completed
audit needs its dates, conclusion and every checklist item audited; an internal audit has no
certification body nor outcome; moving an audit into progress generates its checklist). An audit
marked completed in the workbook is completed after the Audit Checklist sheet's results of the
same workbook are recorded. A new row adds an audit; a row deleted in Excel deletes the audit
with its checklist when confirmed (refused while findings come from it). Checklist progress and
the findings raised are read-only.
"""
from __future__ import annotations

from aims.audit import findings, programme
from aims.common.validate import ValidationError, raise_if

from .engine import Column
from .registry import Context, Sheet

DEFERRED = "audits_to_complete"      # memo key: {audit ID: fields applied once the checklist is in}


def _requirement_ids(ctx) -> list[str]:
    from aims.catalog.standard import load
    return list((ctx.catalog if ctx is not None else load()).requirements)


COLUMNS = (
    Column("ID", "id", editable=False, width=9, note="AU-001 ... Leave blank for a new audit."),
    Column("Title", "title", width=32, required=True),
    Column("Kind", "kind", "choice", width=14, choices=programme.KINDS, list_name="Audit kind", required=True,
           note="internal (the audit programme, 9.2), or a certification body's audit: stage 1, stage 2, "
                "surveillance, recertification."),
    Column("Status", "status", "choice", width=11, choices=programme.STATUSES, list_name="Audit status",
           note="planned, in progress (its checklist is generated from the scope) or completed (needs start and "
                "finish dates, the conclusion and every checklist item audited)."),
    Column("Start", "start", "date", width=12),
    Column("Finish", "finish", "date", width=12),
    Column("Lead auditor", "lead_auditor", width=24,
           note="Audits every checklist item that names no other auditor (impartiality: not someone who owns it)."),
    Column("Audit team", "team", "long", width=22, limit=programme.LIST_TEXT, note="Names separated by '; '."),
    Column("Scope", "scope", "refs", width=26, ref="requirement", choices=_requirement_ids,
           list_name="Requirement IDs", note="The clauses and Annex A controls the audit covers, IDs separated by "
                                             "'; '. Its checklist is drawn from them (controls the SoA excludes "
                                             "are left out)."),
    Column("Objectives", "objectives", "long", width=32),
    Column("Criteria", "criteria", "long", width=28),
    Column("Processes", "processes", "long", width=20, limit=programme.LIST_TEXT, note="Separated by '; '."),
    Column("AI systems", "systems", "long", width=20, limit=programme.LIST_TEXT, note="Separated by '; '."),
    Column("Sites", "sites", "long", width=16, limit=programme.LIST_TEXT, note="Separated by '; '."),
    Column("Certification body", "certification_body", width=20, note="Certification audits only."),
    Column("Outcome", "outcome", "choice", width=16, choices=programme.OUTCOMES, list_name="Audit outcome",
           note="Certification audits, once completed: recommended, recommended with conditions or not "
                "recommended."),
    Column("Summary", "summary", "long", width=32, note="The audit report's summary."),
    Column("Conclusion", "conclusion", "long", width=32, note="The audit report's conclusion (needed to complete)."),
    Column("Checklist progress", "progress", editable=False, width=14),
    Column("Findings", "raised", editable=False, width=16, note="Findings raised from this audit (Findings sheet)."),
)


def _progress(items: int, audited: int) -> str:
    if not items:
        return "no checklist yet"
    return f"{audited} of {items} audited ({round(100 * audited / items)}%)"


def rows(ctx: Context) -> list[dict]:
    def load_rows():
        raised: dict[str, list[str]] = {}
        for fid, aid in zip(*[findings_table(ctx)[c] for c in ("id", "audit_id")]):
            if aid:
                raised.setdefault(aid, []).append(fid)
        out = []
        for r in programme.table(ctx.con, ctx.ws_id).to_dict("records"):
            r["progress"] = _progress(r["items"], r["audited"])
            r["raised"] = "; ".join(raised.get(r["id"], []))
            out.append(r)
        return out
    return ctx.cached("audits", load_rows)


def findings_table(ctx: Context):
    """The findings register as the Findings sheet reads it (shared read)."""
    return ctx.cached("findings_table", lambda: findings.table(ctx.con, ctx.ws_id, ctx.today))


def _plain(values: dict) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items()}


def add(con, ctx: Context, values: dict) -> str:
    return programme.create(con, ctx.ws_id, _plain(values), today=ctx.today)


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    data = _plain(fields)
    if data.get("status") == "completed":
        stored = programme.get(con, ctx.ws_id, key)
        if stored is not None and stored["status"] != "completed":
            # completed once the checklist results of this workbook are in (see `after`)
            ctx.memo.setdefault(DEFERRED, {})[key] = {k: data.pop(k) for k in ("status", "outcome") if k in data}
    if data:
        programme.update(con, ctx.ws_id, key, data, today=ctx.today)


def after(con, ctx: Context) -> None:
    problems: list[str] = []
    for key, data in ctx.memo.pop(DEFERRED, {}).items():
        try:
            programme.update(con, ctx.ws_id, key, data, today=ctx.today)
        except ValidationError as exc:
            problems += [p if p.startswith(key) else f"{key}: {p}" for p in exc.problems]
    raise_if(problems)


def delete(con, ctx: Context, key: str) -> None:
    programme.delete(con, ctx.ws_id, key)


def kpis(ctx: Context) -> list[tuple]:
    view = ctx.cached("audit_programme", lambda: programme.overview(ctx.con, ctx.ws_id, ctx.catalog,
                                                                    today=ctx.today))
    s, internal = view["summary"], view["cycle"][view["cycle"]["kind"] == "internal"]
    done = int((internal["status"] == "completed").sum()) if not internal.empty else 0
    note = (f"Applicable requirements in the scope of an internal audit of the cycle {view['window'][0]} to "
            f"{view['window'][1]}; {s['audited']} audited so far; {done} of {len(internal)} internal audits "
            "completed." + (f" {s['warning']}" if s["warning"] else ""))
    return [("Internal audit coverage", f"{s['covered']} of {s['applicable']} requirements", note)]


def sheet() -> Sheet:
    return Sheet("Audits", "The internal audit programme and the certification audits: scope, dates, auditors, "
                 "status, report.", COLUMNS, rows=rows, key="id", entity="audit", add=add, change=change,
                 delete=delete, after=after, kpis=kpis,
                 delete_means="deleted with its scope and checklist (refused while findings come from it)")
