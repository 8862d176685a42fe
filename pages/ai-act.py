"""EU AI Act classification wizard per AI system, its history, and the dated table of dates."""
from datetime import date

import pandas as pd
import streamlit as st

from aims.ai_systems import classification, inventory
from aims.common.validate import ValidationError
from aims.store import db
from aims.ui import chrome, editing

con, ws = chrome.page("EU AI Act classification", "decision support per AI system")
rules = classification.rules()
st.info(rules.disclaimer, icon=":material/gavel:")

systems = inventory.list_systems(con, ws["id"], include_retired=False)
dates = classification.date_map(con)
checked = classification.table_checked_on(con)
tab_wizard, tab_history, tab_dates = st.tabs(["Classify a system", "History", "Application dates"])

with tab_wizard:
    if systems.empty:
        st.info("Add AI systems to the inventory first.")
        st.page_link("pages/ai-systems.py", label="Go to the AI system inventory", icon=":material/arrow_forward:")
    else:
        sid = chrome.system_picker(systems, "cls_system")
        system = inventory.get(con, ws["id"], sid)
        previous, prev_role = classification.latest_answers(con, ws["id"], sid)
        hist = classification.history(con, ws["id"], sid)
        if hist.empty:
            st.info("Not classified yet" + (": answer the questions below and save." if chrome.may_edit() else "."),
                    icon=":material/info:")
        else:
            h = hist.iloc[0]
            result = classification.classify(previous)
            st.markdown(f"### Result: {result.label.upper()}" + (f" · {result.point}" if result.point else "")
                        + (" + GPAI" + (" with systemic risk" if result.gpai == "gpai_systemic" else "")
                           if result.gpai else ""))
            st.caption(f"Version {h['version']}, {pd.Timestamp(h['classified_at']):%Y-%m-%d %H:%M} by "
                       f"{chrome.plain(h['classified_by'])}, as {h['role'].replace('_', ' ')}. Dates of application "
                       f"from the dates table, last checked {checked}.")
            if result.legacy:
                st.warning("Recorded with the earlier questions per Annex III area and without the Annex I section: "
                           "re-run the classification to record the point and list the obligations that depend on "
                           "it (such as the fundamental rights impact assessment).", icon=":material/update:")
            left, right = st.columns([2, 3], gap="large")
            left.markdown("**Why**\n" + "\n".join(f"- {line}" for line in result.reasoning))
            ob = classification.obligations(result, h["role"], dates)
            with right:
                st.markdown(f"**Obligations for a {h['role'].replace('_', ' ')}** ({len(ob)})")
                if ob.empty:
                    st.caption("The rules list no obligation for this role and result.")
                else:
                    ob["applies"] = ["now" if d and d <= date.today() else f"from {d}" for d in ob["applies from"]]
                    st.dataframe(ob[["article", "obligation", "applies", "what it means"]], hide_index=True,
                                 height=min(420, 38 + 35 * len(ob)), column_config={
                                     "article": st.column_config.TextColumn(width=195),
                                     "applies": st.column_config.TextColumn(width=130),
                                     "what it means": st.column_config.TextColumn(width="large")}, placeholder="")
                st.caption(rules.table_note)
        if chrome.may_edit():       # classifying is an editor's act; the result above is for everyone
            with st.expander("Answer the questions" if hist.empty else "Re-run the classification", expanded=hist.empty,
                             icon=":material/checklist:"):
                with st.form(f"cls_form_{sid}", border=False):
                    role_default = prev_role or classification.role_key(system["org_role"])
                    role = st.selectbox("The organisation's role for this system", classification.ROLES,
                                        index=classification.ROLES.index(role_default), format_func=lambda r: r.replace("_", " "))
                    st.caption("Tick every statement that is true for this system; unticked means no. Saving keeps the "
                               "earlier results as history.")
                    answers, areas = {}, dict(rules.areas)
                    for section, title in classification.SECTIONS.items():
                        st.markdown(f"**{title}**")
                        for q in [q for q in rules.questions if q["section"] == section]:
                            if section == "annex_iii":
                                area = q["point"][:1]
                                if q["point"] in (area, f"{area}(a)"):
                                    st.caption(f"Area {area}: {areas[area]}")
                                label = f"**{q['point']}** {q['text']}"
                            else:
                                label = f"{q['text']}  ({q['article']})"
                            if q.get("exclusion"):
                                label += f"  *Not covered: {q['exclusion']}.*"
                            if q["date_key"] == "prohibition_intimate_imagery":
                                label += f"  [added in 2026, applies from {dates.get(q['date_key'])}]"
                            answers[q["id"]] = st.checkbox(label, value=bool(previous.get(q["id"])), help=q["help"],
                                                           key=f"cls_{sid}_{q['id']}")
                    submitted = st.form_submit_button("Classify and save", type="primary")
                if submitted:
                    try:
                        classification.record(con, ws["id"], sid, answers, role)
                        chrome.flash(f"{sid} classified; the earlier result stays in the history.")
                        st.rerun()
                    except ValidationError as exc:
                        chrome.show_problems(exc)

with tab_history:
    h = classification.history(con, ws["id"])
    if h.empty:
        st.info("No classification has been recorded yet.")
    else:
        st.dataframe(classification.history_table(h, dict(zip(systems["id"], systems["name"]))), hide_index=True,
                     column_config={"When": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")}, placeholder="")

with tab_dates:
    st.markdown(f"Dates from which each part of the EU AI Act applies, as last checked on **{checked}**. "
                "The 2026 Digital Omnibus moved several of them; check the current status on EUR-Lex and "
                "update a row when it changes.")
    table = classification.dates_table(con)
    frame = table[["key", "what", "original_date", "applies_from", "checked_on", "source"]].copy()
    for col in ("original_date", "applies_from", "checked_on"):
        frame[col] = [pd.Timestamp(v).date() if pd.notna(v) else None for v in frame[col]]
    frame = frame.rename(columns={"key": "ID"})
    date_columns = {"applies_from": "applies_from", "checked_on": "checked_on"}
    editing.pending_editor(frame, "cls_dates_pending", date_columns, key="cls_dates",
                           disabled=["ID", "what", "original_date", "source"], column_config={
                               "ID": "Key", "what": st.column_config.TextColumn("What applies", width="large"),
                               "original_date": st.column_config.DateColumn("Original date", format="YYYY-MM-DD"),
                               "applies_from": st.column_config.DateColumn("Applies from", format="YYYY-MM-DD",
                                                                           required=True),
                               "checked_on": st.column_config.DateColumn("Checked on", format="YYYY-MM-DD",
                                                                         required=True),
                               "source": "Source"})
    stored = frame.set_index("ID")

    def save_dates(changes: dict, base: dict) -> int:
        with db.transaction(con) as tx:  # all rows or none
            for key, fields in changes.items():
                shown = stored.loc[key, ["applies_from", "checked_on"]].to_dict()
                row = {**shown, **fields}
                classification.update_date(tx, key, row["applies_from"], row["checked_on"],
                                           base={**shown, **base.get(key, {})})
        return len(changes)
    editing.save_bar("cls_dates_pending", save_dates, "cls_dates", frame, date_columns,
                     message=lambda n, _: f"Saved {chrome.tally(n, 'date row')}.")
