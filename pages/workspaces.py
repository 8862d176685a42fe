"""Workspaces: create, edit or rename, duplicate, archive or restore, delete (with confirmation)."""
from datetime import date

import streamlit as st

from aims.common.validate import ValidationError
from aims.demo import client as demo
from aims.store import workspaces
from aims.ui import chrome, conflicts

chrome.start()

con = chrome.connection()
ws = chrome.current_workspace()
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


all_ws = workspaces.list_all(con, include_archived=True)
if not all_ws.empty:
    shown = all_ws.assign(status=all_ws["archived"].map({True: "archived", False: "active"}))
    st.dataframe(shown[["name", "organisation", "sector", "target_date", "default_target", "status", "updated_at"]],
                 hide_index=True, column_config={
                     "name": "Workspace", "organisation": "Organisation", "sector": "Sector",
                     "target_date": st.column_config.DateColumn("Target date", format="YYYY-MM-DD"),
                     "default_target": st.column_config.NumberColumn("Default target", format="%d"),
                     "status": "Status",
                     "updated_at": st.column_config.DatetimeColumn("Last changed", format="YYYY-MM-DD HH:mm")}, placeholder="")

tabs = st.tabs(["Edit current", "New workspace", "Duplicate", "Archive or restore", "Delete"])
with tabs[0]:
    if ws is None:
        st.info("No active workspace. Create one in the next tab, or restore an archived one.")
    else:
        form = f"ws_edit_{ws['id']}"
        prefix, shown = conflicts.opened(form, {f: ws[f] for f in workspaces.FIELDS})
        values = workspace_form(prefix, {**ws, **shown}, "Save changes")
        conflicts.submit(form, str(ws["id"]), values, shown,
                         lambda data, base: workspaces.update(con, ws["id"], data, base=base),
                         lambda n: chrome.fields_saved(n, (values or shown)["name"]),
                         after=lambda: chrome.switch_workspace(ws["id"], None))     # the save's message stays
with tabs[1]:
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
        new_id = demo.create(con, chrome.catalog(), replace=True)
        open_workspace(new_id, "The demo workspace was recreated.")
with tabs[2]:
    if ws is None:
        st.info("Select a workspace to duplicate.")
    else:
        with st.form(f"ws_dup_{ws['id']}_{FORMS_V}"):
            name = st.text_input(f"Name of the copy of {chrome.plain(ws['name'])}", f"{ws['name']} (copy)"[:80],
                                 max_chars=80)
            if st.form_submit_button("Duplicate", type="primary"):
                try:
                    new_id = workspaces.duplicate(con, ws["id"], name)
                    open_workspace(new_id, f"Duplicated into {name}.")
                except ValidationError as exc:
                    chrome.show_problems(exc)
with tabs[3]:
    if all_ws.empty:
        st.info("There are no workspaces yet.")
    else:
        names = dict(zip(all_ws["id"].astype(int), all_ws["name"] + all_ws["archived"].map({True: " (archived)", False: ""})))
        target = chrome.labelled_picker("Workspace", list(names), names, f"ws_archive_pick_{ws['id'] if ws else 0}",
                                        current=ws["id"] if ws else None)
        archived = bool(all_ws.set_index("id").loc[target, "archived"])
        st.caption("Archived workspaces keep all their data but leave the workspace picker.")
        if st.button("Restore" if archived else "Archive", key="ws_archive_btn"):
            workspaces.set_archived(con, target, not archived)
            plain_name = all_ws.set_index("id").loc[target, "name"]
            chrome.flash(f"{plain_name} {'restored' if archived else 'archived'}.")
            st.rerun()
with tabs[4]:
    if all_ws.empty:
        st.info("There are no workspaces yet.")
    else:
        names = dict(zip(all_ws["id"].astype(int), all_ws["name"]))
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
