"""AI risk register: heatmaps, the register, the risk library, proposals from impact assessments,
traceability to systems and Annex A controls, and the workspace's risk criteria."""
import streamlit as st

from aims.common.frames import ANY_OWNER
from aims.risk import filters
from aims.risk import intake as risk_intake
from aims.risk import register as risks
from aims.risk import scoring as rs
from aims.ui import chrome, risk_panels, risk_tabs

con, ws = chrome.page("AI risk register", "ISO/IEC 42001 6.1.2 and 8.2 risk assessment, 6.1.3 and 8.3 risk treatment")
cat = chrome.catalog()
WS = ws["id"]

systems = chrome.cached(risks.systems, con, WS)
r = risk_tabs.Register(con=con, ws_id=WS, cat=cat, crit=chrome.cached(risks.criteria, con, WS),
                       table=chrome.cached(risks.table, con, WS), systems=systems,
                       proposals=chrome.cached(risk_intake.proposals, con, WS),
                       sys_label=risk_panels.system_label(systems), ctl_label=risk_panels.control_label(cat))
table, crit, sys_label = r.table, r.crit, r.sys_label
stats = risks.summary(table)

k = st.columns([0.75, 1.15, 1.0, 1.4, 1.0])
k[0].metric("Open risks", stats["open"], border=True,
            help=f"Risks not closed ({stats['closed']} closed). Open, in treatment and accepted risks all count.")
k[1].metric("Inherent above appetite", stats["above_inherent"], border=True,
            help=f"Open risks whose inherent score (before treatment) is above the appetite ({crit['appetite']}).")
k[2].metric("Above appetite now", stats["above_current"], border=True,
            help=f"Open risks above the appetite ({crit['appetite']}) now: the residual score counts once the "
                 f"treatment is implemented ({stats['residual_current']} risks), until then the inherent score.")
k[3].metric("Planned residual above appetite", stats["above_residual"], border=True,
            help=f"Open risks whose planned residual score is still above the appetite ({crit['appetite']}); "
                 f"{stats['residual_not_rated']} open risks have no residual rating yet.")
k[4].metric("Treatments overdue", stats["treatments_overdue"], border=True,
            help="Open or in-treatment risks whose treatment is not implemented and whose due date has passed.")
notes = filters.attention_notes(stats, r.new_proposals)
if notes:
    st.caption(" · ".join(notes) + ".")

VIEWS = ["Register", "Add a risk", "Risk library", "From impact assessments", "Traceability", "Risk criteria"]
if not chrome.may_edit(owned=True):     # viewers read the register; contributors add the risks they own
    VIEWS.remove("Add a risk")
if "risks_goto" in st.session_state:
    st.session_state["risks_view"] = st.session_state.pop("risks_goto")
if st.session_state.get("risks_view") not in (None, *VIEWS):
    del st.session_state["risks_view"]
tabs = dict(zip(VIEWS, st.tabs(VIEWS, key="risks_view", on_change="rerun")))

if tabs["Register"].open:
    with tabs["Register"]:
        f = st.columns([2.4, 2.2, 1.7, 1.7])
        search = f[0].text_input("Search", key="risks_search", placeholder="ID, title, description, owner")
        scope_opts = [filters.ALL_RISKS, filters.ORGANISATION_LEVEL] + list(systems["id"])
        linked_system = st.query_params.get("system")  # deep link from the inventory: ?system=AIS-001
        if linked_system in scope_opts and linked_system != st.session_state.get("_risks_system_seen"):
            st.session_state["risks_scope"] = linked_system
            st.session_state["_risks_system_seen"] = linked_system
        scope = f[1].selectbox("AI system", scope_opts, key="risks_scope",
                               format_func=lambda v: v if v in scope_opts[:2] else sys_label(v))
        levels = f[2].multiselect("Current level", rs.LEVELS, key="risks_levels", placeholder="Any level")
        owners = [ANY_OWNER] + sorted(o for o in table["owner"].unique() if o)
        owner = f[3].selectbox("Owner", owners, key="risks_owner")
        t = st.columns([4, 1.5, 1.5], vertical_alignment="bottom")
        status = t[0].pills("Status (none picked: any)", risks.STATUSES, selection_mode="multi",
                            default=["open", "in treatment", "accepted"], key="risks_status")
        above_only = t[1].toggle("Above appetite only", key="risks_above")
        attention_only = t[2].toggle("Needs attention only", key="risks_attention")
        view = filters.filter_register(table, search=search, scope=scope, statuses=status, levels=levels,
                                       owner=owner, above_only=above_only, attention_only=attention_only)

        if table.empty:
            st.info("The register is empty. Add a risk, pick one from the risk library, or accept risks proposed by "
                    "impact assessments (tabs above).", icon=":material/info:")
        cell = risk_panels.heatmap_pair(con, view, crit, WS)
        shown = view
        if cell:
            which, lik, imp = cell
            shown = risk_panels.in_cell(view, cell)
            c = st.columns([5, 1])
            c[0].info(f"Showing the {len(shown)} risk{'s' if len(shown) != 1 else ''} in the **{which}** cell "
                      f"likelihood {chrome.plain(rs.scale_label(lik, crit['likelihood_labels']))} x impact "
                      f"{chrome.plain(rs.scale_label(imp, crit['impact_labels']))} (score {lik * imp}).",
                      icon=":material/filter_alt:")
            c[1].button("Clear cell filter", key="risks_clear_cell", on_click=risk_panels.clear_cell,
                        icon=":material/filter_alt_off:", use_container_width=True)
        st.caption(f"Showing {len(shown)} of {len(table)} risks. Select a row to open the risk.")
        frame = risk_panels.register_frame(shown)
        ids = list(frame["ID"])
        event = st.dataframe(risk_panels.styled(frame), hide_index=True, column_config=risk_panels.REGISTER_COLUMNS,
                             on_select="rerun", selection_mode="single-row",
                             key=f"risks_table_{abs(hash(tuple(ids)))}_{st.session_state.get('risks_table_v', 0)}",
                             height=min(600, 38 + 35 * max(len(frame), 3)), placeholder="")
        picked = [ids[i] for i in event.selection.rows if i < len(ids)]
        if picked:
            st.query_params["risk"] = picked[0]
        st.download_button("Download the register as CSV", lambda: risks.to_csv(table, crit), on_click="ignore",
                           file_name=f"AI risk register {ws['name']}.csv", mime="text/csv",
                           icon=":material/download:", key="risks_csv")

        risk_tabs.open_risk_panel(r)

for name, draw in (("Add a risk", risk_tabs.add_tab), ("Risk library", risk_tabs.library_tab),
                   ("From impact assessments", risk_tabs.proposals_tab), ("Traceability", risk_tabs.traceability_tab),
                   ("Risk criteria", risk_tabs.criteria_tab)):
    if name in tabs and tabs[name].open:
        with tabs[name]:
            draw(r)
