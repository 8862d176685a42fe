"""Progress: the workspace's baselines (frozen assessments) and what changed since one of them."""
import streamlit as st

from aims.progress import baselines
from aims.ui import chrome, progress_panels

con, ws = chrome.page("Progress and baselines",
                      "a baseline freezes the whole assessment; compare any two, or one with now")
cat = chrome.catalog()
listed = chrome.cached(baselines.listing, con, ws["id"])

st.subheader("What changed")
if listed.empty:
    st.info("No baseline yet. Take one now (at the kick-off, after each workshop, before an audit) to see later how "
            "far the organisation has come. One is also taken automatically before every workbook import.",
            icon=":material/info:")
else:
    progress_panels.comparison(con, ws, cat, listed)

st.subheader(f"Baselines ({len(listed)})")
if not listed.empty:
    progress_panels.baseline_table(listed)
if chrome.may_edit():
    left, right = st.columns(2, gap="medium")
    with left:
        progress_panels.take_form(con, ws, cat)
    if not listed.empty:
        with right:
            progress_panels.manage_form(con, ws, listed)
