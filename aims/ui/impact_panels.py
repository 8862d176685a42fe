"""Panels of the impact assessment page: the context form of one assessment version (ISO/IEC 42005
clause 6: scope, deployment environment, model, interested parties, failures and fallback, and the
facts a fundamental-rights impact assessment needs), and the read-only tables of the context and
of a section's answers that roles which may not edit see instead of the forms. Every write goes
through aims.ai_systems.impact."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from aims.ai_systems import impact
from aims.ui import chrome, conflicts

CONTEXT = "context"          # the id of the context among the page's sections


def context_filled(values: dict) -> int:
    """How many context fields hold text."""
    return sum(bool(str(v or "").strip()) for v in values.values())


def context_form(con, workspace_id: int, assessment_id: str, stored: dict, read_only: bool, open_key: str) -> None:
    """The context fields of one version in a form, opened on the stored values and saved over them:
    fields the user leaves are not written, a field someone else changed since is offered as a
    choice. Approved versions show the form disabled. After a save the page reruns with the
    context still open (session state `open_key` names the section to show)."""
    def reopen():
        st.session_state[open_key] = CONTEXT
        st.rerun()

    fields = impact.context_fields()
    form = f"ia_context_{assessment_id}"
    prefix, shown = conflicts.opened(form, {f: stored.get(f, "") for f in fields},
                                     {f: x["label"] for f, x in fields.items()})
    st.caption(impact.questionnaire()["context"]["note"])
    values: dict = {}
    with st.form(prefix, border=True):
        for group in impact.questionnaire()["context"]["groups"]:
            st.markdown(f"**{group['title']}**")
            if group.get("note"):
                st.caption(group["note"])
            lines = [f for f in group["fields"] if f["kind"] != "long"]
            paragraphs = [f for f in group["fields"] if f["kind"] == "long"]
            for row, height in ((lines, None), (paragraphs, 110 if len(paragraphs) < 3 else 150)):
                for col, f in zip(st.columns(len(row)) if len(row) > 1 else [st] * len(row), row):
                    values[f["id"]] = _field(col, f, shown.get(f["id"]) or "", f"{prefix}_{f['id']}", read_only, height)
        submitted = st.form_submit_button("Save the context", type="primary", disabled=read_only)
    conflicts.submit(form, assessment_id, values if submitted else None, shown,
                     lambda data, base: impact.save_context(con, workspace_id, assessment_id, data, base=base),
                     lambda n: chrome.fields_saved(n, f"the context of {assessment_id}"), after=reopen)


def _field(col, f: dict, value: str, key: str, read_only: bool, height: int | None):
    """One context widget: a line, a paragraph or a choice ('' reads 'Not stated')."""
    if f["kind"] == "choice":
        options = [""] + list(f["options"]) + ([value] if value and value not in f["options"] else [])
        return col.selectbox(f["label"], options, index=options.index(value) if value in options else 0,
                             format_func=lambda o: o or "Not stated", help=f.get("help"), disabled=read_only, key=key)
    if f["kind"] == "long":
        return col.text_area(f["label"], value, max_chars=impact.LONG_TEXT, height=height, help=f.get("help"),
                             disabled=read_only, key=key)
    return col.text_input(f["label"], value, max_chars=impact.LINE_LIMIT, help=f.get("help"), disabled=read_only,
                          key=key)


def context_table(stored: dict) -> None:
    """The context of one version as a read-only table (for a role that may not edit it)."""
    fields = impact.context_fields()
    st.caption(impact.questionnaire()["context"]["note"])
    st.dataframe(pd.DataFrame({"Context": [f["label"] for f in fields.values()],
                               "As stated": [str(stored.get(f) or "") or "Not stated" for f in fields]}),
                 hide_index=True, key="ia_context_read", column_config={
                     "Context": st.column_config.TextColumn(width="medium"),
                     "As stated": st.column_config.TextColumn(width="large")}, placeholder="")


def answers_table(section: dict, answers: dict) -> None:
    """One questionnaire section's answers and notes as a read-only table (for a role that may not
    edit them)."""
    rows = []
    for q in section["questions"]:
        given = answers.get(q["id"]) or {"value": None, "note": ""}
        label = {o["value"]: f"{o['label']}  [{o['severity']}]" for o in q["options"]}
        rows.append({"Question": q["text"], "Answer": label.get(given["value"], "Not answered yet"),
                     "Note": given["note"] or ""})
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"ia_answers_read_{section['id']}", column_config={
        "Question": st.column_config.TextColumn(width="large"), "Answer": st.column_config.TextColumn(width="medium"),
        "Note": st.column_config.TextColumn(width="medium")}, placeholder="")
