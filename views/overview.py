"""Overview: readiness KPIs, maturity radars, readiness per clause and objective, top gaps."""
import pandas as pd
import streamlit as st

import governance_ui
import risk_ui
import roadmap_ui
import ui
from aims import assessments, charts, documents, impact, inventory, scoring

con = ui.connection()
ws = ui.require_workspace()
cat = ui.catalog()
ui.page_header("Readiness overview", ws, f"target certification: {ws['target_date'] or 'not set'}")

table = ui.cached(assessments.table, con, ws["id"], cat, ws["default_target"])
overall = scoring.summary(scoring.with_status(table))

k = st.columns(6)
k[0].metric("Overall readiness", ui.pct(overall["readiness_pct"]),
            help="Applicable requirements at or above their target maturity. Not assessed counts as not ready.",
            border=True)
k[1].metric("Assessed", ui.pct(overall["assessed_pct"]),
            help=f"{overall['assessed']} of {overall['applicable']} applicable requirements rated.", border=True)
stage1 = ui.cached(documents.stage1_readiness, con, ws["id"], cat)
k[2].metric("Stage 1 readiness", ui.pct(stage1["pct"]), border=True,
            help=f"Required documented information approved in the register: {stage1['approved']} of "
                 f"{stage1['required']} ({stage1['draft']} in draft, {stage1['missing']} missing).")
k[3].metric("Stage 2 readiness", ui.pct(overall["stage2_pct"]),
            help="Applicable requirements at target with documented or verified evidence.", border=True)
k[4].metric("Open gaps", overall["open_gaps"], help="Assessed requirements below target.", border=True)
k[5].metric("Target date", ui.days_to(ws["target_date"]), border=True,
            help="Days left to the target certification date of this workspace.")
if overall["not_assessed"]:
    excluded = overall["excluded"]
    st.caption(f"{overall['not_assessed']} applicable requirement{'s are' if overall['not_assessed'] != 1 else ' is'} "
               "not assessed yet and count as not ready. "
               + (f"{excluded} Annex A control{'s are' if excluded != 1 else ' is'} excluded in the Statement of "
                  "Applicability and drop{} out of every score.".format("" if excluded != 1 else "s") if excluded else ""))

clauses = scoring.by_group(table, "clause")
controls = scoring.by_group(table, "control")
left, right = st.columns(2)
left.plotly_chart(charts.maturity_radar(clauses, "Maturity by clause (4-10)"), theme=None, key="radar_clauses")
right.plotly_chart(charts.maturity_radar(controls, "Maturity by Annex A objective"), theme=None, key="radar_controls")
left, right = st.columns(2)
left.plotly_chart(charts.readiness_bars(clauses, "Readiness by clause"), theme=None, key="bars_clauses")
right.plotly_chart(charts.readiness_bars(controls, "Readiness by Annex A objective"), theme=None, key="bars_controls")

st.subheader("Top 10 gaps")
st.caption("Mandatory documented information first, then the largest gap between current and target maturity.")
gaps = scoring.top_gaps(table, 10)
if gaps.empty:
    st.info("No open gaps among the assessed requirements.", icon=":material/task_alt:")
else:
    view = gaps.assign(
        current=gaps["maturity"].map(assessments.maturity_label),
        target_label=gaps["target"].map(assessments.maturity_label),
        mandatory=gaps["mandatory_doc"].map({True: "Yes", False: ""}),
    )[["req_id", "title", "group_title", "mandatory", "current", "target_label", "gap", "owner", "due"]]
    st.dataframe(view, hide_index=True, column_config={
        "req_id": st.column_config.TextColumn("ID", width="small"),
        "title": st.column_config.TextColumn("Requirement", width="large"),
        "group_title": st.column_config.TextColumn("Clause / objective", width="small"),
        "mandatory": st.column_config.TextColumn("Mandatory doc", width="small"),
        "current": "Current", "target_label": "Target",
        "gap": st.column_config.NumberColumn("Gap", format="%d", width="small"),
        "owner": "Owner", "due": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
    })
    st.page_link("views/gap_analysis.py", label="Work on the gaps in the gap analysis", icon=":material/arrow_forward:",
                 query_params={"ws": str(ws["id"])})

st.subheader("AI systems")
ai_systems = ui.cached(inventory.list_systems, con, ws["id"], include_retired=False)
if ai_systems.empty:
    st.info("No AI systems in the inventory yet.", icon=":material/memory:")
else:
    assessments_all = ui.cached(impact.list_all, con, ws["id"])
    approved = set(assessments_all.loc[assessments_all["status"] == "approved", "system_id"])
    high = ai_systems[(ai_systems["ai_act_category"] == "high-risk") & ~ai_systems["id"].isin(approved)]
    late = impact.overdue(assessments_all)
    left, mid, right = st.columns([2, 2, 2])
    left.plotly_chart(charts.count_bars(ai_systems["ai_act_category"], inventory.CATEGORIES, "By EU AI Act category"),
                      theme=None, key="ov_ai_cat")
    mid.plotly_chart(charts.count_bars(ai_systems["lifecycle_stage"], inventory.LIFECYCLE[:-1], "By life-cycle stage"),
                     theme=None, key="ov_ai_stage")
    with right:
        st.markdown(f"**High-risk systems without an approved impact assessment: {len(high)}**")
        for _, r in high.iterrows():
            st.page_link("views/impact.py", label=f"{r['id']} {r['name']}", icon=":material/warning:",
                         query_params={"ws": str(ws["id"]), "system": r["id"]})
        st.markdown(f"**Impact assessments overdue for re-assessment: {len(late)}**")
        for _, r in late.iterrows():
            st.page_link("views/impact.py", label=f"{r['system_id']} {r['system_name']} (due {pd.Timestamp(r['next_review']):%Y-%m-%d})",
                         icon=":material/schedule:", query_params={"ws": str(ws["id"]), "system": r["system_id"]})
        unclassified = int((ai_systems["ai_act_category"] == "not classified").sum())
        if unclassified:
            st.page_link("views/classification.py", label=f"{unclassified} system(s) not classified yet",
                         icon=":material/gavel:", query_params={"ws": str(ws["id"])})

risk_ui.overview_section(con, ws)
roadmap_ui.overview_section(con, ws, cat)
governance_ui.overview_section(con, ws, cat)
