"""Overview: readiness KPIs, maturity radars, readiness per clause and objective, top gaps."""
import streamlit as st

from aims.assessment import requirements as assessments
from aims.governance import documents
from aims.reports import overview
from aims.ui import chrome, finding_notes, governance_panels, risk_panels, roadmap_panels, stage1_gate

con, ws = chrome.page("Readiness overview", lambda ws: f"target certification: {ws['target_date'] or 'not set'}")
cat = chrome.catalog()

data = chrome.cached(overview.readiness, con, ws["id"], cat, ws["default_target"])
overall = data["overall"]
trend = chrome.cached(overview.progress, con, ws["id"], cat, ws["default_target"], ws["target_date"])
since = trend["since"]


def moved(metric: str, unit: str = " pts", inverse: bool = False) -> dict:
    """The metric's change since the last baseline (else over about four weeks), for st.metric."""
    delta = None if since is None else since["deltas"][metric]
    if delta is None:
        return {}
    flat = round(delta) == 0           # no arrow, no colour for no change
    return {"delta": f"±0{unit}" if flat else f"{delta:+.0f}{unit}", "delta_description": since["short"],
            "delta_color": "off" if flat else "inverse" if inverse else "normal", "delta_arrow": "off" if flat else "auto"}


k = st.columns(6)
k[0].metric("Overall readiness", chrome.pct(overall["readiness_pct"]), **moved("readiness_pct"),
            help="Applicable requirements at or above their target maturity. Not assessed counts as not ready.",
            border=True)
k[1].metric("Assessed", chrome.pct(overall["assessed_pct"]),
            help=f"{overall['assessed']} of {overall['applicable']} applicable requirements rated.", border=True)
gate = chrome.cached(documents.stage1_gate, con, ws["id"], cat)
k[2].metric("Stage 1 readiness", stage1_gate.headline(gate), border=True, help=stage1_gate.help_text(gate))
k[3].metric("Stage 2 readiness", chrome.pct(overall["stage2_pct"]), border=True, **moved("stage2_pct"),
            help="Applicable requirements at target with verified evidence: records showing the requirement "
                 f"operates ({overall['stage2_verified']} of {overall['applicable']}). Documented evidence alone "
                 f"counts toward Stage 1, not here: {overall['documented_only']} more at target have only that.")
k[4].metric("Open gaps", overall["open_gaps"], help="Assessed requirements below target.", border=True,
            **moved("open_gaps", "", inverse=True))
k[5].metric("Target date", chrome.days_to(ws["target_date"]), border=True,
            help="Days left to the target certification date of this workspace: the day the certificate is "
                 "expected, after the Stage 2 audit, the closure of its findings and the certification body's "
                 "decision (the last phase of the roadmap).")
if not gate["ready"]:
    st.caption("Stage 1 conditions not met yet: " + chrome.plain(stage1_gate.open_conditions(gate))
               + " (each with its status on the Documented information page).")
finding_notes.overview_line(con, ws["id"])
if overall["not_assessed"]:
    excluded = overall["excluded"]
    st.caption(f"{overall['not_assessed']} applicable requirement{'s are' if overall['not_assessed'] != 1 else ' is'} "
               "not assessed yet and count as not ready. "
               + (f"{excluded} Annex A control{'s are' if excluded != 1 else ' is'} excluded in the Statement of "
                  "Applicability and drop{} out of every score.".format("" if excluded != 1 else "s") if excluded else ""))

left, right = st.columns([3, 2], gap="medium")
left.plotly_chart(trend["percent"], theme=None, key="ov_trend", config={"displayModeBar": False})
right.plotly_chart(trend["counts"], theme=None, key="ov_counts", config={"displayModeBar": False})
right.caption("Weekly points are rebuilt from the change log; diamonds are baselines (their figures as taken); "
              "the last point is now. Stage 1 is the share of its four gate conditions met."
              + ("" if since is None else f" The changes next to the headline figures are {chrome.plain(since['text'])}."))

for row in (("radar_clauses", "radar_controls"), ("bars_clauses", "bars_controls")):
    for column, name in zip(st.columns(2), row):
        column.plotly_chart(data["figures"][name], theme=None, key=name)

st.subheader("Top 10 gaps")
st.caption("Mandatory documented information first, then the largest gap between current and target maturity.")
gaps = data["top_gaps"]
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
        "group_title": st.column_config.TextColumn("Clause / objective", width=250),
        "mandatory": st.column_config.TextColumn("Mandatory doc", width=120),
        "current": "Current", "target_label": "Target",
        "gap": st.column_config.NumberColumn("Gap", format="%d", width="small"),
        "owner": "Owner", "due": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
    }, placeholder="")
    st.page_link("pages/gap-analysis.py", label="Work on the gaps in the gap analysis", icon=":material/arrow_forward:",
                 query_params={"ws": str(ws["id"])})

st.subheader("AI systems")
ai = chrome.cached(overview.systems_panel, con, ws["id"])
if ai["empty"]:
    st.info("No AI systems in the inventory yet.", icon=":material/memory:")
else:
    left, mid, right = st.columns([2, 2, 2])
    left.plotly_chart(ai["by_category"], theme=None, key="ov_ai_cat")
    mid.plotly_chart(ai["by_stage"], theme=None, key="ov_ai_stage")
    with right:
        for title, rows, icon, more in (
                ("High-risk systems without an approved impact assessment", ai["high"], ":material/warning:",
                 ai["high_count"]),
                ("Impact assessments overdue for re-assessment", ai["late"], ":material/schedule:", ai["late_count"])):
            st.markdown(f"**{title}: {more}**")
            for r in rows.itertuples():
                st.page_link("pages/impact.py", label=chrome.plain(r.label), icon=icon,
                             query_params={"ws": str(ws["id"]), "system": r.id})
            if more > len(rows):
                st.page_link("pages/impact.py", label=f"... and {more - len(rows)} more on the impact assessments page",
                             query_params={"ws": str(ws["id"])})
        if ai["unclassified"]:
            st.page_link("pages/ai-act.py", label=f"{ai['unclassified']} system(s) not classified yet",
                         icon=":material/gavel:", query_params={"ws": str(ws["id"])})

risk_panels.overview_section(con, ws)
roadmap_panels.overview_section(con, ws, cat)
governance_panels.overview_section(con, ws, cat)
