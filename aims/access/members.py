"""Workspace members and the permission check every write function makes.

Contract:
- `require(cur, workspace_id, need, owner=..., what=...)` raises AccessDenied (a
  ValidationError, so pages show it like any refused input) unless the acting person may do
  `need` in the workspace; write functions call it on their own transaction's cursor, before
  writing. The one local user of an installation without sign-in passes every check.
- `visible_ids` is the set of workspaces the actor may open (None: all of them).
- `add`, `change` and `remove` manage the member list (owners and administrators only); a
  workspace always keeps at least one owner. Every change goes into the change log.
"""
from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from aims.access import identity, rules
from aims.access.identity import Actor
from aims.common.validate import SHORT_TEXT, ValidationError, raise_if, text
from aims.store import db

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccessDenied(ValidationError):
    """The acting person may not do this; the message says who they are and what their role allows."""


def _membership(cur, workspace_id: int, actor: Actor) -> tuple[str | None, str]:
    row = cur.execute("SELECT role, name FROM workspace_member WHERE workspace_id = ? AND email = ?",
                      [int(workspace_id), actor.email]).fetchone() if actor.email else None
    return (row[0], row[1]) if row else (None, "")


def _workspace_label(cur, workspace_id: int) -> str:
    row = cur.execute("SELECT name FROM workspace WHERE id = ?", [int(workspace_id)]).fetchone()
    return f"workspace {row[0]!r}" if row else f"workspace {workspace_id}"


def require(cur, workspace_id: int, need: str, *, owner: str | None = None, what: str = "",
            actor: Actor | None = None) -> None:
    """Raise AccessDenied unless the actor (default: the acting one) may do `need` ('read',
    'edit' or 'manage') in the workspace. For a record a contributor may own, pass its `owner`
    text (for a new record, the owner it gets) and `what` it is ("risk R-003") for the message."""
    actor = actor or identity.current()
    if actor.local:
        return
    role, name = _membership(cur, workspace_id, actor)
    if not rules.allows(actor, role, need, owner, name):
        raise AccessDenied(rules.refusal(actor, role, need, _workspace_label(cur, workspace_id), what, owner))


def require_each(cur, workspace_id: int, owned: dict[str, str | None], actor: Actor | None = None) -> None:
    """`require(..., 'edit')` for several records at once, with one message listing every record
    refused: `owned` maps what a record is ("risk R-003") to its owner text, or to None for a
    change contributors may not make even to what they own."""
    actor = actor or identity.current()
    if actor.local or not owned:
        return
    role, name = _membership(cur, workspace_id, actor)
    if role != "contributor":
        require(cur, workspace_id, rules.EDIT, actor=actor)
        return
    label = _workspace_label(cur, workspace_id)
    refused = [rules.refusal(actor, role, rules.EDIT, label, what, owner)
               for what, owner in owned.items() if not rules.allows(actor, role, rules.EDIT, owner, name)]
    if refused:
        raise AccessDenied(refused[:10] + ([f"... and {len(refused) - 10} more."] if len(refused) > 10 else []))


def require_admin(what: str = "create workspaces", actor: Actor | None = None) -> None:
    """Raise AccessDenied unless the actor is an app administrator (or the local user)."""
    actor = actor or identity.current()
    if not (actor.local or actor.admin):
        who = actor.email or "Nobody is signed in, and nobody"
        raise AccessDenied(f"{who} may not {what}: only the app administrators may.")


def role(con, workspace_id: int, actor: Actor | None = None) -> str | None:
    """The actor's role in the workspace ('owner' for the local user), or None."""
    actor = actor or identity.current()
    if actor.local:
        return "owner"
    with db.reading(con) as cur:
        return _membership(cur, workspace_id, actor)[0]


def can(con, workspace_id: int, need: str, owner: str | None = None, actor: Actor | None = None) -> bool:
    """Whether `require` would pass: for showing or hiding what a role cannot do (never the check)."""
    actor = actor or identity.current()
    if actor.local:
        return True
    with db.reading(con) as cur:
        r, name = _membership(cur, workspace_id, actor)
    return rules.allows(actor, r, need, owner, name)


def visible_ids(con, actor: Actor | None = None) -> set[int] | None:
    """The ids of the workspaces the actor is a member of; None for the local user (all)."""
    actor = actor or identity.current()
    if actor.local:
        return None
    if not actor.email:
        return set()
    with db.reading(con) as cur:
        return {r[0] for r in cur.execute("SELECT workspace_id FROM workspace_member WHERE email = ?",
                                          [actor.email]).fetchall()}


def listing(con, workspace_id: int) -> pd.DataFrame:
    """The members of a workspace (email, name, role, added_at, added_by), owners first: for its
    members and for the administrators, who manage every workspace's members."""
    order = "CASE role " + " ".join(f"WHEN '{r}' THEN {i}" for i, r in enumerate(rules.ROLES)) + " END"
    with db.reading(con) as cur:
        if not identity.current().admin:
            require(cur, workspace_id, rules.READ)
        return cur.execute("SELECT email, name, role, added_at, added_by FROM workspace_member WHERE workspace_id = ?"
                           f" ORDER BY {order}, email", [int(workspace_id)]).df()   # order: trusted constants


def _clean(email, role_, name, problems: list[str]) -> tuple[str, str, str]:
    mail = text(email, "Email", problems, required=True, limit=254).lower()
    if mail and not EMAIL.match(mail):
        problems.append(f"{mail!r} is not an email address (the identity people sign in with).")
    if role_ not in rules.ROLES:
        problems.append(f"Role must be one of {', '.join(rules.ROLES)}, not {role_!r}.")
    return mail, role_, text(name, "Name", problems, limit=SHORT_TEXT)


def _owners(cur, workspace_id: int) -> int:
    return cur.execute("SELECT count(*) FROM workspace_member WHERE workspace_id = ? AND role = 'owner'",
                       [int(workspace_id)]).fetchone()[0]


def add(con, workspace_id: int, email: str, role_: str, name: str = "") -> str:
    """Add a member; returns the email as stored. Raises ValidationError for a bad email or
    role, an unknown workspace or someone already a member, AccessDenied unless the actor
    owns the workspace or is an administrator."""
    problems: list[str] = []
    mail, role_, name = _clean(email, role_, name, problems)
    raise_if(problems)
    with db.writing(con) as cur:
        db.require_workspace(cur, workspace_id)
        require(cur, workspace_id, rules.MANAGE)
        if cur.execute("SELECT 1 FROM workspace_member WHERE workspace_id = ? AND email = ?",
                       [int(workspace_id), mail]).fetchone():
            raise ValidationError(f"{mail} is already a member of this workspace; change their role instead.")
        _insert(cur, workspace_id, mail, role_, name)
    return mail


def _insert(cur, workspace_id: int, mail: str, role_: str, name: str) -> None:
    cur.execute("INSERT INTO workspace_member VALUES (?, ?, ?, ?, ?, ?)",
                [int(workspace_id), mail, name, role_, datetime.now(), db.current_user()])
    db.log_change(cur, int(workspace_id), "member", mail, "role", None, role_)


def grant_owner(cur, workspace_id: int, actor: Actor | None = None) -> None:
    """Make a signed-in actor the owner of a workspace they just created (inside that write)."""
    actor = actor or identity.current()
    if actor.signed_in:
        _insert(cur, workspace_id, actor.email, "owner", actor.name[:SHORT_TEXT])


def change(con, workspace_id: int, email: str, role_: str, name: str | None = None) -> int:
    """Change a member's role (and name when given); returns the number of fields changed.
    Refuses to leave the workspace without an owner."""
    problems: list[str] = []
    mail, role_, clean_name = _clean(email, role_, name, problems)
    raise_if(problems)
    with db.writing(con) as cur:
        require(cur, workspace_id, rules.MANAGE)
        old = _existing(cur, workspace_id, mail)
        new = {"role": role_, "name": old["name"] if name is None else clean_name}
        if old["role"] == "owner" and role_ != "owner" and _owners(cur, workspace_id) == 1:
            raise ValidationError(f"{mail} is the only owner: make someone else an owner first.")
        cur.execute("UPDATE workspace_member SET role = ?, name = ? WHERE workspace_id = ? AND email = ?",
                    [new["role"], new["name"], int(workspace_id), mail])
        return db.log_diff(cur, int(workspace_id), "member", mail, old, new)


def remove(con, workspace_id: int, email: str) -> None:
    """Take a member off the workspace. Refuses to remove its only owner."""
    mail = str(email or "").strip().lower()
    with db.writing(con) as cur:
        require(cur, workspace_id, rules.MANAGE)
        old = _existing(cur, workspace_id, mail)
        if old["role"] == "owner" and _owners(cur, workspace_id) == 1:
            raise ValidationError(f"{mail} is the only owner: make someone else an owner first.")
        cur.execute("DELETE FROM workspace_member WHERE workspace_id = ? AND email = ?", [int(workspace_id), mail])
        db.log_change(cur, int(workspace_id), "member", mail, "role", old["role"], None)


def _existing(cur, workspace_id: int, mail: str) -> dict:
    row = cur.execute("SELECT role, name FROM workspace_member WHERE workspace_id = ? AND email = ?",
                      [int(workspace_id), mail]).fetchone()
    if row is None:
        raise ValidationError(f"{mail or 'That person'} is not a member of this workspace.")
    return {"role": row[0], "name": row[1]}
