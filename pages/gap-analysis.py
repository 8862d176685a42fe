"""Gap analysis: rate every requirement, in a fast table or a focused workshop view."""
import pandas as pd
import streamlit as st

from aims.assessment import filters, scoring
from aims.assessment import requirements as assessments
from aims.common.frames import ANY_OWNER, NO_OWNER
from aims.governance import documents
from aims.ui import chrome, editing

con, ws = chrome.page("Gap analysis", "rate each requirement against the 0-5 maturity scale")
cat = chrome.catalog()

MATURITY_OPTIONS = [assessments.NOT_ASSESSED] + [assessments.maturity_label(i) for i in range(6)]
PENDING = f"gap_pending_{ws['id']}"

table = scoring.with_status(chrome.cached(assessments.table, con, ws["id"], cat, ws["default_target"]))
docs = chrome.cached(documents.for_requirements, con, ws["id"], cat)
doc_summary = {rid: f"{int((part['status'] == 'approved').sum())} of {len(part)} approved"
               for rid, part in docs.groupby("req_id")}
owners = chrome.owner_options(con, ws["id"], table["owner"])

# ---- filters ----------------------------------------------------------------------------------
areas = filters.areas(table)
owner_filter = sorted(o for o in table["owner"].unique() if o)
f = st.columns([2.2, 2, 1.6, 2.2])
area = f[0].selectbox("Clause or objective", list(areas), key="gap_area")
statuses = f[1].multiselect("Status", scoring.STATUSES, key="gap_status", placeholder="Any status")
owner = f[2].selectbox("Owner", [ANY_OWNER, NO_OWNER] + owner_filter, key="gap_owner")
search = f[3].text_input("Search", key="gap_search", placeholder="ID, title, guidance, notes...")
t = st.columns([1.3, 1.6, 3])
gaps_only = t[0].toggle("Gaps only", key="gap_gaps_only")
mandatory_only = t[1].toggle("Mandatory documentation only", key="gap_mandatory")
mode = t[2].segmented_control("View", ["Table", "Workshop (one requirement)"], key="gap_mode", required=True,
                              default="Workshop (one requirement)" if st.query_params.get("req") else "Table")
view = filters.filter_requirements(table, cat, area=areas[area], statuses=statuses, owner=owner, gaps_only=gaps_only,
                                   mandatory_only=mandatory_only, search=search)

st.caption(f"Showing {len(view)} of {len(table)} requirements.")


def save(changes: dict) -> bool:
    return chrome.saved(lambda: assessments.save(con, ws["id"], cat, changes),
                        lambda n: f"Saved {n} change{'s' if n != 1 else ''}." if n else "Nothing had changed.")


# ---- table view -------------------------------------------------------------------------------
if mode != "Workshop (one requirement)":
    frame = pd.DataFrame({
        "ID": view["req_id"], "Requirement": view["title"], "Clause / objective": view["sub_group_title"],
        "Mandatory doc": view["mandatory_doc"], "Documents": view["req_id"].map(doc_summary).fillna(""),
        "Status": view["status"],
        "Maturity": view["maturity"].map(assessments.maturity_label),
        "Target": view["target"].astype(int), "Gap": view["gap"],
        "Evidence strength": view["evidence_strength"], "Evidence": view["evidence"], "Owner": view["owner"],
        "Due": view["due"], "Notes": view["notes"],
        "Last changed": pd.to_datetime(view["updated_at"]).dt.strftime("%Y-%m-%d %H:%M").fillna(""),
    }).reset_index(drop=True)
    columns = {"Maturity": "maturity", "Target": "target", "Evidence strength": "evidence_strength",
               "Evidence": "evidence", "Owner": "owner", "Due": "due", "Notes": "notes"}
    edited = editing.pending_editor(
        frame, PENDING, columns, key=f"gap_editor_{ws['id']}",
        column_config={
            "ID": st.column_config.TextColumn(width="small", pinned=True),
            "Requirement": st.column_config.TextColumn(width="large", pinned=True),
            "Clause / objective": st.column_config.TextColumn(width="small"),
            "Mandatory doc": st.column_config.CheckboxColumn("Doc", width="small",
                                                             help="Documented information is mandatory"),
            "Status": st.column_config.TextColumn(width="small"),
            "Maturity": st.column_config.SelectboxColumn(options=MATURITY_OPTIONS, required=True, width="small",
                                                         help="0 none, 1 initial, 2 repeatable, 3 defined, "
                                                              "4 measured, 5 optimising"),
            "Target": st.column_config.SelectboxColumn(options=[1, 2, 3, 4, 5], required=True, width="small"),
            "Gap": st.column_config.NumberColumn(format="%d", width="small", help="Target minus current maturity"),
            "Evidence strength": st.column_config.SelectboxColumn(options=list(assessments.EVIDENCE_STRENGTHS),
                                                                  required=True),
            "Evidence": st.column_config.TextColumn(max_chars=5000, width="medium"),
            "Owner": st.column_config.SelectboxColumn(options=owners, help="People from the roles register "
                                                      "(Governance page) and owners already named"),
            "Documents": st.column_config.TextColumn(width="small", help="Required documents approved in the "
                                                     "documented-information register"),
            "Due": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Notes": st.column_config.TextColumn(max_chars=5000, width="medium"),
        },
        disabled=["ID", "Requirement", "Clause / objective", "Mandatory doc", "Documents", "Status", "Gap",
                  "Last changed"],
        height=min(640, 38 + 35 * len(frame)),
    )
    editing.save_bar(PENDING, save, "gap", frame, columns)

# ---- workshop view ----------------------------------------------------------------------------
else:
    ids = list(view["req_id"])
    if not ids:
        st.info("No requirement matches the filters.")
        st.stop()
    wanted = st.query_params.get("req") or st.session_state.get("gap_focus")
    current = wanted if wanted in ids else ids[0]
    pos = ids.index(current)
    nav = st.columns([1, 4, 1])
    if nav[0].button("Previous", icon=":material/arrow_back:", disabled=pos == 0, use_container_width=True):
        current = ids[pos - 1]
    if nav[2].button("Next", icon=":material/arrow_forward:", disabled=pos == len(ids) - 1, use_container_width=True):
        current = ids[pos + 1]
    titles = dict(zip(view["req_id"], view["title"]))
    current = nav[1].selectbox("Requirement", ids, index=ids.index(current), label_visibility="collapsed",
                               format_func=lambda i: f"{i}  {titles[i]}   ({ids.index(i) + 1} of {len(ids)})")
    st.session_state["gap_focus"] = current
    st.query_params["req"] = current
    req = cat.requirements[current]
    row = table.set_index("req_id").loc[current]

    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(f"{req.id} {req.title}")
        st.caption(f"{row['sub_group_title']} · status: **{row['status']}**"
                   + (" · mandatory documented information" if req.mandatory_doc else ""))
        st.markdown(req.guidance)
        st.markdown("**Questions to ask**\n" + "\n".join(f"1. {q}" for q in req.questions))
        st.markdown("**Typical evidence**\n" + "\n".join(f"- {e}" for e in req.evidence))
        mine = docs[docs["req_id"] == current]
        if not mine.empty:
            st.markdown("**Required documented information** (status in the register)\n" + "\n".join(
                f"- {d}: **{status}**" for d, status in zip(mine["document"], mine["status"])))
            st.page_link("pages/documents.py", label="Open the documented-information register",
                         icon=":material/description:", query_params={"ws": str(ws["id"])})
        refs = []
        if req.nist_ai_rmf:
            refs.append("NIST AI RMF: " + ", ".join(req.nist_ai_rmf))
        if req.eu_ai_act:
            refs.append("EU AI Act (indicative): " + ", ".join(req.eu_ai_act))
        if refs:
            st.caption("  \n".join(refs))
    with right:
        with st.form(f"focus_{current}", border=True):
            maturity = st.radio("Current maturity", MATURITY_OPTIONS, horizontal=False,
                                captions=[assessments.MATURITY_HINTS[None]] + [assessments.MATURITY_HINTS[i] for i in range(6)],
                                index=MATURITY_OPTIONS.index(assessments.maturity_label(row["maturity"])))
            c = st.columns(2)
            target = c[0].selectbox("Target maturity", [1, 2, 3, 4, 5], index=int(row["target"]) - 1)
            strength = c[1].selectbox("Evidence strength", assessments.EVIDENCE_STRENGTHS,
                                      index=assessments.EVIDENCE_STRENGTHS.index(row["evidence_strength"]))
            evidence = st.text_area("Evidence notes and links", row["evidence"], max_chars=5000, height=90)
            c = st.columns(2)
            owner_in = chrome.owner_picker(c[0], "Owner", owners, row["owner"], key=f"focus_owner_{current}")
            due = c[1].date_input("Due", row["due"] if pd.notna(row["due"]) else None, format="YYYY-MM-DD")
            notes = st.text_area("Notes", row["notes"], max_chars=5000, height=90)
            b = st.columns(2)
            save_only = b[0].form_submit_button("Save", type="secondary", use_container_width=True)
            save_next = b[1].form_submit_button("Save and next", type="primary", use_container_width=True,
                                                disabled=pos == len(ids) - 1)
        if save_only or save_next:
            change = {"maturity": maturity, "target": target, "evidence_strength": strength, "evidence": evidence,
                      "owner": owner_in, "due": due, "notes": notes}
            if save({current: change}):
                if save_next:
                    st.session_state["gap_focus"] = ids[min(pos + 1, len(ids) - 1)]
                    st.query_params["req"] = st.session_state["gap_focus"]
                st.rerun()
        if pd.notna(row["updated_at"]):
            st.caption(f"Last changed {pd.Timestamp(row['updated_at']):%Y-%m-%d %H:%M} by {row['updated_by']}")
