"""The audit programme parts of the Audits page (pages/audits.py): the form of an audit, adding
one, an open audit (edit, delete, history), the programme table and the coverage view, and the
certification audits' records. The rules are in aims.audit.programme; every edit widget is drawn
only for those who may edit the workspace (chrome.may_edit)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from aims.audit import charts as audit_charts
from aims.audit import programme
from aims.catalog.standard import Catalog
from aims.common.validate import ValidationError
from aims.ui import chrome, conflicts

VIEW = "audits_tab"          # the tabs' key (and the URL's ?audits_tab=)
GOTO = "audits_goto"         # the tab the next run opens (set before a rerun)
PRESETS = {"": "(only the requirements picked below)", "clauses": "+ all clauses 4 to 10",
           "annex a": "+ the applicable Annex A controls", "everything": "+ everything that applies"}


@dataclass(frozen=True)
class Programme:
    """What every part of the page reads."""
    con: object
    ws_id: int
    cat: Catalog
    audits: pd.DataFrame          # programme.table
    view: dict                    # programme.overview
    excluded: frozenset
    systems: dict                 # AI system ID -> 'AIS-001 name'

    def req_label(self, rid: str) -> str:
        r = self.cat.requirements.get(rid)
        return f"{rid} {r.title}" if r else rid

    def audit_label(self, aid: str) -> str:
        row = self.audits[self.audits["id"] == aid]
        if row.empty:
            return aid
        a = row.iloc[0]
        return f"{aid} · {a['title']} ({a['kind']}, {a['status']})"


def open_audit(aid: str, message: str | None = None, tab: str | None = None) -> None:
    """Open audit `aid` (in the URL), optionally on another tab, with a message, and rerun."""
    st.query_params["audit"] = aid
    st.session_state["audits_table_v"] = st.session_state.get("audits_table_v", 0) + 1
    if tab:
        st.session_state[GOTO] = tab
    if message:
        chrome.flash(message)
    st.rerun()


def _index(options, value, default=0):
    return list(options).index(value) if value in options else default


# ---- the form of an audit --------------------------------------------------------------------------

def audit_form(prefix: str, v: dict, submit: str, r: Programme, kinds: tuple[str, ...], people: list[str]) -> dict | None:
    """Every field of an audit (but the report) in one form keyed by `prefix`; returns the values
    when submitted, else None. `kinds` are the kinds offered."""
    with st.form(prefix, border=True):
        c = st.columns([1.2, 3, 1.2])
        kind = c[0].selectbox("Kind *", kinds, index=_index(kinds, v.get("kind")), key=f"{prefix}_kind")
        title = c[1].text_input("Title *", v.get("title", ""), max_chars=200, key=f"{prefix}_title",
                                placeholder="e.g. Internal audit of AI risk management")
        status = c[2].selectbox("Status", programme.STATUSES, index=_index(programme.STATUSES, v.get("status")),
                                key=f"{prefix}_status", help="Moving an audit into progress generates its checklist. "
                                "Completing it needs both dates, the report's conclusion and every item audited.")
        c = st.columns([1, 1, 1.6, 2.4], vertical_alignment="bottom")
        start = c[0].date_input("Start", v.get("start"), key=f"{prefix}_start", format="YYYY-MM-DD")
        finish = c[1].date_input("Finish", v.get("finish"), key=f"{prefix}_finish", format="YYYY-MM-DD")
        named = v.get("lead_auditor", "")
        opts = people if named in people else people + [named]
        lead = c[2].selectbox("Lead auditor", opts, index=opts.index(named), key=f"{prefix}_lead_auditor",
                              accept_new_options=True, format_func=lambda x: x or "(not named)",
                              help="The workspace's people, or type a name. An auditor does not audit what they own "
                                   "(9.2.2): the checklist flags it.") or ""
        team = c[3].text_input("Audit team", v.get("team", ""), max_chars=programme.LIST_TEXT, key=f"{prefix}_team",
                               placeholder="Names separated by ;", help="Checklist items can be given to any of them.")
        c = st.columns([1.4, 1, 1])
        body = c[0].text_input("Certification body", v.get("certification_body", ""), max_chars=200,
                               key=f"{prefix}_certification_body", help="Certification audits only.")
        outcomes = ("",) + programme.OUTCOMES
        outcome = c[1].selectbox("Outcome", outcomes, index=_index(outcomes, v.get("outcome", "")),
                                 format_func=lambda o: o or "(not yet)", key=f"{prefix}_outcome",
                                 help="Certification audits, once completed. Stage 1: 'recommended' = ready for Stage 2; "
                                      "Stage 2 and recertification: (re)certification recommended; surveillance: "
                                      "certification continues. 'With conditions': once the nonconformities raised "
                                      "are corrected and accepted.")
        sites = c[2].text_input("Sites", v.get("sites", ""), max_chars=programme.LIST_TEXT, key=f"{prefix}_sites",
                                placeholder="e.g. Head office; Data centre")
        c = st.columns([3, 1.3])
        scope = c[0].multiselect("Requirements in scope (clauses and Annex A controls)", list(r.cat.requirements),
                                 default=[x for x in v.get("scope", []) if x in r.cat.requirements],
                                 format_func=r.req_label, key=f"{prefix}_scope", placeholder="Pick clauses and controls",
                                 help="The checklist is drawn from these; controls the SoA excludes are left out.")
        preset = c[1].selectbox("Quick scope", list(PRESETS), format_func=PRESETS.get, key=f"{prefix}_preset")
        c = st.columns(2)
        processes = c[0].text_input("Processes", v.get("processes", ""), max_chars=programme.LIST_TEXT,
                                    key=f"{prefix}_processes", placeholder="e.g. Model release; Supplier onboarding")
        known = list(r.systems) + [s for s in programme.split_list(v.get("systems")) if s not in r.systems]
        systems = c[1].multiselect("AI systems", known, default=programme.split_list(v.get("systems")),
                                   format_func=lambda s: r.systems.get(s, s), accept_new_options=True,
                                   key=f"{prefix}_systems", placeholder="Pick from the inventory or type a name")
        c = st.columns(2)
        objectives = c[0].text_area("Objectives", v.get("objectives", ""), max_chars=5000, height=80,
                                    key=f"{prefix}_objectives", placeholder="What the audit is to find out")
        criteria = c[1].text_area("Criteria", v.get("criteria", ""), max_chars=5000, height=80,
                                  key=f"{prefix}_criteria", placeholder="e.g. ISO/IEC 42001, the AI policy, procedures")
        done = st.form_submit_button(submit, type="primary", icon=":material/save:")
    if not done:
        return None
    if preset:
        scope = list(dict.fromkeys(scope + programme.scope_preset(r.cat, preset, r.excluded)))
    return {"kind": kind, "title": title, "status": status, "start": start, "finish": finish, "lead_auditor": lead,
            "team": team, "certification_body": body, "outcome": outcome, "sites": sites, "scope": scope,
            "processes": processes, "systems": "; ".join(systems),
            "objectives": objectives, "criteria": criteria}


def add_audit(r: Programme, kinds: tuple[str, ...], form: str, submit: str, tab: str) -> None:
    """The add form (empty again after a successful add); the new audit opens on `tab`."""
    version = chrome.form_version(form)
    values = audit_form(f"{form}_{version}", {"kind": kinds[0], "status": "planned"}, submit, r, kinds,
                        chrome.owner_options(r.con, r.ws_id))
    if values is None:
        return
    try:
        aid = programme.create(r.con, r.ws_id, values)
    except ValidationError as exc:
        chrome.show_problems(exc)
        return
    chrome.form_done(form)
    open_audit(aid, f"Added {aid} {values['title'].strip()}.", tab)


# ---- one audit -------------------------------------------------------------------------------------

def audit_facts(a: dict, r: Programme) -> None:
    """The audit's record, read only."""
    when = f"{a['start'] or '?'} to {a['finish'] or '?'}" if a["start"] or a["finish"] else "not scheduled"
    st.markdown(f"**{a['kind'].capitalize()} audit** · {a['status']} · {when} · "
                f"lead auditor {chrome.plain(a['lead_auditor'] or 'not named')}"
                + (f" · team: {chrome.plain(a['team'])}" if a["team"] else ""))
    if programme.is_certification(a["kind"]):
        meaning = programme.OUTCOME_MEANING[a["kind"]].get(a["outcome"], "")
        st.markdown(f"Certification body: **{chrome.plain(a['certification_body'] or 'not named')}** · outcome: "
                    + (f"**{a['outcome']}** ({meaning})" if a["outcome"] else "not recorded"))
    for label, key in (("Objectives", "objectives"), ("Criteria", "criteria"), ("Processes", "processes"),
                       ("AI systems", "systems"), ("Sites", "sites")):
        if a[key]:
            st.markdown(f"**{label}:** {chrome.plain(a[key])}")
    st.markdown("**Requirements in scope:** " + (", ".join(a["scope"]) or "none yet"))


def audit_panel(r: Programme, where: str) -> None:
    """The audit named in the URL (?audit=), below the list of tab `where`: edit (or details),
    delete, history."""
    aid = st.query_params.get("audit")
    if not aid or aid not in set(r.audits["id"]):
        if aid:
            st.info(f"There is no audit {chrome.plain(aid)} in this workspace.", icon=":material/info:")
        return
    a = programme.get(r.con, r.ws_id, aid)
    st.divider()
    head = st.columns([6, 1])
    head[0].subheader(f"{aid} {chrome.plain(a['title'])}")
    if head[1].button("Close", key=f"audit_close_{where}", icon=":material/close:", use_container_width=True):
        st.query_params.pop("audit", None)
        st.session_state["audits_table_v"] = st.session_state.get("audits_table_v", 0) + 1
        st.rerun()
    edit_tab, history_tab = st.tabs(["Edit" if chrome.may_edit() else "Details", "History"], key=f"audit_detail_{where}")
    with edit_tab:
        if not chrome.may_edit():
            audit_facts(a, r)
        else:
            form = f"audit_edit_{where}_{aid}"
            fields = tuple(f for f in programme.EDITABLE if f not in ("summary", "conclusion"))
            prefix, shown = conflicts.opened(form, {k: a[k] for k in fields}, programme.LABELS)
            values = audit_form(prefix, shown, "Save changes", r, programme.KINDS, chrome.owner_options(
                r.con, r.ws_id, [shown.get("lead_auditor")]))
            conflicts.submit(form, aid, values, shown, lambda data, base: programme.update(r.con, r.ws_id, aid, data,
                                                                                          base=base),
                             lambda n: chrome.fields_saved(n, aid))
            with st.expander("Delete this audit", icon=":material/delete:"):
                refs = programme.references(r.con, r.ws_id, aid)
                if refs:
                    st.info("Findings or evidence files point at this audit (" + ", ".join(
                        f"{n} {k}" for k, n in refs.items()) + "), so it stays: findings are the audit trail.")
                else:
                    st.caption("Deleting removes the audit, its scope and its checklist; the change log keeps the record.")
                    sure = st.checkbox(f"Yes, delete {aid}", key=f"audit_delete_sure_{where}_{aid}")
                    if st.button("Delete audit", key=f"audit_delete_{where}_{aid}", disabled=not sure):
                        if chrome.saved(lambda: programme.delete(r.con, r.ws_id, aid), lambda _: f"Deleted {aid}."):
                            st.query_params.pop("audit", None)
                            st.rerun()
    with history_tab:
        st.dataframe(programme.history(r.con, r.ws_id, aid), hide_index=True, placeholder="", column_config={
            "changed_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"), "changed_by": "Who",
            "field": "Field", "old_value": "Old value", "new_value": "New value"})


# ---- lists -----------------------------------------------------------------------------------------

LIST_COLUMNS = {"ID": st.column_config.TextColumn(width="small"), "Title": st.column_config.TextColumn(width="medium"),
                "Start": st.column_config.DateColumn(format="YYYY-MM-DD"),
                "Finish": st.column_config.DateColumn(format="YYYY-MM-DD"),
                "Progress": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%",
                                                            help="Checklist items audited")}


def audit_list(r: Programme, frame: pd.DataFrame, key: str, certification: bool = False) -> None:
    """The audits as a table; selecting a row opens the audit (see audit_panel)."""
    out = pd.DataFrame({
        "ID": frame["id"], "Kind": frame["kind"], "Title": frame["title"],
        "Status": frame["status"], "Start": frame["start"],
        "Finish": frame["finish"], "Lead auditor": frame["lead_auditor"]}).reset_index(drop=True)
    if certification:
        out["Certification body"] = frame["certification_body"].tolist()
        out["Audit team"] = frame["team"].tolist()
        out["Outcome"] = [o or "—" for o in frame["outcome"]]
    else:
        out["Scope"] = [f"{len(s)} requirement{'s' if len(s) != 1 else ''}" if s else "—" for s in frame["scope"]]
        out["Progress"] = [p if p is not None else None for p in frame["progress_pct"]]
    ids = list(out["ID"])
    event = st.dataframe(out, hide_index=True, column_config=LIST_COLUMNS, on_select="rerun",
                         selection_mode="single-row", placeholder="",
                         key=f"{key}_{chrome.digest(ids)}_{st.session_state.get('audits_table_v', 0)}",
                         height=min(420, 40 + 35 * len(out)))
    picked = [ids[i] for i in event.selection.rows if i < len(ids)]
    if picked and picked[0] != st.query_params.get("audit"):
        st.query_params["audit"] = picked[0]
        st.rerun()


def coverage_view(r: Programme) -> None:
    """The coverage chart and the list of applicable requirements no internal audit of the cycle covers."""
    view = r.view
    titles = {g.id: g.title for g in r.cat.groups.values()}
    st.plotly_chart(audit_charts.coverage_bars(view["coverage"], titles), key="audits_coverage_chart",
                    config={"displayModeBar": False})
    cov = view["coverage"]
    gaps = cov[cov["applicable"] & ~cov["covered"]]
    late = cov[cov["applicable"] & cov["covered"] & ~cov["covered_before_stage1"]] if view["stage1"] else cov.iloc[0:0]
    with st.expander(f"Applicable requirements no internal audit of the cycle covers ({len(gaps)})",
                     icon=":material/playlist_remove:", expanded=bool(len(gaps)) and len(gaps) <= 10):
        if gaps.empty:
            st.success("Every applicable requirement is in the scope of an internal audit of this cycle.",
                       icon=":material/task_alt:")
        else:
            st.dataframe(pd.DataFrame({"Requirement": gaps["req_id"], "Title": gaps["title"]}), hide_index=True,
                         placeholder="", height=min(380, 38 + 35 * len(gaps)))
    if not late.empty:
        st.caption(f"Covered only by audits finishing on or after the Stage 1 date ({view['stage1']}): "
                   + ", ".join(late["req_id"]) + ".")


def stage1_note(r: Programme) -> None:
    """The Stage 1 date, how it was found, and the warning when the programme falls short of it."""
    view, s = r.view, r.view["summary"]
    if s["warning"]:
        st.caption(f"Not covered before Stage 1: {len(s['uncovered_before_stage1'])} applicable requirements (see the "
                   "warning above).")
    elif view["stage1"] is not None:
        st.success(f"The internal audits planned to finish before Stage 1 ({view['stage1']}) cover every applicable "
                   "requirement.", icon=":material/task_alt:")
    st.caption(f"Stage 1 date: {view['stage1'] or 'unknown'}, from {view['stage1_basis']}. Rule: the planned start "
               "of the Stage 1 audit; else the start of the roadmap's Stage 1 phase; else the target certification "
               f"date minus {programme.STAGE1_WEEKS_BEFORE_TARGET} weeks. Internal audits count when they are planned "
               "to finish before that date.")
