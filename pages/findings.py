"""Findings and corrective action (ISO/IEC 42001 10.2): the one register of findings from audits,
management reviews and incidents, and each nonconformity's correction, root cause, corrective
action on the roadmap, verification of effectiveness and closure."""
import streamlit as st

from aims.audit import findings
from aims.ui import chrome, finding_panels, finding_workflow

con, ws = chrome.page("Findings and corrective action",
                      "ISO/IEC 42001 10.2 nonconformity and corrective action; findings from internal audits (9.2), "
                      "certification audits, management reviews (9.3) and incidents")
cat = chrome.catalog()
WS = int(ws["id"])

table = chrome.cached(findings.table, con, WS)
r = finding_panels.Register(con=con, ws_id=WS, cat=cat, table=table,
                            audits=chrome.cached(findings.audit_options, con, WS),
                            reviews=chrome.cached(findings.review_options, con, WS))
stats = findings.summarise(table)

k = st.columns(5)
k[0].metric("Open findings", stats["open"], border=True,
            help=f"Findings not closed yet, of every grade ({stats['closed']} closed).")
k[1].metric("Major NCs open", stats["majors_open"], border=True,
            help="Major nonconformities (NCs) not closed yet. A certification body does not recommend certification "
                 "while one is open.")
k[2].metric("Minor NCs open", stats["minors_open"], border=True,
            help="Minor nonconformities (NCs) not closed yet.")
k[3].metric("Observations, OFIs", stats["open_by_grade"]["observation"]
            + stats["open_by_grade"]["opportunity for improvement"], border=True,
            help="Open observations and opportunities for improvement (OFIs).")
k[4].metric("Overdue", stats["overdue"], border=True, help="Open findings past their due date.")

with st.expander("How findings are handled (ISO/IEC 42001 10.2)", icon=":material/help:"):
    st.markdown(
        "- A **nonconformity** (major or minor) names the requirement it does not meet. It needs the **correction** "
        "(what was done at once), the **root cause** (optionally a five whys), a **corrective action** on the "
        "roadmap that is done, then **closure** with a name and a date.\n"
        "- A **major** nonconformity closes only once the corrective action is **verified effective** (who, when, "
        "result). A minor one may close before its verification, but never after one found it not effective.\n"
        "- **Observations** and **opportunities for improvement** close with a name and a date.\n"
        "- Dates are never in the future nor before the finding was raised. A closed finding is read only: reopen "
        "it, with a reason, to change it. Every change is in the finding's history.")

VIEWS = ["Register", "Raise a finding"]
if not chrome.may_edit():
    VIEWS.remove("Raise a finding")
if "findings_goto" in st.session_state:
    st.session_state[finding_panels.VIEW] = st.session_state.pop("findings_goto")
if st.session_state.get(finding_panels.VIEW) not in (None, *VIEWS):
    del st.session_state[finding_panels.VIEW]
tabs = dict(zip(VIEWS, st.tabs(VIEWS, key=finding_panels.VIEW, on_change="rerun")))

if tabs["Register"].open:
    with tabs["Register"]:
        view = finding_panels.filtered(table)
        if table.empty:
            st.info("No finding yet. Raise one from an internal audit, a certification audit, a management review or "
                    "an incident" + (" (tab above)." if chrome.may_edit() else "."), icon=":material/info:")
        else:
            st.caption(f"Showing {len(view)} of {len(table)} findings. Select a row to open the finding and its "
                       "corrective action.")
            frame = finding_panels.register_frame(view)
            ids = list(frame["ID"])
            event = st.dataframe(finding_panels.styled(frame), hide_index=True, column_config=finding_panels.COLUMNS,
                                 on_select="rerun", selection_mode="single-row", placeholder="",
                                 key=f"findings_table_{chrome.digest(ids)}_{st.session_state.get('findings_table_v', 0)}",
                                 height=min(560, 3 + 35 * (max(len(frame), 2) + 1)))
            picked = [ids[i] for i in event.selection.rows if i < len(ids)]
            if picked:
                st.query_params["finding"] = picked[0]
        finding_workflow.open_panel(r)

if "Raise a finding" in tabs and tabs["Raise a finding"].open:
    with tabs["Raise a finding"]:
        finding_panels.add_tab(r)
