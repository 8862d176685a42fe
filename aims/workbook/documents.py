"""Documents sheet: the documented-information register (ISO/IEC 42001 7.5), one row per
document: those the catalogue requires (ID = the document's name) and those the organisation
added (D-001 ...).

Editable: status, owner, version, record date (records), location, review dates, due date and
notes; for added documents also the name and the linked requirements. A document is approved with
a version; a record is available with the date of its latest record. A new row adds a document; a row of an
added document deleted in Excel removes it when confirmed (catalogue documents cannot be
removed: set their status instead).
"""
from __future__ import annotations

from aims.governance import documents

from .engine import Column
from .registry import Context, Sheet


def _requirement_ids(ctx) -> list[str]:
    from aims.catalog.standard import load
    return list((ctx.catalog if ctx is not None else load()).requirements)


COLUMNS = (
    Column("ID", "id", editable=False, width=24, note="The document's name for documents the standard requires, "
           "D-001 ... for documents the organisation added. Leave blank to add a document."),
    Column("Document", "title", width=34, required=True,
           note="Only the name of a document the organisation added can be changed."),
    Column("Requirements", "req_ids", "refs", width=16, ref="requirement", choices=_requirement_ids,
           list_name="Requirement IDs", note="Requirement IDs, separated by '; ' (fixed for catalogue documents)."),
    Column("Kind", "kind", editable=False, width=10,
           note="document (maintained: approved with a version) or record (retained: available with a date)."),
    Column("Required", "required", "bool", editable=False, width=10),
    Column("Why", "applies", "long", editable=False, width=24),
    Column("Status", "status", "choice", width=10, choices=documents.STATUSES, list_name="Document status",
           level="document", note="Documents: missing, draft or approved (needs a version and a location). "
                                  "Records: missing, partial or available (needs the record date and a location)."),
    Column("Owner", "owner", width=24),
    Column("Version", "version", width=9, limit=40),
    Column("Record date", "record_date", "date", width=12, note="Records only: the date of the latest record held."),
    Column("Location", "location", "long", width=32),
    Column("Last review", "last_review", "date", width=12),
    Column("Next review", "next_review", "date", width=12),
    Column("Due", "due", "date", width=12),
    Column("Notes", "notes", "long", width=32),
    Column("Review overdue", "review_overdue", "bool", editable=False, width=10),
)


def rows(ctx: Context) -> list[dict]:
    return ctx.cached("documents", lambda: [
        {**r, "title": r["document"]} for r in documents.register(ctx.con, ctx.ws_id, ctx.catalog,
                                                                   ctx.today).to_dict("records")])


def _fields(values: dict) -> dict:
    out = {k: v for k, v in values.items() if k not in ("req_ids",)}
    if "req_ids" in values:
        out["requirements"] = list(values["req_ids"])
    return out


def add(con, ctx: Context, values: dict) -> str:
    return documents.add(con, ctx.ws_id, ctx.catalog, _fields(values), today=ctx.today)


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    documents.save(con, ctx.ws_id, ctx.catalog, {key: _fields(fields)}, today=ctx.today)


def delete(con, ctx: Context, key: str) -> None:
    documents.delete(con, ctx.ws_id, ctx.catalog, key)


def kpis(ctx: Context) -> list[tuple]:
    s = documents.stage1_readiness(ctx.con, ctx.ws_id, ctx.catalog)
    return [("Required documents and records in place", None if s["pct"] is None else round(s["pct"] / 100, 3),
             f"{s['approved']} of {s['documents']} documents approved ({s['draft']} draft), {s['available']} of "
             f"{s['records']} records available ({s['partial']} partial), {s['missing']} missing.")]


def sheet() -> Sheet:
    return Sheet("Documents", "The documented-information register: status, owner, version, location, reviews.",
                 COLUMNS, rows=rows, key="id", entity="document", add=add, change=change, delete=delete,
                 kpis=kpis, removable=lambda row: bool(row.get("custom")))
