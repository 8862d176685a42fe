"""What each workspace role allows: pure functions, no database.

Roles, from most to least: owner (everything, including the members and deleting the
workspace), editor (changes everything in the workspace), contributor (changes only the
gap-analysis rows with their evidence, the actions, risks and documents they own), viewer
(reads everything, changes nothing). App administrators create workspaces and manage the
members of every workspace; they read and change a workspace's records only as its members.
The one local user of an installation without sign-in may do everything.
"""
from __future__ import annotations

from aims.access.identity import Actor

ROLES = ("owner", "editor", "contributor", "viewer")
ROLE_LABELS = {
    "owner": "Owner: everything, including members and deleting the workspace",
    "editor": "Editor: changes everything in the workspace",
    "contributor": "Contributor: changes only the gap-analysis rows, actions, risks and documents they own",
    "viewer": "Viewer: reads everything, changes nothing (managers)",
}

READ, EDIT, MANAGE = "read", "edit", "manage"
NEEDS = (READ, EDIT, MANAGE)


def owns(owner: str | None, actor: Actor, member_name: str = "") -> bool:
    """True when a record's owner text names the actor: their email or their name (the one the
    sign-in gave, or the one the workspace's member list holds), ignoring case and spaces."""
    said = " ".join(str(owner or "").split()).casefold()
    if not said:
        return False
    names = {actor.email, actor.name, member_name}
    return said in {" ".join(n.split()).casefold() for n in names if n and n.strip()}


def allows(actor: Actor, role: str | None, need: str, owner: str | None = None, member_name: str = "") -> bool:
    """May `actor`, holding `role` in a workspace (None: not a member), do `need` there?

    `owner` is given only for records a contributor may own (gap-analysis rows, actions, risks,
    documents): their owner text (for a new record, the owner it is created with)."""
    if need not in NEEDS:
        raise ValueError(f"unknown need {need!r}")
    if actor.local:
        return True
    if need == MANAGE:
        return role == "owner" or actor.admin
    if role not in ROLES:
        return False
    if need == READ or role in ("owner", "editor"):
        return True
    return role == "contributor" and owner is not None and owns(owner, actor, member_name)


def refusal(actor: Actor, role: str | None, need: str, workspace: str, what: str = "",
            owner: str | None = None) -> str:
    """The message for a refused `need`: who, their role, and what the role allows."""
    who = actor.email or "Nobody is signed in:"
    if not actor.email:
        return f"{who} sign in to open {workspace}."
    if role not in ROLES:
        return f"{who} is not a member of {workspace}. Ask its owner or an administrator to add you."
    if need == MANAGE:
        return f"{who} is {_a(role)} of {workspace}: only its owners and the app administrators manage it."
    if role == "viewer":
        return f"{who} is a viewer of {workspace}: viewers read, they change nothing."
    target = what or "this record"
    if owner is None:
        return (f"{who} is a contributor of {workspace}: contributors change only the gap-analysis rows, "
                f"actions, risks and documents they own, not {target}.")
    owned_by = f"owned by {owner.strip()!r}" if str(owner or "").strip() else "owned by nobody"
    return (f"{who} is a contributor of {workspace}: {target} is {owned_by}; contributors change only "
            "what they own (ask an editor to make you its owner).")


def _a(role: str) -> str:
    return ("an " if role[0] in "aeiou" else "a ") + role
