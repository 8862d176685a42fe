"""The Stage 1 gate on screen (Documented information page and overview): its four conditions,
each with its status in words and the source it read (the app's audit records or the document
register), and the number of open major nonconformities: from the findings register when the app
holds findings, else as the record of nonconformities states it (a form for those who may edit
the register). The rules are in aims.governance.documents (stage1_gate)."""
from __future__ import annotations

import streamlit as st

from aims.catalog.standard import Catalog
from aims.governance import documents
from aims.ui import chrome, conflicts

MET = ":green-badge[:material/check: met]"
NOT_MET = ":red-badge[:material/close: not met]"


def headline(gate: dict) -> str:
    """'Ready' or '1 of 4 met', for a metric."""
    return "Ready" if gate["ready"] else f"{gate['met']} of {gate['total']} met"


SOURCES = {"records": "from the app's audit records", "register": "from the document register"}


def source(c: dict) -> str:
    """Where an audit, review or nonconformity condition was read ('' for the documents one)."""
    return "" if c["key"] == "documents" else SOURCES.get(c.get("source", ""), "")


def help_text(gate: dict) -> str:
    """Every condition with its status, for a metric's help."""
    lines = [f"{'Met' if c['met'] else 'Not met'}: {c['label']} ({c['status']}{'; ' + source(c) if source(c) else ''})."
             for c in gate["conditions"]]
    return ("A gate: ready when all four conditions are met.  \n" + "  \n".join(chrome.plain(x) for x in lines)
            + "  \nDocumented evidence (written down and approved) is what Stage 1 reviews.")


def open_conditions(gate: dict) -> str:
    """The conditions not met yet, in words ('' when ready)."""
    return " · ".join(c["label"] for c in gate["conditions"] if not c["met"])


def panel(con, ws_id: int, cat: Catalog, gate: dict) -> None:
    """The gate (stage1_gate output) with its conditions, and the form for the open major
    nonconformities (their number only, for a role that may not edit documents)."""
    with st.container(border=True, key="stage1_gate"):
        left, right = st.columns([3.2, 1], gap="medium")
        with left:
            st.markdown(f"**Stage 1 readiness: {headline(gate).lower()}** (a gate: every condition must be met)")
            for c in gate["conditions"]:
                st.markdown(f"{MET if c['met'] else NOT_MET} **{c['label']}** · {chrome.plain(c['status'])}"
                            + (f" :gray[({source(c)})]" if source(c) else ""))
            st.caption("The audit, review and nonconformity conditions read the app's own records (internal audits "
                       "and their scopes, management reviews held with top management, the findings register) when "
                       "the workspace has them; otherwise their entries in the register below: the internal audit "
                       "results and the management review results available with their dates (the review on or "
                       "after the audit), the record of nonconformities available with no major one open.")
        with right:
            nc = next(c for c in gate["conditions"] if c["key"] == "nonconformities")
            stored = nc["open_major"]
            if nc.get("source") == "records":
                st.metric("Open major nonconformities", stored, help="From the findings register (Findings page).")
            elif chrome.may_edit(owned=True):      # a document: contributors who own it may state it
                _open_major_form(con, ws_id, cat, stored)
            else:
                st.metric("Open major nonconformities", "not stated" if stored is None else stored,
                          help=f"As stated on the {cat.stage1_record('nonconformities').lower()}.")


def _open_major_form(con, ws_id: int, cat: Catalog, stored: int | None) -> None:
    nc = cat.stage1_record("nonconformities")
    form = f"stage1_open_major_{ws_id}"
    prefix, shown = conflicts.opened(form, {"open_major": stored})
    with st.form(prefix, border=False):
        value = st.number_input("Open major nonconformities", min_value=0, max_value=documents.MAX_OPEN_MAJOR,
                                value=shown["open_major"], step=1, placeholder="not stated",
                                key=f"{prefix}_open_major",
                                help=f"As stated on the {nc.lower()}: major nonconformities found by the internal "
                                     "audit or otherwise and not yet closed. Leave empty when not known.")
        submitted = st.form_submit_button("Save", icon=":material/save:", use_container_width=True)
    conflicts.submit(form, nc, {"open_major": value} if submitted else None, shown,
                     lambda data, base: documents.save(con, ws_id, cat, {nc: data},
                                                       base=None if base is None else {nc: base}),
                     lambda n: chrome.fields_saved(n, "the record of nonconformities"))
