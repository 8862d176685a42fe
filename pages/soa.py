"""Statement of Applicability: applicability, justification and implementation of the 38 Annex A controls."""
from datetime import date

import streamlit as st

from aims.assessment import requirements as assessments
from aims.assessment import soa
from aims.ui import chrome, conflicts, editing, risk_panels

con, ws = chrome.page("Statement of Applicability", "ISO/IEC 42001 clause 6.1.3: the Annex A controls and why")
cat = chrome.catalog()
PENDING = f"soa_pending_{ws['id']}"

table = chrome.cached(assessments.table, con, ws["id"], cat, ws["default_target"])
rows = soa.rows(table)
approval = assessments.soa_approval(con, ws["id"])
stats = soa.summary(rows)

k = st.columns(5)
k[0].metric("Applicable controls", f"{stats['applicable']} of {stats['controls']}", border=True)
k[1].metric("Excluded", stats["excluded"], border=True)
k[2].metric("Implemented", chrome.pct(stats["implemented_pct"]), border=True,
            help="Applicable controls whose implementation status is 'implemented'.")
k[3].metric("Missing justification", stats["missing_justification"], border=True,
            help="Applicable controls with no inclusion reason, or excluded controls with no exclusion reason.")
k[4].metric("SoA version", chrome.plain(approval["version"]) or "–", border=True,
            help="Approved by " + (chrome.plain(approval["approved_by"]) or "nobody yet")
            + (f" on {approval['approved_on']}" if approval["approved_on"] else ""))

if chrome.may_edit():        # approving the SoA is an editor's act; the metric above shows it to everyone
    with st.expander("Version and approval", icon=":material/approval:",
                     expanded=not approval["version"]):
        k, shown = conflicts.opened("soa_approval", {f: approval[f] for f in ("version", "approved_by", "approved_on")})
        with st.form(k):
            c = st.columns(3)
            version = c[0].text_input("SoA version", shown["version"], max_chars=40, placeholder="e.g. 1.0",
                                      key=f"{k}_version")
            approver = c[1].text_input("Approved by (name and role)", shown["approved_by"], max_chars=200,
                                       key=f"{k}_approved_by")
            approved_on = c[2].date_input("Approval date", shown["approved_on"], max_value=date.today(),
                                          format="YYYY-MM-DD", key=f"{k}_approved_on")
            submitted = st.form_submit_button("Save version and approval")
        conflicts.submit("soa_approval", "SoA", {"version": version, "approved_by": approver, "approved_on": approved_on}
                         if submitted else None, shown,
                         lambda d, base: assessments.set_soa_approval(con, ws["id"], d.get("version", shown["version"]),
                                                                      d.get("approved_by", shown["approved_by"]),
                                                                      d.get("approved_on", shown["approved_on"]), base=base),
                         lambda _: "SoA version and approval saved.")
else:
    st.caption(f"SoA version {chrome.plain(approval['version']) or 'not set'} · "
               + (f"approved by {chrome.plain(approval['approved_by'])} on {approval['approved_on']}"
                  if approval["approved_by"] else "not approved yet"))

f = st.columns([2.5, 2, 3])
objectives = ["All objectives"] + list(rows["Objective"].unique())
objective = f[0].selectbox("Control objective", objectives, key="soa_objective")
show = f[1].selectbox("Show", ["All controls", "Applicable", "Excluded", "Missing justification",
                               "Not implemented"], key="soa_show")
search = f[2].text_input("Search", key="soa_search", placeholder="ID or title")
view = soa.filter_rows(rows, objective if objective != "All objectives" else None, show, search)
view = view[[c for c in view.columns if c != "Objective"] + ["Objective"]]     # context last: the ID says it
st.caption(f"Showing {len(view)} of {len(rows)} controls. Clauses 4-10 always apply and are not listed here.")

columns = {"Applicable": "applicable", "Inclusion justification": "inclusion_reasons",
           "Exclusion justification": "exclusion_reason", "Implementation": "implementation",
           "Owner": "owner", "Evidence reference": "evidence_ref"}
editing.pending_editor(
    view.reset_index(drop=True), PENDING, columns, key=f"soa_editor_{ws['id']}",
    column_config={
        # widths in pixels that fit each header and its longest value at 1440 px (a projector)
        "ID": st.column_config.TextColumn(width=70, pinned=True),
        "Control": st.column_config.TextColumn(width=280, pinned=True),
        "Applicable": st.column_config.CheckboxColumn(width=120),
        "Inclusion justification": st.column_config.MultiselectColumn(
            options=list(assessments.INCLUSION_REASONS), width=280,
            help="Why the control is needed; several allowed"),
        "Exclusion justification": st.column_config.TextColumn(max_chars=5000, width=220,
                                                               help="Required when the control is excluded"),
        "Implementation": st.column_config.SelectboxColumn(options=list(assessments.IMPLEMENTATION), required=True,
                                                           width=150),
        "Owner": st.column_config.SelectboxColumn(options=chrome.owner_options(con, ws["id"], rows["Owner"]),
                                                  width=290),
        "Evidence reference": st.column_config.TextColumn(max_chars=5000, width=220),
        "Maturity": st.column_config.TextColumn(help="From the gap analysis", width=130),
        "Objective": st.column_config.TextColumn(width=300),
    },
    height=min(720, 38 + 35 * len(view)),
    disabled=["ID", "Control", "Objective", "Maturity", "Check"],
)


def write(changes: dict, base: dict) -> int:
    return chrome.with_owners(con, ws["id"], [c.get("owner") for c in changes.values()],
                              lambda tx: assessments.save(tx, ws["id"], cat, changes, base=base))


editing.save_bar(PENDING, write, "soa", view.reset_index(drop=True), columns,
                 message=lambda n, changes: chrome.fields_saved(n, "the Statement of Applicability", len(changes)))
st.download_button("Download the SoA as CSV", soa.to_csv(rows, approval), file_name=f"SoA {ws['name']}.csv",
                   mime="text/csv", icon=":material/download:", on_click="ignore")

risk_panels.soa_section(con, ws, cat)
