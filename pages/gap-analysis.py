"""Gap analysis: rate every requirement, in a fast table or a focused workshop view."""
import pandas as pd
import streamlit as st

from aims.assessment import filters, scoring
from aims.assessment import requirements as assessments
from aims.common.frames import ANY_OWNER, NO_OWNER
from aims.governance import documents
from aims.ui import chrome, conflicts, editing, finding_notes

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


def write(changes: dict, base: dict | None) -> int:
    return chrome.with_owners(con, ws["id"], [c.get("owner") for c in changes.values()],
                              lambda tx: assessments.save(tx, ws["id"], cat, changes, base=base))


def saved_message(n: int, changes: dict) -> str:
    return chrome.fields_saved(n, rows=len(changes))


# ---- table view -------------------------------------------------------------------------------
if mode != "Workshop (one requirement)":
    frame = pd.DataFrame({
        "ID": view["req_id"], "Requirement": view["title"], "Mandatory doc": view["mandatory_doc"], "Documents": view["req_id"].map(doc_summary).fillna(""),
        "Status": view["status"],
        "Maturity": view["maturity"].map(assessments.maturity_label),
        "Target": view["target"].astype(int), "Gap": view["gap"],
        "Evidence strength": view["evidence_strength"], "Evidence": view["evidence"], "Owner": view["owner"],
        "Due": view["due"], "Notes": view["notes"], "Open findings": view["req_id"].map(finding_notes.labels(con, ws["id"])).fillna(""),
        "Last changed": pd.to_datetime(view["updated_at"]).dt.strftime("%Y-%m-%d %H:%M").fillna(""),
        "Clause / objective": view["sub_group_title"],
    }).reset_index(drop=True)
    columns = {"Maturity": "maturity", "Target": "target", "Evidence strength": "evidence_strength",
               "Evidence": "evidence", "Owner": "owner", "Due": "due", "Notes": "notes"}
    edited = editing.pending_editor(
        frame, PENDING, columns, key=f"gap_editor_{ws['id']}",
        column_config={
            # widths in pixels that fit each header and its longest value at 1440 px (a projector)
            "ID": st.column_config.TextColumn(width=76, pinned=True),
            "Requirement": st.column_config.TextColumn(width=340, pinned=True),
            "Clause / objective": st.column_config.TextColumn(width=280),
            "Mandatory doc": st.column_config.CheckboxColumn("Doc", width=56,
                                                             help="Documented information is mandatory"),
            "Status": st.column_config.TextColumn(width=110),
            "Maturity": st.column_config.SelectboxColumn(options=MATURITY_OPTIONS, required=True, width=140,
                                                         help="0 none, 1 initial, 2 repeatable, 3 defined, "
                                                              "4 measured, 5 optimising"),
            "Target": st.column_config.SelectboxColumn(options=[1, 2, 3, 4, 5], required=True, width=95),
            "Gap": st.column_config.NumberColumn(format="%d", width=60, help="Target minus current maturity"),
            "Evidence strength": st.column_config.SelectboxColumn(options=list(assessments.EVIDENCE_STRENGTHS),
                                                                  required=True, width=170,
                                                                  help=assessments.EVIDENCE_HELP),
            "Evidence": st.column_config.TextColumn(max_chars=5000, width=240),
            "Owner": st.column_config.SelectboxColumn(options=owners, width=290, help="The workspace's people "
                                                      "(Governance page) and owners named elsewhere"),
            "Documents": st.column_config.TextColumn(width=130, help="Required documents approved in the "
                                                     "documented-information register"),
            "Due": st.column_config.DateColumn(format="YYYY-MM-DD", width=110),
            "Notes": st.column_config.TextColumn(max_chars=5000, width=240),
            "Last changed": st.column_config.TextColumn(width=140),
        },
        disabled=["ID", "Requirement", "Clause / objective", "Mandatory doc", "Documents", "Status", "Gap",
                  "Last changed", "Open findings"],
        height=min(640, 38 + 35 * len(frame)), owned=True,
    )
    editing.save_bar(PENDING, write, "gap", frame, columns, message=saved_message, owned=True)

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

    left, right = st.columns([1.1, 1], gap="large")
    with left:
        st.subheader(f"{req.id} {req.title}")
        st.caption(f"{row['sub_group_title']} · status: **{row['status']}**"
                   + (" · mandatory documented information" if req.mandatory_doc else ""))
        finding_notes.requirement_note(con, ws["id"], current)
        st.markdown(req.guidance)
        st.markdown("**Questions to ask**\n" + "\n".join(f"1. {q}" for q in req.questions))
        st.markdown("**Typical evidence**\n" + "\n".join(f"- {e}" for e in req.evidence))
        mine = docs[docs["req_id"] == current]
        if not mine.empty:
            st.markdown("**Required documented information** (status in the register)\n" + "\n".join(
                f"- {chrome.plain(d)}: **{status}**" for d, status in zip(mine["document"], mine["status"])))
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
        if not chrome.may_edit(owned=True):      # viewers: the rating in words, no form
            with st.container(border=True):
                due = row["due"] if pd.notna(row["due"]) else None
                st.markdown(f"**Current maturity:** {assessments.maturity_label(row['maturity'])}  \n"
                            f"**Target maturity:** {assessments.maturity_label(row['target'])}  \n"
                            f"**Evidence strength:** {row['evidence_strength']}  \n"
                            f"**Owner:** {chrome.plain(row['owner']) or 'no owner'} · **Due:** {due or 'not set'}")
                st.markdown(f"**Evidence notes and links**  \n{chrome.plain(row['evidence']) or '–'}")
                st.markdown(f"**Notes**  \n{chrome.plain(row['notes']) or '–'}")
        else:
            if chrome.role() == "contributor":
                st.caption(editing.OWN_ROWS)
            form = f"focus_{current}"
            v, shown = conflicts.opened(form, {
                "maturity": assessments.maturity_label(row["maturity"]), "target": int(row["target"]),
                "evidence_strength": row["evidence_strength"], "owner": row["owner"],
                "due": row["due"] if pd.notna(row["due"]) else None, "evidence": row["evidence"], "notes": row["notes"]})
            with st.form(v, border=True):
                # two columns and no radio captions, so Save stays above the fold at 1440x900
                hints = "  \n".join(f"**{label}**: {assessments.MATURITY_HINTS[level]}"
                                     for label, level in zip(MATURITY_OPTIONS, [None, *range(6)]))
                c = st.columns([1, 1.15])
                maturity = c[0].radio("Current maturity", MATURITY_OPTIONS, help=hints, key=f"{v}_maturity",
                                      index=MATURITY_OPTIONS.index(shown["maturity"]))
                target = c[1].selectbox("Target maturity", [1, 2, 3, 4, 5], index=shown["target"] - 1, key=f"{v}_target")
                strength = c[1].selectbox("Evidence strength", assessments.EVIDENCE_STRENGTHS, key=f"{v}_strength",
                                          index=assessments.EVIDENCE_STRENGTHS.index(shown["evidence_strength"]),
                                          help=assessments.EVIDENCE_HELP)
                owner_in = chrome.owner_picker(c[1], "Owner", owners, shown["owner"], key=f"{v}_owner")
                due = c[1].date_input("Due", shown["due"], format="YYYY-MM-DD", key=f"{v}_due")
                c = st.columns(2)
                evidence = c[0].text_area("Evidence notes and links", shown["evidence"], max_chars=5000, height=80,
                                          key=f"{v}_evidence")
                notes = c[1].text_area("Notes", shown["notes"], max_chars=5000, height=80, key=f"{v}_notes")
                b = st.columns(2)
                save_only = b[0].form_submit_button("Save", type="secondary", use_container_width=True)
                save_next = b[1].form_submit_button("Save and next", type="primary", use_container_width=True,
                                                    disabled=pos == len(ids) - 1)
            if save_only or save_next:
                change = {"maturity": maturity, "target": target, "evidence_strength": strength, "evidence": evidence,
                          "owner": owner_in, "due": due, "notes": notes}
                if conflicts.save(form, write, {current: change}, {current: shown},
                                  lambda n: saved_message(n, {current: change})):
                    chrome.form_done(form)
                    if save_next:
                        st.session_state["gap_focus"] = ids[min(pos + 1, len(ids) - 1)]
                        st.query_params["req"] = st.session_state["gap_focus"]
                    st.rerun()
            if conflicts.panel(form):
                chrome.form_done(form)
                st.rerun()
        if pd.notna(row["updated_at"]):
            st.caption(f"Last changed {pd.Timestamp(row['updated_at']):%Y-%m-%d %H:%M} by {chrome.plain(row['updated_by'])}")
