"""Manager dashboard: the workspace's progress at a glance, read-only (viewers land here).
Readiness and its trend, Stage 1 and Stage 2 readiness, the roadmap with its forecast, overdue
actions per owner, the top risks and the open findings. No edit widgets: every figure comes from
aims.reports.dashboard, computed once per data version."""
from datetime import date

import pandas as pd
import streamlit as st

from aims.reports import dashboard
from aims.risk import charts as risk_charts
from aims.ui import chrome, risk_panels, roadmap_panels, stage1_gate

con, ws = chrome.page("Manager dashboard", lambda ws: f"read-only view of progress, as of {date.today().isoformat()}"
                      + f" · target certification: {ws['target_date'] or 'not set'}")
cat = chrome.catalog()
WS = {"ws": str(ws["id"])}
d = chrome.cached(dashboard.snapshot, con, ws["id"], cat, ws["default_target"], ws["target_date"])
overall, gate, fc = d["overall"], d["gate"], d["forecast"]

st.page_link("pages/reports.py", label="Open the client report and the Excel workbook", icon=":material/summarize:",
             query_params=WS)

# ---- headline figures ------------------------------------------------------------------------------
k = st.columns([1, 1, 1, 1, 1.3])
since = d["since"]


def moved(metric: str) -> dict:
    """The metric's change since the last baseline (else over about four weeks), for st.metric."""
    delta = None if since is None else since["deltas"][metric]
    if delta is None:
        return {}
    flat = round(delta) == 0           # no arrow, no colour for no change
    return {"delta": "±0 pts" if flat else f"{delta:+.0f} pts", "delta_description": since["short"],
            "delta_color": "off" if flat else "normal", "delta_arrow": "off" if flat else "auto"}


k[0].metric("Readiness", chrome.pct(overall["readiness_pct"]), border=True, height="stretch", **moved("readiness_pct"),
            help=f"Applicable requirements at or above their target maturity: {overall['at_target']} of "
                 f"{overall['applicable']}. Not assessed counts as not ready; the chart below shows it over time.")
k[1].metric("Stage 1 readiness", stage1_gate.headline(gate), border=True, height="stretch",
            help=stage1_gate.help_text(gate))
k[2].metric("Stage 2 readiness", chrome.pct(overall["stage2_pct"]), border=True, height="stretch",
            **moved("stage2_pct"), help=f"Applicable requirements at target with verified evidence: "
                                         f"{overall['stage2_verified']} of {overall['applicable']}.")
behind = None if fc.progress_pct is None or fc.planned_pct is None else fc.progress_pct - fc.planned_pct
k[3].metric("Roadmap progress", chrome.pct(fc.progress_pct), border=True, height="stretch",
            delta=None if behind is None else f"{behind:+.0f} pts", delta_description=None if behind is None else "vs plan",
            help=f"Effort earned: {fc.earned:.0f} of {fc.total:.0f} effort days; the plan had "
                 f"{chrome.pct(fc.planned_pct)} done by today.")
k[4].metric("Forecast ready", fc.ready.isoformat() if fc.ready else "–", border=True, height="stretch",
            delta=None if fc.slip_days is None else "on the target date" if fc.slip_days == 0 else
            f"{abs(fc.slip_days)} days {'late' if fc.slip_days > 0 else 'early'}", delta_arrow="off",
            delta_color="off" if not fc.slip_days else "red" if fc.slip_days > 0 else "green",
            delta_description=None if fc.slip_days is None else "vs target",
            help="Today plus the remaining effort at the pace of the last weeks; a dash when there is no pace yet.")

# ---- readiness: trend, Stage 1, Stage 2 ----------------------------------------------------------------
left, right = st.columns([3, 2], gap="large")
left.plotly_chart(d["figures"]["progress"], theme=None, key="dash_trend", config={"displayModeBar": False})
left.plotly_chart(d["figures"]["counts"], theme=None, key="dash_counts", config={"displayModeBar": False})
left.caption("Weekly points are rebuilt from the change log; diamonds are baselines (their figures as taken); "
             "the last point is now. Stage 1 is the share of its four gate conditions met."
             + ("" if since is None else f" The changes next to the headline figures are {chrome.plain(since['text'])}."))
with right.container(border=True):
    st.markdown(f"**Stage 1 readiness: {stage1_gate.headline(gate).lower()}** (every condition must be met)")
    for c in gate["conditions"]:
        st.markdown(f"{stage1_gate.MET if c['met'] else stage1_gate.NOT_MET} **{c['label']}**  \n"
                    f":small[:gray[{chrome.plain(c['status'])}]]")
with right.container(border=True):
    st.markdown(f"**Stage 2 readiness: {chrome.pct(overall['stage2_pct'])}** of the applicable requirements are "
                f"at target with verified evidence ({overall['stage2_verified']} of {overall['applicable']}).")
    st.progress(min(1.0, (overall["stage2_pct"] or 0) / 100))
    st.caption(f"{overall['documented_only']} more at target have documented evidence only, which Stage 1 reviews; "
               f"{overall['open_gaps']} are below target and {overall['not_assessed']} not assessed yet.")

# ---- roadmap -----------------------------------------------------------------------------------------
st.subheader("Roadmap to certification")
if not d["actions"]:
    st.info("No roadmap actions yet: the roadmap is drawn up on the Roadmap page.", icon=":material/route:")
else:
    roadmap_panels.forecast_box(fc)
    st.plotly_chart(d["figures"]["burnup"], theme=None, key="dash_burnup", config={"displayModeBar": False})
    if d["figures"]["phases"] is not None:
        st.plotly_chart(d["figures"]["phases"], theme=None, key="dash_phases", config={"displayModeBar": False})

# ---- overdue actions and open findings -------------------------------------------------------------------
left, right = st.columns(2, gap="large")
overdue = d["overdue"]
with left:
    late = int(overdue["overdue"].sum()) if len(overdue) else 0
    st.subheader(f"Overdue actions by owner: {late}")
    if d["blocked"]:
        st.caption(f"Also {chrome.tally(d['blocked'], 'blocked action')} (the Roadmap page lists them).")
    if overdue.empty:
        st.success("No roadmap action is overdue.", icon=":material/task_alt:")
    else:
        st.dataframe(overdue.assign(days=[(d["today"] - due).days for due in overdue["oldest_due"]],
                                    actions=overdue["actions"].map(", ".join)),
                     hide_index=True, column_order=["owner", "overdue", "oldest_due", "days", "actions"],
                     column_config={
                         "owner": st.column_config.TextColumn("Owner", width=175),
                         "overdue": st.column_config.NumberColumn("Overdue", format="%d", width=70),
                         "oldest_due": st.column_config.DateColumn("Oldest due", format="YYYY-MM-DD", width=95),
                         "days": st.column_config.NumberColumn("Days late", format="%d", width=70,
                                                               help="Days since the oldest due date"),
                         "actions": st.column_config.TextColumn("Actions", width=85, help="Oldest due first")})
with right:
    st.subheader("Open findings")
    found = d["findings"]
    nc = found["nonconformities"]
    show = st.error if nc["open_major"] else st.success if nc["open_major"] == 0 else st.info
    show(f"**Major nonconformities.** {chrome.plain(nc['text'])}", icon=":material/report:")
    if len(found["open"]):
        st.dataframe(found["open"], hide_index=True, column_config={
            "id": st.column_config.TextColumn("ID", width=60), "grade": st.column_config.TextColumn("Grade", width=150),
            "title": st.column_config.TextColumn("Finding", width=220), "owner": st.column_config.TextColumn("Owner"),
            "due": st.column_config.DateColumn("Due", format="YYYY-MM-DD", width=90),
            "overdue": st.column_config.CheckboxColumn("Overdue", width=70)})
        st.page_link("pages/findings.py", label="All findings and their corrective actions", icon=":material/report:")
    st.markdown(f"**Open gaps: {found['gap_count']}**")
    gaps = found["gaps"].head(10)
    if not gaps.empty:
        st.dataframe(pd.DataFrame({
            "Requirement": gaps["req_id"] + " " + gaps["title"],
            "Maturity": [f"{m} → {t}" for m, t in zip(gaps["maturity"], gaps["target"])], "Owner": gaps["owner"]}),
            hide_index=True, column_config={
                "Requirement": st.column_config.TextColumn(width=250),
                "Maturity": st.column_config.TextColumn(width=70, help="Current maturity → target (0 to 5)"),
                "Owner": st.column_config.TextColumn(width=150)})
    st.caption("Assessed requirements below their target, mandatory documentation first, then the largest gap"
               + (f"; all {found['gap_count']} on the Gap analysis page" if found["gap_count"] > 10 else "")
               + (f". {found['not_assessed']} more are not assessed yet." if found["not_assessed"] else "."))

# ---- risks -------------------------------------------------------------------------------------------------
risks, summary = d["risks"], d["risk_summary"]
st.subheader("Top 10 risks")
if risks.empty:
    st.info("No open risks in the AI risk register.", icon=":material/crisis_alert:")
else:
    st.caption(f"{summary['open']} open risks, {summary['above_current']} above the risk appetite (score above "
               f"{d['appetite']}) now; the highest current scores first (residual where the treatment is "
               "implemented, else inherent).")

    def band(value) -> str:
        level = str(value).rsplit("· ", 1)[-1].lower()
        colour = risk_charts.BAND_COLOURS.get(level)
        return f"background-color: {colour}; color: {risk_charts.BAND_TEXT[level]}" if colour else ""

    view = pd.DataFrame({
        "ID": risks["id"], "Risk": risks["title"],
        "Current": [risk_panels.level_text(s, lv) for s, lv in zip(risks["current_score"], risks["current_level"])],
        "Appetite": risks["above_appetite"].map({True: risk_panels.ABOVE, False: ""}),
        "Treatment": risks["treatment"].replace("", "not decided") + " · " + risks["status"], "Owner": risks["owner"],
        "Treatment due": [("⚠ " if behind_ else "") + (due.isoformat() if due else "")
                          for due, behind_ in zip(risks["due"], risks["treatment_overdue"])]})
    st.dataframe(view.style.map(band, subset=["Current"]).map(
        lambda v: "color: #b3261e; font-weight: 700" if v == risk_panels.ABOVE else "", subset=["Appetite"]),
        hide_index=True, column_config={
            "ID": st.column_config.TextColumn(width=55), "Risk": st.column_config.TextColumn(width=300),
            "Current": st.column_config.TextColumn(width=95), "Appetite": st.column_config.TextColumn(width=75),
            "Treatment": st.column_config.TextColumn("Treatment · status", width=155),
            "Owner": st.column_config.TextColumn(width=195),
            "Treatment due": st.column_config.TextColumn(width=120, help="⚠: past due and not implemented")})
