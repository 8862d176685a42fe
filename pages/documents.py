"""Documented information: the register of required documents and records, and the evidence requests."""
from datetime import date

import pandas as pd
import streamlit as st

from aims.common.frames import ANY_OWNER, NO_OWNER
from aims.common.validate import ValidationError
from aims.governance import documents, evidence, filters
from aims.ui import chrome, editing, stage1_gate

con, ws = chrome.page("Documented information", "what ISO/IEC 42001 requires on file, and what to ask the client for")
cat = chrome.catalog()
WS = int(ws["id"])

reg = documents.register(con, WS, cat)
gate = chrome.cached(documents.stage1_gate, con, WS, cat)
s1 = gate["share"]
k = st.columns(5)
k[0].metric("Documentation in place", chrome.pct(s1["pct"]), border=True,
            help=f"Required documents approved and required records available: {s1['in_place']} of {s1['required']}. "
                 "The Stage 1 audit is above all a review of this documented information.")
k[1].metric("Documents approved", f"{s1['approved']} of {s1['documents']}", border=True,
            help=f"Documents are maintained: approved with a version. {s1['draft']} in draft.")
k[2].metric("Records available", f"{s1['available']} of {s1['records']}", border=True,
            help=f"Records are retained: available, with the date of the latest record. {s1['partial']} partial.")
k[3].metric("Missing", s1["missing"], border=True, help="Required documents and records with nothing on file.")
k[4].metric("Reviews overdue", int(reg["review_overdue"].sum()), border=True,
            help="Documents whose next review date has passed.")
stage1_gate.panel(con, WS, cat, gate)
if s1["not_required"]:
    st.caption(f"{s1['not_required']} catalogue document{'s are' if s1['not_required'] != 1 else ' is'} not required "
               "because every requirement asking for it is excluded in the Statement of Applicability.")

tab_register, tab_requests = st.tabs(["Register", "Evidence requests"], key="doc_tab")

with tab_register:
    f = st.columns([2, 2.2, 2, 2.6])
    show = f[0].selectbox("Show", filters.SHOWS, key="doc_show")
    statuses = f[1].multiselect("Status", documents.STATUSES, key="doc_status", placeholder="Any status")
    owners = sorted(o for o in reg["owner"].unique() if o)
    owner = f[2].selectbox("Owner", [ANY_OWNER, NO_OWNER] + owners, key="doc_owner")
    search = f[3].text_input("Search", key="doc_search", placeholder="Document, requirement ID, location...")
    view = filters.filter_documents(reg, show=show, statuses=statuses, owner=owner, search=search)
    st.caption(f"Showing {len(view)} of {len(reg)} documents. Documents the catalogue requires are listed first; "
               "a document with no record yet reads as missing.")

    def check(r) -> str:
        notes = []
        if not r["required"]:
            notes.append(r["applies"])
        if r["review_overdue"]:
            notes.append("review overdue")
        if r["required"] and not r["in_place"] and not r["owner"]:
            notes.append("needs an owner")
        return "; ".join(notes)

    owner_options = chrome.owner_options(con, WS, owners)[1:]
    frame = pd.DataFrame({
        "ID": view["id"], "Document": view["document"], "Kind": view["kind"], "Requirements": view["requirements"],
        "Status": view["status"], "Owner": [o or None for o in view["owner"]],
        "Check": [check(r) for r in view.to_dict("records")], "Version": view["version"],
        # dates as a date column even when every cell is empty (a fresh register): else the first date typed is refused
        "Record date": pd.to_datetime(view["record_date"]), "Location": view["location"], "Due": pd.to_datetime(view["due"]),
        "Last review": pd.to_datetime(view["last_review"]), "Next review": pd.to_datetime(view["next_review"]),
        "Notes": view["notes"],
    }).reset_index(drop=True)
    columns = {"Status": "status", "Owner": "owner", "Version": "version", "Record date": "record_date",
               "Location": "location", "Last review": "last_review", "Next review": "next_review", "Due": "due",
               "Notes": "notes"}
    pending = f"doc_pending_{WS}"
    if frame.empty:
        st.info("No document matches the filters.", icon=":material/filter_alt_off:")
    else:
        editing.pending_editor(frame, pending, columns, key=f"doc_editor_{WS}", column_config={
            "ID": None,
            "Document": st.column_config.TextColumn(width=260, pinned=True),
            "Kind": st.column_config.TextColumn(width=95, help="A document is maintained (approved with a "
                                                "version); a record is retained (available with a date)"),
            "Requirements": st.column_config.TextColumn("Req.", width=150,
                                                        help="The requirements that ask for this document"),
            "Status": st.column_config.SelectboxColumn(options=list(documents.STATUSES), required=True, width=120,
                                                       help="Documents: missing, draft or approved (needs a version "
                                                            "and where it lives). Records: missing, partial or "
                                                            "available (needs the record date and where it lives)"),
            "Owner": st.column_config.SelectboxColumn(options=owner_options, width=290,
                                                      help="The workspace's people (Governance page) and "
                                                           "owners named elsewhere"),
            "Version": st.column_config.TextColumn(max_chars=40, width=95),
            "Record date": st.column_config.DateColumn(format="YYYY-MM-DD", max_value=date.today(), width=130,
                                                       help="Records only: the date of the latest record held"),
            "Location": st.column_config.TextColumn(max_chars=5000, width="medium", help="Link or file name"),
            "Last review": st.column_config.DateColumn(format="YYYY-MM-DD", max_value=date.today()),
            "Next review": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Due": st.column_config.DateColumn(format="YYYY-MM-DD", help="When the owner should provide it"),
            "Notes": st.column_config.TextColumn(max_chars=5000, width="medium"),
            "Check": st.column_config.TextColumn(width="medium", help="What needs attention"),
        }, disabled=["ID", "Document", "Kind", "Requirements", "Check"], height=min(640, 38 + 35 * len(frame)),
            owned=True)

    def write(changes: dict, base: dict) -> int:
        clean = {d: {k: ("" if v is None and k == "owner" else v) for k, v in c.items()} for d, c in changes.items()}
        return chrome.with_owners(con, WS, [c.get("owner") for c in clean.values()],
                                  lambda tx: documents.save(tx, WS, cat, clean, base=base))

    editing.save_bar(pending, write, "doc", frame, columns,
                     message=lambda n, changes: chrome.fields_saved(n, "the register", len(changes)), owned=True)

    c = st.columns(2)
    if chrome.may_edit(owned=True):         # contributors add documents they own; removing is an editor's
        with c[0].expander("Add a document the organisation needs (7.5.1)", icon=":material/note_add:"):
            fv = chrome.form_version("doc_add")
            with st.form(f"doc_add_{fv}"):
                title = st.text_input("Document name *", max_chars=200, key=f"doc_add_title_{fv}")
                cc = st.columns(2)
                reqs = cc[0].multiselect("Requirements it supports", list(cat.requirements), key=f"doc_add_reqs_{fv}",
                                         format_func=lambda r: f"{r} {cat.requirements[r].title}")
                d_owner = cc[1].selectbox("Owner", chrome.owner_options(con, WS)[1:], index=None, accept_new_options=True,
                                          key=f"doc_add_owner_{fv}",
                                          placeholder="Pick or type a name")
                cc = st.columns([1.2, 1, 2])
                d_status = cc[0].selectbox("Status", documents.DOCUMENT_STATUSES, key=f"doc_add_status_{fv}")
                d_version = cc[1].text_input("Version", max_chars=40, key=f"doc_add_version_{fv}")
                d_location = cc[2].text_input("Where it lives", max_chars=5000, key=f"doc_add_location_{fv}")
                if st.form_submit_button("Add document", type="primary"):
                    try:
                        new_id = chrome.with_owners(con, WS, [d_owner], lambda tx: documents.add(tx, WS, cat, {
                            "title": title, "requirements": reqs, "owner": d_owner or "", "status": d_status,
                            "version": d_version, "location": d_location}))
                        chrome.form_done("doc_add")
                        chrome.flash(f"Added {title.strip()} to the register as {new_id}.")
                        st.rerun()
                    except ValidationError as exc:
                        chrome.show_problems(exc)
    if chrome.may_edit():
        with c[1].expander("Remove a document the organisation added", icon=":material/delete:"):
            custom = reg[reg["custom"]]
            if custom.empty:
                st.caption("Only documents the organisation added can be removed; there are none.")
            else:
                names = dict(zip(custom["id"], custom["document"]))
                gone = st.selectbox("Document", list(names), format_func=lambda i: f"{i} {names[i]}", key="doc_remove_pick")
                if st.button("Remove document", key="doc_remove"):
                    try:
                        documents.delete(con, WS, cat, gone)
                        chrome.flash(f"Removed {names[gone]}.")
                        st.rerun()
                    except ValidationError as exc:
                        chrome.show_problems(exc)

with tab_requests:
    req = evidence.requests(con, WS, cat)
    st.caption("What to ask the client for, per owner: every required document that is missing or still a draft, "
               "and every gap or unassessed requirement with no evidence at all. A document without its own owner "
               "or due date takes those of its requirement in the gap analysis.")
    if req.empty:
        st.success("Nothing to request: every required document is approved and every open requirement has some "
                   "evidence.", icon=":material/task_alt:")
    else:
        owners_df = evidence.by_owner(req)
        unowned = int((req["owner"] == evidence.NO_OWNER).sum())
        if unowned:
            st.info(f"{unowned} request{'s have' if unowned != 1 else ' has'} no owner yet: set owners in the register "
                    "(Register tab) or in the gap analysis to split the list per person.", icon=":material/person_search:")
        st.dataframe(owners_df, hide_index=True, key="doc_requests_owners", column_config={
            "owner": st.column_config.TextColumn("Owner", width="medium"), "items": "Requests",
            "documents": "Documents", "requirements": "Requirements", "overdue": "Overdue",
            "next_due": st.column_config.DateColumn("Next due", format="YYYY-MM-DD")}, placeholder="")
        c = st.columns([2, 2, 3])
        who = c[0].selectbox("Requests for", ["All owners"] + list(owners_df["owner"]), key="doc_requests_owner")
        source = c[1].segmented_control("Source", ["document", "requirement"], selection_mode="multi",
                                        default=["document", "requirement"], key="doc_requests_source")
        mine = req if who == "All owners" else req[req["owner"] == who]
        mine = mine[mine["source"].isin(source or [])]
        order = (["owner"] if who == "All owners" else []) + ["due", "overdue", "ref", "item", "request", "source",
                                                                 "status"]
        st.dataframe(mine.assign(overdue=mine["overdue"].map({True: "overdue", False: ""})), hide_index=True,
                     column_order=order, key="doc_requests_table", height=min(560, 38 + 35 * max(len(mine), 1)),
                     column_config={
                         "owner": st.column_config.TextColumn("Owner", width="medium"),
                         "due": st.column_config.DateColumn("Due", format="YYYY-MM-DD", width=95),
                         "overdue": st.column_config.TextColumn("Late?", width=70),
                         "ref": st.column_config.TextColumn("Ref.", width=150),
                         "item": st.column_config.TextColumn("Item", width="medium"),
                         "request": st.column_config.TextColumn("What to provide", width="large"),
                         "source": st.column_config.TextColumn("Source", width=100),
                         "status": st.column_config.TextColumn("Status", width=120)}, placeholder="")
        b = st.columns([1.4, 4])
        b[0].download_button("Download as CSV", evidence.to_csv(req), file_name=f"Evidence requests {ws['name']}.csv",
                             mime="text/csv", icon=":material/download:", on_click="ignore", key="doc_requests_csv")
        if who != "All owners":
            st.markdown(f"**Request to send to {chrome.plain(who)}** (copy with the button at the top right)")
            st.code(evidence.letter(mine, who, ws.get("organisation") or ws["name"]), language=None, wrap_lines=True)
        else:
            st.caption("Pick an owner to get a ready-to-send request text for them.")
