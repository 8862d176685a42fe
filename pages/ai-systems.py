"""AI system inventory: register, detail view, add/edit/retire, CSV import, charts."""
from datetime import date

import pandas as pd
import streamlit as st

from aims.ai_systems import classification, impact, inventory
from aims.assessment import charts
from aims.common.validate import ValidationError
from aims.ui import chrome, inventory_form
from aims.workbook import csv as wb_csv
from aims.workbook import problems as listing

con, ws = chrome.page("AI system inventory", "ISO/IEC 42001 A.4 and 4.3: know every AI system in scope")

systems = chrome.cached(inventory.list_systems, con, ws["id"])
active = systems[systems["status"] == "active"]
owners = chrome.owner_options(con, ws["id"], systems["business_owner"], systems["technical_owner"])
today = date.today()
next_review = pd.to_datetime(active["next_review"])
k = st.columns(5)
k[0].metric("Active AI systems", len(active), border=True)
k[1].metric("High-risk (EU AI Act)", int((active["ai_act_category"] == "high-risk").sum()), border=True)
k[2].metric("Not classified yet", int((active["ai_act_category"] == "not classified").sum()), border=True)
k[3].metric("Deployed", int((active["lifecycle_stage"] == "deployed").sum()), border=True)
k[4].metric("Reviews overdue", int((next_review < pd.Timestamp(today)).sum()), border=True,
            help="Active systems whose next review date has passed.")


editable = chrome.may_edit()       # adding, editing, retiring and importing are editors' work
tab_register, *tab_add_import = st.tabs(["Register", "Add a system", "Import CSV"] if editable else ["Register"])

with tab_register:
    if systems.empty:
        st.info("No AI systems yet." + (" Add the first one in the next tab, or import a CSV." if editable else ""),
                icon=":material/info:")
    else:
        left, right = st.columns(2)
        left.plotly_chart(charts.count_bars(active["lifecycle_stage"], inventory.LIFECYCLE[:-1],
                                            "Active systems by life-cycle stage"), theme=None, key="inv_stage")
        right.plotly_chart(charts.count_bars(active["ai_act_category"], inventory.CATEGORIES,
                                             "Active systems by EU AI Act category"), theme=None, key="inv_cat")
        f = st.columns([3, 2, 2, 1.4])
        search = f[0].text_input("Search", key="inv_search", placeholder="Name, owner, purpose, vendor...")
        stages = f[1].multiselect("Life-cycle stage", inventory.LIFECYCLE, key="inv_stage_f", placeholder="Any stage")
        cats = f[2].multiselect("EU AI Act category", inventory.CATEGORIES, key="inv_cat_f", placeholder="Any category")
        show_retired = f[3].toggle("Show retired", key="inv_retired")
        view = systems if show_retired else active
        if search.strip():
            hay = view[["id", "name", "business_owner", "technical_owner", "purpose", "vendor", "model",
                        "business_unit"]].astype(str).agg(" ".join, axis=1).str.lower()
            view = view[hay.str.contains(search.strip().lower(), regex=False)]
        if stages:
            view = view[view["lifecycle_stage"].isin(stages)]
        if cats:
            view = view[view["ai_act_category"].isin(cats)]
        st.caption(f"{len(view)} of {len(systems)} systems. Select a row to open its detail view.")
        table = view[["id", "name", "business_owner", "lifecycle_stage", "sourcing", "automation",
                      "ai_act_category", "status", "next_review"]].reset_index(drop=True)
        picked = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row", key="inv_table",
                              height=min(460, 38 + 35 * len(table)), column_config={
                                  "id": st.column_config.TextColumn("ID", width="small"), "name": "Name",
                                  "business_owner": "Business owner", "lifecycle_stage": "Stage",
                                  "sourcing": "Sourcing", "automation": "Automation",
                                  "ai_act_category": "EU AI Act", "status": "Status",
                                  "next_review": st.column_config.DateColumn("Next review", format="YYYY-MM-DD")}, placeholder="")
        rows = picked.selection.rows if picked else []
        wanted = table.iloc[rows[0]]["id"] if rows else st.query_params.get("system")
        if wanted in set(systems["id"]):
            st.query_params["system"] = wanted
            s = inventory.get(con, ws["id"], wanted)
            st.divider()
            st.subheader(f"{s['id']} {chrome.plain(s['name'])}")
            st.caption(f"{s['status']} · {s['lifecycle_stage']} · EU AI Act: **{s['ai_act_category']}** · "
                       f"role: {s['org_role']} · automation: {s['automation']}")
            d = st.columns(3)
            shown = {f: chrome.plain(s[f]) or "–" for f in ("purpose", "intended_use", "foreseeable_misuse",
                                                            "business_owner", "technical_owner", "affected_persons")}
            d[0].markdown(f"**Purpose**  \n{shown['purpose']}")
            d[1].markdown(f"**Intended uses and users**  \n{shown['intended_use']}")
            d[2].markdown(f"**Foreseeable misuse**  \n{shown['foreseeable_misuse']}")
            d = st.columns(3)
            d[0].markdown(f"**Owners**  \nbusiness: {shown['business_owner']}  \ntechnical: {shown['technical_owner']}")
            d[1].markdown(f"**Model**  \n{s['sourcing']}; {chrome.plain(s['vendor']) or 'no vendor'} "
                          f"{chrome.plain(s['model'])}; {s['model_type']}")
            d[2].markdown(f"**Personal data**  \n{'yes' if s['personal_data'] else 'no'}"
                          f"{' (special categories)' if s['special_categories'] else ''}; "
                          f"affected: {shown['affected_persons']}")
            hist = classification.history(con, ws["id"], wanted)
            ias = chrome.cached(impact.list_all, con, ws["id"])
            ias = ias[ias["system_id"] == wanted]
            d = st.columns(3)
            with d[0]:
                st.markdown("**EU AI Act classification**")
                if hist.empty:
                    st.caption("Not classified yet.")
                else:
                    h = hist.iloc[0]
                    point = classification.stored_point(h["basis"], h["annex_iii_points"], h["annex_i_section"])
                    st.caption(f"Version {h['version']}: {h['category'].replace('_', '-')}"
                               f"{f' ({point})' if point else ''} as {h['role'].replace('_', ' ')}, "
                               f"{pd.Timestamp(h['classified_at']):%Y-%m-%d} by {chrome.plain(h['classified_by'])}")
                st.page_link("pages/ai-act.py", label="Open the classification wizard", icon=":material/gavel:",
                             query_params={"ws": str(ws["id"]), "system": wanted})
            with d[1]:
                st.markdown("**Impact assessments**")
                if ias.empty:
                    st.caption("None yet.")
                for _, a in ias.iterrows():
                    st.caption(f"{a['id']} v{a['version']}: {a['status']}, level {a['overall_level'] or '–'}")
                st.page_link("pages/impact.py", label="Open impact assessments", icon=":material/assignment:",
                             query_params={"ws": str(ws["id"]), "system": wanted})
            with d[2]:
                st.markdown("**Risks**")
                try:
                    from aims.risk import register as risks
                    r = risks.for_system(con, ws["id"], wanted)
                    st.caption(f"{len(r)} risk(s) linked." if len(r) else "No risks linked yet.")
                    if len(r):
                        st.dataframe(r[[c for c in ("id", "title", "status") if c in r.columns]], hide_index=True, placeholder="")
                    st.page_link("pages/risks.py", label="Open its risks in the register", icon=":material/crisis_alert:",
                                 query_params={"ws": str(ws["id"]), "system": wanted})
                except ImportError:
                    st.caption("The risk register is not available.")
            if editable:
                with st.expander("Edit this system", icon=":material/edit:",
                                 expanded=inventory_form.edit_pending(wanted)):
                    inventory_form.edit_system(con, ws["id"], wanted, s, owners)
                if s["status"] == "active":
                    with st.popover("Retire this system", icon=":material/archive:"):
                        st.write("Retired systems stay in the register and its history, marked retired.")
                        if st.button(f"Retire {wanted}", key=f"inv_retire_{wanted}", type="primary"):
                            inventory.retire(con, ws["id"], wanted)
                            chrome.flash(f"{wanted} retired.")
                            st.rerun()

if editable:
    with tab_add_import[0]:
        add_v = st.session_state.get("inv_add_v", 0)      # bumped after an add: the next form starts empty
        values = inventory_form.system_form(f"inv_add_{add_v}", {}, "Add AI system", owners)
        if values is not None:
            try:
                new_id = chrome.with_owners(con, ws["id"], inventory_form.owners_of([values]),
                                            lambda tx: inventory.create(tx, ws["id"], values))
                st.session_state["inv_add_v"] = add_v + 1
                st.query_params["system"] = new_id
                chrome.flash(f"Added {new_id} {values['name']}. Classify it under the EU AI Act next.")
                st.rerun()
            except ValidationError as exc:
                chrome.show_problems(exc)

    with tab_add_import[1]:
        st.markdown("Upload or paste a CSV with one system per row. Every row is checked first; nothing is "
                    "imported unless all rows are valid. Columns are the field names of the template.")
        st.download_button("Download a CSV template", inventory.csv_template(), "ai-systems-template.csv", "text/csv",
                           on_click="ignore", icon=":material/download:")
        gen = st.session_state.get("inv_csv_gen", 0)  # a new key empties the inputs after an import
        upload = st.file_uploader("CSV file", type=["csv"], key=f"inv_csv_file_{gen}")
        pasted = st.text_area("...or paste CSV text", key=f"inv_csv_text_{gen}", height=120)
        raw = upload.getvalue() if upload is not None else pasted.encode("utf-8") if pasted.strip() else None
        if raw:
            rows, problems = wb_csv.systems(raw)
            if problems:
                chrome.show_problems(ValidationError(listing.first(problems)), "This CSV cannot be imported")
            else:
                st.success(f"{len(rows)} valid row{'s' if len(rows) != 1 else ''}. Preview:", icon=":material/preview:")
                st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder="")
                if st.button(f"Import {len(rows)} system{'s' if len(rows) != 1 else ''}", type="primary", key="inv_csv_go"):
                    try:
                        ids = chrome.with_owners(con, ws["id"], inventory_form.owners_of(rows),
                                                 lambda tx: inventory.create_many(tx, ws["id"], rows))
                        st.session_state["inv_csv_gen"] = gen + 1
                        chrome.flash(f"Imported {chrome.tally(len(ids), 'system')} ({ids[0]} to {ids[-1]}).")
                        st.rerun()
                    except ValidationError as exc:
                        chrome.show_problems(ValidationError(listing.first(exc.problems)))
