"""An open finding on the findings page: its badges, the corrective action workflow in order
(1 correction, 2 root cause with the optional five whys, 3 corrective action created on or linked
from the roadmap, 4 verification of effectiveness, 5 closure, or reopening), its details form and
its history. A refused step says why and keeps what was typed; after a save the page reruns on
the same finding and tab. Viewers and contributors see the record without edit widgets."""
from __future__ import annotations

from datetime import date

import streamlit as st

from aims.audit import findings
from aims.common.text import visible_controls
from aims.common.validate import ValidationError
from aims.roadmap import actions as roadmap
from aims.store import db
from aims.ui import chrome, conflicts
from aims.ui.finding_panels import GRADE_ICONS, STEP_LABELS, Register, close_finding, finding_form

GRADE_COLOURS = {"major nonconformity": "red", "minor nonconformity": "orange", "observation": "blue",
                 "opportunity for improvement": "green"}


def open_panel(r: Register) -> None:
    """The finding named in the URL (?finding=F-001), below the register."""
    fid = st.query_params.get("finding")
    if not fid:
        return
    f = findings.get(r.con, r.ws_id, fid)
    if f is None:
        st.info(f"There is no finding {chrome.plain(fid)} in this workspace.", icon=":material/info:")
        return
    st.divider()
    head = st.columns([6, 1])
    head[0].subheader(f"{fid} {chrome.plain(f['title'])}")
    if head[1].button("Close", key="findings_close_panel", icon=":material/close:", use_container_width=True):
        close_finding()
    b = st.container(horizontal=True)
    b.badge(f["grade"], icon=GRADE_ICONS[f["grade"]], color=GRADE_COLOURS[f["grade"]])
    b.badge(f["status"], color="gray" if f["status"] == "closed" else "violet")
    if f["status"] == "open" and f["due"] is not None and f["due"] < date.today():
        b.badge(f"overdue since {f['due']}", icon=":material/schedule:", color="red")
    step = findings.next_step(f, f["action_status"])
    if step:
        b.badge(f"next: {STEP_LABELS[step]}", icon=":material/arrow_forward:", color="primary")
    work, details, history = st.tabs(["Correction and closure", "Details", "History"], key="finding_detail")
    with work:
        workflow(r, f)
    with details:
        details_tab(r, f)
    with history:
        hist = findings.history(r.con, r.ws_id, fid)
        st.dataframe(hist, hide_index=True, placeholder="", column_config={
            "changed_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
            "changed_by": "Who", "field": "Field", "old_value": "Old value", "new_value": "New value"})


def _step(number: int, title: str, done: bool):
    box = st.container(border=True)
    box.markdown(f"{':material/check_circle:' if done else ':material/radio_button_unchecked:'} "
                 f"**{number}. {title}**")
    return box


def _text(box, value: str, empty: str = "Not recorded yet.") -> None:
    if value:
        box.text(value)
    else:
        box.caption(empty)


def workflow(r: Register, f: dict) -> None:
    edit = chrome.may_edit() and f["status"] == "open"
    nc = findings.is_nonconformity(f["grade"])
    if f["status"] == "closed":
        st.caption("Closed findings are read only: reopen one (step below) to change it.")
    n = 1
    if nc:
        box = _step(1, "Correction · 2. Root cause", bool(f["correction"] and f["root_cause"]))
        with box:
            cause_step(r, f, edit)
        n = 3
    else:
        st.caption("An observation or an opportunity for improvement needs no corrective action; an improvement "
                   "action on the roadmap is optional. It closes with a name and a date.")
    with _step(n, "Corrective action on the roadmap" if nc else "Improvement action (optional)",
               f["action_status"] == "done"):
        action_step(r, f, edit)
    if nc or f["action_id"]:
        n += 1
        with _step(n, "Verification of effectiveness", f["verification"] == "effective"):
            verification_step(r, f, edit)
    with _step(n + 1, "Closure", f["status"] == "closed"):
        closure_step(r, f)


def cause_step(r: Register, f: dict, edit: bool) -> None:
    fid = f["id"]
    if not edit:
        st.markdown("**Correction**")
        _text(st, f["correction"])
        st.markdown("**Root cause**")
        _text(st, f["root_cause"])
        whys = findings.whys(f["five_whys"])
        if whys:
            st.markdown("**Five whys**")
            st.text("\n".join(f"Why {i}? {w}" for i, w in enumerate(whys, 1)))
        return
    form = f"finding_cause_{fid}"
    prefix, shown = conflicts.opened(form, {k: f[k] for k in ("correction", "root_cause", "five_whys")},
                                     findings.LABELS)
    with st.form(prefix, border=False):
        correction = st.text_area("Correction: what was done at once to contain and correct it", shown["correction"],
                                  max_chars=5000, height=80, key=f"{prefix}_correction")
        c = st.columns(2)
        cause = c[0].text_area("Root cause: why it happened, in words", shown["root_cause"], max_chars=5000,
                               height=130, key=f"{prefix}_root_cause")
        whys = c[1].text_area("Five whys (optional): one 'why' per line", shown["five_whys"], max_chars=5000,
                              height=130, key=f"{prefix}_five_whys",
                              placeholder="Why was the review not recorded?\nWhy was there no template?\n...")
        go = st.form_submit_button("Save correction and root cause", icon=":material/save:")
    values = {"correction": correction, "root_cause": cause, "five_whys": whys} if go else None
    conflicts.submit(form, fid, values, shown, lambda data, base: findings.update(r.con, r.ws_id, fid, data, base=base),
                     lambda k: chrome.fields_saved(k, fid))


def action_step(r: Register, f: dict, edit: bool) -> None:
    fid, aid = f["id"], f["action_id"]
    if aid:
        opts = findings.action_options(r.con, r.ws_id)
        st.markdown(f"**{chrome.plain(opts.get(aid, aid + ' (no longer on the roadmap)'))}**")
        st.page_link("pages/roadmap.py", label="Open the roadmap's actions", icon=":material/timeline:",
                     query_params={"ws": str(r.ws_id), "roadmap_tab": "Actions"})
        if edit and f["action_status"] not in (None, "done") and chrome.may_edit(owned=True):
            if st.button(f"Mark {aid} done", key=f"finding_action_done_{fid}", icon=":material/task_alt:",
                         help="The corrective action is implemented; its effectiveness is verified next"):
                _run(lambda: roadmap.update_actions(r.con, r.ws_id, r.cat, {aid: {"status": "done"}}),
                     f"{aid} is done.", "The action was not changed")
    elif not edit:
        st.caption("No action yet.")
    gone = aid and f["action_status"] is None
    if not edit or (aid and not gone and f["verification"] != "not effective"):
        return
    if aid:
        st.warning(f"{aid} is no longer on the roadmap: create or link another corrective action." if gone else
                   "The verification found this action not effective: take a new corrective action.",
                   icon=":material/sync_problem:")
    c = st.columns([2.2, 3, 1.2], vertical_alignment="bottom")
    if c[0].button("Create the corrective action", type="primary", key=f"finding_create_action_{fid}",
                   icon=":material/add_task:",
                   help="A roadmap action with this finding's title, requirements, owner and due date"):
        _run(lambda: findings.create_corrective_action(r.con, r.ws_id, fid),
             f"Created the corrective action for {fid} on the roadmap.", "No action was created")
    opts = {k: v for k, v in findings.action_options(r.con, r.ws_id).items() if k != aid}
    link = c[1].selectbox("or link an existing action", list(opts), index=None, format_func=lambda a: visible_controls(opts[a]),
                          key=f"finding_link_pick_{fid}", placeholder="Pick a roadmap action")
    if c[2].button("Link", key=f"finding_link_{fid}", icon=":material/link:", disabled=link is None):
        _run(lambda: findings.update(r.con, r.ws_id, fid, {"action_id": link}),
             f"Linked {link} to {fid}.", "Nothing was linked")


def verification_step(r: Register, f: dict, edit: bool) -> None:
    fid = f["id"]
    if f["verification"]:
        st.markdown(f"**{f['verification'].capitalize()}**, verified by {chrome.plain(f['verified_by'])} "
                    f"on {f['verified_on']}.")
    if not edit:
        if not f["verification"]:
            st.caption("Not verified yet.")
        return
    if not f["action_id"]:
        st.caption("Verification judges the corrective action: create or link it first.")
        return
    form = f"finding_verify_{fid}"
    fields = ("verified_by", "verified_on", "verification")
    prefix, shown = conflicts.opened(form, {k: f[k] for k in fields}, findings.LABELS)
    with st.form(prefix, border=False):
        c = st.columns([2, 1.2, 2.2, 1.8], vertical_alignment="bottom")
        who = c[0].text_input("Verified by", shown["verified_by"], max_chars=200, key=f"{prefix}_verified_by")
        when = c[1].date_input("Verified on", shown["verified_on"], max_value=date.today(), format="YYYY-MM-DD",
                               key=f"{prefix}_verified_on")
        result = c[2].radio("Result", findings.RESULTS, horizontal=True, key=f"{prefix}_verification",
                            index=findings.RESULTS.index(shown["verification"]) if shown["verification"] else None)
        go = c[3].form_submit_button("Record the verification", icon=":material/fact_check:")
    values = {"verified_by": who, "verified_on": when, "verification": result or ""} if go else None
    conflicts.submit(form, fid, values, shown, lambda data, base: findings.update(r.con, r.ws_id, fid, data, base=base),
                     lambda k: f"Recorded the verification of {fid}.")


def closure_step(r: Register, f: dict) -> None:
    fid = f["id"]
    if f["status"] == "closed":
        st.markdown(f"Closed by **{chrome.plain(f['closed_by'])}** on {f['closed_on']}.")
        if chrome.may_edit():
            fv = chrome.form_version(f"finding_reopen_{fid}")
            with st.form(f"finding_reopen_{fid}_{fv}", border=False):
                c = st.columns([4, 1.2], vertical_alignment="bottom")
                why = c[0].text_input("Reason for reopening", max_chars=500, key=f"finding_reopen_{fid}_{fv}_why")
                go = c[1].form_submit_button("Reopen", icon=":material/undo:")
            if go:
                _run(lambda: findings.reopen(r.con, r.ws_id, fid, why), f"Reopened {fid}.", "The finding stays closed",
                     form=f"finding_reopen_{fid}")
        return
    checks = findings.closure_checklist(f, f["action_status"])
    for label, ok in checks:
        st.markdown(f"{':green[:material/check:]' if ok else ':red[:material/close:]'} {chrome.plain(label)}")
    if not chrome.may_edit():
        st.caption("Open.")
        return
    fv = chrome.form_version(f"finding_close_{fid}")
    with st.form(f"finding_close_{fid}_{fv}", border=False):
        c = st.columns([2.4, 1.2, 1.6], vertical_alignment="bottom")
        who = c[0].text_input("Closed by", max_chars=200, key=f"finding_close_{fid}_{fv}_by",
                              placeholder="The name of who closes it")
        when = c[1].date_input("Closed on", value=date.today(), max_value=date.today(), format="YYYY-MM-DD",
                               key=f"finding_close_{fid}_{fv}_on")
        go = c[2].form_submit_button("Close the finding", type="primary", icon=":material/lock:")
    if go:
        _run(lambda: findings.close(r.con, r.ws_id, fid, who, when), f"Closed {fid}.", f"{fid} was not closed",
             form=f"finding_close_{fid}")


def _run(write, message: str, refused: str, form: str | None = None) -> None:
    """Run one workflow write: on success flash and rerun on the same finding, else say why."""
    try:
        db.retrying(write)
    except ValidationError as exc:
        chrome.show_problems(exc, refused)
        return
    if form:
        chrome.form_done(form)
    chrome.flash(message)
    st.rerun()


def details_tab(r: Register, f: dict) -> None:
    fid = f["id"]
    if not chrome.may_edit() or f["status"] == "closed":
        rows = [("Source", f["source"] + (f" · {f['audit_id']}" if f["audit_id"] else "")
                 + (f" · {f['review_id']}" if f["review_id"] else "")),
                ("Requirements", ", ".join(r.req_label(x) for x in f["requirements"]) or "none"),
                ("Owner", f["owner"] or "none"), ("Due", str(f["due"] or "none")), ("Raised on", str(f["raised_on"]))]
        for k, v in rows:
            st.markdown(f"**{k}:** {chrome.plain(v)}")
        st.markdown("**Description**")
        _text(st, f["description"], "None.")
        st.markdown("**Evidence**")
        _text(st, f["evidence"], "None.")
        return
    form = f"finding_edit_{fid}"
    fresh = {k: f[k] for k in ("title", "grade", "raised_on", "source", "audit_id", "review_id", "requirements",
                               "description", "evidence", "owner", "due")}
    prefix, shown = conflicts.opened(form, fresh, findings.LABELS)
    values = finding_form(prefix, shown, "Save changes", r, chrome.owner_options(r.con, r.ws_id, [shown["owner"]]))
    conflicts.submit(form, fid, values, shown, lambda data, base: chrome.with_owners(
        r.con, r.ws_id, [data.get("owner")], lambda tx: findings.update(tx, r.ws_id, fid, data, base=base)),
        lambda k: chrome.fields_saved(k, fid))
