"""The Members tab of the Workspaces page: who works in the open workspace and with which role.

Everyone who can open the workspace sees the member list; its owners and the app
administrators (chrome.may_manage) also get the forms that add a member, change a role and
remove a member. aims.access.members checks every one of those writes itself: a refusal (a bad
email, someone already a member, the last owner) is shown with what was typed kept, and
nothing is written. In an installation without sign-in there are no members: the tab says so.
"""
from __future__ import annotations

import streamlit as st

from aims.access import identity, members, rules
from aims.common.text import visible_controls
from aims.common.validate import ValidationError
from aims.store import db
from aims.ui import chrome

ROLE_HELP = "\n".join(f"- {rules.ROLE_LABELS[r]}" for r in rules.ROLES)
NEW_ROLE = "viewer"         # a new member starts with the least a role allows, unless chosen otherwise


def a(role: str) -> str:
    """'an owner', 'a viewer'."""
    return ("an " if role[:1] in "aeiou" else "a ") + role


def panel(con, ws: dict | None) -> None:
    """The Members tab for the open workspace `ws` (None: no workspace is open)."""
    actor = identity.current()
    if not actor.signed_in:
        st.info("Members and roles apply once sign-in is configured: each person then signs in and works in the "
                "workspaces they are a member of, as owner, editor, contributor or viewer. See the README, section "
                "'Serving a team'. Without sign-in this app has one user, who may do everything.",
                icon=":material/group:")
        return
    if actor.admin:
        ws = _any_workspace(con, ws)
    if ws is None:
        st.info("Open a workspace to see its members.", icon=":material/info:")
        return
    try:
        people = members.listing(con, ws["id"])
    except ValidationError as exc:
        chrome.show_problems(exc, "The members cannot be shown")
        return
    _table(people)
    if not chrome.may_manage():
        st.caption(f"Only the owners of {chrome.plain(ws['name'])} and the app administrators add members or "
                   "change their roles.")
        return
    _add_form(con, ws)
    if people.empty:
        return
    left, right = st.columns(2, gap="large")
    with left:
        _change_role(con, ws, people)
    with right:
        _remove(con, ws, people, actor)


def _any_workspace(con, ws: dict | None) -> dict | None:
    """Administrators manage the members of every workspace, their own or not (to hand a client
    to a colleague, or to recover one whose owners left): they pick it here."""
    from aims.store import workspaces

    every = workspaces.list_all(con, include_archived=True)
    if every.empty:
        return None
    ids = [int(i) for i in every["id"]]
    names = dict(zip(ids, every["name"]))
    current = ws["id"] if ws and ws["id"] in ids else ids[0]
    chosen = st.selectbox("Workspace whose members to manage", ids, index=ids.index(current),
                          format_func=lambda i: visible_controls(names[i]), key=f"members_ws_{chrome.digest(sorted(names.items()))}",
                          help="As an administrator you manage the members of every workspace, including those "
                               "you are not a member of.")
    return workspaces.get(con, chosen)


def _table(people) -> None:
    st.dataframe(people[["email", "name", "role", "added_by", "added_at"]], hide_index=True, placeholder="",
                 column_config={"email": "Email", "name": "Name", "role": "Role", "added_by": "Added by",
                                "added_at": st.column_config.DatetimeColumn("Added", format="YYYY-MM-DD HH:mm")})
    st.caption(" · ".join(rules.ROLE_LABELS[r] for r in rules.ROLES) + ".")


def _label(row) -> str:
    return f"{row['email']}" + (f" ({row['name']})" if row["name"] else "") + f", {row['role']}"


def _add_form(con, ws: dict) -> None:
    version = chrome.form_version("member_add")
    with st.form(f"member_add_{ws['id']}_{version}", border=True):
        st.markdown("**Add a member**")
        c = st.columns([3, 2, 2])
        email = c[0].text_input("Email *", max_chars=254, placeholder="name@firm.example",
                                help="The email address the person signs in with.")
        name = c[1].text_input("Name", max_chars=200, placeholder="optional")
        role = c[2].selectbox("Role", rules.ROLES, index=rules.ROLES.index(NEW_ROLE), help=ROLE_HELP,
                              format_func=str.capitalize)
        if not st.form_submit_button("Add member", type="primary", icon=":material/person_add:"):
            return
    try:
        mail = db.retrying(lambda: members.add(con, ws["id"], email, role, name))
    except ValidationError as exc:
        chrome.show_problems(exc, "Nobody was added")
        return
    chrome.form_done("member_add")
    chrome.flash(f"Added {mail} to {ws['name']} as {a(role)}.")
    st.rerun()


def _change_role(con, ws: dict, people) -> None:
    st.markdown("**Change a role**")
    labels = {r["email"]: _label(r) for _, r in people.iterrows()}
    email = chrome.labelled_picker("Member", list(labels), labels, f"member_change_pick_{ws['id']}")
    current = people.set_index("email").loc[email, "role"]
    role = st.selectbox("New role", rules.ROLES, index=rules.ROLES.index(current), help=ROLE_HELP,
                        format_func=str.capitalize, key=f"member_change_role_{ws['id']}_{email}")
    if not st.button("Change role", key=f"member_change_btn_{ws['id']}", icon=":material/manage_accounts:",
                     disabled=role == current):
        return
    try:
        db.retrying(lambda: members.change(con, ws["id"], email, role))
    except ValidationError as exc:
        chrome.show_problems(exc, "The role was not changed")
        return
    chrome.flash(f"{email} is now {a(role)} of {ws['name']}.")
    st.rerun()


def _remove(con, ws: dict, people, actor) -> None:
    st.markdown("**Remove a member**")
    labels = {r["email"]: _label(r) for _, r in people.iterrows()}
    email = chrome.labelled_picker("Member to remove", list(labels), labels, f"member_remove_pick_{ws['id']}")
    version = chrome.form_version("member_remove")
    yourself = email == actor.email
    sure = st.checkbox(f"Yes, remove {chrome.plain(email)}" + (" (yourself)" if yourself else "")
                       + f" from {chrome.plain(ws['name'])}", key=f"member_remove_ok_{ws['id']}_{email}_{version}")
    if not st.button("Remove member", key=f"member_remove_btn_{ws['id']}", icon=":material/person_remove:",
                     disabled=not sure):
        return
    try:
        db.retrying(lambda: members.remove(con, ws["id"], email))
    except ValidationError as exc:
        chrome.show_problems(exc, "Nobody was removed")
        return
    chrome.form_done("member_remove")
    message = f"Removed {email} from {ws['name']}."
    if yourself:                        # they can no longer open it: open one of theirs
        chrome.switch_workspace(None, message)
    chrome.flash(message)
    st.rerun()
