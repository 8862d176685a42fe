"""Workshops page panels besides the presenter view: the sessions list, the "New workshop" form,
a planned or closed session's summary, and the parking lot."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from aims.assessment import requirements as assessments
from aims.governance import roles
from aims.ui import chrome
from aims.workshop import capture, parking, sessions

STATUS_ICONS = {"planned": ":material/event:", "running": ":material/play_circle:", "paused": ":material/pause_circle:",
                "closed": ":material/task_alt:"}
PICK = "pick"


def open_session(wid: str | None) -> None:
    """Show one session (the presenter view while it runs) or, with None, the list."""
    if wid:
        st.query_params["workshop"] = wid
    else:
        st.query_params.pop("workshop", None)
    st.rerun()


def sessions_list(con, ws: dict) -> None:
    df = sessions.listing(con, ws["id"])
    if df.empty:
        st.info("No workshops yet. Plan one below: its agenda, attendees and time box; start it on the day and "
                "run it from the presenter view.", icon=":material/co_present:")
        return
    for r in df.to_dict("records"):
        c = st.columns([0.9, 3.6, 1.3, 1.4, 1.3], vertical_alignment="center")
        c[0].markdown(f"**{r['id']}**")
        c[1].markdown(f"{chrome.plain(r['title'])}  \n{pd.Timestamp(r['day']):%d %b %Y}"
                      + (f" · {chrome.plain(r['facilitator'])}" if r["facilitator"] else "")
                      + f" · {chrome.tally(int(r['attendees']), 'attendee')}")
        c[2].markdown(f"{STATUS_ICONS[r['status']]} {r['status']}")
        c[3].markdown(f"{int(r['done'])} of {chrome.tally(int(r['items']), 'item')} done")
        label = {"running": "Present", "paused": "Present", "planned": "Open", "closed": "Minutes"}[r["status"]]
        if c[4].button(label, key=f"ws_open_{r['id']}", width="stretch",
                       type="primary" if r["status"] in ("running", "paused") else "secondary"):
            open_session(r["id"])


def new_form(con, ws: dict, cat) -> None:
    """Plan a workshop: title, date, facilitator, attendees, agenda (a template or picked
    requirements), time box, presenter-safe."""
    name = f"ws_new_{ws['id']}"
    v = chrome.form_version(name)
    people = roles.people(con, ws["id"])
    c = st.columns([2.2, 1, 1.6])
    title = c[0].text_input("Title *", key=f"{name}_title_{v}", max_chars=200, placeholder="e.g. Gap analysis: clauses 4-6")
    day = c[1].date_input("Date *", value=date.today(), key=f"{name}_day_{v}")
    facilitator = chrome.owner_picker(c[2], "Facilitator", chrome.owner_options(con, ws["id"]), "", key=f"{name}_fac_{v}")
    attendees = st.multiselect("Attendees", people, key=f"{name}_att_{v}", accept_new_options=True,
                               placeholder="People from the register, or type a name and press Enter")
    c = st.columns([2, 1.4, 3])
    templates = {**sessions.TEMPLATES, PICK: "Pick requirements"}
    tpl = c[0].selectbox("Agenda", list(templates), format_func=templates.get, key=f"{name}_tpl_{v}")
    group = None
    if tpl == "group":
        groups = {g.id: f"{g.id} {g.title}" for kind in ("clause", "objective") for g in cat.top_groups(kind)}
        group = c[1].selectbox("Clause or objective", list(groups), format_func=groups.get, key=f"{name}_grp_{v}")
    proposed = [] if tpl == PICK else sessions.workspace_agenda(con, ws["id"], cat, tpl, group)
    labels = {r.id: f"{r.id} {r.title}" for r in cat.requirements.values()}
    agenda = st.multiselect("Agenda items, in order (remove or add as needed)", list(labels), default=proposed,
                            format_func=labels.get, key=f"{name}_agenda_{v}_{tpl}_{group}")
    c = st.columns([1.2, 2, 3])
    box = c[0].number_input("Time box per item (minutes)", min_value=0, max_value=120, value=0, step=1,
                            key=f"{name}_box_{v}", help="0: no time box")
    safe = c[1].toggle("Presenter-safe", key=f"{name}_safe_{v}",
                       help="On the projector: hide the sidebar (other clients' names) and internal notes.")
    if st.button("Plan the workshop", icon=":material/add:", type="primary", key=f"{name}_go"):
        data = {"title": title, "day": day, "facilitator": facilitator, "attendees": attendees, "agenda": agenda,
                "time_box_minutes": box or None, "presenter_safe": safe}
        if chrome.saved(lambda: chrome.with_owners(con, ws["id"], [facilitator],
                                                   lambda tx: sessions.create(tx, ws["id"], cat, data)),
                        lambda wid: f"Workshop {wid} planned with {chrome.tally(len(agenda), 'agenda item')}."):
            chrome.form_done(name)
            st.rerun()


def summary(con, ws: dict, cat, s: dict, agenda: bool = True) -> None:
    """A planned or closed session: what it holds (the agenda table unless `agenda` is False: the
    minutes show it for a closed one); start (planned) or delete."""
    st.subheader(f"{s['id']} · {chrome.plain(s['title'])}")
    st.caption(f"{s['day']:%d %b %Y} · {s['status']}" + (f" · facilitator {chrome.plain(s['facilitator'])}" if s["facilitator"] else "")
               + (f" · time box {s['time_box_minutes']} min per item" if s["time_box_minutes"] else "")
               + (" · presenter-safe" if s["presenter_safe"] else ""))
    if s["attendees"]:
        st.markdown("**Attendees:** " + ", ".join(chrome.plain(a) for a in s["attendees"]))
    times = capture.times(s["items"], pd.Timestamp.now().to_pydatetime(), s["time_box_minutes"])
    if agenda:
        st.dataframe(pd.DataFrame({
            "#": [t["position"] + 1 for t in times], "Requirement": [f"{t['req_id']} {cat.requirements[t['req_id']].title}" for t in times],
            "State": [t["state"] for t in times],
            "Before": [_m(i["maturity_before"]) for i in s["items"]], "Agreed": [_m(i["maturity_agreed"]) for i in s["items"]],
            "Time": [capture.clock(t["seconds"]) for t in times], "Over time": [t["over"] for t in times]}),
            hide_index=True, width="stretch")
    acts = capture.actions(con, ws["id"], s["id"])
    if not acts.empty:
        st.markdown("**Actions raised:**  \n" + "  \n".join(
            f"{a} {chrome.plain(t)} · {chrome.plain(o) or 'no owner'} · {r}"
            for a, t, o, r in zip(acts["id"], acts["title"], acts["owner"], acts["requirements"])))
    parked = parking.listing(con, ws["id"], workshop_id=s["id"])
    if not parked.empty:
        st.markdown("**Parked questions:**  \n" + "  \n".join(
            f"{p} {chrome.plain(q)} ({st_})" for p, q, st_ in zip(parked["id"], parked["question"], parked["status"])))
    if s["status"] == "planned" and chrome.may_edit():
        c = st.columns([1.3, 1.3, 5])
        if c[0].button("Start the workshop", icon=":material/play_arrow:", type="primary", key="ws_start"):
            if chrome.saved(lambda: sessions.start(con, ws["id"], cat, s["id"]),
                            lambda b: f"{s['id']} started; baseline {b} taken."):
                st.rerun()
        with c[1].popover("Delete", icon=":material/delete:"):
            if st.button(f"Delete {s['id']}", key="ws_delete", type="primary"):
                if chrome.saved(lambda: sessions.delete(con, ws["id"], s["id"]), lambda _: f"{s['id']} deleted."):
                    open_session(None)


def _m(value) -> str:
    return "" if value is None or value != value else assessments.maturity_label(int(value))


def parking_lot(con, ws: dict, cat) -> None:
    """Open questions (resolve them here) and, folded, the resolved ones (reopen)."""
    df = parking.listing(con, ws["id"])
    open_ = df[df["status"] == "open"]
    if open_.empty:
        st.caption("No open questions in the parking lot.")
    else:
        st.dataframe(pd.DataFrame({"ID": open_["id"], "Question": open_["question"], "Owner": open_["owner"],
                                   "Requirement": open_["req_id"], "Workshop": open_["workshop_id"],
                                   "Raised": pd.to_datetime(open_["raised_on"]).dt.date}), hide_index=True, width="stretch")
        if chrome.may_edit():
            name = f"ws_resolve_{ws['id']}"
            v = chrome.form_version(name)
            with st.form(f"{name}_{v}", border=False):
                c = st.columns([1.2, 4, 1], vertical_alignment="bottom")
                pid = c[0].selectbox("Question", open_["id"].tolist(), key=f"{name}_id_{v}")
                res = c[1].text_input("Resolution *", key=f"{name}_res_{v}", placeholder="What was found out or decided")
                if c[2].form_submit_button("Resolve", icon=":material/task_alt:"):
                    if chrome.saved(lambda: parking.resolve(con, ws["id"], pid, res, base={"status": "open"}),
                                    lambda _: f"{pid} resolved."):
                        chrome.form_done(name)
                        st.rerun()
    done = df[df["status"] == "resolved"]
    if not done.empty:
        with st.expander(f"Resolved ({len(done)})"):
            st.dataframe(pd.DataFrame({"ID": done["id"], "Question": done["question"], "Resolution": done["resolution"],
                                       "Resolved": pd.to_datetime(done["resolved_on"]).dt.date}), hide_index=True,
                         width="stretch")
            if chrome.may_edit():
                c = st.columns([1.2, 1, 4], vertical_alignment="bottom")
                pid = c[0].selectbox("Reopen", done["id"].tolist(), key="ws_reopen_id")
                if c[1].button("Reopen", key="ws_reopen"):
                    if chrome.saved(lambda: parking.reopen(con, ws["id"], pid), lambda _: f"{pid} is open again."):
                        st.rerun()
