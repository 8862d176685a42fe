"""Workspaces: one client engagement each. Create, rename/edit, duplicate, archive, delete.

Every write runs in one transaction, checks the acting person's permission (aims.access:
creating and duplicating are for administrators, who then own the new workspace; editing the
settings for owners and editors; archiving and deleting for owners and administrators) and logs
its changes; bad input or a refused permission raises ValidationError with nothing written.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT, MANAGE, READ
from aims.common.validate import LONG_TEXT, ValidationError, choice, day, integer, raise_if, text
from aims.store import conflicts, db

SIZES = ("1-49 staff", "50-249 staff", "250-999 staff", "1,000-4,999 staff", "5,000+ staff")
AI_ROLES = ("provider", "developer", "deployer", "user", "importer", "distributor", "product manufacturer")
FIELDS = ("name", "organisation", "sector", "size", "scope", "ai_roles", "target_date", "default_target")


def clean(data: dict) -> dict:
    """Validated workspace fields from user input; raises ValidationError listing every problem."""
    p: list[str] = []
    out = {
        "name": text(data.get("name"), "Workspace name", p, limit=80, required=True),
        "organisation": text(data.get("organisation"), "Organisation", p),
        "sector": text(data.get("sector"), "Sector", p),
        "size": choice(data.get("size"), "Size", SIZES, p, default=""),
        "scope": text(data.get("scope"), "AIMS scope", p, limit=LONG_TEXT),
        "target_date": day(data.get("target_date"), "Target certification date", p),
        "default_target": integer(data.get("default_target", 3), "Default target maturity", p,
                                  low=1, high=5, allow_none=False),
    }
    roles = data.get("ai_roles") or []
    if isinstance(roles, str):
        roles = [r.strip() for r in roles.split(",") if r.strip()]
    unknown = [r for r in roles if r not in AI_ROLES]
    if unknown:
        p.append(f"Unknown AI role(s): {', '.join(unknown)}; allowed: {', '.join(AI_ROLES)}.")
    out["ai_roles"] = ", ".join(r for r in AI_ROLES if r in roles)
    raise_if(p)
    return out


def list_all(con, include_archived: bool = False) -> pd.DataFrame:
    """Workspaces ordered by name (archived ones only when asked)."""
    sql = "SELECT * FROM workspace" + ("" if include_archived else " WHERE NOT archived") + " ORDER BY lower(name)"
    with db.reading(con) as cur:
        return cur.execute(sql).df()


def get(con, workspace_id: int) -> dict | None:
    """One workspace as a dict, or None when the id is unknown."""
    with db.reading(con) as cur:
        df = cur.execute("SELECT * FROM workspace WHERE id = ?", [int(workspace_id)]).df()
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    row["target_date"] = None if pd.isna(row["target_date"]) else pd.Timestamp(row["target_date"]).date()
    return row


def _check_name_free(cur, name: str, except_id: int | None = None) -> None:
    hit = cur.execute("SELECT id FROM workspace WHERE lower(name) = lower(?) AND id IS DISTINCT FROM ?",
                      [name, except_id]).fetchone()
    if hit:
        raise ValidationError(f"A workspace named {name!r} already exists; choose another name.")


def _insert(cur, row: dict) -> int:
    """Insert a cleaned workspace row under a free name; returns its id."""
    _check_name_free(cur, row["name"])
    now = datetime.now()
    return cur.execute(
        "INSERT INTO workspace (name, organisation, sector, size, scope, ai_roles, target_date,"
        " default_target, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
        [row[f] for f in FIELDS] + [now, now]).fetchone()[0]


def _existing(con, workspace_id: int) -> dict:
    """The workspace, or a ValidationError naming the unknown id."""
    old = get(con, workspace_id)
    if old is None:
        raise ValidationError(f"There is no workspace with id {workspace_id}.")
    return old


def create(con, data: dict, who: str | None = None) -> int:
    """Create a workspace and return its id."""
    row = clean(data)
    members.require_admin()
    with db.writing(con) as cur:
        new_id = _insert(cur, row)
        db.log_diff(cur, new_id, "workspace", new_id, {}, row, who)
        members.grant_owner(cur, new_id)
    return new_id


def update(con, workspace_id: int, data: dict, who: str | None = None, base: dict | None = None) -> int:
    """Change a workspace's fields (rename included); returns the number of fields changed.
    `base` holds the stored values the user's form was opened on: fields left as shown are not
    written, and a field someone else changed since raises conflicts.EditConflict."""
    with db.transaction(con) as tx:
        old = _existing(tx, workspace_id)
        members.require(tx.cur, workspace_id, EDIT)
        stored = {f: old[f] for f in FIELDS}
        row = clean({**stored, **data})
        if base is not None:
            write, found = conflicts.settle(str(workspace_id), stored, {f: row[f] for f in data if f in row}, base)
            conflicts.raise_if_conflicts(tx.cur, int(workspace_id), "workspace", found)
            row = clean({**stored, **write})
        cur = tx.cur
        _check_name_free(cur, row["name"], int(workspace_id))
        cur.execute("UPDATE workspace SET " + ", ".join(f"{f} = ?" for f in FIELDS)
                    + ", updated_at = ? WHERE id = ?", [row[f] for f in FIELDS] + [datetime.now(), int(workspace_id)])
        return db.log_diff(cur, int(workspace_id), "workspace", workspace_id, old, row, who)


def set_archived(con, workspace_id: int, archived: bool, who: str | None = None) -> None:
    """Archive (hide from the picker) or restore a workspace."""
    old = _existing(con, workspace_id)
    with db.writing(con) as cur:
        members.require(cur, workspace_id, MANAGE)
        cur.execute("UPDATE workspace SET archived = ?, updated_at = ? WHERE id = ?",
                    [archived, datetime.now(), int(workspace_id)])
        db.log_change(cur, int(workspace_id), "workspace", workspace_id, "archived", old["archived"], archived, who)


def duplicate(con, workspace_id: int, new_name: str, who: str | None = None) -> int:
    """Copy a workspace with all its records under a new name; returns the new id."""
    old = _existing(con, workspace_id)
    row = clean({**{f: old[f] for f in FIELDS}, "name": new_name})
    members.require_admin("duplicate workspaces")
    with db.writing(con) as cur:
        members.require(cur, workspace_id, READ)
        new_id = _insert(cur, row)
        # Rows are keyed by IDs local to the workspace, so a plain copy keeps every link intact.
        for table in db.workspace_tables(cur):
            if table == "workspace_member":     # the copy's members: its creator (below)
                continue
            cols = [c[0] for c in cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if c[0] != "workspace_id"]
            col_list = ", ".join(cols)
            sql = f"INSERT INTO {table} (workspace_id, {col_list}) SELECT ?, {col_list} FROM {table} WHERE workspace_id = ?"
            cur.execute(sql, [new_id, int(workspace_id)])
        db.log_change(cur, new_id, "workspace", new_id, "duplicated_from", None, old["name"], who)
        members.grant_owner(cur, new_id)
    return new_id


def delete(con, workspace_id: int, confirm_name: str, who: str | None = None) -> None:
    """Delete a workspace and everything in it. `confirm_name` must repeat its name exactly."""
    old = _existing(con, workspace_id)
    if (confirm_name or "").strip() != old["name"]:
        raise ValidationError(f"Type the workspace name {old['name']!r} exactly to confirm the deletion.")
    with db.writing(con) as cur:
        members.require(cur, workspace_id, MANAGE)
        for table in db.workspace_tables(cur):
            cur.execute(f"DELETE FROM {table} WHERE workspace_id = ?", [int(workspace_id)])  # trusted identifier
        cur.execute("DELETE FROM workspace WHERE id = ?", [int(workspace_id)])
        db.log_change(cur, None, "workspace", workspace_id, "deleted", old["name"], None, who)


# ---- branding of the client report ----------------------------------------------------------------

LOGO_MAX_BYTES = 1024 * 1024
LOGO_TYPES = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def logo_kind(data: bytes) -> str | None:
    """'png' or 'jpeg' from the file's first bytes (its magic number), None for anything else."""
    return next((kind for kind, magic in LOGO_TYPES.items() if data[:len(magic)] == magic), None)


def brand(con, workspace_id: int) -> dict:
    """The client report's look for a workspace: colour ('#RRGGBB', '' for the default), logo
    (bytes or None) and logo_type ('png', 'jpeg' or '')."""
    with db.reading(con) as cur:
        row = cur.execute("SELECT colour, logo, logo_type FROM workspace_brand WHERE workspace_id = ?",
                          [int(workspace_id)]).fetchone()
    if row is None:
        return {"colour": "", "logo": None, "logo_type": ""}
    return {"colour": row[0] or "", "logo": bytes(row[1]) if row[1] is not None else None, "logo_type": row[2] or ""}


def set_brand(con, workspace_id: int, colour: str, logo: bytes | None = None, logo_type: str = "",
              who: str | None = None, clear_logo: bool = False) -> int:
    """Set the report's accent colour ('#RRGGBB', or '' for the default) and, when `logo` is given,
    its logo (PNG or JPEG, at most 1 MB, recognised by its first bytes; `logo_type` as declared
    by the upload, checked against them). `clear_logo` removes the logo. Returns the number of
    fields changed (logged; the logo is logged by its type and size, never its bytes)."""
    p: list[str] = []
    colour = (colour or "").strip()
    if colour and not _COLOUR.fullmatch(colour):
        p.append(f"Colour must look like #1F4E79 (a '#' and six hexadecimal digits), not {colour!r}.")
    kind = None
    if logo is not None and not clear_logo:
        kind = logo_kind(logo)
        if len(logo) > LOGO_MAX_BYTES:
            p.append(f"The logo is {len(logo) / 1024 / 1024:.1f} MB; the limit is 1 MB.")
        if kind is None:
            p.append("The logo must be a PNG or JPEG image.")
        elif logo_type and logo_type.lower().replace("image/", "").replace("jpg", "jpeg") != kind:
            p.append(f"The logo file is a {kind.upper()} image, not {logo_type!r}.")
    raise_if(p)
    with db.transaction(con) as tx:
        cur = tx.cur
        if cur.execute("SELECT 1 FROM workspace WHERE id = ?", [int(workspace_id)]).fetchone() is None:
            raise ValidationError(f"There is no workspace with id {workspace_id}.")
        members.require(cur, workspace_id, EDIT)
        row = cur.execute("SELECT colour, logo, logo_type FROM workspace_brand WHERE workspace_id = ?",
                          [int(workspace_id)]).fetchone()
        old_logo = bytes(row[1]) if row and row[1] is not None else None
        old = {"colour": row[0] if row else "", "logo": _logo_note(old_logo, row[2] if row else "")}
        new_logo = None if clear_logo else (logo if kind else old_logo)
        new_type = "" if new_logo is None else (kind or (row[2] if row else ""))
        new = {"colour": colour, "logo": _logo_note(new_logo, new_type)}
        cur.execute("DELETE FROM workspace_brand WHERE workspace_id = ?", [int(workspace_id)])
        cur.execute("INSERT INTO workspace_brand (workspace_id, colour, logo, logo_type, updated_at) VALUES (?,?,?,?,?)",
                    [int(workspace_id), colour, new_logo, new_type, datetime.now()])
        return db.log_diff(cur, int(workspace_id), "workspace_brand", workspace_id, old, new, who)


def _logo_note(data: bytes | None, kind: str) -> str:
    """How the change log names a logo: '' for none, 'png, 12.3 KB, 1a2b3c4d' (its SHA-256 start)."""
    if data is None:
        return ""
    return f"{kind}, {len(data) / 1024:.1f} KB, {hashlib.sha256(data).hexdigest()[:8]}"
