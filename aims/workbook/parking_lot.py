"""Parking Lot sheet: the open questions parked in workshops (and any resolved since), by ID.
Read only: questions are raised and resolved in the app's workshop mode."""
from __future__ import annotations

from aims.store import db

from .engine import Column
from .registry import Context, Sheet

COLUMNS = (
    Column("ID", "id", editable=False, width=9),
    Column("Workshop", "workshop_id", editable=False, width=10),
    Column("Requirement", "req_id", editable=False, width=12),
    Column("Question", "question", "long", editable=False, width=50),
    Column("Owner", "owner", editable=False, width=22),
    Column("Status", "status", editable=False, width=10),
    Column("Raised on", "raised_on", "date", editable=False, width=12),
    Column("Resolved on", "resolved_on", "date", editable=False, width=12),
    Column("Resolution", "resolution", "long", editable=False, width=40),
)
_SQL = ("SELECT id, workshop_id, req_id, question, owner, status, raised_on, resolved_on, resolution"
        " FROM parking_lot WHERE workspace_id = ? ORDER BY id")


def rows(ctx: Context) -> list[dict]:
    with db.reading(ctx.con) as cur:
        cur.execute(_SQL, [ctx.ws_id])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def sheet() -> Sheet:
    return Sheet("Parking Lot", "Open questions parked in workshops, until they are resolved.", COLUMNS, rows=rows)
