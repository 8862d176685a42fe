"""AI system impact assessments: questionnaire per system, levels, review and approval, versions."""
from datetime import date, timedelta

import streamlit as st

from aims.ai_systems import impact, inventory
from aims.common.validate import ValidationError
from aims.ui import chrome, conflicts, impact_panels

con, ws = chrome.page("AI system impact assessment", "ISO/IEC 42001 6.1.4, 8.4 and A.5, in the style of ISO/IEC 42005")
LEVEL_MARK = {"low": "low", "medium": "medium", "high": "HIGH", "critical": "CRITICAL", None: "–"}

systems = inventory.list_systems(con, ws["id"], include_retired=False)
everything = chrome.cached(impact.list_all, con, ws["id"])
tab_one, tab_all = st.tabs(["Assess a system", "All assessments"])
editable = chrome.may_edit()       # assessing and approving are editors' work; the others read the answers


def act(fn, message: str) -> None:
    try:
        fn()
        chrome.flash(message)
        st.rerun()
    except ValidationError as exc:
        chrome.show_problems(exc)


with tab_one:
    if systems.empty:
        st.info("Add AI systems to the inventory first.")
        st.stop()
    sid = chrome.system_picker(systems, "ia_system")
    mine = everything[everything["system_id"] == sid]
    if mine.empty:
        st.info("No impact assessment for this system yet.", icon=":material/info:")
        if editable:
            with st.form(f"ia_start_{sid}"):
                assessor = st.text_input("Assessor", max_chars=200)
                if st.form_submit_button("Start the impact assessment", type="primary"):
                    act(lambda: impact.start(con, ws["id"], sid, assessor), "Impact assessment started as a draft.")
        st.stop()
    versions = list(mine["id"])
    labels = {r["id"]: f"{r['id']}  version {r['version']}  ({r['status']})" for _, r in mine.iterrows()}
    aid = chrome.labelled_picker("Version", versions, labels, f"ia_version_{sid}")
    a = impact.get(con, ws["id"], aid)
    answers = impact.answers(con, ws["id"], aid)
    s = impact.score({q: x["value"] for q, x in answers.items()})
    read_only = a["status"] == "approved"

    k = st.columns(4)
    k[0].metric("Overall impact level", LEVEL_MARK[s["overall"]], border=True,
                help="Critical or high when any section is; otherwise the rounded-up mean of the sections.")
    k[1].metric("Answered", f"{s['answered']} of {s['total']}", border=True)
    k[2].metric("Status", a["status"], border=True)
    k[3].metric("Next re-assessment", str(a["next_review"] or "–"), border=True)
    st.progress(s["answered"] / s["total"], text=f"{s['answered']} of {s['total']} questions answered")
    if read_only:
        st.success(f"Approved by {chrome.plain(a['approver'])} on {a['approved_on']}. This version is read-only; "
                   "start a re-assessment to change answers (the approved version stays viewable).",
                   icon=":material/verified:")

    qs = impact.questionnaire()["sections"]
    stored_context = impact.context(con, ws["id"], aid)
    filled = impact_panels.context_filled(stored_context)
    # the context (what is assessed, where, for whom) comes first, as in ISO/IEC 42005 clause 6
    titles = {impact_panels.CONTEXT: f"Assessment context · {filled} of {len(stored_context)} filled"}
    titles.update({sec["id"]: f"{sec['title']} · {LEVEL_MARK[s['sections'][sec['id']]]}" for sec in qs})
    OPEN = f"ia_open_section_{aid}"          # the section last saved stays open after the rerun
    # pills wrap onto a second line where tabs ran off a 1440 px screen; one section is drawn
    chosen = st.pills("Section", list(titles), format_func=titles.get, required=True,
                      default=st.session_state.get(OPEN) if st.session_state.get(OPEN) in titles else impact_panels.CONTEXT,
                      key=f"ia_section_{aid}_{chrome.digest(titles.values())}")
    if chosen == impact_panels.CONTEXT:
        if editable:
            impact_panels.context_form(con, ws["id"], aid, stored_context, read_only, open_key=OPEN)
        else:
            impact_panels.context_table(stored_context)
    for sec in [q for q in qs if q["id"] == chosen]:
        if not editable:
            impact_panels.answers_table(sec, answers)
            continue
        form = f"ia_form_{aid}_{sec['id']}"
        v = f"{form}_{chrome.form_version(form)}"
        shown = conflicts.loaded(form, {q["id"]: answers.get(q["id"], {"value": None, "note": ""})
                                        for q in sec["questions"]}, probe=f"{v}_{sec['questions'][0]['id']}")
        with st.form(v, border=True):
            changes = {}
            for q in sec["questions"]:
                options = [None] + [o["value"] for o in q["options"]]
                label_of = {o["value"]: f"{o['label']}  [{o['severity']}]" for o in q["options"]}
                label_of[None] = "Not answered yet"
                current = shown[q["id"]]
                value = st.radio(q["text"], options, index=options.index(current["value"]) if current["value"] in options else 0,
                                 format_func=label_of.get, help=q.get("help"), disabled=read_only,
                                 key=f"{v}_{q['id']}")
                note = st.text_input("Note", current["note"], max_chars=5000, disabled=read_only,
                                     key=f"{v}_{q['id']}_note", label_visibility="collapsed",
                                     placeholder="Note or evidence for this answer")
                changes[q["id"]] = {"value": value, "note": note}
            submitted = st.form_submit_button("Save this section", type="primary", disabled=read_only)
        saved = submitted and conflicts.save(form, lambda ch, base: impact.save_answers(con, ws["id"], aid, ch, base=base),
                                             changes, shown, lambda n: f"Saved the section {sec['title']}.")
        if saved or conflicts.panel(form):
            st.session_state[OPEN] = sec["id"]
            chrome.form_done(form)
            st.rerun()

    st.subheader("Review and approval")
    if not editable:
        st.caption(f"Status: {a['status']}" + (f", approved by {chrome.plain(a['approver'])} on {a['approved_on']}"
                                               if a["status"] == "approved" else "") + ".")
    else:
        c = st.columns(3)
        if a["status"] == "draft" and c[0].button("Send for review", key="ia_review"):
            act(lambda: impact.set_status(con, ws["id"], aid, "in review"), "Sent for review.")
        if a["status"] == "in review":
            if c[0].button("Back to draft", key="ia_back"):
                act(lambda: impact.set_status(con, ws["id"], aid, "draft"), "Back to draft.")
            with c[1].popover("Approve", icon=":material/approval:"):
                with st.form(f"ia_approve_{aid}"):
                    approver = st.text_input("Approver (name and role)", max_chars=200)
                    approved_on = st.date_input("Approval date", date.today(), max_value=date.today(), format="YYYY-MM-DD")
                    next_review = st.date_input("Next re-assessment", date.today() + timedelta(days=365), format="YYYY-MM-DD")
                    if st.form_submit_button("Approve this version", type="primary"):
                        act(lambda: impact.set_status(con, ws["id"], aid, "approved", approver, approved_on, next_review),
                            f"{aid} approved.")
        if read_only and aid == versions[0] and c[0].button("Start a re-assessment", key="ia_reassess"):
            def reassess():      # open the new version, not the approved one it starts from
                st.session_state[f"ia_version_{sid}"] = impact.start(con, ws["id"], sid, a["assessor"])
            act(reassess, "Re-assessment started from the approved answers.")

    proposed = impact.proposed_risks(con, ws["id"])
    proposed = proposed[proposed["assessment_id"] == aid]
    st.subheader(f"Proposed risks ({len(proposed)})")
    if proposed.empty:
        st.caption("No high or critical answers in this version.")
    else:
        st.caption("High and critical answers become proposed risks; accept them into the risk register there.")
        st.dataframe(proposed[["level", "title", "question", "answer", "controls"]], hide_index=True,
                     column_config={"controls": st.column_config.ListColumn("Suggested Annex A controls")}, placeholder="")

with tab_all:
    if everything.empty:
        st.info("No impact assessments yet.")
    else:
        overdue = set(impact.overdue(everything)["id"])
        view = everything.assign(progress=everything["answered"] / everything["total"],
                                 overdue=everything["id"].map(lambda i: "OVERDUE" if i in overdue else ""))
        st.dataframe(view[["id", "system_id", "system_name", "version", "status", "overall_level", "progress",
                           "approver", "approved_on", "next_review", "overdue"]], hide_index=True, column_config={
            "progress": st.column_config.ProgressColumn("Answered", format="percent", min_value=0, max_value=1),
            "approved_on": st.column_config.DateColumn("Approved on", format="YYYY-MM-DD"),
            "next_review": st.column_config.DateColumn("Next re-assessment", format="YYYY-MM-DD"),
            "overdue": "Re-assessment"}, placeholder="")
