"""The parking lot: open questions raised (mostly in workshops) and kept in the workspace until
someone resolves them.

Rules: a question is required (at most 1000 characters); owner optional (a name, at most 200);
req_id empty or a catalogue requirement; workshop_id empty or a workshop of the workspace.
Status open -> resolved (`resolve`, a resolution text required, dated) -> open (`reopen`, the
resolution kept in the change log). IDs ('PL-001') are local to the workspace. Every write
validates first, checks the edit right inside its transaction and logs each changed field.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.catalog.standard import load
from aims.common.validate import LONG_TEXT, ValidationError, raise_if, text
from aims.store import conflicts, db

QUESTION_LIMIT = 1000
STATUSES = ("open", "resolved")
_COLUMNS = ("id", "workshop_id", "req_id", "question", "owner", "status", "raised_on", "resolved_on", "resolution")


def listing(con, workspace_id: int, status: str | None = None, workshop_id: str | None = None) -> pd.DataFrame:
    """The workspace's parked questions (only `status` / one workshop's when given), by ID."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM parking_lot WHERE workspace_id = ?"   # fixed columns
    params: list = [int(workspace_id)]
    if status is not None:
        sql, params = sql + " AND status = ?", params + [status]
    if workshop_id is not None:
        sql, params = sql + " AND workshop_id = ?", params + [str(workshop_id)]
    with db.reading(con) as cur:
        return cur.execute(sql + " ORDER BY id", params).df()


def _get(cur, ws: int, pid: str) -> dict:
    df = cur.execute(f"SELECT {', '.join(_COLUMNS)} FROM parking_lot WHERE workspace_id = ? AND id = ?",  # fixed columns
                     [ws, pid]).df()
    if df.empty:
        raise ValidationError(f"There is no parked question {pid} in this workspace.")
    return {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in df.iloc[0].to_dict().items()}


def add(con, workspace_id: int, data: dict, who: str | None = None, today: date | None = None) -> str:
    """Park a question: data question, owner, req_id, workshop_id. Returns its ID ('PL-001')."""
    ws, today = int(workspace_id), today or date.today()
    p: list[str] = []
    new = {"question": text(data.get("question"), "Question", p, limit=QUESTION_LIMIT, required=True),
           "owner": text(data.get("owner"), "Owner", p),
           "req_id": text(data.get("req_id"), "Requirement", p),
           "workshop_id": text(data.get("workshop_id"), "Workshop", p)}
    if new["req_id"] and new["req_id"] not in load().requirements:
        p.append(f"{new['req_id']} is not a requirement of the catalogue.")
    raise_if(p)
    now = datetime.now()
    with db.transaction(con) as tx:
        cur = tx.cur
        db.require_workspace(cur, ws)
        members.require(cur, ws, EDIT, what="a parked question")
        if new["workshop_id"] and cur.execute("SELECT 1 FROM workshop WHERE workspace_id = ? AND id = ?",
                                              [ws, new["workshop_id"]]).fetchone() is None:
            raise ValidationError(f"There is no workshop {new['workshop_id']} in this workspace.")
        pid = db.next_local_id(cur, "parking_lot", ws, "PL")
        cur.execute("INSERT INTO parking_lot (workspace_id, id, workshop_id, req_id, question, owner, status, raised_on,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
                    [ws, pid, new["workshop_id"], new["req_id"], new["question"], new["owner"], today, now, now])
        db.log_diff(cur, ws, "parking_lot", pid, {}, {**new, "status": "open", "raised_on": today}, who)
    return pid


def _set(cur, ws: int, old: dict, new: dict, who) -> None:
    cur.execute("UPDATE parking_lot SET " + ", ".join(f"{k} = ?" for k in new) + ", updated_at = ?"  # keys from code
                " WHERE workspace_id = ? AND id = ?", [*new.values(), datetime.now(), ws, old["id"]])
    db.log_diff(cur, ws, "parking_lot", old["id"], {k: old[k] for k in new}, new, who)


def resolve(con, workspace_id: int, parking_id: str, resolution, who: str | None = None, today: date | None = None,
            base: dict | None = None) -> None:
    """Resolve an open question with its resolution (required), dated today. `base`: the status
    the screen showed (someone else's resolution meanwhile is a conflict)."""
    ws, pid, today = int(workspace_id), str(parking_id), today or date.today()
    p: list[str] = []
    res = text(resolution, "Resolution", p, limit=LONG_TEXT, required=True)
    raise_if(p)
    with db.transaction(con) as tx:
        old = _get(tx.cur, ws, pid)
        members.require(tx.cur, ws, EDIT, what=f"parked question {pid}")
        write, found = conflicts.settle(pid, old, {"status": "resolved"}, base)
        conflicts.raise_if_conflicts(tx.cur, ws, "parking_lot", found)
        if old["status"] == "resolved":
            raise ValidationError(f"{pid} is already resolved.")
        _set(tx.cur, ws, old, {"status": "resolved", "resolved_on": today, "resolution": res}, who)


def reopen(con, workspace_id: int, parking_id: str, who: str | None = None) -> None:
    """Open a resolved question again (its resolution and date are cleared; the change log keeps them)."""
    ws, pid = int(workspace_id), str(parking_id)
    with db.transaction(con) as tx:
        old = _get(tx.cur, ws, pid)
        members.require(tx.cur, ws, EDIT, what=f"parked question {pid}")
        if old["status"] == "open":
            raise ValidationError(f"{pid} is already open.")
        _set(tx.cur, ws, old, {"status": "open", "resolved_on": None, "resolution": ""}, who)
