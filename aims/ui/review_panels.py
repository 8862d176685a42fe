"""The parts of the management review page (pages/management-review.py): the list of reviews, the
plan form, and an open review with its inputs (compiled from the app's records, editable, with a
comment each), the meeting (marking it held, top management present or not), its outputs and the
actions it decided on the roadmap. The rules are in aims.audit.review; the compiled texts come
from aims.reports.review_inputs. Every edit widget is drawn only for those who may edit the
workspace; after a save the page reruns on the same review and tab."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from aims.audit import review
from aims.catalog.standard import Catalog
from aims.common.validate import LONG_TEXT, ValidationError
from aims.reports import review_inputs
from aims.roadmap import phases as roadmap_phases
from aims.ui import chrome, conflicts

TAB = "review_tab"
TABLE_V = "reviews_table_v"
BY_DUE_DATE = "(the phase running on the due date)"


@dataclass(frozen=True)
class Page:
    """What every part of the page reads."""
    con: object
    ws: dict
    cat: Catalog

    @property
    def ws_id(self) -> int:
        return int(self.ws["id"])

    def compile(self, review_id: str | None) -> dict[str, str]:
        return review_inputs.compile_inputs(self.con, self.ws_id, self.cat, int(self.ws.get("default_target") or 3),
                                            review_id)


def open_review(review_id: str | None, message: str | None = None) -> None:
    """Open a review below the list (None: close it), reset the list's selection, and rerun."""
    if review_id:
        st.query_params["review"] = review_id
    else:
        st.query_params.pop("review", None)
    st.session_state[TABLE_V] = st.session_state.get(TABLE_V, 0) + 1
    if message:
        chrome.flash(message)
    st.rerun()


# ---- the list and the plan form -----------------------------------------------------------------

def review_list(table: pd.DataFrame) -> None:
    """The reviews, newest first; selecting a row opens the review (?review=MR-001)."""
    if table.empty:
        st.info("No management review yet." + (" Plan the first one above: the app compiles its inputs from the "
                                                "workspace's records." if chrome.may_edit() else ""),
                icon=":material/groups:")
        return
    frame = pd.DataFrame({
        "ID": table["id"], "Date": table["held_on"], "Status": table["status"],
        "Top management": [("present" if t else "ABSENT") if s == "held" else "" for s, t in
                           zip(table["status"], table["top_management_present"])],
        "Attendees": table["attendees"], "Inputs written": [f"{w} of {n}" for w, n in
                                                            zip(table["inputs_written"], table["inputs"])],
        "Actions open": [f"{o} of {a}" if a else "" for o, a in zip(table["actions_open"], table["actions"])],
        "Check": table["flag"]})
    ids = list(frame["ID"])
    st.caption(f"{chrome.tally(len(frame), 'review')}. Select a row to open the review.")
    event = st.dataframe(frame, hide_index=True, on_select="rerun", selection_mode="single-row", placeholder="",
                         key=f"reviews_table_{chrome.digest(ids)}_{st.session_state.get(TABLE_V, 0)}",
                         column_config={
                             "ID": st.column_config.TextColumn(width=70),
                             "Date": st.column_config.DateColumn(format="YYYY-MM-DD", width=100),
                             "Status": st.column_config.TextColumn(width=80),
                             "Top management": st.column_config.TextColumn(width=120),
                             "Attendees": st.column_config.TextColumn(width=260),
                             "Inputs written": st.column_config.TextColumn(width=110),
                             "Actions open": st.column_config.TextColumn(width=110),
                             "Check": st.column_config.TextColumn(width=230, help="What needs attention")})
    picked = [ids[i] for i in event.selection.rows if i < len(ids)]
    if picked and picked[0] != st.query_params.get("review"):
        st.query_params["review"] = picked[0]


def plan_form(p: Page) -> None:
    """Plan a review: its date and who is invited; the app compiles the inputs at once."""
    fv = chrome.form_version("review_plan")
    with st.form(f"review_plan_{fv}"):
        c = st.columns([1, 3])
        when = c[0].date_input("Date *", value=None, key=f"review_plan_date_{fv}", format="YYYY-MM-DD")
        invited = c[1].text_input("Invited", max_chars=review.ATTENDEES_TEXT, key=f"review_plan_attendees_{fv}",
                                  placeholder="e.g. CEO, CRO, Head of Data Science, AI governance officer")
        st.caption("The app compiles every input from the workspace's records when the review is planned; you edit "
                   "and comment them before the meeting.")
        if not st.form_submit_button("Plan the review", type="primary", icon=":material/event:"):
            return
    try:
        rid = review.plan(p.con, p.ws_id, {"held_on": when, "attendees": invited}, p.compile(None))
    except ValidationError as exc:
        chrome.show_problems(exc)
        return
    chrome.form_done("review_plan")
    st.session_state[TAB] = "Inputs"
    open_review(rid, f"Planned {rid} for {when}, with its inputs compiled from the app's records.")


# ---- an open review -----------------------------------------------------------------------------

def review_panel(p: Page, table: pd.DataFrame) -> None:
    """The review named in the URL (?review=MR-001), below the list."""
    rid = st.query_params.get("review")
    if not rid:
        return
    r = review.get(p.con, p.ws_id, rid)
    if r is None:
        st.info(f"There is no management review {chrome.plain(rid)} in this workspace.", icon=":material/info:")
        return
    st.divider()
    head = st.columns([6, 1])
    head[0].subheader(f"{rid} · " + (f"planned for {r['held_on'] or 'no date'}" if r["status"] == "planned" else
                                     f"held on {r['held_on']}" + (" with top management" if r["top_management_present"]
                                                                  else ", without top management")))
    if head[1].button("Close", key="review_close", icon=":material/close:", use_container_width=True):
        open_review(None)
    if r["status"] == "planned" and r["held_on"] and r["held_on"] < date.today():
        st.info("The planned date has passed: mark the review held, or move its date (Meeting and outputs tab).",
                icon=":material/event_busy:")
    if r["status"] == "held" and not r["top_management_present"]:
        st.warning("**Held without top management.** ISO/IEC 42001 9.3 makes the review top management's own: this "
                   "one does not count as the management review, and the Stage 1 gate ignores it. Record top "
                   "management's presence if they were there, or hold another review with them.",
                   icon=":material/person_off:")
    tabs = dict(zip(["Inputs", "Meeting and outputs", "Actions", "History"],
                    st.tabs(["Inputs", "Meeting and outputs", "Actions", "History"], key=TAB, bind="query-params")))
    for name, draw in (("Inputs", inputs_tab), ("Meeting and outputs", meeting_tab), ("Actions", actions_tab)):
        if tabs[name].open:
            with tabs[name]:
                draw(p, r)
    if tabs["History"].open:
        with tabs["History"]:
            st.dataframe(review.history(p.con, p.ws_id, rid), hide_index=True, placeholder="", column_config={
                "changed_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
                "changed_by": "Who", "entity_id": "Record", "field": "Field", "old_value": "Old value",
                "new_value": "New value"})


def inputs_tab(p: Page, r: dict) -> None:
    rid = r["id"]
    ins = review.inputs(p.con, p.ws_id, rid)
    at = ins["compiled_at"].dropna()
    c = st.columns([4, 1.4], vertical_alignment="center")
    c[0].caption(("Compiled from the app's records on " + f"{max(at):%Y-%m-%d %H:%M}. " if len(at) else "")
                 + "Each input is the text the meeting works from: edit it and add a comment. "
                 + ("Re-compiling refreshes the app's texts and keeps the ones you edited." if r["status"] == "planned"
                    else "A held review keeps the inputs it considered."))
    form = f"review_inputs_{p.ws_id}_{rid}"
    if chrome.may_edit() and r["status"] == "planned" and c[1].button(
            "Re-compile", key=f"review_recompile_{rid}", icon=":material/sync:", use_container_width=True,
            help="Compile every input again from the workspace's records"):
        if chrome.saved(lambda: review.refresh_inputs(p.con, p.ws_id, rid, p.compile(rid)), lambda res: (
                f"Re-compiled the inputs of {rid}: {chrome.tally(len(res.refreshed), 'text')} updated"
                + (f", {len(res.kept)} kept as you edited {'it' if len(res.kept) == 1 else 'them'} (the new text is "
                   "shown under each)" if res.kept else "") + ".")):
            chrome.form_done(form)
            st.rerun()
    if not chrome.may_edit():
        for item in ins.to_dict("records"):
            with st.container(border=True):
                st.markdown(f"**{chrome.plain(item['title'])}** · :gray[{item['clause']}]")
                st.text(item["content"] or "Nothing written yet.")
                if item["comment"]:
                    st.caption(f"Comment: {chrome.plain(item['comment'])}")
        return
    labels = {i: f"{rid} {t}" for i, t in zip(ins["key"], ins["title"])}
    fresh = {f"{k}.{f}": v for k, content, comment in zip(ins["key"], ins["content"], ins["comment"])
             for f, v in (("content", content), ("comment", comment))}
    prefix, shown = conflicts.opened(form, fresh)
    with st.form(prefix, border=False):
        typed = {}
        for item in ins.to_dict("records"):
            k = item["key"]
            with st.container(border=True):
                st.markdown(f"**{chrome.plain(item['title'])}** · :gray[{item['clause']}]"
                            + (" · :orange-badge[edited]" if item["edited"] else ""))
                st.caption(chrome.plain(item["prompt"]))
                high = max(100, min(280, 24 * (2 + str(shown[f"{k}.content"]).count("\n"))))
                c = st.columns([3, 1.1])
                content = c[0].text_area(item["title"], value=shown[f"{k}.content"], key=f"{prefix}_{k}.content",
                                         height=high, max_chars=review.INPUT_TEXT, label_visibility="collapsed")
                comment = c[1].text_area(f"Comment on {item['title']}", value=shown[f"{k}.comment"],
                                         key=f"{prefix}_{k}.comment", height=high, max_chars=review.INPUT_TEXT,
                                         placeholder="Comment for the meeting", label_visibility="collapsed")
                if item["edited"] and item["compiled"]:
                    with st.expander("The app's records now read", icon=":material/sync_alt:"):
                        st.text(item["compiled"])
                typed[labels[k]] = {"content": content, "comment": comment}
        submitted = st.form_submit_button("Save the inputs", type="primary", icon=":material/save:")
    base = {labels[k]: {f: shown[f"{k}.{f}"] for f in review.INPUT_FIELDS} for k in ins["key"]}
    keys = {v: k for k, v in labels.items()}

    def write(changes, seen):
        return review.save_inputs(p.con, p.ws_id, rid, {keys[x]: v for x, v in changes.items()},
                                  base=None if seen is None else {keys[x]: v for x, v in seen.items()})
    if (submitted and conflicts.save(form, write, typed, base,
                                     lambda n: chrome.fields_saved(n, f"the inputs of {rid}"))) or conflicts.panel(form):
        chrome.form_done(form)
        st.rerun()
    use_compiled(p, r, ins, form)


def use_compiled(p: Page, r: dict, ins: pd.DataFrame, form: str) -> None:
    """Replace edited inputs with the text the app compiled, once the user asks for it."""
    mine = ins[ins["edited"] & (ins["compiled"] != "")]
    if mine.empty:
        return
    titles = dict(zip(mine["key"], mine["title"]))
    c = st.columns([3, 1.4], vertical_alignment="bottom")
    picked = c[0].multiselect("Replace your text with the app's compiled text", list(titles), format_func=titles.get,
                              key=f"review_use_compiled_{r['id']}_{chrome.digest(list(titles))}",
                              placeholder="Pick edited inputs")
    if c[1].button("Use the compiled text", key=f"review_use_compiled_go_{r['id']}", disabled=not picked,
                   use_container_width=True):
        rows = mine.set_index("key").loc[picked]
        if chrome.saved(lambda: review.save_inputs(
                p.con, p.ws_id, r["id"], {k: {"content": rows.at[k, "compiled"]} for k in picked},
                base={k: {"content": rows.at[k, "content"]} for k in picked}),
                lambda n: f"Replaced {chrome.tally(len(picked), 'input')} with the compiled text."):
            chrome.form_done(form)
            st.rerun()


def meeting_tab(p: Page, r: dict) -> None:
    rid = r["id"]
    if not chrome.may_edit():
        st.markdown(f"**Date:** {r['held_on'] or '–'} · **Status:** {r['status']} · **Top management present:** "
                    f"{'yes' if r['top_management_present'] else 'no'}  \n**Attendees:** "
                    f"{chrome.plain(r['attendees']) or '–'}")
        for k in review.OUTPUTS:
            st.markdown(f"**{review.LABELS[k]}**")
            st.text(r[k] or "–")
        return
    if r["status"] == "planned":
        hold_form(p, r)
    form = f"review_meeting_{p.ws_id}_{rid}_{r['status']}"     # its fields differ once held
    fields = ("held_on", "attendees") + (("top_management_present",) if r["status"] == "held" else ())
    prefix, shown = conflicts.opened(form, {k: r[k] for k in fields}, review.LABELS)
    with st.expander("The meeting" if r["status"] == "held" else "Move the date or change who is invited",
                     expanded=r["status"] == "held", icon=":material/event:"):
        with st.form(prefix, border=False):
            c = st.columns([1, 3])
            values = {"held_on": c[0].date_input("Date *", value=shown["held_on"], key=f"{prefix}_held_on"),
                      "attendees": c[1].text_input("Attendees" if r["status"] == "held" else "Invited",
                                                   value=shown["attendees"], key=f"{prefix}_attendees",
                                                   max_chars=review.ATTENDEES_TEXT)}
            if r["status"] == "held":
                values["top_management_present"] = st.checkbox(
                    "Top management was present", value=shown["top_management_present"],
                    key=f"{prefix}_top_management_present")
            sent = st.form_submit_button("Save", icon=":material/save:")
        conflicts.submit(form, rid, values if sent else None, shown,
                         lambda data, base: review.update(p.con, p.ws_id, rid, data, base=base),
                         lambda n: chrome.fields_saved(n, rid))
    if r["status"] == "planned":
        with st.expander("Delete this planned review", icon=":material/delete:"):
            sure = st.checkbox(f"Yes, delete {rid} and its inputs", key=f"review_delete_sure_{rid}")
            if st.button("Delete the review", key=f"review_delete_{rid}", disabled=not sure):
                try:
                    review.delete(p.con, p.ws_id, rid)
                except ValidationError as exc:
                    chrome.show_problems(exc, "Nothing was deleted")
                else:
                    open_review(None, f"Deleted {rid}.")
        return
    outputs_form(p, r)


def hold_form(p: Page, r: dict) -> None:
    """Mark the planned review held: the day, who attended, and whether top management was there."""
    rid = r["id"]
    fv = chrome.form_version(f"review_hold_{rid}")
    with st.form(f"review_hold_{rid}_{fv}"):
        st.markdown("**Mark the review held**")
        c = st.columns([1, 3])
        when = c[0].date_input("Held on *", value=r["held_on"] if r["held_on"] and r["held_on"] <= date.today() else None,
                               max_value=date.today(), key=f"review_hold_date_{rid}_{fv}")
        who = c[1].text_input("Attendees *", value=r["attendees"], max_chars=review.ATTENDEES_TEXT,
                              key=f"review_hold_attendees_{rid}_{fv}")
        top = st.checkbox("Top management was present", key=f"review_hold_top_{rid}_{fv}",
                          help="9.3 makes the review top management's own: without them it does not count.")
        if not st.form_submit_button("Mark held", type="primary", icon=":material/how_to_reg:"):
            return
    if chrome.saved(lambda: review.hold(p.con, p.ws_id, rid, when, who, top,
                                        base={"status": "planned", "held_on": r["held_on"], "attendees": r["attendees"],
                                              "top_management_present": r["top_management_present"]}),
                    lambda n: f"{rid} is marked held on {when}" + ("." if top else " without top management: it does "
                                                                              "not count as the management review.")):
        chrome.form_done(f"review_hold_{rid}")
        st.rerun()


def outputs_form(p: Page, r: dict) -> None:
    """The outputs of a held review (9.3.3): decisions, improvements, changes to the AIMS, resources."""
    rid = r["id"]
    form = f"review_outputs_{p.ws_id}_{rid}"
    prefix, shown = conflicts.opened(form, {k: r[k] for k in review.OUTPUTS}, review.LABELS)
    helps = {"decisions": "What top management decided about the AIMS",
             "improvements": "Opportunities for continual improvement taken up",
             "changes": "Changes needed to the AI management system: scope, policy, objectives, processes",
             "resources": "Resources agreed: people, budget, tools"}
    with st.form(prefix):
        st.markdown("**Outputs (9.3.3)**")
        c = st.columns(2)
        values = {k: c[i % 2].text_area(review.LABELS[k], value=shown[k], key=f"{prefix}_{k}", height=110,
                                        max_chars=LONG_TEXT, help=helps[k])
                  for i, k in enumerate(review.OUTPUTS)}
        sent = st.form_submit_button("Save the outputs", type="primary", icon=":material/save:")
    conflicts.submit(form, rid, values if sent else None, shown,
                     lambda data, base: review.update(p.con, p.ws_id, rid, data, base=base),
                     lambda n: chrome.fields_saved(n, f"the outputs of {rid}"))
    st.caption("Actions the review decided go on the roadmap: the Actions tab.")


def actions_tab(p: Page, r: dict) -> None:
    rid = r["id"]
    acts = review.review_actions(p.con, p.ws_id, [rid])
    if acts.empty:
        st.caption(f"{rid} has decided no roadmap action yet.")
    else:
        names = dict(zip(*[roadmap_phases.phases(p.con, p.ws_id)[c] for c in ("id", "name")]))
        st.dataframe(pd.DataFrame({
            "ID": acts["id"], "Action": acts["title"], "Owner": acts["owner"],
            "Phase": acts["phase_id"].map(lambda x: names.get(x, x)), "Due": acts["due"], "Status": acts["status"],
            "Done": acts["percent"].map(lambda v: f"{int(v)}%"),
            "Overdue": acts["overdue"].map(lambda o: "OVERDUE" if o else "")}), hide_index=True, placeholder="",
            column_config={"Due": st.column_config.DateColumn(format="YYYY-MM-DD")})
    st.page_link("pages/roadmap.py", label="Open the roadmap", icon=":material/timeline:",
                 query_params={"roadmap_tab": "Actions"})
    if not chrome.may_edit():
        return
    if r["status"] != "held":
        st.info("Actions are outputs of the meeting: mark the review held first (Meeting and outputs tab).",
                icon=":material/info:")
        return
    action_form(p, r)


def action_form(p: Page, r: dict) -> None:
    rid = r["id"]
    fv = chrome.form_version(f"review_action_{rid}")
    phases = roadmap_phases.phases(p.con, p.ws_id)
    options = [""] + list(phases["id"])
    names = {"": BY_DUE_DATE, **{i: f"{n} ({s:%Y-%m-%d} to {f:%Y-%m-%d})" for i, n, s, f in
                                 zip(phases["id"], phases["name"], phases["start"], phases["finish"])}}
    with st.form(f"review_action_{rid}_{fv}"):
        st.markdown("**Add an action to the roadmap**")
        title = st.text_input("Action *", max_chars=200, key=f"review_action_title_{rid}_{fv}",
                              placeholder="e.g. Appoint a second internal auditor")
        c = st.columns([2, 1, 0.8, 2.4])
        owner = c[0].selectbox("Owner", chrome.owner_options(p.con, p.ws_id)[1:], index=None, accept_new_options=True,
                               key=f"review_action_owner_{rid}_{fv}", placeholder="Pick or type a name")
        due = c[1].date_input("Due", value=None, key=f"review_action_due_{rid}_{fv}")
        effort = c[2].selectbox("Effort", roadmap_phases.EFFORTS, index=1, key=f"review_action_effort_{rid}_{fv}")
        phase = c[3].selectbox("Phase", options, format_func=names.get, key=f"review_action_phase_{rid}_{fv}")
        reqs = st.multiselect("Requirements it addresses", list(p.cat.requirements), key=f"review_action_reqs_{rid}_{fv}",
                              format_func=lambda x: f"{x} {p.cat.requirements[x].title}", placeholder="Optional")
        if not st.form_submit_button("Add to the roadmap", type="primary", icon=":material/add_task:"):
            return
    data = {"title": title, "owner": owner or "", "due": due, "effort": effort, "phase_id": phase,
            "requirements": reqs}
    if chrome.saved(lambda: chrome.with_owners(p.con, p.ws_id, [owner], lambda tx: review.add_action(
            tx, p.ws_id, p.cat, rid, data)), lambda aid: f"Added {aid} {title.strip()} to the roadmap, decided by {rid}."):
        chrome.form_done(f"review_action_{rid}")
        st.rerun()
