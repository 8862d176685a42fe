"""Named baselines of a workspace: its whole assessment frozen at one moment (aims.progress.snapshot),
kept to compare with later ('how far have we come since the kick-off?').

Rules:
- A baseline ('B-001', local to the workspace) has a name (required, at most NAME_LIMIT
  characters, unique in the workspace ignoring case), a kind (KINDS: taken by hand, or
  automatically before a workbook import), an optional note, when and by whom it was taken.
- Taking one freezes the state inside the write transaction that stores it, so it never mixes two
  moments. Once taken it is read-only: only its name and note can change; deleting it removes it.
- The headline figures are stored as columns too (snapshot.FIGURES), so trends read them
  without unpacking payloads.
- Taking, renaming and deleting need the edit right in the workspace; reading needs none beyond
  seeing the workspace.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.catalog.standard import Catalog
from aims.common.validate import LONG_TEXT, ValidationError, raise_if, text
from aims.progress import snapshot
from aims.store import conflicts, db

NAME_LIMIT = 80
KINDS = ("manual", "before import")
LIST_COLUMNS = ["id", "name", "kind", "note", "taken_at", "taken_by", *snapshot.FIGURES, "size_bytes"]


def _name(cur, workspace_id: int, value, problems: list[str], except_id: str | None = None) -> str:
    name = text(value, "Baseline name", problems, limit=NAME_LIMIT, required=True)
    if name and cur.execute("SELECT 1 FROM baseline WHERE workspace_id = ? AND lower(name) = lower(?) AND id <> ?",
                            [workspace_id, name, except_id or ""]).fetchone():
        problems.append(f"A baseline named {name!r} already exists in this workspace; choose another name.")
    return name


def take(con, workspace_id: int, name: str, catalog: Catalog, default_target: int, note: str = "",
         kind: str = "manual", who: str | None = None, today: date | None = None,
         taken_at: datetime | None = None) -> str:
    """Freeze the workspace's assessment now as a baseline named `name`; returns its ID.
    `taken_at` dates it other than now (the demo's history; never in the future)."""
    ws = int(workspace_id)
    with db.transaction(con) as tx:
        cur = tx.cur
        db.require_workspace(cur, ws)
        members.require(cur, ws, EDIT, what="taking a baseline")
        problems: list[str] = []
        clean = _name(cur, ws, name, problems)
        note = text(note, "Note", problems, limit=LONG_TEXT)
        if kind not in KINDS:
            problems.append(f"Baseline kind {kind!r} is not one of: {', '.join(KINDS)}.")
        if taken_at is not None and taken_at > datetime.now():
            problems.append("A baseline cannot be dated in the future.")
        raise_if(problems)
        frozen = snapshot.capture(tx, ws, catalog, default_target, today)
        if taken_at is not None:
            frozen["taken_at"] = taken_at.isoformat(timespec="seconds")
        payload = snapshot.pack(frozen)
        bid = db.next_local_id(cur, "baseline", ws, "B")
        figures = frozen["figures"]
        cur.execute(
            "INSERT INTO baseline (workspace_id, id, name, kind, note, taken_at, taken_by, readiness_pct, stage1_pct,"
            " stage2_pct, assessed_pct, open_gaps, risks_above, roadmap_pct, size_bytes, payload)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ws, bid, clean, kind, note, datetime.fromisoformat(frozen["taken_at"]), db.author(who),
             *[figures[k] for k in snapshot.FIGURES], len(payload), payload])
        db.log_change(cur, ws, "baseline", bid, "taken", None, clean, who)
    return bid


def free_name(con, workspace_id: int, stem: str) -> str:
    """`stem`, or `stem (2)`, `stem (3)`... : the first name no baseline of the workspace has."""
    with db.reading(con) as cur:
        taken = {r[0].lower() for r in cur.execute("SELECT name FROM baseline WHERE workspace_id = ?",
                                                   [int(workspace_id)]).fetchall()}
    name, n = stem[:NAME_LIMIT], 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = stem[:NAME_LIMIT - len(suffix)] + suffix, n + 1
    return name


def listing(con, workspace_id: int) -> pd.DataFrame:
    """The workspace's baselines, oldest first (columns LIST_COLUMNS; no payload)."""
    with db.reading(con) as cur:
        return cur.execute(
            "SELECT id, name, kind, note, taken_at, taken_by, readiness_pct, stage1_pct, stage2_pct, assessed_pct,"
            " open_gaps, risks_above, roadmap_pct, size_bytes FROM baseline WHERE workspace_id = ?"
            " ORDER BY taken_at, id", [int(workspace_id)]).df()[LIST_COLUMNS]


def find(con, workspace_id: int, name_or_id: str) -> str | None:
    """The ID of the baseline with this ID or name (ignoring case), or None."""
    key = str(name_or_id).strip()
    with db.reading(con) as cur:
        row = cur.execute("SELECT id FROM baseline WHERE workspace_id = ? AND (id = ? OR lower(name) = lower(?))"
                          " ORDER BY id LIMIT 1", [int(workspace_id), key, key]).fetchone()
    return None if row is None else row[0]


def load(con, workspace_id: int, baseline_id: str) -> dict:
    """The frozen snapshot of one baseline, with its `name` and `id` added; ValidationError when
    the workspace has no such baseline."""
    with db.reading(con) as cur:
        row = cur.execute("SELECT name, payload FROM baseline WHERE workspace_id = ? AND id = ?",
                          [int(workspace_id), str(baseline_id)]).fetchone()
    if row is None:
        raise ValidationError(f"There is no baseline {baseline_id} in this workspace.")
    return {**snapshot.unpack(row[1]), "name": row[0], "id": str(baseline_id)}


def rename(con, workspace_id: int, baseline_id: str, name: str, note: str | None = None,
           who: str | None = None, base: dict | None = None) -> None:
    """Change a baseline's name (and note, unless None). Its frozen content never changes.
    `base` holds the name and note the user's form showed: a field left as shown is not written,
    and one someone else changed since raises conflicts.EditConflict (nothing written)."""
    ws, bid = int(workspace_id), str(baseline_id)
    with db.transaction(con) as tx:
        cur = tx.cur
        row = cur.execute("SELECT name, note FROM baseline WHERE workspace_id = ? AND id = ?", [ws, bid]).fetchone()
        if row is None:
            raise ValidationError(f"There is no baseline {bid} in this workspace.")
        members.require(cur, ws, EDIT, what=f"renaming baseline {bid}")
        problems: list[str] = []
        clean = _name(cur, ws, name, problems, except_id=bid)
        new_note = row[1] if note is None else text(note, "Note", problems, limit=LONG_TEXT)
        raise_if(problems)
        stored = {"name": row[0], "note": row[1]}
        write, found = conflicts.settle(bid, stored, {"name": clean, "note": new_note}, base)
        conflicts.raise_if_conflicts(cur, ws, "baseline", found, {"name": "Name", "note": "Note"})
        clean, new_note = write.get("name", row[0]), write.get("note", row[1])
        if (clean, new_note) == (row[0], row[1]):
            return
        cur.execute("UPDATE baseline SET name = ?, note = ? WHERE workspace_id = ? AND id = ?",
                    [clean, new_note, ws, bid])
        db.log_diff(cur, ws, "baseline", bid, {"name": row[0], "note": row[1]}, {"name": clean, "note": new_note}, who)


def delete(con, workspace_id: int, baseline_id: str, who: str | None = None) -> None:
    """Delete a baseline."""
    ws, bid = int(workspace_id), str(baseline_id)
    with db.transaction(con) as tx:
        cur = tx.cur
        row = cur.execute("SELECT name FROM baseline WHERE workspace_id = ? AND id = ?", [ws, bid]).fetchone()
        if row is None:
            raise ValidationError(f"There is no baseline {bid} in this workspace.")
        members.require(cur, ws, EDIT, what=f"deleting baseline {bid}")
        cur.execute("DELETE FROM baseline WHERE workspace_id = ? AND id = ?", [ws, bid])
        db.log_change(cur, ws, "baseline", bid, "deleted", row[0], None, who)
