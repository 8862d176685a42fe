"""Audits: the internal audit programme over a cycle with its coverage of the applicable
requirements and the Stage 1 warning, each audit's checklist with impartiality flags and results,
the audit report, and the certification body's audits (Stage 1, Stage 2, surveillance,
recertification)."""
from datetime import date

import streamlit as st

from aims.ai_systems import inventory
from aims.audit import charts as audit_charts
from aims.audit import programme
from aims.ui import audit_checklist, audit_panels, chrome

con, ws = chrome.page("Audits", "ISO/IEC 42001 9.2 internal audit programme and checklists; the certification audits")
cat = chrome.catalog()
WS = int(ws["id"])

start = st.session_state.get("audits_cycle_start")
view = chrome.cached(programme.overview, con, WS, cat, start)
systems = chrome.cached(inventory.list_systems, con, WS)
r = audit_panels.Programme(con=con, ws_id=WS, cat=cat, audits=view["audits"], view=view,
                           excluded=frozenset(chrome.cached(programme.excluded_controls, con, WS)),
                           systems={i: f"{i} {n}" for i, n in zip(systems["id"], systems["name"])})
s, cycle = view["summary"], view["cycle"]
internal = cycle[cycle["kind"] == "internal"]

k = st.columns([1, 1.2, 1.4, 1.2])
k[0].metric("Audits in this cycle", len(cycle), border=True,
            help=f"{view['window'][0]} to {view['window'][1]}; undated audits count in every cycle")
k[1].metric("Internal audits completed", f"{int((internal['status'] == 'completed').sum())} of {len(internal)}",
            border=True)
k[2].metric("Applicable requirements covered", f"{s['covered']} of {s['applicable']}", border=True,
            help="In the scope of an internal audit of this cycle (controls the SoA excludes do not apply); "
                 f"{s['audited']} already audited")
k[3].metric("Stage 1", str(view["stage1"] or "no date"), border=True, help=f"From {view['stage1_basis']}.")
if s["warning"]:
    st.warning(s["warning"], icon=":material/warning:")

VIEWS = ["Programme", "Checklist", "Report", "Certification audits"]
if audit_panels.GOTO in st.session_state:
    st.session_state[audit_panels.VIEW] = st.session_state.pop(audit_panels.GOTO)
if st.session_state.get(audit_panels.VIEW) not in (None, *VIEWS):
    del st.session_state[audit_panels.VIEW]
tabs = dict(zip(VIEWS, st.tabs(VIEWS, key=audit_panels.VIEW, on_change="rerun")))

if tabs["Programme"].open:
    with tabs["Programme"]:
        c = st.columns([1.3, 4], vertical_alignment="bottom")
        c[0].date_input("Cycle starts", value=None, key="audits_cycle_start", format="YYYY-MM-DD",
                        help=f"Empty: the first audit's date. The cycle runs {programme.CYCLE_YEARS} years.")
        c[1].caption(f"Cycle {view['window'][0]} to {view['window'][1]}: the audits of the programme, their status "
                     "and progress. Select a row to open an audit.")
        if any(d is not None for d in (*cycle["start"], *cycle["finish"])):
            st.plotly_chart(audit_charts.programme_timeline(cycle, view["window"], view["stage1"], date.today()),
                            key="audits_timeline", config={"displayModeBar": False})
        if cycle.empty:
            st.info("No audit in this cycle yet." + (" Add the first internal audit below." if chrome.may_edit() else ""),
                    icon=":material/info:")
        else:
            audit_panels.audit_list(r, cycle, "audits_table")
        outside = len(view["audits"]) - len(cycle)
        if outside:
            st.caption(f"{outside} audit{'s' if outside != 1 else ''} outside this cycle: change the cycle start to see "
                       f"{'them' if outside != 1 else 'it'}.")
        if st.query_params.get("audit") in set(cycle["id"]):
            audit_panels.audit_panel(r, "programme")
        if chrome.may_edit():
            with st.expander("Add an audit", icon=":material/add:", expanded=view["audits"].empty):
                audit_panels.add_audit(r, programme.KINDS, "audit_add", "Add the audit", "Programme")
        st.subheader("Coverage")
        audit_panels.stage1_note(r)
        audit_panels.coverage_view(r)

if tabs["Checklist"].open:
    with tabs["Checklist"]:
        audit_checklist.checklist_tab(r)

if tabs["Report"].open:
    with tabs["Report"]:
        audit_checklist.report_tab(r, ws["name"])

if tabs["Certification audits"].open:
    with tabs["Certification audits"]:
        audit_checklist.certification_tab(r)
