"""The Checklist, Report and Certification audits tabs of the Audits page (pages/audits.py): an
audit's checklist as an editable table with a save bar, one item with our audit questions, its
result form and the raising of a finding; the audit report with its downloads; the certification
body's audits. Rules in aims.audit.checklist, aims.audit.report and aims.audit.programme."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from aims.audit import checklist, programme, report
from aims.ui import audit_panels, chrome, conflicts, editing
from aims.ui.audit_panels import Programme

RESULT_LABELS = {"": "not audited yet", "conforming": "conforming", "major nonconformity": "major nonconformity",
                 "minor nonconformity": "minor nonconformity", "observation": "observation",
                 "opportunity for improvement": "opportunity for improvement"}
COLUMNS = {"Auditor": "auditor", "Result": "result", "Evidence sampled": "evidence_sampled", "Notes": "notes",
           "Override reason": "override_reason"}


def pick_audit(r: Programme, key: str, ids: list[str]) -> str:
    """The audit a tab shows: the one in the URL (?audit=) when it is offered, else the last choice."""
    aid = chrome.labelled_picker("Audit", ids, {i: r.audit_label(i) for i in ids}, key,
                                 current=st.query_params.get("audit"))
    st.query_params["audit"] = aid
    return aid


def _metrics(prog: dict) -> None:
    k = st.columns(4)
    k[0].metric("Items audited", f"{prog['audited']} of {prog['items']}", border=True,
                help="Checklist items with a result recorded")
    k[1].metric("Nonconformities", prog["nonconformities"], border=True,
                help=f"{prog['by_result']['major nonconformity']} major, {prog['by_result']['minor nonconformity']} minor")
    k[2].metric("Observations and opportunities", prog["by_result"]["observation"]
                + prog["by_result"]["opportunity for improvement"], border=True)
    k[3].metric("Impartiality flags", prog["flagged"], border=True,
                help=f"Items whose auditor owns the requirement ({prog['flagged_open']} without an override reason)")


def checklist_tab(r: Programme) -> None:
    if r.audits.empty:
        st.info("No audit yet: add one on the Programme tab.", icon=":material/info:")
        return
    aid = pick_audit(r, "audits_checklist_pick", list(r.audits["id"]))
    a = programme.get(r.con, r.ws_id, aid)
    items = chrome.cached(checklist.items, r.con, r.ws_id, aid, r.cat)
    prog = checklist.progress(items)
    if not items.empty:
        _metrics(prog)
    closed = a["status"] == "completed"
    if chrome.may_edit() and not closed:
        c = st.columns([1.6, 4], vertical_alignment="center")
        label = "Bring the checklist in line with the scope" if len(items) else "Generate the checklist"
        if c[0].button(label, key=f"audit_generate_{aid}", icon=":material/checklist:", type="secondary" if len(items)
                       else "primary", use_container_width=True):
            if chrome.saved(lambda: checklist.generate(r.con, r.ws_id, aid), lambda res: _generated(aid, res)):
                st.rerun()
        c[1].caption("One item per requirement in the audit's scope; controls the SoA excludes are left out. Items "
                     "out of scope that hold nothing are removed; nothing recorded is lost.")
    if closed:
        st.caption(f"{aid} is completed: its checklist is closed. Set the audit back to in progress to change it.")
    if items.empty:
        st.info(f"{aid} has no checklist yet. It is generated from the audit's scope when the audit moves into "
                "progress" + (", or now with the button above." if chrome.may_edit() and not closed else "."),
                icon=":material/info:")
        return
    lead = a["lead_auditor"]
    team = programme.team_members(lead, a["team"])
    as_lead = f"{lead} (lead)" if lead else "(the lead auditor)"      # an item's auditor '' is the lead auditor
    frame = pd.DataFrame({
        "ID": items["req_id"], "Requirement": items["title"], "Auditor": items["auditor"].replace("", as_lead),
        "Result": items["result"],
        "Evidence sampled": items["evidence_sampled"], "Notes": items["notes"],
        "Override reason": items["override_reason"],
        "Impartiality": ["⚠ owns " + " and ".join(c) if c else "" for c in items["conflicts"]],
        "Findings": items["findings"].map(", ".join)})
    who = [as_lead] + [t for t in team if t != lead] + [x for x in items["auditor"] if x]
    config = {
        "ID": st.column_config.TextColumn(width="small", disabled=True),
        "Requirement": st.column_config.TextColumn(width="medium", disabled=True),
        "Auditor": st.column_config.SelectboxColumn(options=list(dict.fromkeys(who)), width="medium",
                                                    help="Who audits the item; the lead auditor unless another is picked"),
        "Result": st.column_config.SelectboxColumn(options=[""] + list(checklist.RESULTS), width=235,
                                                   format_func=lambda v: RESULT_LABELS.get(v, v)),
        "Impartiality": st.column_config.TextColumn(disabled=True, help="The auditor owns the requirement: a result "
                                                    "needs an override reason"),
        "Findings": st.column_config.TextColumn(disabled=True)}
    pending = f"audit_items_{aid}"
    height = min(560, 38 + 35 * len(frame))
    if closed:
        editing.read_only(frame, column_config=config, height=height)
    else:
        editing.pending_editor(frame, pending, COLUMNS, key=f"audit_items_editor_{aid}", column_config=config,
                               height=height)
        def unlabel(rows):
            return {k: {f: ("" if f == "auditor" and v == as_lead else v) for f, v in fields.items()}
                    for k, fields in (rows or {}).items()}
        editing.save_bar(pending, lambda changes, base: checklist.save_results(r.con, r.ws_id, aid, unlabel(changes),
                                                                               base=unlabel(base)),
                         pending, frame, COLUMNS, message=lambda n, changes: chrome.fields_saved(n, aid, len(changes)))
    item_panel(r, a, items, closed)


def _generated(aid: str, res: dict) -> str:
    parts = [f"{len(res['added'])} item{'s' if len(res['added']) != 1 else ''} added"]
    if res["removed"]:
        parts.append(f"{len(res['removed'])} removed")
    if res["kept"]:
        parts.append(f"{', '.join(res['kept'])} kept (out of scope, with results)")
    return f"Checklist of {aid}: " + ", ".join(parts) + "."


def item_panel(r: Programme, a: dict, items: pd.DataFrame, closed: bool) -> None:
    """One checklist item: our questions and the evidence to sample, the result form, findings."""
    aid = a["id"]
    st.markdown("#### Audit one item")
    ids = list(items["req_id"])
    rows = items.set_index("req_id")
    # the labels show each item's result: a labelled picker keeps the item open once its result is saved
    rid = chrome.labelled_picker("Checklist item", ids, {i: f"{i} {rows.at[i, 'title']} · "
                                                         f"{RESULT_LABELS[rows.at[i, 'result']]}"
                                                         + (" ⚠" if rows.at[i, "flagged"] else "") for i in ids},
                                 f"audit_item_pick_{aid}")
    row = rows.loc[rid]
    left, right = st.columns([1, 1.15], gap="large")
    with left:
        st.markdown("**Questions to ask**\n" + "\n".join(f"- {chrome.plain(q)}" for q in row["questions"]))
        st.markdown("**Evidence to sample**\n" + "\n".join(f"- {chrome.plain(e)}" for e in row["evidence_hints"]))
        if row["excluded"]:
            st.caption("The SoA now excludes this control: it was kept because it holds a result.")
        if row["flagged"]:
            st.warning(f"**Impartiality:** {chrome.plain(row['auditor_shown'])} owns "
                       f"{chrome.plain(' and '.join(row['conflicts']))}. Assign another auditor, or give the reason "
                       "for the override with the result (9.2.2).", icon=":material/gpp_maybe:")
        for fid in row["findings"]:
            st.page_link("pages/findings.py", label=f"Finding {fid} in the findings register", icon=":material/report:",
                         query_params={"finding": fid})
    with right:
        if closed or not chrome.may_edit():
            st.markdown(f"**Result:** {RESULT_LABELS[row['result']]} · **auditor:** {chrome.plain(row['auditor_shown'])}")
            for label, key in (("Evidence sampled", "evidence_sampled"), ("Notes", "notes"),
                               ("Override reason", "override_reason")):
                if row[key]:
                    st.markdown(f"**{label}:** {chrome.plain(row[key])}")
        else:
            result_form(r, a, rid, row)
    if not closed and chrome.may_edit() and row["result"] in checklist.FINDING_RESULTS:
        finding_form(r, aid, rid, row)


def result_form(r: Programme, a: dict, rid: str, row) -> None:
    aid = a["id"]
    form = f"audit_result_{aid}_{rid.replace('.', '_')}"
    fresh = {f: row[f] for f in checklist.ITEM_FIELDS}
    prefix, shown = conflicts.opened(form, fresh, checklist.LABELS)
    lead = a["lead_auditor"]
    team = [""] + [t for t in programme.team_members(lead, a["team"]) if t != lead]
    team += [shown["auditor"]] if shown["auditor"] not in team else []
    with st.form(prefix, border=True):
        c = st.columns(2)
        auditor = c[0].selectbox("Auditor", team, index=team.index(shown["auditor"]), key=f"{prefix}_auditor",
                                 format_func=lambda v: v or f"{lead or 'the lead auditor'} (lead)",
                                 accept_new_options=True)
        options = [""] + list(checklist.RESULTS)
        result = c[1].selectbox("Result", options, index=options.index(shown["result"]) if shown["result"] in options
                                else 0, format_func=RESULT_LABELS.get, key=f"{prefix}_result")
        sampled = st.text_area("Evidence sampled", shown["evidence_sampled"], max_chars=5000, height=80,
                               key=f"{prefix}_evidence_sampled", placeholder="What you looked at: records, dates, people")
        notes = st.text_area("Notes", shown["notes"], max_chars=5000, height=80, key=f"{prefix}_notes",
                             placeholder="What you found")
        reason = st.text_input("Override reason (impartiality)", shown["override_reason"], max_chars=5000,
                               key=f"{prefix}_override_reason",
                               help="Needed when the auditor owns the requirement (9.2.2): why they audit it anyway")
        done = st.form_submit_button("Save the result", type="primary", icon=":material/save:")
    values = {"auditor": auditor or "", "result": result, "evidence_sampled": sampled, "notes": notes,
              "override_reason": reason} if done else None
    conflicts.submit(form, rid, values, shown,
                     lambda data, base: checklist.save_results(r.con, r.ws_id, aid, {rid: data},
                                                               base=None if base is None else {rid: base}),
                     lambda n: chrome.fields_saved(n, f"{aid} {rid}"))


def finding_form(r: Programme, aid: str, rid: str, row) -> None:
    """Raise the item's result as a finding in the findings register (aims.audit.findings)."""
    form = f"audit_raise_{aid}_{rid.replace('.', '_')}"
    prefix = f"{form}_{chrome.form_version(form)}"
    with st.expander(f"Raise a finding: {row['result']} against {rid}", icon=":material/report:",
                     expanded=not row["findings"]):
        if row["findings"]:
            st.caption("Already raised: " + ", ".join(row["findings"]) + ". Raise another only for a separate issue.")
        with st.form(prefix, border=False):
            c = st.columns([3, 1.6, 1], vertical_alignment="bottom")
            title = c[0].text_input("Finding title *", f"{rid} {row['title']}: {row['result']}"[:200], max_chars=200,
                                    key=f"{prefix}_title")
            owner = chrome.owner_picker(c[1], "Owner", chrome.owner_options(r.con, r.ws_id), "", key=f"{prefix}_owner")
            due = c[2].date_input("Due date", None, min_value=date.today(), key=f"{prefix}_due", format="YYYY-MM-DD")
            st.caption("The finding takes the item's grade, requirement, notes (description) and evidence sampled; "
                       "its correction and corrective action follow on the Findings page.")
            done = st.form_submit_button("Raise a finding", icon=":material/flag:")
    if done and chrome.saved(lambda: chrome.with_owners(r.con, r.ws_id, [owner], lambda tx: checklist.raise_finding(
            tx, r.ws_id, aid, rid, {"title": title, "owner": owner, "due": due})),
            lambda fid: f"Raised {fid} in the findings register from {aid} {rid}."):
        chrome.form_done(form)
        st.rerun()


# ---- the report -------------------------------------------------------------------------------------

def report_tab(r: Programme, workspace: str) -> None:
    if r.audits.empty:
        st.info("No audit yet: add one on the Programme tab.", icon=":material/info:")
        return
    aid = pick_audit(r, "audits_report_pick", list(r.audits["id"]))
    a = programme.get(r.con, r.ws_id, aid)
    items = chrome.cached(checklist.items, r.con, r.ws_id, aid, r.cat)
    prog, grades = checklist.progress(items), report.findings_by_grade(items)
    k = st.columns(6)
    for i, (label, n) in enumerate([("Major NC", grades["major nonconformity"]),
                                    ("Minor NC", grades["minor nonconformity"]),
                                    ("Observations", grades["observation"]),
                                    ("Opportunities", grades["opportunity for improvement"]),
                                    ("Conforming", prog["by_result"]["conforming"]),
                                    ("Not audited", prog["items"] - prog["audited"])]):
        k[i].metric(label, n, border=True)
    audit_panels.audit_facts(a, r)
    raised = items[items["result"].isin(checklist.FINDING_RESULTS)]
    if not raised.empty:
        st.markdown("**Nonconformities, observations and opportunities**")
        st.dataframe(pd.DataFrame({"Requirement": raised["req_id"], "Title": raised["title"], "Result": raised["result"],
                                   "Notes": raised["notes"], "Evidence sampled": raised["evidence_sampled"],
                                   "Findings": raised["findings"].map(", ".join)}),
                     hide_index=True, placeholder="")
    if chrome.may_edit():
        form = f"audit_report_{aid}"
        prefix, shown = conflicts.opened(form, {"summary": a["summary"], "conclusion": a["conclusion"],
                                                "status": a["status"]}, programme.LABELS)
        with st.form(prefix, border=True):
            summary = st.text_area("Summary", shown["summary"], max_chars=5000, height=110, key=f"{prefix}_summary",
                                   placeholder="What was audited, how, and the overall picture")
            conclusion = st.text_area("Conclusion", shown["conclusion"], max_chars=5000, height=90,
                                      key=f"{prefix}_conclusion",
                                      placeholder="Is the AIMS conforming and effectively implemented in this scope?")
            c = st.columns([1, 3], vertical_alignment="bottom")
            status = c[0].selectbox("Status", programme.STATUSES, index=programme.STATUSES.index(shown["status"]),
                                    key=f"{prefix}_status")
            c[1].caption("Completing needs both dates, the conclusion and every checklist item audited.")
            done = st.form_submit_button("Save the report", type="primary", icon=":material/save:")
        conflicts.submit(form, aid, {"summary": summary, "conclusion": conclusion, "status": status} if done else None,
                         shown, lambda data, base: programme.update(r.con, r.ws_id, aid, data, base=base),
                         lambda n: chrome.fields_saved(n, f"the report of {aid}"))
    else:
        for label, key in (("Summary", "summary"), ("Conclusion", "conclusion")):
            st.markdown(f"**{label}**")
            st.markdown(chrome.plain(a[key]) if a[key] else "_Not written yet._")
    c = st.columns(2)
    c[0].download_button("Download the report (Markdown)", report.to_markdown(a, items, workspace), on_click="ignore",
                         file_name=f"Audit report {aid}.md", mime="text/markdown", icon=":material/download:",
                         key=f"audit_report_md_{aid}", use_container_width=True)
    c[1].download_button("Download the checklist (CSV)", report.checklist_csv(a, items), on_click="ignore",
                         file_name=f"Audit checklist {aid}.csv", mime="text/csv", icon=":material/download:",
                         key=f"audit_report_csv_{aid}", use_container_width=True, disabled=items.empty)


# ---- certification audits ----------------------------------------------------------------------------

def certification_tab(r: Programme) -> None:
    cert = r.audits[r.audits["certification"]]
    st.caption("The certification body's audits: Stage 1 (documentation and readiness), Stage 2 (the management "
               "system in practice), yearly surveillance and recertification every three years. Their findings go "
               "into the same findings register.")
    if cert.empty:
        st.info("No certification audit recorded yet.", icon=":material/info:")
    else:
        audit_panels.audit_list(r, cert, "audits_cert_table", certification=True)
    with st.expander("What the outcomes mean", icon=":material/help:"):
        st.dataframe(pd.DataFrame([{"Audit": k, **{o: m[o] for o in programme.OUTCOMES}}
                                   for k, m in programme.OUTCOME_MEANING.items()]), hide_index=True, placeholder="")
    if chrome.may_edit():
        with st.expander("Add a certification audit", icon=":material/add:", expanded=cert.empty):
            audit_panels.add_audit(r, programme.CERTIFICATION_KINDS, "audit_cert_add", "Add the certification audit",
                                   "Certification audits")
    if st.query_params.get("audit") in set(cert["id"]):
        audit_panels.audit_panel(r, "cert")
