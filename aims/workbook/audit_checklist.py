"""Audit Checklist sheet: the checklist results (ISO/IEC 42001 9.2), one row per checklist item of
every audit that has a checklist ('AU-001/5.2'), with our own audit questions and the evidence to
sample beside them.

Editable: the auditor (blank: the audit's lead auditor), the result, the evidence sampled, the
notes and the override reason, saved through aims.audit.checklist.save_results with its rules:
impartiality (a result on an item whose auditor owns the requirement needs an override reason),
the allowed results, and a completed audit's checklist is closed. Rows are neither added nor
removed here: the checklist follows the audit's scope (Audits sheet, or the Audits page).
Findings are raised from a result on the Audits page.
"""
from __future__ import annotations

from aims.audit import checklist

from .engine import Column
from .registry import Context, Sheet

COLUMNS = (
    Column("ID", "id", editable=False, width=14, note="The audit and the requirement (AU-001/5.2). The checklist "
           "is generated from the audit's scope: rows cannot be added or removed here."),
    Column("Audit", "audit", editable=False, width=26),
    Column("Requirement", "req_id", editable=False, width=11),
    Column("Title", "title", editable=False, width=26),
    Column("Auditor", "auditor", width=22, note="Blank: the audit's lead auditor. An auditor does not audit what "
           "they own (9.2.2)."),
    Column("Result", "result", "choice", width=18, choices=checklist.RESULTS, list_name="Audit result",
           level="result", note="Blank until audited; nonconformities, observations and opportunities for "
                                "improvement are raised as findings on the Audits page."),
    Column("Evidence sampled", "evidence_sampled", "long", width=32),
    Column("Notes", "notes", "long", width=32),
    Column("Override reason", "override_reason", "long", width=24,
           note="Why the auditor audits something they own: needed to record a result on an item flagged "
                "in the Impartiality column."),
    Column("Impartiality", "impartiality", "long", editable=False, width=24,
           note="What the item's auditor owns (from the gap analysis, SoA and documents)."),
    Column("Audit questions", "questions", "long", editable=False, width=40),
    Column("Evidence to sample", "hints", "long", editable=False, width=32),
    Column("Findings", "raised", editable=False, width=12, note="Findings raised from this item (Findings sheet)."),
)


def rows(ctx: Context) -> list[dict]:
    def load_rows():
        from .audits import rows as audit_rows
        out = []
        for a in audit_rows(ctx):
            if not a["items"]:
                continue
            items = checklist.items(ctx.con, ctx.ws_id, a["id"], ctx.catalog)
            for r in items.to_dict("records"):
                out.append({
                    "id": f"{a['id']}/{r['req_id']}", "audit": f"{a['id']} {a['title']}", "req_id": r["req_id"],
                    "title": r["title"], "auditor": r["auditor"], "result": r["result"],
                    "evidence_sampled": r["evidence_sampled"], "notes": r["notes"],
                    "override_reason": r["override_reason"],
                    "impartiality": (f"{r['auditor_shown']} owns " + " and ".join(r["conflicts"])) if r["flagged"]
                    else "",
                    "questions": "\n".join(f"- {q}" for q in r["questions"]),
                    "hints": "\n".join(f"- {e}" for e in r["evidence_hints"]),
                    "raised": "; ".join(r["findings"])})
        return out
    return ctx.cached("audit_checklist", load_rows)


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    audit_id, _, req_id = key.partition("/")
    checklist.save_results(con, ctx.ws_id, audit_id, {req_id: dict(fields)})


def kpis(ctx: Context) -> list[tuple]:
    items = rows(ctx)
    if not items:
        return []
    audited = sum(1 for r in items if r["result"])
    flagged = sum(1 for r in items if r["impartiality"] and not r["override_reason"])
    return [("Checklist items audited", f"{audited} of {len(items)}",
             "Checklist items with a result, over the checklists of every audit"
             + (f"; {flagged} flagged for impartiality without an override reason." if flagged else "."))]


def sheet() -> Sheet:
    return Sheet("Audit Checklist", "Checklist results per audit and requirement: auditor, result, evidence "
                 "sampled, notes, impartiality.", COLUMNS, rows=rows, key="id", entity="audit_item",
                 change=change, kpis=kpis)
