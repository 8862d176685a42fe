"""AIMS Workbench entry point: page config, database bootstrap, workspace picker, navigation.

Start with `streamlit run app.py`. The database file is AIMS_DB (default data/aims.duckdb);
on an empty database a demo client workspace is created.
"""
import streamlit as st

st.set_page_config(page_title="AIMS Workbench", page_icon=":material/verified_user:", layout="wide")

import ui  # noqa: E402  (set_page_config must run first)
from aims import db  # noqa: E402

con = ui.connection()
st.session_state["workspace"] = ui.pick_workspace(con)

PAGES = {
    "Readiness": [
        st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
        st.Page("views/gap_analysis.py", title="Gap analysis", icon=":material/fact_check:", url_path="gap-analysis"),
        st.Page("views/soa.py", title="Statement of Applicability", icon=":material/rule:", url_path="soa"),
    ],
    "AI systems": [
        st.Page("views/inventory.py", title="AI system inventory", icon=":material/memory:", url_path="ai-systems"),
        st.Page("views/classification.py", title="EU AI Act classification", icon=":material/gavel:", url_path="ai-act"),
        st.Page("views/impact.py", title="Impact assessments", icon=":material/assignment:", url_path="impact"),
    ],
    "Risk": [
        st.Page("views/risks.py", title="AI risk register", icon=":material/crisis_alert:", url_path="risks"),
    ],
    "Plan and govern": [
        st.Page("views/roadmap.py", title="Roadmap", icon=":material/timeline:", url_path="roadmap"),
        st.Page("views/governance.py", title="Governance", icon=":material/account_balance:", url_path="governance"),
        st.Page("views/documents.py", title="Documented information", icon=":material/description:", url_path="documents"),
    ],
    "Reports": [
        st.Page("views/reports.py", title="Reports and workbook", icon=":material/table_view:", url_path="reports"),
    ],
    "Settings": [
        st.Page("views/workspaces.py", title="Workspaces", icon=":material/folder_open:", url_path="workspaces"),
    ],
}
page = st.navigation({section: pages for section, pages in PAGES.items() if pages})
cat = ui.catalog()
st.sidebar.caption(f"Catalogue: {cat.name}, content {cat.version}  \nChanges recorded as: {db.current_user()}")
st.session_state[ui.PAGE_KEY] = page.url_path
page.run()
