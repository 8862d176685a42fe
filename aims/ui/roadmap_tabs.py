"""The tabs of the roadmap page (pages/roadmap.py): the plan on a Gantt, the actions table with
generation and hand-made actions, the manager's progress view, and the phases and effort scale.
Filters and lists are pure functions in aims.roadmap.filters; the rules are in aims.roadmap."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from aims.catalog.standard import Catalog
from aims.common.frames import ANY_OWNER, NO_OWNER
from aims.common.validate import ValidationError
from aims.roadmap import actions as roadmap
from aims.roadmap import charts, filters, forecast
from aims.roadmap import generation as roadmap_generation
from aims.roadmap import phases as roadmap_phases
from aims.ui import chrome, conflicts, editing, roadmap_panels

DERIVED = "(derived)"
EDIT_COLUMNS = {"Title": "title", "Phase": "phase_id", "Owner": "owner", "Effort": "effort",
                "Override": "priority_override", "Status": "status", "%": "percent", "Start": "start",
                "Due": "due", "Done on": "done_at", "Requirements": "requirements", "Notes": "notes"}
PHASE_COLUMNS = {"Order": "position", "Name": "name", "Start": "start", "Finish": "finish"}


@dataclass(frozen=True)
class Roadmap:
    """What every tab reads: the workspace, its phases and actions, and the forecast."""
    con: object
    ws: dict
    cat: Catalog
    today: date
    phases: pd.DataFrame
    acts: pd.DataFrame
    fc: forecast.Forecast
    progress: pd.DataFrame

    @property
    def ws_id(self) -> int:
        return self.ws["id"]

    @property
    def target(self):
        return self.ws["target_date"]

    @property
    def phase_label(self) -> dict:
        return {r.id: f"{r.id} · {r.name}" for r in self.phases.itertuples()}


def filter_actions(m: Roadmap, df: pd.DataFrame, prefix: str, with_search: bool = True) -> pd.DataFrame:
    """Phase, status, owner, priority, overdue and text filters (namespaced widget keys)."""
    PHASE_LABEL = m.phase_label
    f = st.columns([2.2, 2, 1.8, 1.8, 2.2] if with_search else [2.2, 2, 1.8, 1.8])
    chosen = f[0].multiselect("Phase", list(PHASE_LABEL), format_func=PHASE_LABEL.get, key=f"{prefix}_phase",
                              placeholder="All phases")
    statuses = f[1].multiselect("Status", roadmap.STATUSES, key=f"{prefix}_status", placeholder="Any status")
    owners = sorted(o for o in df["owner"].unique() if o)
    owner = f[2].selectbox("Owner", [ANY_OWNER, NO_OWNER] + owners, key=f"{prefix}_owner")
    prios = f[3].multiselect("Priority", roadmap.PRIORITIES, key=f"{prefix}_priority", placeholder="Any priority")
    search = f[4].text_input("Search", key=f"{prefix}_search", placeholder="ID, title, requirement, notes...") \
        if with_search else ""
    overdue_only = st.toggle("Overdue only", key=f"{prefix}_overdue")
    return filters.filter_actions(df, phases=chosen, statuses=statuses, owner=owner, priorities=prios,
                                  overdue_only=overdue_only, search=search)


def write_actions(m: Roadmap, changes: dict, base: dict | None) -> roadmap.SaveResult:
    """Save edited action fields over the values the user's screen showed (see ui.conflicts)."""
    return chrome.with_owners(m.con, m.ws_id, [c.get("owner") for c in changes.values()],
                              lambda tx: roadmap.update_actions(tx, m.ws_id, m.cat, changes, m.today, base=base))


def actions_saved(result: roadmap.SaveResult, changes: dict) -> str:
    """The confirmation of an actions save, naming actions newly done and the requirements to re-rate."""
    msg = chrome.fields_saved(result.changed, "the actions", len(changes))
    linked = {aid: reqs for aid, reqs in result.newly_done.items() if reqs}
    if linked:
        msg += (" Marked done: " + "; ".join(f"{aid} ({', '.join(reqs)})" for aid, reqs in linked.items())
                + ". Re-rate those requirements in the gap analysis (links at the top of the Actions tab);"
                  " ratings are never changed automatically.")
    return msg


def plan_tab(m: Roadmap) -> None:
    """The Gantt chart of the phases and, filtered, the actions."""
    con, WS, today, target, phases, acts, progress = m.con, m.ws_id, m.today, m.target, m.phases, m.acts, m.progress
    c = st.columns([2, 5])
    level = c[0].segmented_control("Show", ["Phases", "Phases and actions"], key="roadmap_gantt_level", required=True,
                                   default="Phases and actions")
    c[1].caption("Phase bars show the planned window and the effort-weighted progress. Action bars are coloured "
                 "by status and say it in words; an outlined bar marked ⚠ is overdue. The dotted line is today, "
                 "the orange line the target certification date: the certificate, which follows Stage 2 once its "
                 "findings are closed and the certification body has decided.")
    shown = acts.iloc[0:0]
    if level == "Phases and actions":
        shown = filter_actions(m, acts, "roadmap_gantt", with_search=False)
        limit = 120
        if len(shown) > limit:
            st.caption(f"Showing the {limit} most urgent of {len(shown)} matching actions (by phase, priority and "
                       "due date): filter by phase, owner or status to see the others.")
            shown = shown.head(limit)
        undated = int((shown["start"].isna() & shown["due"].isna()).sum())
        if undated:
            st.caption(f"{undated} action(s) have neither a start nor a due date and are not drawn.")
    if acts.empty:
        st.info("The phases are planned; there are no actions yet. Generate them from the gaps on the Actions tab.",
                icon=":material/playlist_add:")
    st.plotly_chart(roadmap_panels.gantt(con, WS, phases, shown, today, target, progress), theme=None,
                    key="roadmap_gantt")


def actions_tab(m: Roadmap) -> None:
    """Re-rating links, generation, the editable actions table, adding and linking actions."""
    PENDING = f"roadmap_pending_{m.ws_id}"
    con, WS, ws, cat, today, acts = m.con, m.ws_id, m.ws, m.cat, m.today, m.acts
    PHASE_LABEL = m.phase_label
    waiting = roadmap.awaiting_rerating(con, WS, cat, ws["default_target"])
    if not waiting.empty:
        with st.container(border=True):
            st.markdown(f"**:material/rate_review: {len(waiting)} requirement{'s' if len(waiting) != 1 else ''} "
                        "to re-rate.** Their actions are done, but the gap analysis still shows them below "
                        "target or not assessed. Re-rate them in the workshop view: the app never changes a "
                        "maturity rating by itself.")
            cols = st.columns(3)
            for i, r in enumerate(waiting.head(12).itertuples()):
                title = r.title if len(r.title) <= 34 else r.title[:33].rstrip() + "…"
                cols[i % 3].page_link("pages/gap-analysis.py", label=f"Re-rate {r.req_id} {title}",
                                      icon=":material/arrow_forward:",
                                      query_params={"ws": str(WS), "req": r.req_id},
                                      help=f"{r.action_id} {chrome.plain(r.action_title)} was done on {r.done_at}.")
            if len(waiting) > 12:
                st.caption(f"and {len(waiting) - 12} more: filter the gap analysis by status to find them.")

    if chrome.may_edit():       # generating creates actions for others: an editor's act
        with st.container(border=True):
            g = st.columns([2.2, 3, 4])
            if g[0].button("Generate actions from gaps", type="primary", icon=":material/auto_awesome:",
                           key="roadmap_gen_gaps", use_container_width=True):
                try:
                    res = roadmap_generation.generate_from_gaps(con, WS, cat, today=today,
                                                     include_not_assessed=bool(st.session_state.get("roadmap_gen_na")))
                    parts = [f"Created {len(res.created)} action{'s' if len(res.created) != 1 else ''} from the gaps."]
                    if res.skipped_open:
                        parts.append(f"{len(res.skipped_open)} requirement(s) already have an open action and were "
                                     "left as they are.")
                    if res.waiting_rerating:
                        parts.append(f"{len(res.waiting_rerating)} wait for a re-rating: "
                                     f"{', '.join(res.waiting_rerating[:8])}.")
                    chrome.flash(" ".join(parts))
                    st.rerun()
                except ValidationError as exc:
                    chrome.show_problems(exc, "No actions were created")
            has_risks = roadmap.risks_available(con)
            if g[1].button("Generate actions from risk treatment plans", icon=":material/crisis_alert:",
                           key="roadmap_gen_risks", use_container_width=True, disabled=not has_risks,
                           help="One action per risk treated by mitigate, transfer or avoid that is not closed and "
                                "has no open action, linked to the risk and its planned controls."):
                try:
                    res = roadmap_generation.generate_from_risks(con, WS, cat, today)
                    chrome.flash(f"Created {len(res.created)} action(s) from risk treatment plans"
                                 + (f"; {len(res.skipped_open)} risk(s) already have an open action." if res.skipped_open
                                else "."))
                    st.rerun()
                except ValidationError as exc:
                    chrome.show_problems(exc, "No actions were created")
            g[2].caption("One action per requirement below target with no open action. Running it again creates no "
                         "duplicates and keeps every edit. Effort, priority and phase are suggested; change them below.")
            st.checkbox("Also plan the rating of requirements not assessed yet", key="roadmap_gen_na",
                                  help="Adds a small action (S) in the Gap analysis phase for each requirement that "
                                       "has not been rated yet.")

    if acts.empty:
        st.info("No actions yet." + (" Generate them from the gaps above, or add one by hand below."
                                     if chrome.may_edit() else ""), icon=":material/playlist_add:")
    else:
        view = filter_actions(m, acts, "roadmap_actions")
        page_size = 50
        pages = filters.page_of(view, 1, page_size)[2]
        c = st.columns([1.2, 6])
        if st.session_state.get("roadmap_actions_page", 1) > pages:   # a filter left fewer pages
            st.session_state["roadmap_actions_page"] = pages
        page_no = c[0].number_input("Page", min_value=1, max_value=pages, value=1, step=1,
                                    key="roadmap_actions_page") if pages > 1 else 1
        part, page_no, pages = filters.page_of(view, page_no, page_size)
        c[1].caption(f"Showing {len(part)} of {len(view)} matching actions ({len(acts)} in all)"
                     + (f", page {page_no} of {pages}" if pages > 1 else "") + ". Priority is derived from the "
                     "linked gaps and risks unless you set an override; ⚠ marks overdue actions.")
        frame = pd.DataFrame({
            "ID": part["id"], "Title": part["title"], "Status": part["status"], "%": part["percent"],
            "Due": part["due"], "Flag": part["overdue"].map({True: "⚠ overdue", False: ""}),
            "Owner": part["owner"], "Priority": part["priority"],
            "Override": part["priority_override"].where(part["priority_override"].notna(), DERIVED),
            "Effort": part["effort"], "Phase": part["phase_id"].map(PHASE_LABEL), "Start": part["start"],
            "Done on": part["done_at"], "Requirements": part["requirements"],
            "Risks": part["risks"].map(", ".join), "Why this priority": part["priority_reason"],
            "Notes": part["notes"],
        }).reset_index(drop=True)
        editing.pending_editor(
            frame, PENDING, EDIT_COLUMNS, key=f"roadmap_editor_{WS}",
            column_config={
                "ID": st.column_config.TextColumn(width="small", pinned=True),
                "Title": st.column_config.TextColumn(width="large", max_chars=200, required=True),
                "Phase": st.column_config.SelectboxColumn(options=list(PHASE_LABEL.values()), required=True,
                                                          width="medium"),
                "Owner": st.column_config.TextColumn(max_chars=200, help="One person or team, e.g. 'Priya Shah "
                                                                         "(CRO)', or an e-mail address"),
                "Effort": st.column_config.SelectboxColumn(options=list(roadmap.EFFORTS), required=True,
                                                           width="small"),
                "Priority": st.column_config.TextColumn(width="small", help="The override when set, else derived"),
                "Override": st.column_config.SelectboxColumn(options=[DERIVED, *roadmap.PRIORITIES], required=True,
                                                             width="small"),
                "Status": st.column_config.SelectboxColumn(options=list(roadmap.STATUSES), required=True,
                                                           width="small"),
                "%": st.column_config.NumberColumn(min_value=0, max_value=100, step=1, format="%d%%",
                                                   width="small"),
                "Start": st.column_config.DateColumn(format="YYYY-MM-DD"),
                "Due": st.column_config.DateColumn(format="YYYY-MM-DD"),
                "Done on": st.column_config.DateColumn(format="YYYY-MM-DD",
                                                       help="Set when the status becomes done (today unless "
                                                            "you give the day it was finished)"),
                "Requirements": st.column_config.MultiselectColumn(options=list(cat.requirements),
                                                                   width="medium"),
                "Risks": st.column_config.TextColumn(help="Linked risks: edit them under 'Edit one action'"),
                "Flag": st.column_config.TextColumn(width="small"),
                "Why this priority": st.column_config.TextColumn(width="medium"),
                "Notes": st.column_config.TextColumn(max_chars=5000, width="medium"),
            },
            disabled=["ID", "Priority", "Risks", "Flag", "Why this priority"],
            height=min(760, 35 * (len(frame) + 1) + 3), owned=True,
        )
        editing.save_bar(PENDING, lambda changes, base: write_actions(m, changes, base), "roadmap", frame,
                         EDIT_COLUMNS, message=actions_saved, owned=True)

    if not chrome.may_edit(owned=True):
        return
    risk_titles = roadmap.risk_titles(con, WS)
    risk_ids = list(risk_titles)
    with st.expander("Add an action by hand", icon=":material/add_task:"):
        if chrome.role() == "contributor":
            st.caption("You are a contributor: name yourself as the owner of the action you add.")
        if not PHASE_LABEL:
            st.info("Add a phase first (tab Phases and effort).")
        else:
            fv = chrome.form_version("roadmap_add_action")
            with st.form(f"roadmap_add_action_{fv}"):
                c = st.columns([3, 2, 2])
                title = c[0].text_input("Title *", max_chars=200, key=f"roadmap_new_title_{fv}")
                phase = c[1].selectbox("Phase *", list(PHASE_LABEL), format_func=PHASE_LABEL.get,
                                       key=f"roadmap_new_phase_{fv}")
                owner = chrome.owner_picker(c[2], "Owner", chrome.owner_options(con, WS), "",
                                            key=f"roadmap_new_owner_{fv}")
                c = st.columns(4)
                effort = c[0].selectbox("Effort", roadmap.EFFORTS, index=1, key=f"roadmap_new_effort_{fv}")
                start = c[1].date_input("Start", None, format="YYYY-MM-DD", key=f"roadmap_new_start_{fv}")
                due = c[2].date_input("Due", None, format="YYYY-MM-DD", key=f"roadmap_new_due_{fv}")
                override = c[3].selectbox("Priority", [DERIVED, *roadmap.PRIORITIES], key=f"roadmap_new_priority_{fv}")
                c = st.columns(2)
                reqs = c[0].multiselect("Requirements or controls", list(cat.requirements),
                                        format_func=lambda r: f"{r} {cat.requirements[r].title}",
                                        key=f"roadmap_new_reqs_{fv}")
                rks = c[1].multiselect("Risks", risk_ids, format_func=lambda r: f"{r} {risk_titles.get(r, '')}",
                                       key=f"roadmap_new_risks_{fv}", disabled=not risk_ids)
                notes = st.text_area("Notes", max_chars=5000, height=80, key=f"roadmap_new_notes_{fv}")
                if st.form_submit_button("Add action", type="primary"):
                    try:
                        aid = chrome.with_owners(con, WS, [owner], lambda tx: roadmap.create_action(tx, WS, cat, {
                            "title": title, "phase_id": phase, "owner": owner, "effort": effort, "start": start,
                            "due": due, "priority_override": override, "requirements": reqs, "risks": rks,
                            "notes": notes}, today))
                        chrome.form_done("roadmap_add_action")
                        chrome.flash(f"Added {aid}: {title}.")
                        st.rerun()
                    except ValidationError as exc:
                        chrome.show_problems(exc, "The action was not added")

    if not acts.empty:
        with st.expander("Edit one action's links, or delete it", icon=":material/link:"):
            labels = dict(zip(acts["id"], acts["id"] + " " + acts["title"]))
            aid = st.selectbox("Action", list(labels), format_func=labels.get, key="roadmap_one_action")
            row = acts.set_index("id").loc[aid]
            with st.form(f"roadmap_links_{aid}"):
                c = st.columns(2)
                reqs = c[0].multiselect("Requirements or controls", list(cat.requirements),
                                        default=list(row["requirements"]),
                                        format_func=lambda r: f"{r} {cat.requirements[r].title}",
                                        key=f"roadmap_links_reqs_{aid}")
                rks = c[1].multiselect("Risks", sorted(set(risk_ids) | set(row["risks"])),
                                       default=list(row["risks"]),
                                       format_func=lambda r: f"{r} {risk_titles.get(r, '') if risk_ids else ''}",
                                       key=f"roadmap_links_risks_{aid}", disabled=not risk_ids)
                st.caption(f"Priority now: **{row['priority']}** ({row['priority_reason']}). Source: {row['source']}"
                           + (f" {row['source_ref']}" if row["source_ref"] else "") + ".")
                if st.form_submit_button("Save links", type="primary"):
                    try:
                        n = roadmap.update_actions(con, WS, cat, {aid: {"requirements": reqs, "risks": rks}},
                                                   today).changed
                        chrome.flash(chrome.fields_saved(n, f"the links of {aid}"))
                        st.rerun()
                    except ValidationError as exc:
                        chrome.show_problems(exc)
            if chrome.may_edit():        # deleting is an editor's act
                sure = st.checkbox(f"Yes, delete {aid} for good", key=f"roadmap_delete_sure_{aid}")
                if st.button("Delete this action", disabled=not sure, key=f"roadmap_delete_{aid}",
                             icon=":material/delete:"):
                    roadmap.delete_actions(con, WS, [aid])
                    chrome.flash(f"Deleted {aid}.")
                    st.rerun()


def manager_tab(m: Roadmap) -> None:
    """Phase progress, the burn-up with the forecast, overdue and blocked actions, workload."""
    today, target, acts, fc, progress = m.today, m.target, m.acts, m.fc, m.progress
    if acts.empty:
        st.info("Nothing to follow yet: generate the actions from the gaps on the Actions tab.",
                icon=":material/insights:")
    else:
        st.plotly_chart(charts.phase_progress(progress), theme=None, key="roadmap_phase_progress")
        st.plotly_chart(charts.burnup(forecast.burnup(acts, today, target), today, target, fc.ready,
                                         fc.earned), theme=None, key="roadmap_burnup")
        with st.expander("How progress and the forecast are computed", icon=":material/calculate:"):
            st.markdown(roadmap_panels.RULE)
            if fc.pace:
                st.markdown(f"Now: {fc.done_in_window:g} effort days done in the last {fc.window_days} days, a "
                            f"pace of {fc.pace * 7:.1f} effort days a week; {fc.remaining:g} effort days remain.")
        st.subheader("Overdue and blocked")
        late = filters.overdue_and_blocked(acts, today)
        if late.empty:
            st.success("No action is overdue or blocked.", icon=":material/task_alt:")
        else:
            st.dataframe(late[["id", "title", "phase", "owner", "priority", "status", "percent", "due", "days_late",
                               "flags", "notes"]], hide_index=True, column_config={
                "id": st.column_config.TextColumn("ID", width="small"),
                "title": st.column_config.TextColumn("Action", width="large"), "phase": "Phase",
                "owner": "Owner", "priority": "Priority", "status": "Status",
                "percent": st.column_config.NumberColumn("%", format="%d%%"),
                "due": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
                "days_late": st.column_config.NumberColumn("Days late", format="%d"),
                "flags": "Flags", "notes": st.column_config.TextColumn("Notes", width="medium")}, placeholder="")
        load = forecast.workload(acts, today)
        if load.empty:
            st.success("Every action is done.", icon=":material/task_alt:")
        else:
            st.plotly_chart(charts.workload(load), theme=None, key="roadmap_workload")
            if len(load) > 15:
                st.caption(f"The 15 owners with the most work left are shown, of {len(load)}.")


def phases_tab(m: Roadmap) -> None:
    """The phases table, adding, dropping and re-planning phases, and the effort scale."""
    PHASE_PENDING = f"roadmap_phase_pending_{m.ws_id}"
    con, WS, today, target, phases, acts = m.con, m.ws_id, m.today, m.target, m.phases, m.acts
    PHASE_LABEL = m.phase_label
    st.caption("Phases run from the engagement's start to the target certification date, the day the certificate "
               "is expected: Stage 2 ends six weeks before it, leaving time to close its findings and for the "
               "certification body's decision. The audits keep their usual place before the target, the preparation "
               "is spread from the start; monitoring and measurement (9.1) starts with the controls it measures. "
               "Rename, reorder (type the place a phase should take), change dates, add or drop phases. Actions keep "
               "their own dates.")
    if phases.empty:
        st.info("There are no phases. Add one below.", icon=":material/view_timeline:")
    else:
        counts = acts.groupby("phase_id").size() if len(acts) else pd.Series(dtype=int)
        pframe = pd.DataFrame({
            "ID": phases["id"], "Order": phases["position"], "Name": phases["name"], "Start": phases["start"],
            "Finish": phases["finish"], "Weeks": [round((f - s).days / 7, 1) for s, f in
                                                  zip(phases["start"], phases["finish"])],
            "Actions": [int(counts.get(i, 0)) for i in phases["id"]],
            "Origin": phases["template"].map(lambda t: "default plan" if t else "added"),
        })
        editing.pending_editor(pframe, PHASE_PENDING, PHASE_COLUMNS, key=f"roadmap_phases_{WS}", column_config={
            "ID": st.column_config.TextColumn(width="small"),
            "Order": st.column_config.NumberColumn(min_value=1, max_value=99, step=1, format="%d", width="small"),
            "Name": st.column_config.TextColumn(max_chars=80, required=True, width="large"),
            "Start": st.column_config.DateColumn(format="YYYY-MM-DD", required=True),
            "Finish": st.column_config.DateColumn(format="YYYY-MM-DD", required=True),
            "Weeks": st.column_config.NumberColumn(format="%.1f", width="small"),
            "Actions": st.column_config.NumberColumn(format="%d", width="small"),
        }, disabled=["ID", "Weeks", "Actions", "Origin"])
        editing.save_bar(PHASE_PENDING, lambda changes, base: roadmap_phases.save_phases(con, WS, changes, base=base),
                         "roadmap_phases", pframe, PHASE_COLUMNS,
                         message=lambda n, changes: chrome.fields_saved(n, "the phases", len(changes)))

    if chrome.may_edit():       # the plan's phases are set by editors
        c = st.columns(2)
        with c[0].expander("Add a phase", icon=":material/add:"):
            fv = chrome.form_version("roadmap_add_phase")
            with st.form(f"roadmap_add_phase_{fv}"):
                name = st.text_input("Name *", max_chars=80, key=f"roadmap_phase_name_{fv}")
                d = st.columns(3)
                pstart = d[0].date_input("Start *", None, format="YYYY-MM-DD", key=f"roadmap_phase_start_{fv}")
                pfinish = d[1].date_input("Finish *", None, format="YYYY-MM-DD", key=f"roadmap_phase_finish_{fv}")
                pos = d[2].number_input("Place", min_value=1, max_value=99, value=len(phases) + 1, step=1,
                                        key=f"roadmap_phase_pos_{fv}")
                if st.form_submit_button("Add phase", type="primary"):
                    try:
                        pid = roadmap_phases.add_phase(con, WS, {"name": name, "start": pstart, "finish": pfinish,
                                                          "position": pos})
                        chrome.form_done("roadmap_add_phase")
                        chrome.flash(f"Added phase {pid} {name}.")
                        st.rerun()
                    except ValidationError as exc:
                        chrome.show_problems(exc, "The phase was not added")
        with c[1].expander("Drop a phase", icon=":material/delete:"):
            if phases.empty:
                st.caption("No phase to drop.")
            else:
                drop = st.selectbox("Phase to drop", list(PHASE_LABEL), format_func=PHASE_LABEL.get,
                                    key="roadmap_drop_phase")
                others = [p for p in PHASE_LABEL if p != drop]
                move = st.selectbox("Move its actions to", others, format_func=PHASE_LABEL.get,
                                    key="roadmap_drop_move", disabled=not others)
                if st.button("Drop the phase", key="roadmap_drop_btn", icon=":material/delete:"):
                    try:
                        n = roadmap_phases.delete_phase(con, WS, drop, move)
                        chrome.flash(f"Dropped {PHASE_LABEL[drop]}" + (f"; moved {n} action(s) to {PHASE_LABEL[move]}."
                                                                    if n else "."))
                        st.rerun()
                    except ValidationError as exc:
                        chrome.show_problems(exc, "The phase was not dropped")

        with st.expander("Re-plan the default phases from the target date", icon=":material/event_repeat:"):
            st.caption("Resets the dates of the phases that came from the default plan (names and order stay; phases "
                       "you added and all actions keep their dates). Use it after the target date moved.")
            if st.button("Re-plan the phases", key="roadmap_replan"):
                n, why = roadmap_phases.replan_phases(con, WS, target, today)
                chrome.flash(f"Re-planned the phases ({n} date{'s' if n != 1 else ''} changed). {why}".strip())
                st.rerun()

    st.subheader("Effort scale")
    st.caption("Person-days per effort size for this workspace. Progress and the forecast weigh every action by "
               "these days.")
    meaning = roadmap_phases.template().effort_meaning
    if not chrome.may_edit():
        scale = roadmap_phases.effort_scale(con, WS)
        st.dataframe(pd.DataFrame({"Size": list(roadmap.EFFORTS), "Person-days": [scale[e] for e in roadmap.EFFORTS],
                                   "Meaning": [meaning.get(e, "") for e in roadmap.EFFORTS]}), hide_index=True,
                     key="roadmap_effort_read", column_config={"Meaning": st.column_config.TextColumn(width="large")},
                     placeholder="")
        return
    k, scale = conflicts.opened("roadmap_effort", dict(roadmap_phases.effort_scale(con, WS)))
    with st.form(k):
        c = st.columns(4)
        values = {s: c[i].number_input(f"{s}: person-days", min_value=1, max_value=roadmap_phases.MAX_EFFORT_DAYS,
                                       value=int(scale[s]), step=1, key=f"{k}_{s}",
                                       help=meaning.get(s)) for i, s in enumerate(roadmap.EFFORTS)}
        for i, s in enumerate(roadmap.EFFORTS):
            c[i].caption(meaning.get(s, ""))
        submitted = st.form_submit_button("Save the effort scale", type="primary")
    conflicts.submit("roadmap_effort", "effort scale", values if submitted else None, scale,
                     lambda data, base: roadmap_phases.set_effort_scale(con, WS, data, base=base),
                     lambda n: f"Saved the effort scale ({n} size{'s' if n != 1 else ''} changed).")
