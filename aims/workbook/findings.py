"""Findings sheet: the findings register (ISO/IEC 42001 10.2), one row per finding from internal
audits, certification audits, management reviews and incidents, with the nonconformity
workflow (correction, root cause, corrective action, verification, closure).

Editable, saved through aims.audit.findings with its rules: the title, grade, requirements,
description, evidence, owner and due date; the correction, root cause and five whys; the
corrective action (the ID of a roadmap action, which may be a row added on the Roadmap sheet
of the same workbook); the verification of effectiveness (who, when, effective or not: only
once the action is done); and the closure: filling 'Closed by' and 'Closed on' closes an open
finding when the register's closure rules allow it (a nonconformity needs its correction, root
cause and a done corrective action; a major one also a verification found effective). A closed
finding is not edited here: reopening it needs a reason, given on the Findings page. Where a
finding came from (source, audit, review), when it was raised, its status and next step are
read-only. Findings are raised in the app (Findings page, or from an audit's checklist) and are
never deleted: the register is the audit trail.
"""
from __future__ import annotations

from aims.audit import findings
from aims.common.validate import ValidationError

from .engine import Column
from .registry import Context, Sheet

CLOSING = ("closed_by", "closed_on")


def _requirement_ids(ctx) -> list[str]:
    from aims.catalog.standard import load
    return list((ctx.catalog if ctx is not None else load()).requirements)


def _action_ids(ctx) -> list[str]:
    if ctx is None:
        return []
    from .roadmap import rows as action_rows
    return [r["id"] for r in action_rows(ctx)]


COLUMNS = (
    Column("ID", "id", editable=False, width=8, note="F-001 ... Findings are raised in the app and never deleted."),
    Column("Title", "title", width=32, required=True),
    Column("Grade", "grade", "choice", width=18, choices=findings.GRADES, list_name="Finding grade", level="result",
           required=True),
    Column("Source", "source", editable=False, width=14),
    Column("Audit", "audit_id", editable=False, width=9),
    Column("Review", "review_id", editable=False, width=9),
    Column("Requirements", "requirements", "refs", width=14, ref="requirement", choices=_requirement_ids,
           list_name="Requirement IDs", note="Requirement or Annex A control IDs, separated by '; ' (a "
                                             "nonconformity names at least one)."),
    Column("Description", "description", "long", width=34),
    Column("Evidence", "evidence", "long", width=28),
    Column("Owner", "owner", width=22),
    Column("Due", "due", "date", width=12),
    Column("Raised on", "raised_on", "date", editable=False, width=12),
    Column("Status", "status", "choice", editable=False, width=9, level="result",
           note="open or closed. Close an open finding by filling Closed by and Closed on; reopen it on the "
                "Findings page (a reason is required)."),
    Column("Next step", "next_step", editable=False, width=16),
    Column("Correction", "correction", "long", width=30, note="What was done to contain and correct it."),
    Column("Root cause", "root_cause", "long", width=30),
    Column("Five whys", "five_whys", "long", width=30, note="Optional: one 'why' per line."),
    Column("Corrective action", "action_id", "ref", width=12, ref="action", choices=_action_ids,
           list_name="Roadmap action IDs", note="The ID of the roadmap action that removes the cause (Roadmap "
                                                "sheet); linking another action clears the verification."),
    Column("Action status", "action_status", editable=False, width=11),
    Column("Verified by", "verified_by", width=22),
    Column("Verified on", "verified_on", "date", width=12),
    Column("Verification", "verification", "choice", width=13, choices=findings.RESULTS,
           list_name="Verification result", level="result",
           note="effective or not effective: recorded with who and when, once the corrective action is done."),
    Column("Closed by", "closed_by", width=20, note="With Closed on: closes the finding when the closure rules "
                                                    "allow it."),
    Column("Closed on", "closed_on", "date", width=12),
    Column("Overdue", "overdue", "bool", editable=False, width=9),
)


def rows(ctx: Context) -> list[dict]:
    from .audits import findings_table
    return ctx.cached("findings", lambda: findings_table(ctx).to_dict("records"))


def _plain(values: dict) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items()}


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    data = _plain(fields)
    closing = {k: data.pop(k) for k in CLOSING if k in data}
    if data:
        findings.update(con, ctx.ws_id, key, data, today=ctx.today)
    if closing:
        stored = findings.get(con, ctx.ws_id, key)
        if stored is not None and stored["status"] == "closed":
            raise ValidationError(f"{key} is closed: its closure is not changed in the workbook. Reopen it on the "
                                  "Findings page (a reason is required), then close it again.")
        findings.close(con, ctx.ws_id, key, values.get("closed_by"), values.get("closed_on"), today=ctx.today)


def kpis(ctx: Context) -> list[tuple]:
    s = findings.summarise(findings_frame(ctx))
    return [("Open findings", s["open"], f"{s['majors_open']} major and {s['minors_open']} minor nonconformities "
             f"open, {s['overdue']} finding{'s' if s['overdue'] != 1 else ''} overdue; {s['closed']} closed.")]


def findings_frame(ctx: Context):
    from .audits import findings_table
    return findings_table(ctx)


def sheet() -> Sheet:
    return Sheet("Findings", "The findings register: nonconformities, observations and opportunities, with "
                 "correction, root cause, corrective action, verification and closure.", COLUMNS, rows=rows,
                 key="id", entity="finding", change=change, kpis=kpis)
