"""Roadmap pieces shared by the Roadmap page and the Overview: the forecast message, the
progress metrics and the overview section. Streamlit code; the rules live in aims.forecast."""
from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

from aims.roadmap import actions as roadmap
from aims.roadmap import charts, forecast
from aims.ui import chrome

_BOX = {"behind": (st.warning, ":material/schedule:"), "ahead": (st.success, ":material/trending_up:"),
        "on time": (st.success, ":material/event_available:"), "complete": (st.success, ":material/task_alt:")}

RULE = ("**How the forecast works.** Progress counts each action's effort (S, M, L, XL in person-days) times its "
        "percent complete; done actions count in full. The pace is the effort of the actions marked done over "
        "the last 12 weeks (or since the roadmap started, at least 2 weeks), per day. The forecast ready date is "
        "today plus the remaining effort divided by that pace. With nothing done in that window there is no "
        "pace, so no date is forecast. Planned effort accrues evenly from each action's start to its due date.")


@st.cache_resource(show_spinner=False, max_entries=32)
def _gantt(version: int, db_key: int, ws_id: int, rows: str, today: date, target, _phases, _shown, _progress):
    return charts.gantt(_phases, _shown, today, target, _progress)


def gantt(con, ws_id: int, phases, shown, today: date, target: date | None, progress):
    """charts.gantt, kept while the data (version), the day and the actions shown (a digest of
    their IDs) stay the same: a rerun that only changes another tab does not rebuild it."""
    rows = hashlib.blake2b("\n".join(shown["id"].tolist()).encode("utf-8"), digest_size=16).hexdigest()
    return _gantt(chrome.data_version(con), id(con), ws_id, rows, today, target, phases, shown, progress)


def forecast_box(fc: forecast.Forecast) -> None:
    """The forecast sentence in a box whose icon and wording (not only colour) give its state,
    with the pace needed to make the target date when it is behind."""
    show, icon = _BOX.get(fc.state, (st.info, ":material/info:"))
    extra = ""
    if fc.state == "behind" and fc.required_pace:
        extra = (f" To finish by the target date the team needs about {fc.required_pace * 7:.1f} effort days a week, "
                 f"against {fc.pace * 7:.1f} so far.")
    elif fc.state == "ahead" and fc.required_pace:
        extra = f" The current pace is {fc.pace * 7:.1f} effort days a week; {fc.required_pace * 7:.1f} would be enough."
    show(f"**Forecast.** {fc.sentence}{extra}", icon=icon)


def metrics(fc: forecast.Forecast, acts) -> None:
    """Progress, planned-by-today, forecast date, overdue and blocked counts as metric cards."""
    k = st.columns(5)
    k[0].metric("Roadmap progress", chrome.pct(fc.progress_pct), border=True,
                help=f"Effort earned: {fc.earned:.0f} of {fc.total:.0f} effort days (done actions in full, the others "
                     "by their percent complete).")
    k[1].metric("Planned by today", chrome.pct(fc.planned_pct), border=True,
                help="Share of the effort that the start and due dates planned to be done by today.")
    k[2].metric("Forecast ready", fc.ready.isoformat() if fc.ready else "–", border=True,
                help="Today plus the remaining effort at the pace so far; a dash when there is no pace yet.")
    overdue = int(acts["overdue"].sum()) if len(acts) else 0
    blocked = int((acts["status"] == "blocked").sum()) if len(acts) else 0
    k[3].metric("Overdue actions", overdue, border=True, help="Due date passed and not done.")
    k[4].metric("Blocked actions", blocked, border=True, help="Actions whose status is blocked.")


def overview_section(con, ws: dict, cat) -> None:
    """The Overview's roadmap block: progress metrics, the forecast sentence and a link."""
    today = date.today()
    st.subheader("Roadmap to certification")
    acts = chrome.cached(roadmap.actions, con, ws["id"], cat, ws["default_target"], today)
    if acts.empty:
        st.info("No roadmap actions yet. Generate them from the gaps on the Roadmap page to track progress and get "
                "a readiness forecast.", icon=":material/route:")
    else:
        fc = forecast.forecast(acts, today, ws["target_date"])
        metrics(fc, acts)
        forecast_box(fc)
    st.page_link("pages/roadmap.py", label="Open the roadmap", icon=":material/arrow_forward:",
                 query_params={"ws": str(ws["id"])})
