"""Workspaces: the list of one's workspaces; edit the open one and its members, create,
duplicate, archive or restore, delete (with confirmation). What the acting person's role cannot
do is not offered (aims checks every write itself): administrators (and the local user) create
and duplicate, owners and editors edit the settings, owners and administrators manage members,
archive and delete."""
from datetime import date

import pandas as pd
import streamlit as st

from aims.access import identity, members, rules
from aims.common.validate import ValidationError
from aims.demo import client as demo
from aims.store import workspaces
from aims.ui import chrome, conflicts, members_panel

chrome.start()

con = chrome.connection()
ws = chrome.current_workspace()
actor = identity.current()
chrome.page_header("Workspaces", None, "one workspace per client engagement")
chrome.show_flash()


def open_workspace(ws_id: int, message: str) -> None:
    """Switch to the workspace, and start the add forms afresh (empty) on the next run."""
    st.session_state["ws_forms_v"] = st.session_state.get("ws_forms_v", 0) + 1
    chrome.switch_workspace(ws_id, message)


FORMS_V = st.session_state.get("ws_forms_v", 0)     # bumped after a save: forms re-read the stored values


def workspace_form(key: str, values: dict, submit: str) -> dict | None:
    """The workspace fields as a form; returns the typed values when submitted."""
    with st.form(key, border=True):
        c = st.columns(2)
        out = {"name": c[0].text_input("Workspace name *", values.get("name", ""), max_chars=80, key=f"{key}_name"),
               "organisation": c[1].text_input("Organisation", values.get("organisation", ""), max_chars=200,
                                               key=f"{key}_organisation")}
        c = st.columns(3)
        out["sector"] = c[0].text_input("Sector", values.get("sector", ""), max_chars=200, key=f"{key}_sector")
        sizes = [""] + list(workspaces.SIZES)
        out["size"] = c[1].selectbox("Size", sizes, index=sizes.index(values.get("size") or ""), key=f"{key}_size")
        out["target_date"] = c[2].date_input("Target certification date", values.get("target_date"),
                                             min_value=date(2020, 1, 1), format="YYYY-MM-DD", key=f"{key}_target_date")
        roles = [r.strip() for r in (values.get("ai_roles") or "").split(",") if r.strip()] \
            if isinstance(values.get("ai_roles"), str) else values.get("ai_roles", [])
        c = st.columns([3, 1])
        out["ai_roles"] = c[0].multiselect("The organisation's AI roles", workspaces.AI_ROLES, default=roles,
                                           key=f"{key}_ai_roles")
        out["default_target"] = c[1].selectbox("Default target maturity", [1, 2, 3, 4, 5], key=f"{key}_default_target",
                                               index=int(values.get("default_target", 3)) - 1)
        out["scope"] = st.text_area("AIMS scope statement", values.get("scope", ""), max_chars=5000, height=90,
                                    key=f"{key}_scope")
        return out if st.form_submit_button(submit, type="primary") else None


def settings_view(ws: dict) -> None:
    """The open workspace's settings, read only (for contributors and viewers)."""
    role = chrome.role()
    st.caption(f"You are {members_panel.a(role) if role else 'not a member'} of this workspace: only its owners and "
               "editors change its settings.")
    shown = {"Workspace name": ws["name"], "Organisation": ws["organisation"], "Sector": ws["sector"],
             "Size": ws["size"], "Target certification date": ws["target_date"], "AI roles": ws["ai_roles"],
             "Default target maturity": ws["default_target"], "AIMS scope statement": ws["scope"]}
    st.dataframe(pd.DataFrame({"Setting": list(shown), "Value": ["" if v is None or pd.isna(v) else str(v)
                                                                 for v in shown.values()]}),
                 hide_index=True, placeholder="")


all_ws = workspaces.list_all(con, include_archived=True)
if not actor.admin:                 # administrators (and the local user) see every workspace
    all_ws = all_ws[all_ws["id"].astype(int).isin(members.visible_ids(con) or set())]
manageable = [int(i) for i in all_ws["id"] if members.can(con, int(i), rules.MANAGE)]
if not all_ws.empty:
    shown = all_ws.assign(status=all_ws["archived"].map({True: "archived", False: "active"}))
    columns = ["name", "organisation", "sector", "target_date", "default_target", "status", "updated_at"]
    if actor.signed_in:
        shown["your_role"] = [members.role(con, int(i)) or "not a member" for i in shown["id"]]
        columns.insert(1, "your_role")
    st.dataframe(shown[columns], hide_index=True, column_config={
                     "name": "Workspace", "your_role": "Your role", "organisation": "Organisation", "sector": "Sector",
                     "target_date": st.column_config.DateColumn("Target date", format="YYYY-MM-DD"),
                     "default_target": st.column_config.NumberColumn("Default target", format="%d"),
                     "status": "Status",
                     "updated_at": st.column_config.DatetimeColumn("Last changed", format="YYYY-MM-DD HH:mm")}, placeholder="")


def edit_tab() -> None:
    if ws is None:
        st.info("No active workspace. Create one in the New workspace tab, or restore an archived one." if actor.admin
                else "You are not a member of any active workspace yet: ask a workspace owner or an administrator "
                     "to add you.", icon=":material/info:")
    elif not chrome.may_edit():
        settings_view(ws)
    else:
        form = f"ws_edit_{ws['id']}"
        prefix, shown = conflicts.opened(form, {f: ws[f] for f in workspaces.FIELDS})
        values = workspace_form(prefix, {**ws, **shown}, "Save changes")
        conflicts.submit(form, str(ws["id"]), values, shown,
                         lambda data, base: workspaces.update(con, ws["id"], data, base=base),
                         lambda n: chrome.fields_saved(n, (values or shown)["name"]),
                         after=lambda: chrome.switch_workspace(ws["id"], None))     # the save's message stays


def new_tab() -> None:
    values = workspace_form(f"ws_new_{FORMS_V}", {"default_target": 3}, "Create workspace")
    if values is not None:
        try:
            new_id = workspaces.create(con, values)
            open_workspace(new_id, f"Created workspace {values['name']}: every requirement starts as not assessed.")
        except ValidationError as exc:
            chrome.show_problems(exc)
    st.divider()
    st.markdown("**Demo client**: recreate the fictional lender with its partial gap analysis and SoA.")
    if st.button("Recreate the demo workspace", icon=":material/restart_alt:"):
        try:
            new_id = demo.create(con, chrome.catalog(), replace=True)
        except ValidationError as exc:
            chrome.show_problems(exc, "The demo workspace was not recreated")
        else:
            open_workspace(new_id, "The demo workspace was recreated.")


def duplicate_tab() -> None:
    if ws is None:
        st.info("Select a workspace to duplicate.")
        return
    with st.form(f"ws_dup_{ws['id']}_{FORMS_V}"):
        name = st.text_input(f"Name of the copy of {chrome.plain(ws['name'])}", f"{ws['name']} (copy)"[:80],
                             max_chars=80)
        if st.form_submit_button("Duplicate", type="primary"):
            try:
                new_id = workspaces.duplicate(con, ws["id"], name)
                open_workspace(new_id, f"Duplicated into {name}.")
            except ValidationError as exc:
                chrome.show_problems(exc)


def archive_tab(mine) -> None:
    names = dict(zip(mine["id"].astype(int), mine["name"] + mine["archived"].map({True: " (archived)", False: ""})))
    target = chrome.labelled_picker("Workspace", list(names), names, f"ws_archive_pick_{ws['id'] if ws else 0}",
                                    current=ws["id"] if ws else None)
    row = mine.set_index("id").loc[target]
    archived = bool(row["archived"])
    st.caption("Archived workspaces keep all their data but leave the workspace picker.")
    if st.button("Restore" if archived else "Archive", key="ws_archive_btn"):
        try:
            workspaces.set_archived(con, target, not archived)
        except ValidationError as exc:
            chrome.show_problems(exc)
            return
        chrome.flash(f"{row['name']} {'restored' if archived else 'archived'}.")
        st.rerun()


def delete_tab(mine) -> None:
    names = dict(zip(mine["id"].astype(int), mine["name"]))
    target = chrome.labelled_picker("Workspace to delete", list(names), names,
                                    f"ws_delete_pick_{ws['id'] if ws else 0}", current=ws["id"] if ws else None)
    st.warning(f"Deleting **{chrome.plain(names[target])}** removes all its assessments and records for good. "
               "Take a backup first (see the README).", icon=":material/warning:")
    with st.form(f"ws_delete_{FORMS_V}"):
        typed = st.text_input("Type the workspace name to confirm", max_chars=80)
        if st.form_submit_button("Delete for good", type="primary"):
            try:
                workspaces.delete(con, target, typed)
                st.session_state["ws_forms_v"] = FORMS_V + 1
                chrome.switch_workspace(None if ws is None or target == ws["id"] else ws["id"],
                                        f"Deleted {names[target]}.")
            except ValidationError as exc:
                chrome.show_problems(exc)


# Each tab is offered only to whom it serves (the settings read only to contributors and viewers);
# the tab open stays open after a save (on_change="rerun" keeps it in ws_tab).
mine = all_ws[all_ws["id"].astype(int).isin(manageable)]      # what archive and delete offer
first = "Edit current" if ws is None or chrome.may_edit() else "Current workspace"
draw = {first: edit_tab, "Members": lambda: members_panel.panel(con, ws)}
if actor.admin:
    draw |= {"New workspace": new_tab, "Duplicate": duplicate_tab}
if not mine.empty:
    draw |= {"Archive or restore": lambda: archive_tab(mine), "Delete": lambda: delete_tab(mine)}
labels = list(draw)
if st.session_state.get("ws_tab") not in labels:
    st.session_state.pop("ws_tab", None)
for label, tab in zip(labels, st.tabs(labels, key="ws_tab", on_change="rerun")):
    with tab:
        draw[label]()
