"""Roadmap: the plan on a Gantt, the actions table, the manager's progress view, and the
phases and effort scale. Actions come from the gaps, the risk treatment plans or by hand."""
from datetime import date

import streamlit as st

from aims.roadmap import actions as roadmap
from aims.roadmap import forecast
from aims.roadmap import phases as roadmap_phases
from aims.ui import chrome, roadmap_panels, roadmap_tabs

con, ws = chrome.page("Roadmap to certification", lambda ws: "target certification date: "
                      + (ws["target_date"].isoformat() + ", the day the certificate is expected, after the Stage 2 "
                         "audit, the closure of its findings and the certification body's decision"
                         if ws["target_date"] else "not set"))
cat = chrome.catalog()
WS = ws["id"]
today = date.today()
target = ws["target_date"]

note = roadmap_phases.ensure_phases(con, WS, target, today)
if note:
    st.info(f"The default phases were created. {note}", icon=":material/route:")
if target is None:
    st.warning("**No target certification date is set** for this workspace. The phases are planned from today, and "
               "the forecast cannot say whether the work will be early or late. Set the date on the Workspaces page, "
               "then re-plan the phases (tab *Phases and effort*).", icon=":material/event_busy:")
    st.page_link("pages/workspaces.py", label="Set the target date on the Workspaces page",
                 icon=":material/edit_calendar:")

phases = roadmap_phases.phases(con, WS)
acts = chrome.cached(roadmap.actions, con, WS, cat, ws["default_target"], today)
fc = forecast.forecast(acts, today, target)
progress = forecast.phase_progress(acts, phases, today)
m = roadmap_tabs.Roadmap(con=con, ws=ws, cat=cat, today=today, phases=phases, acts=acts, fc=fc, progress=progress)

roadmap_panels.metrics(fc, acts)
roadmap_panels.forecast_box(fc)

tabs = st.tabs(["Plan", "Actions", "Manager view", "Phases and effort"], key="roadmap_tab", bind="query-params")
for tab, draw in zip(tabs, (roadmap_tabs.plan_tab, roadmap_tabs.actions_tab, roadmap_tabs.manager_tab,
                            roadmap_tabs.phases_tab)):
    with tab:
        if tab.open is not False:
            draw(m)
