"""Workshops: plan client workshops, run them on the projector (the presenter view, ?workshop=WS-001),
leave with minutes; and the parking lot of open questions."""
import streamlit as st

from aims.ui import chrome, workshop_panels, workshop_presenter
from aims.workshop import sessions

con, ws = chrome.page("Workshops", "run a client workshop on the projector and leave with minutes")
cat = chrome.catalog()

wid = st.query_params.get("workshop")
s = sessions.get(con, ws["id"], wid) if wid else None
if wid and s is None:
    st.warning(f"There is no workshop {chrome.plain(wid)} in this workspace.", icon=":material/search_off:")

if s is not None and s["status"] in ("running", "paused"):
    workshop_presenter.show(con, ws, cat, s)
elif s is not None:
    if st.button("All workshops", icon=":material/arrow_back:", key="ws_back_to_list"):
        workshop_panels.open_session(None)
    try:
        from aims.ui import workshop_minutes
    except ImportError:      # the minutes panel is optional: the page works without it
        workshop_minutes = None
    closed = s["status"] == "closed" and workshop_minutes is not None
    workshop_panels.summary(con, ws, cat, s, agenda=not closed)     # the minutes show a closed one's items
    if closed:
        workshop_minutes.panel(con, ws, cat, s["id"])
else:
    st.subheader("Sessions")
    workshop_panels.sessions_list(con, ws)
    if chrome.may_edit():
        with st.expander("New workshop", icon=":material/add:", expanded=sessions.listing(con, ws["id"]).empty):
            workshop_panels.new_form(con, ws, cat)
    st.subheader("Parking lot")
    workshop_panels.parking_lot(con, ws, cat)
