"""The minutes of one workshop on the workshop page: for a closed session, the downloads
("Minutes (PDF)", "Minutes (Excel)", built when pressed, never on a rerun) and a compact summary
(what was rated before and agreed, actions, parked questions, the before/after headline figures);
for a session not closed yet, a line saying the minutes come when it is closed. Read-only:
viewers get the downloads too (the minutes are for the client)."""
from __future__ import annotations

from datetime import date
from typing import Callable

import pandas as pd
import streamlit as st

from aims.access import identity
from aims.progress.snapshot import PERCENTS
from aims.reports import minutes_pdf
from aims.store import workspaces
from aims.ui import chrome
from aims.workbook import minutes as minutes_book
from aims.workshop import minutes as minutes_mod
from aims.workshop.minutes import duration

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADLINE = ("readiness_pct", "assessed_pct", "open_gaps", "stage2_pct")


def builder(con, ws: dict, catalog, workshop_id: str, kind: str) -> Callable[[], bytes]:
    """What a download button runs when pressed (on another thread, acting as this run's person):
    the minutes read then, as PDF ('pdf') or workbook ('xlsx') bytes."""
    actor = identity.current()

    def build() -> bytes:
        with identity.acting(actor):
            m = minutes_mod.minutes(con, ws["id"], catalog, workshop_id)
            if kind == "pdf":
                return minutes_pdf.build(m, ws, workspaces.brand(con, ws["id"]))
            return minutes_book.build(m, ws["name"])
    return build


def file_name(ws: dict, workshop: dict, suffix: str) -> str:
    safe = "".join(c if c.isalnum() or c in " -_()" else "_" for c in ws["name"]).strip() or "workspace"
    day = workshop["day"] if isinstance(workshop["day"], date) else date.today()
    return f"Workshop minutes {workshop['id']} - {safe} - {day:%Y-%m-%d}.{suffix}"


def _rated(m: dict) -> pd.DataFrame:
    return pd.DataFrame([{
        "Requirement": f"{i['req_id']} {i['title']}", "State": i["state"], "Before": i["before_label"],
        "Agreed": i["agreed_label"] or "not rated",
        "Votes": "" if not i["spread"] else (f"{i['spread']['min']}-{i['spread']['max']}, median "
                                            f"{i['spread']['median']:g} ({i['spread']['count']})"),
        "Time": duration(i["seconds"]) + (" (over)" if i["over_time"] else ""), "Decision": i["decision"],
    } for i in m["items"]], columns=["Requirement", "State", "Before", "Agreed", "Votes", "Time", "Decision"])


def _headline(cmp: dict) -> None:
    figures = cmp["figures"].set_index("metric")
    st.markdown(f"**Before and after** · {chrome.plain(cmp['before']['name'])} → {chrome.plain(cmp['after']['name'])}")
    cols = st.columns(len(HEADLINE))
    for col, metric in zip(cols, HEADLINE):
        r = figures.loc[metric]
        pct = metric in PERCENTS
        after = "–" if r["after"] is None or pd.isna(r["after"]) else (f"{float(r['after']):.1f} %" if pct
                                                                       else f"{int(r['after'])}")
        change = r["change"]
        still = change is None or pd.isna(change) or float(change) == 0
        delta = "no change" if still else (f"{float(change):+.1f} pts" if pct else f"{int(change):+d}")
        col.metric(str(r["label"]).replace(" (%)", ""), after, delta, border=True,
                   delta_color="off" if still else ("inverse" if metric == "open_gaps" else "normal"),
                   delta_arrow="off" if still else "auto")


def panel(con, ws: dict, catalog, workshop_id: str) -> None:
    """The minutes of workshop `workshop_id` (see the module docstring)."""
    status = chrome.cached(minutes_mod.status, con, ws["id"], workshop_id)
    if status is None:
        st.caption("There is no such workshop in this workspace.")
        return
    if status != "closed":
        st.caption("The minutes come when the session is closed: attendees, what was rated before and agreed, "
                   "decisions, actions, parked questions and time spent, as PDF and Excel.")
        return
    m = chrome.cached(minutes_mod.minutes, con, ws["id"], catalog, workshop_id)
    w, s = m["workshop"], m["summary"]
    b = st.container(horizontal=True, vertical_alignment="center")
    b.download_button("Minutes (PDF)", builder(con, ws, catalog, workshop_id, "pdf"),
                         file_name=file_name(ws, w, "pdf"), mime=PDF, key=f"workshop_minutes_pdf_{workshop_id}",
                         on_click="ignore", type="primary", icon=":material/picture_as_pdf:")
    b.download_button("Minutes (Excel)", builder(con, ws, catalog, workshop_id, "xlsx"),
                         file_name=file_name(ws, w, "xlsx"), mime=XLSX, key=f"workshop_minutes_xlsx_{workshop_id}",
                         on_click="ignore", icon=":material/table_view:")
    b.caption(f"{chrome.tally(s['attendees'], 'attendee')} · {s['covered']} of {s['items']} items covered · "
                 f"{chrome.tally(s['changed'], 'rating')} changed · {duration(s['total_seconds'])}")
    k = st.columns(4)
    k[0].metric("Items covered", f"{s['covered']} of {s['items']}", border=True,
                help=f"{s['skipped']} skipped, {s['come_back']} to come back, {s['pending']} not reached")
    k[1].metric("Ratings changed", s["changed"], border=True, help=f"{s['rated']} rated in the room")
    k[2].metric("Actions raised", s["actions"], border=True)
    k[3].metric("Parked questions", s["parked"], border=True, help=f"{s['parked_open']} still open")
    st.markdown("**What was rated**")
    st.dataframe(_rated(m), hide_index=True, key=f"workshop_minutes_rated_{workshop_id}", column_config={
        "Requirement": st.column_config.TextColumn(width="large"),
        "Decision": st.column_config.TextColumn(width="large")})
    c = st.columns(2)
    with c[0]:
        st.markdown("**Actions**")
        if m["actions"]:
            st.dataframe(pd.DataFrame([{"ID": a["id"], "Action": a["title"], "Owner": a["owner"], "Due": a["due"]}
                                       for a in m["actions"]]), hide_index=True,
                         key=f"workshop_minutes_actions_{workshop_id}")
        else:
            st.caption("No action was raised in this session.")
    with c[1]:
        st.markdown("**Parked questions**")
        if m["parking_lot"]:
            st.dataframe(pd.DataFrame([{"ID": p["id"], "Question": p["question"], "Owner": p["owner"],
                                        "Status": p["status"]} for p in m["parking_lot"]]), hide_index=True,
                         key=f"workshop_minutes_parked_{workshop_id}")
        else:
            st.caption("No question was parked in this session.")
    if m["comparison"]:
        _headline(m["comparison"])
    elif m["comparison_note"]:
        st.caption(chrome.plain(m["comparison_note"]))
