"""Evidence Requests sheet: what each owner should provide by when (missing or draft required
documents, and gaps without evidence), sorted by owner and due date. Read only: it is derived
from the register and the gap analysis, so answer it by editing those sheets."""
from __future__ import annotations

from aims.governance import evidence

from .engine import Column
from .registry import Context, Sheet

COLUMNS = (
    Column("Owner", "owner", editable=False, width=28),
    Column("Source", "source", editable=False, width=12),
    Column("Ref", "ref", editable=False, width=10),
    Column("Item", "item", "long", editable=False, width=36),
    Column("Request", "request", "long", editable=False, width=48),
    Column("Due", "due", "date", editable=False, width=12),
    Column("Overdue", "overdue", "bool", editable=False, width=9),
    Column("Status", "status", editable=False, width=14),
)


def rows(ctx: Context) -> list[dict]:
    return evidence.requests(ctx.con, ctx.ws_id, ctx.catalog, ctx.today).to_dict("records")


def sheet() -> Sheet:
    return Sheet("Evidence Requests", "Per owner: which documents and evidence to provide, and by when.",
                 COLUMNS, rows=rows)
