"""The presenter view of a running workshop: one requirement at a time in large type for a
projector (1440x900 and 1920x1080), with one-click capture beside it and the agenda below.

Layout: a top bar (session, item n of N, the item's clock, moving along the agenda, pause and
close); the requirement on the left (ID, title, our guidance, questions for the room, typical
evidence, what was recorded last time, open findings, linked risks); the capture panel on the
right (the rating now and its target, agreed maturity and evidence strength as pills that save on
click, votes with their spread, the decision, notes, an action, a parked question); the agenda
with each item's state and time. Presenter-safe hides the sidebar (other clients' names) and
every internal note.
"""
from __future__ import annotations

import html
from datetime import date, datetime

import streamlit as st

from aims.assessment import requirements as assessments
from aims.audit import findings
from aims.risk import register
from aims.roadmap import phases as roadmap_phases
from aims.ui import chrome
from aims.workshop import capture, parking, sessions

STATE_MARKS = {"pending": "·", "done": "✓", "skipped": "⤼", "come back": "↺"}

_CSS = """<style>
h1 { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; max-width: 100%; }
.wsp-bar { font-size: 1.15rem; color: #4a5568; }
.wsp-clock { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.wsp-over { color: #c53030; }
.wsp-id { font-size: 2.3rem; font-weight: 800; color: #1a365d; line-height: 1.1; }
.wsp-title { font-size: 2.3rem; font-weight: 700; line-height: 1.15; margin-bottom: .5rem; }
.wsp-where { font-size: 1rem; color: #4a5568; margin-bottom: .6rem; }
.wsp-guide { font-size: 1.35rem; line-height: 1.5; margin-bottom: .8rem; }
.wsp-h { font-size: 1.05rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: #2c5282;
         margin: .4rem 0 .2rem 0; }
.wsp-list { font-size: 1.2rem; line-height: 1.45; margin: 0 0 .6rem 1.2rem; padding: 0; }
.wsp-small { font-size: 1.05rem; line-height: 1.45; }
.wsp-now { font-size: 1.5rem; font-weight: 700; }
.wsp-agenda { width: 100%; border-collapse: collapse; font-size: 1.05rem; }
.wsp-agenda td { padding: .2rem .5rem; border-bottom: 1px solid #e2e8f0; }
.wsp-agenda tr.cur td { background: #ebf4ff; font-weight: 700; }
[data-testid="stButtonGroup"] button p { font-size: 1.2rem; }
[data-testid="stButtonGroup"] button { min-height: 2.9rem; }
[data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.1rem; font-weight: 600; }
.wsp-agenda td.nw { white-space: nowrap; }
@media (min-width: 1800px) {
  .wsp-id, .wsp-title { font-size: 2.9rem; } .wsp-guide { font-size: 1.6rem; } .wsp-list { font-size: 1.4rem; }
  .wsp-small, .wsp-agenda { font-size: 1.2rem; } .wsp-now { font-size: 1.8rem; } .wsp-bar { font-size: 1.3rem; }
  .wsp-clock { font-size: 1.9rem; }
}
</style>"""
_SAFE_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
</style>"""


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _maturity(m) -> str:
    return assessments.maturity_label(None if m is None else int(m))


def show(con, ws: dict, cat, s: dict) -> None:
    """The presenter view of the running or paused session `s` (sessions.get)."""
    st.html(_CSS + (_SAFE_CSS if s["presenter_safe"] else ""))
    wsid, now = ws["id"], datetime.now()
    pos = s["current_position"]
    item = s["items"][pos]
    req = cat.requirements[item["req_id"]]
    rec = chrome.cached(assessments.table, con, wsid, cat, ws["default_target"]).set_index("req_id").loc[req.id]
    times = capture.times(s["items"], now, s["time_box_minutes"])
    _top_bar(con, ws, cat, s, times[pos])
    if s["status"] == "paused":
        st.warning("Paused: the clock is stopped. Resume to go on.", icon=":material/pause_circle:")
    left, right = st.columns([1.45, 1], gap="large")
    with left:
        _requirement(con, ws, s, req, rec)
    with right:
        with st.container(border=True):
            _capture(con, ws, cat, s, item, rec)
        _agenda(con, ws, s, times, cat)


def _run(write, message) -> None:
    if chrome.saved(write, message):
        st.rerun()


def _go(con, ws, s, position: int, state: str | None = None) -> None:
    """Mark the current item (when `state`) and open `position`; one rerun."""
    def write():
        if state:
            capture.set_state(con, ws["id"], s["id"], s["current_position"], state)
        if position != s["current_position"]:
            capture.open_item(con, ws["id"], s["id"], position)
    _run(write, lambda _: f"Item {position + 1} of {len(s['items'])}: {s['items'][position]['req_id']}.")


def _top_bar(con, ws, cat, s, t: dict) -> None:
    pos, n, wid = s["current_position"], len(s["items"]), s["id"]
    box = s["time_box_minutes"]
    over = " wsp-over" if t["over"] else ""
    limit = f" of {box}:00" if box else ""
    left, right = st.columns([1, 1.9], vertical_alignment="center")
    left.html(f'<div class="wsp-bar">{_e(wid)} · {_e(s["title"])} · item <b>{pos + 1}</b> of {n}</div>'
              f'<div class="wsp-clock{over}">{capture.clock(t["seconds"])}{limit}'
              f'{" · over time" if t["over"] else ""}</div>')
    if not chrome.may_edit():
        return
    bar = right.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
    if bar.button("Previous", icon=":material/arrow_back:", disabled=pos == 0, key="wsp_prev"):
        _go(con, ws, s, pos - 1)
    if bar.button("Skip", icon=":material/redo:", key="wsp_skip"):
        _go(con, ws, s, min(pos + 1, n - 1), "skipped")
    if bar.button("Come back", icon=":material/replay:", key="wsp_back"):
        _go(con, ws, s, min(pos + 1, n - 1), "come back")
    if bar.button("Next", icon=":material/arrow_forward:", disabled=pos == n - 1, key="wsp_next", type="primary"):
        _go(con, ws, s, pos + 1)
    if s["status"] == "running":
        if bar.button("Pause", icon=":material/pause:", key="wsp_pause"):
            _run(lambda: sessions.pause(con, ws["id"], wid), lambda _: f"{wid} paused.")
    elif bar.button("Resume", icon=":material/play_arrow:", key="wsp_resume"):
        _run(lambda: sessions.resume(con, ws["id"], wid), lambda _: f"{wid} resumed.")
    with bar.popover("Settings", icon=":material/tune:"):
        _settings(con, ws, cat, s)
    with bar.popover("Close", icon=":material/stop_circle:"):
        st.write("Close the workshop? The closing baseline is taken and the session becomes read only.")
        if st.button("Close the workshop", type="primary", key="wsp_close_yes"):
            _run(lambda: sessions.close(con, ws["id"], cat, wid), lambda b: f"{wid} closed; closing baseline {b} taken.")


def _settings(con, ws, cat, s) -> None:
    """Presenter-safe and the time box, the two settings a running session may change."""
    key = f"wsp_set_{s['id']}_{chrome.digest([s['presenter_safe'], s['time_box_minutes']])}"
    with st.form(key, border=False):
        safe = st.toggle("Presenter-safe", value=s["presenter_safe"], key=f"{key}_safe",
                         help="Hide the sidebar (other clients' names) and internal notes on the projector.")
        box = st.number_input("Time box per item (minutes, 0: none)", 0, 120, value=s["time_box_minutes"] or 0,
                              key=f"{key}_box")
        if st.form_submit_button("Save settings", icon=":material/save:"):
            base = {"presenter_safe": s["presenter_safe"], "time_box_minutes": s["time_box_minutes"]}
            _run(lambda: sessions.update(con, ws["id"], s["id"], cat, {"presenter_safe": safe,
                                                                     "time_box_minutes": box or None}, base=base),
                 chrome.fields_saved)


def _requirement(con, ws, s, req, rec) -> None:
    cat_group = f"{'Clause' if req.kind == 'clause' else 'Annex A'} {req.top_group}"
    doc = " · mandatory documented information" if req.mandatory_doc else ""
    st.html(f'<div class="wsp-id">{_e(req.id)}</div><div class="wsp-title">{_e(req.title)}</div>'
            f'<div class="wsp-where">{_e(cat_group)}{doc}</div><div class="wsp-guide">{_e(req.guidance)}</div>')
    q, ev = st.columns([1.35, 1])
    q.html('<div class="wsp-h">Ask the room</div><ul class="wsp-list">'
           + "".join(f"<li>{_e(x)}</li>" for x in req.questions) + "</ul>")
    ev.html('<div class="wsp-h">Typical evidence</div><ul class="wsp-list">'
            + "".join(f"<li>{_e(x)}</li>" for x in req.evidence) + "</ul>")
    last = []
    if str(rec["evidence"]).strip():
        last.append(f"<b>Evidence:</b> {_e(rec['evidence'])}")
    if str(rec["notes"]).strip() and not s["presenter_safe"]:
        last.append(f"<b>Notes:</b> {_e(rec['notes'])}")
    if str(rec["owner"]).strip():
        last.append(f"<b>Owner:</b> {_e(rec['owner'])}")
    open_f = chrome.cached(findings.open_findings_by_requirement, con, ws["id"]).get(req.id, [])
    if open_f:
        last.append("<b>Open findings:</b> " + "; ".join(f"{_e(f['id'])} {_e(f['grade'])}: {_e(f['title'])}"
                                                     for f in open_f))
    risks = chrome.cached(register.table, con, ws["id"])
    linked = risks[risks["controls"].map(lambda c: req.id in c).astype(bool)]
    if not linked.empty:
        last.append("<b>Linked risks:</b> " + "; ".join(f"{_e(r)} {_e(t)} ({_e(lv)})" for r, t, lv in
                                                    zip(linked["id"], linked["title"], linked["current_level"])))
    if last:
        st.html('<div class="wsp-h">Recorded so far</div><div class="wsp-small">' + "<br>".join(last) + "</div>")


def _capture(con, ws, cat, s, item, rec) -> None:
    wsid, wid, pos = ws["id"], s["id"], item["position"]
    target = int(rec["target"])
    st.html(f'<div class="wsp-now">Now: {_e(_maturity(None if rec.isna()["maturity"] else rec["maturity"]))}'
            f' · target {target}</div><div class="wsp-small">Evidence: {_e(rec["evidence_strength"])}'
            f'{" · before the workshop: " + _e(_maturity(item["maturity_before"])) if item["state"] == "done" else ""}'
            "</div>")
    base = {"maturity": None if rec.isna()["maturity"] else int(rec["maturity"]), "evidence_strength": rec["evidence_strength"]}
    edit = chrome.may_edit()
    key = f"wsp_{wid}_{pos}_{chrome.digest([item['maturity_agreed'], item['evidence_agreed']])}"
    m = st.segmented_control("Agreed maturity", list(range(6)), default=item["maturity_agreed"], key=f"{key}_m",
                             format_func=assessments.maturity_label, disabled=not edit,
                             width="stretch", help="0 none, 1 initial, 2 repeatable, 3 defined, 4 measured, 5 optimising")
    e = st.segmented_control("Agreed evidence strength", list(assessments.EVIDENCE_STRENGTHS), key=f"{key}_e",
                             default=item["evidence_agreed"] or None, disabled=not edit, width="stretch",
                             help=assessments.EVIDENCE_HELP)
    if edit and m is not None and m != item["maturity_agreed"]:
        _run(lambda: capture.agree(con, wsid, wid, pos, cat, maturity=m, base=base),
             lambda _: f"{item['req_id']}: maturity {m} agreed and saved to the gap analysis.")
    if edit and e is not None and e != (item["evidence_agreed"] or None):
        _run(lambda: capture.agree(con, wsid, wid, pos, cat, evidence_strength=e, base=base),
             lambda _: f"{item['req_id']}: evidence strength {e} agreed and saved to the gap analysis.")
    _votes(con, ws, cat, s, item, base, edit)
    if item["decision"]:
        st.html(f'<div class="wsp-small"><b>Decision:</b> {_e(item["decision"])}</div>')
    if not edit:
        return
    row = st.container(horizontal=True)
    with row.popover("Decision" if s["presenter_safe"] else "Decision, notes", icon=":material/edit_note:"):
        _decision_form(con, ws, cat, s, item)
    with row.popover("Add action", icon=":material/add_task:"):
        _action_form(con, ws, cat, s, item)
    with row.popover("Park a question", icon=":material/local_parking:"):
        _park_form(con, ws, s, item)
    _item_records(con, ws, s, item)


def _votes(con, ws, cat, s, item, base, edit: bool) -> None:
    votes = s["votes"].get(item["position"], {})
    sp = capture.spread(votes)
    label = "Votes" + (f" {sp['min']}-{sp['max']}, median {sp['median']} · {chrome.tally(sp['n'], 'vote')}" if sp
                       else " of the attendees (optional)")
    with st.expander(label, icon=":material/how_to_vote:"):
        if not s["attendees"]:
            st.caption("No attendees: add them to the workshop before it starts to take votes.")
            return
        if sp:
            st.caption("  ·  ".join(f"{chrome.plain(a)} {v}" for a, v in votes.items()))
        if not edit:
            return
        v = chrome.form_version(f"wsp_votes_{s['id']}_{item['position']}")
        with st.form(f"wsp_votes_{s['id']}_{item['position']}_{v}", border=False):
            picked = {a: st.segmented_control(chrome.plain(a), list(range(6)), default=votes.get(a), key=f"wsp_v_{a}_{v}")
                      for a in s["attendees"]}
            if st.form_submit_button("Save votes", icon=":material/how_to_vote:"):
                _run(lambda: capture.record_votes(con, ws["id"], s["id"], item["position"], picked),
                     lambda n: chrome.tally(n, "vote") + " saved.")
        if sp and sp["median"] == int(sp["median"]) and st.button(f"Agree the median ({sp['median']})", key="wsp_median"):
            _run(lambda: capture.agree(con, ws["id"], s["id"], item["position"], cat, maturity=int(sp["median"]), base=base),
                 lambda _: f"{item['req_id']}: maturity {sp['median']} agreed and saved to the gap analysis.")


def _decision_form(con, ws, cat, s, item) -> None:
    name = f"wsp_dec_{s['id']}_{item['position']}"
    v = chrome.form_version(name)
    with st.form(f"{name}_{v}", border=False):
        dec = st.text_area("Decision (goes into the minutes)", value=item["decision"], key=f"{name}_d_{v}", height=90)
        notes = None
        if not s["presenter_safe"]:
            notes = st.text_area("Internal notes", value=item["notes"], key=f"{name}_n_{v}", height=90)
        if st.form_submit_button("Save", icon=":material/save:"):
            def write():
                n = capture.agree(con, ws["id"], s["id"], item["position"], cat, decision=dec) if dec != item["decision"] else 0
                if notes is not None:
                    n += capture.save_notes(con, ws["id"], s["id"], item["position"], notes, base=item["notes"])
                return n
            if chrome.saved(write, lambda n: chrome.fields_saved(n)):
                chrome.form_done(name)
                st.rerun()


def _action_form(con, ws, cat, s, item) -> None:
    name = f"wsp_act_{s['id']}"
    v = chrome.form_version(name)
    phases = chrome.cached(roadmap_phases.phases, con, ws["id"])
    owners = chrome.owner_options(con, ws["id"])
    with st.form(f"{name}_{v}", border=False):
        title = st.text_input("Action *", key=f"{name}_t_{v}", max_chars=200)
        owner = chrome.owner_picker(st, "Owner", owners, "", key=f"{name}_o_{v}")
        due = st.date_input("Due", value=None, key=f"{name}_d_{v}", min_value=date(2020, 1, 1))
        phase = None
        if not phases.empty:
            phase = st.selectbox("Roadmap phase", phases["id"].tolist(), key=f"{name}_p_{v}",
                                 format_func=dict(zip(phases["id"], phases["name"])).get)
        if st.form_submit_button("Add to the roadmap", icon=":material/add_task:"):
            write = lambda: chrome.with_owners(con, ws["id"], [owner], lambda tx: capture.add_action(  # noqa: E731
                tx, ws["id"], s["id"], item["position"], cat, {"title": title, "owner": owner, "due": due,
                                                                "phase_id": phase}))
            if chrome.saved(write, lambda a: f"Action {a} added to the roadmap for {item['req_id']}."):
                chrome.form_done(name)
                st.rerun()


def _park_form(con, ws, s, item) -> None:
    name = f"wsp_park_{s['id']}"
    v = chrome.form_version(name)
    owners = chrome.owner_options(con, ws["id"])
    with st.form(f"{name}_{v}", border=False):
        question = st.text_area("Question *", key=f"{name}_q_{v}", height=90, max_chars=1000)
        owner = chrome.owner_picker(st, "Who finds out", owners, "", key=f"{name}_o_{v}")
        if st.form_submit_button("Park it", icon=":material/local_parking:"):
            if chrome.saved(lambda: capture.park(con, ws["id"], s["id"], item["position"], question, owner),
                            lambda p: f"Question {p} parked for {item['req_id']}."):
                chrome.form_done(name)
                st.rerun()


def _item_records(con, ws, s, item) -> None:
    """The actions and parked questions of this item, so the room sees what was captured."""
    acts = capture.actions(con, ws["id"], s["id"])
    parked = parking.listing(con, ws["id"], workshop_id=s["id"])
    parked = parked[parked["req_id"] == item["req_id"]]
    acts = acts[acts["requirements"].map(lambda r: item["req_id"] in str(r).split("; ")).astype(bool)]
    lines = [f"<b>{_e(a)}</b> {_e(t)} · {_e(o) or 'no owner'}" + (f" · due {d:%Y-%m-%d}" if _day(d) else "")
             for a, t, o, d in zip(acts["id"], acts["title"], acts["owner"], acts["due"])]
    lines += [f"<b>{_e(p)}</b> parked: {_e(q)}" for p, q in zip(parked["id"], parked["question"])]
    if lines:
        st.html('<div class="wsp-small">' + "<br>".join(lines) + "</div>")


def _day(value) -> bool:
    return value is not None and value == value and hasattr(value, "strftime")


def _agenda(con, ws, s, times, cat) -> None:
    done = capture.progress(s["items"])
    st.html(f'<div class="wsp-h">Agenda · {done["done"]} done, {done["skipped"]} skipped, {done["come back"]} to come back,'
            f' {done["pending"]} pending</div>')
    rows = []
    for t in times:
        cls = ' class="cur"' if t["position"] == s["current_position"] else ""
        over = ' <span class="wsp-over">over</span>' if t["over"] else ""
        title = cat.requirements[t["req_id"]].title
        title = title if len(title) <= 38 else title[:37] + "…"
        rows.append(f"<tr{cls}><td>{t['position'] + 1}</td><td class=\"nw\">{STATE_MARKS[t['state']]} {_e(t['state'])}</td>"
                    f"<td><b>{_e(t['req_id'])}</b> {_e(title)}</td><td class=\"nw\">{capture.clock(t['seconds'])}{over}</td></tr>")
    st.html('<table class="wsp-agenda">' + "".join(rows) + "</table>")
    if chrome.may_edit():
        c = st.columns([3.2, 1], vertical_alignment="bottom")
        labels = {t["position"]: f"{t['position'] + 1}. {t['req_id']} {cat.requirements[t['req_id']].title}" for t in times}
        to = c[0].selectbox("Jump to item", list(labels), index=s["current_position"], format_func=labels.get,
                            key=f"wsp_jump_{s['id']}_{s['current_position']}")
        if c[1].button("Go", key="wsp_jump_go", disabled=to == s["current_position"]):
            _go(con, ws, s, to)
