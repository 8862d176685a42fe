"""The tabs and the open-risk panel of the AI risk register page (pages/risks.py): add, library,
proposals from impact assessments, traceability and risk criteria. Filters and summaries are pure
functions in aims.risk.filters; the rules are in aims.risk."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import pandas as pd
import streamlit as st

from aims.ai_systems import impact
from aims.catalog.standard import Catalog
from aims.common.validate import ValidationError
from aims.risk import charts as risk_charts
from aims.risk import filters
from aims.risk import intake as risk_intake
from aims.risk import library as risk_library
from aims.risk import register as risks
from aims.risk import scoring as rs
from aims.risk import trace as risk_trace
from aims.store import db
from aims.ui import chrome, conflicts, risk_panels


@dataclass(frozen=True)
class Register:
    """What every part of the page reads: the workspace's register, criteria, systems and proposals."""
    con: object
    ws_id: int
    cat: Catalog
    crit: dict
    table: pd.DataFrame
    systems: pd.DataFrame
    proposals: pd.DataFrame
    sys_label: Callable[[str], str]
    ctl_label: Callable[[str], str]

    @property
    def new_proposals(self) -> int:
        return int((self.proposals["in_register"] == "").sum())


def open_risk(risk_id: str, message: str) -> None:
    """Show the register with one risk open (after an add), with a message."""
    st.session_state["risks_goto"] = "Register"
    st.query_params["risk"] = risk_id
    st.session_state["risks_table_v"] = st.session_state.get("risks_table_v", 0) + 1
    risk_panels.clear_cell()
    chrome.flash(message)
    st.rerun()


OWN_RISKS = ("You are a contributor: you can save only the risks you own (whose owner is your email or name), "
             "and add risks with yourself as their owner; other saves are refused.")


def close_risk() -> None:
    """Close the open risk: drop it from the URL and reset the table's row selection (which would
    otherwise open it again)."""
    st.query_params.pop("risk", None)
    st.session_state["risks_table_v"] = st.session_state.get("risks_table_v", 0) + 1
    st.rerun()


def open_risk_panel(r: Register) -> None:
    """The risk named in the URL (?risk=), opened below the register: edit, traceability, history."""
    con, WS, cat, crit, table, systems = r.con, r.ws_id, r.cat, r.crit, r.table, r.systems
    ctl_label = r.ctl_label
    current = st.query_params.get("risk")
    if current and current in set(table["id"]):
        row = table.set_index("id").loc[current]
        st.divider()
        head = st.columns([6, 1])
        head[0].subheader(f"{current} {chrome.plain(row['title'])}")
        if head[1].button("Close", key="risks_close", icon=":material/close:", use_container_width=True):
            close_risk()
        risk_panels.level_badges({**row.to_dict(), "id": current})
        if row["checks"]:
            st.warning("**Check:** " + "; ".join(row["checks"]) + ".", icon=":material/rule:")
        editable = chrome.may_edit(owned=True)      # contributors: the form, and aims saves only their own risks
        edit_tab, trace_tab, history_tab = st.tabs(["Edit" if editable else "Details", "Traceability", "History"],
                                                   key="risks_detail")
        with edit_tab:
            stored = risks.get(con, WS, current)
            if not editable:
                risk_panels.risk_details(stored, crit, cat, r.sys_label)
            else:
                if chrome.role() == "contributor":
                    st.caption(OWN_RISKS)
                entry = risk_library.library().get(stored["library_id"])
                if entry:  # the library's typical existing controls as a prompt in an empty field
                    stored["existing_controls_hint"] = entry.existing_controls_hint
                form = f"risk_edit_{current}"
                prefix, shown = conflicts.opened(form, {k: stored[k] for k in risks.FIELDS + risks.LINKS})
                values = risk_panels.risk_form(prefix, {**stored, **shown}, "Save changes", cat=cat, crit=crit,
                                               systems=systems, owners=chrome.owner_options(con, WS, [shown.get("owner")]))
                conflicts.submit(form, current, values, shown, lambda data, base: chrome.with_owners(
                    con, WS, [data.get("owner")], lambda tx: risks.update(tx, WS, current, data, base=base)),
                    lambda n: chrome.fields_saved(n, current))
            if chrome.may_edit():        # deleting is an editor's act
                with st.expander("Delete this risk", icon=":material/delete:"):
                    refs = risks.references(con, WS, current)
                    if refs:
                        st.info("Other records link to this risk (" + risks.describe_references(refs)
                                + "). Set its status to closed instead.")
                    st.caption("Deleting removes the risk and its links; the change log keeps the record, and its "
                               "ID is never reused. Closing a risk is usually the better choice.")
                    sure = st.checkbox(f"Yes, delete {current}", key=f"risks_delete_sure_{current}")
                    if st.button("Delete risk", key=f"risks_delete_{current}", disabled=not sure, type="secondary"):
                        try:
                            risks.delete(con, WS, current)
                            chrome.flash(f"Deleted {current}.")
                            close_risk()
                        except ValidationError as exc:
                            chrome.show_problems(exc, "Nothing was deleted")
        with trace_tab:
            left, right = st.columns(2, gap="large")
            with left:
                st.markdown("**AI systems**")
                if not row["systems"]:
                    st.caption("Organisation-level risk: not tied to one AI system.")
                else:
                    linked = systems[systems["id"].isin(row["systems"])]
                    st.dataframe(linked[["id", "name", "status", "lifecycle_stage"]], hide_index=True,
                                 column_config={"id": "ID", "name": "AI system", "status": "Status",
                                                "lifecycle_stage": "Life-cycle stage"}, placeholder="")
                origin = []
                if row["library_id"]:
                    origin.append(f"Created from the risk library entry {row['library_id']}.")
                if row["source_assessment_id"]:
                    origin.append(f"Accepted from impact assessment {row['source_assessment_id']}, question "
                                  f"{row['source_question_id']}.")
                refs = risks.references(con, WS, current)
                if refs:
                    origin.append("Linked from " + risks.describe_references(refs) + ".")
                if origin:
                    st.caption(" ".join(origin))
            with right:
                st.markdown("**Planned controls and their SoA status**")
                trace = chrome.cached(risk_trace.controls_trace, con, WS, cat).set_index("control_id")
                if not row["controls"]:
                    st.caption("No Annex A control planned yet.")
                else:
                    part = trace.loc[row["controls"]]
                    st.dataframe(pd.DataFrame({
                        "Control": [ctl_label(c) for c in part.index],
                        "SoA": ["Applicable" if a else "EXCLUDED: conflict" for a in part["applicable"]],
                        "Implementation": part["implementation"],
                        "Also needed by": [", ".join(r for r in ids_ if r != current) for ids_ in part["risk_ids"]],
                    }), hide_index=True, placeholder="")
                    if not part["applicable"].all():
                        st.warning("**SoA conflict:** the SoA excludes a control this risk needs. Include the "
                                   "control in the Statement of Applicability, or plan a different control.",
                                   icon=":material/report:")
        with history_tab:
            hist = risks.history(con, WS, current)
            st.dataframe(hist, hide_index=True, column_config={
                "changed_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
                "changed_by": "Who", "field": "Field", "old_value": "Old value", "new_value": "New value"}, placeholder="")
    elif current:
        st.info(f"There is no risk {current} in this workspace.", icon=":material/info:")


def add_tab(r: Register) -> None:
    con, WS, cat, crit, systems = r.con, r.ws_id, r.cat, r.crit, r.systems
    st.caption("Describe the risk, rate it before treatment, then decide the treatment and the Annex A controls. "
               "To start from a written-up risk, use the risk library.")
    if chrome.role() == "contributor":
        st.caption(OWN_RISKS)
    version = st.session_state.get("risks_new_v", 0)
    defaults = {"status": "open", "lifecycle_stage": "deployed",
                "next_review": date.today() + timedelta(days=round(30.4 * crit["review_months"]))}
    values = risk_panels.risk_form(f"risk_new_{version}", defaults, "Add risk", cat=cat, crit=crit, systems=systems,
                                   owners=chrome.owner_options(con, WS))
    if values is not None:
        try:
            rid = chrome.with_owners(con, WS, [values.get("owner")], lambda tx: risks.create(tx, WS, values))
            st.session_state["risks_new_v"] = version + 1
            open_risk(rid, f"Added {rid} {values['title'].strip()}.")
        except ValidationError as exc:
            chrome.show_problems(exc)


def library_tab(r: Register) -> None:
    con, WS, cat, crit, table, systems = r.con, r.ws_id, r.cat, r.crit, r.table, r.systems
    sys_label, ctl_label = r.sys_label, r.ctl_label
    lib = risk_library.frame()
    st.caption(f"{len(lib)} common AI risks written in plain language, with a typical starting rating and "
               "suggested Annex A controls." + (" Pick one, choose the AI system, and add it pre-filled."
                                                if chrome.may_edit(owned=True) else ""))
    f = st.columns([3, 2, 2])
    lsearch = f[0].text_input("Search the library", key="risks_lib_search", placeholder="e.g. drift, bias, vendor")
    lobj = f[1].selectbox("Objective", ["Any objective"] + list(cat.objectives), key="risks_lib_objective",
                          format_func=lambda k: k if k == "Any objective" else f"{k} {cat.objectives[k]}")
    lsrc = f[2].selectbox("Risk source", ["Any source"] + list(cat.risk_sources), key="risks_lib_source",
                          format_func=lambda k: k if k == "Any source" else f"{k} {cat.risk_sources[k]}")
    shown_lib = filters.filter_library(lib, search=lsearch, objective=None if lobj == "Any objective" else lobj,
                                       source=None if lsrc == "Any source" else lsrc)
    in_use = filters.library_in_use(table)
    lframe = pd.DataFrame({
        "ID": shown_lib["id"], "Risk": shown_lib["title"],
        "Typical rating": [f"{li} x {im} = " + risk_panels.level_text(li * im, rs.level(li * im, crit))
                           for li, im in zip(shown_lib["likelihood"], shown_lib["impact"])],
        "Objective": shown_lib["objective"].map(lambda k: f"{k} {cat.objectives[k]}"),
        "Treatment": shown_lib["treatment"], "Suggested controls": shown_lib["controls"],
        "In the register": shown_lib["id"].map(lambda i: ", ".join(in_use.get(i, []))),
    }).reset_index(drop=True)
    lev = st.dataframe(lframe, hide_index=True, on_select="rerun", selection_mode="single-row",
                       key=f"risks_lib_table_{abs(hash(tuple(lframe['ID'])))}",
                       column_config={"ID": st.column_config.TextColumn(width="small"),
                                      "Risk": st.column_config.TextColumn(width="large"),
                                      "Suggested controls": st.column_config.ListColumn()}, placeholder="")
    rows = lev.selection.rows
    if not rows:
        st.info("Select a library risk to see it in full" + (" and add it to the register."
                if chrome.may_edit(owned=True) else "."), icon=":material/touch_app:")
    else:
        entry = risk_library.library()[lframe.iloc[rows[0]]["ID"]]
        with st.container(border=True):
            st.markdown(f"**{entry.id} {entry.title}**")
            st.markdown(entry.description)
            st.caption(f"Risk source {entry.risk_source} {cat.risk_sources[entry.risk_source]} · objective "
                       f"{entry.objective} {cat.objectives[entry.objective]} · typical stage: "
                       f"{entry.lifecycle_stage}"
                       f" · stakeholders: {entry.stakeholders}")
            st.markdown(f"**Typical existing controls:** {entry.existing_controls_hint}")
            st.markdown("**Suggested Annex A controls:** " + "; ".join(ctl_label(c) for c in entry.controls))
            if not chrome.may_edit(owned=True):
                return
            c = st.columns([2.5, 2, 1.5])
            targets = [""] + list(systems.loc[systems["status"] != "retired", "id"])
            target = c[0].selectbox("Add for", targets, key="risks_lib_target",
                                    format_func=lambda s: sys_label(s) if s else "the organisation (no AI system)")
            lib_owner = chrome.owner_picker(c[1], "Owner (default: the system's business owner)",
                                            chrome.owner_options(con, WS), "", key="risks_lib_owner")
            c[2].write("")
            if c[2].button("Add to the register", key="risks_lib_add", type="primary", icon=":material/add:",
                           use_container_width=True):
                try:
                    rid = chrome.with_owners(con, WS, [lib_owner], lambda tx: risk_intake.add_from_library(
                        tx, WS, entry.id, target or None, owner=lib_owner))
                    open_risk(rid, f"Added {rid} {entry.title} from the library: review the ratings and set the "
                                   "residual risk.")
                except ValidationError as exc:
                    chrome.show_problems(exc, "Not added")


def proposals_tab(r: Register) -> None:
    con, WS = r.con, r.ws_id
    proposals, new_proposals, sys_label = r.proposals, r.new_proposals, r.sys_label
    st.caption("High and critical answers in each system's latest impact assessment propose a risk. Accepting "
               "one adds it to the register, linked to the system and the assessment; accepting it again does "
               "not create a duplicate.")
    if proposals.empty:
        st.info("No impact assessment has a high or critical answer yet.", icon=":material/info:")
    else:
        pframe = pd.DataFrame({
            "Assessment": proposals["assessment_id"], "AI system": proposals["system_id"].map(sys_label),
            "Level": proposals["level"], "Proposed risk": proposals["title"], "Question": proposals["question"],
            "Answer": proposals["answer"], "Controls": proposals["controls"],
            "In the register": proposals["in_register"].replace("", "not yet"),
        }).reset_index(drop=True)
        only_new = st.toggle("Only proposals not yet in the register", value=True, key="risks_prop_new")
        keep = pframe["In the register"] == "not yet" if only_new else pd.Series(True, index=pframe.index)
        pshown = pframe[keep]
        st.caption(f"{new_proposals} of {len(pframe)} proposals are not in the register yet.")
        pev = st.dataframe(pshown.reset_index(drop=True), hide_index=True, on_select="rerun",
                           selection_mode="multi-row", key=f"risks_prop_table_{abs(hash(tuple(pshown.index)))}",
                           column_config={"Proposed risk": st.column_config.TextColumn(width="medium"),
                                          "Question": st.column_config.TextColumn(width="large"),
                                          "Controls": st.column_config.ListColumn()}, placeholder="")
        chosen = [pshown.index[i] for i in pev.selection.rows]
        if not chrome.may_edit(owned=True):
            return
        c = st.columns([2, 2, 4])
        accept_sel = c[0].button(f"Accept {len(chosen)} selected" if chosen else "Accept selected",
                                 disabled=not chosen, key="risks_prop_accept", type="primary",
                                 icon=":material/playlist_add:", use_container_width=True)
        accept_all = c[1].button(f"Accept all {new_proposals} new", disabled=not new_proposals,
                                 key="risks_prop_accept_all", icon=":material/done_all:", use_container_width=True)
        if accept_sel or accept_all:
            todo = proposals.loc[chosen] if accept_sel else proposals[proposals["in_register"] == ""]
            try:
                with db.transaction(con) as tx:  # all or nothing
                    done = [risk_intake.accept_proposal(tx, WS, a, q) for a, q in
                            zip(todo["assessment_id"], todo["question_id"])]
                added = [rid for rid, new in done if new]
                held = [rid for rid, new in done if not new]
                chrome.flash(f"Added {len(added)} risk{'s' if len(added) != 1 else ''} to the register"
                             + (f" ({', '.join(added)})" if added else "")
                             + (f"; already in the register: {', '.join(held)}" if held else "") + ".")
                st.rerun()
            except ValidationError as exc:
                chrome.show_problems(exc, "Nothing was added")


def traceability_tab(r: Register) -> None:
    con, WS, cat, systems = r.con, r.ws_id, r.cat, r.systems
    sys_label, ctl_label = r.sys_label, r.ctl_label
    mode = st.segmented_control("Trace", ["By AI system", "By Annex A control"], default="By AI system", required=True,
                                key="risks_trace_mode")
    trace = chrome.cached(risk_trace.controls_trace, con, WS, cat)
    if mode == "By Annex A control":
        conflicts = trace[trace["conflict"]]
        if not conflicts.empty:
            st.warning("**SoA conflicts:** " + "; ".join(
                f"{r.control_id} is needed by {', '.join(r.risk_ids)} but excluded in the SoA"
                for r in conflicts.itertuples()) + ".", icon=":material/report:")
        only = st.toggle("Only controls that risks need", value=True, key="risks_trace_needed")
        tshown = trace[trace["risk_count"] > 0] if only else trace
        flags = [filters.trace_flag(*f) for f in zip(tshown["conflict"], tshown["reason_missing"],
                                                      tshown["unsupported_claim"])]
        st.dataframe(pd.DataFrame({
            "Control": [ctl_label(c) for c in tshown["control_id"]],
            "SoA": tshown["applicable"].map({True: "Applicable", False: "Excluded"}),
            "Implementation": tshown["implementation"], "Risks": tshown["risk_ids"],
            "Highest level": tshown["highest_level"].map(lambda v: str(v).capitalize() if v else ""),
            "Above appetite": tshown["above_appetite_ids"], "Flag": flags,
        }), hide_index=True, column_config={"Control": st.column_config.TextColumn(width="large"),
                                            "Risks": st.column_config.ListColumn(),
                                            "Above appetite": st.column_config.ListColumn()}, placeholder="")
    else:
        if systems.empty:
            st.info("The AI system inventory is empty: every risk is organisation-level.", icon=":material/info:")
        else:
            sid = st.selectbox("AI system", list(systems["id"]), format_func=sys_label, key="risks_trace_system")
            srisks = risks.for_system(con, WS, sid)
            s = risks.summary(srisks)
            m = st.columns(4)
            m[0].metric("Open risks", s["open"], border=True)
            m[1].metric("Above appetite now", s["above_current"], border=True,
                        help="Current score above the appetite: the residual where the treatment is implemented, "
                             "else the inherent.")
            m[2].metric("Treatments overdue", s["treatments_overdue"], border=True)
            m[3].metric("Planned controls", len({c for cs in srisks["controls"] for c in cs}), border=True)
            st.markdown("**Risks**")
            if srisks.empty:
                st.caption("No risk is linked to this system yet: add one from the risk library.")
            else:
                st.dataframe(risk_panels.styled(risk_panels.register_frame(srisks)), hide_index=True,
                             column_config=risk_panels.REGISTER_COLUMNS, placeholder="")
            left, right = st.columns(2, gap="large")
            with left:
                st.markdown("**Impact assessments**")
                ia = impact.list_all(con, WS)
                ia = ia[ia["system_id"] == sid]
                if ia.empty:
                    st.caption("No impact assessment for this system yet.")
                else:
                    st.dataframe(ia[["id", "version", "status", "overall_level", "approved_on", "next_review"]],
                                 hide_index=True, column_config={
                                     "id": "ID", "version": "Version", "status": "Status",
                                     "overall_level": "Overall level",
                                     "approved_on": st.column_config.DateColumn("Approved", format="YYYY-MM-DD"),
                                     "next_review": st.column_config.DateColumn("Next review",
                                                                                format="YYYY-MM-DD")}, placeholder="")
            with right:
                st.markdown("**Annex A controls planned for its risks**")
                needed = filters.system_controls(srisks, list(trace["control_id"]))
                if not needed:
                    st.caption("No control planned for this system's risks yet.")
                else:
                    part = trace.set_index("control_id").loc[[c for c, _ in needed]]
                    st.dataframe(pd.DataFrame({
                        "Control": [ctl_label(c) for c, _ in needed],
                        "SoA": part["applicable"].map({True: "Applicable", False: "EXCLUDED: conflict"}).values,
                        "Implementation": part["implementation"].values,
                        "For risks": [", ".join(rids) for _, rids in needed],
                    }), hide_index=True, placeholder="")


def criteria_table(crit: dict) -> None:
    """The scales with their meanings and the appetite, read-only."""
    st.dataframe(pd.DataFrame({
        "Level": list(rs.SCALE), "Likelihood": crit["likelihood_labels"],
        "Likelihood means": crit["likelihood_descriptions"], "Impact": crit["impact_labels"],
        "Impact means": crit["impact_descriptions"]}), hide_index=True, key="risks_crit_read", column_config={
        "Level": st.column_config.NumberColumn(width=60), "Likelihood means": st.column_config.TextColumn(width="medium"),
        "Impact means": st.column_config.TextColumn(width="medium")}, placeholder="")
    st.markdown(f"**Appetite:** scores above {crit['appetite']} need treatment or a formal acceptance. "
                f"**Level bands:** low up to {crit['low_max']}, medium up to {crit['medium_max']}, high up to "
                f"{crit['high_max']}, critical above. New risks are reviewed every {crit['review_months']} months.")


def criteria_tab(r: Register) -> None:
    con, WS, crit, table = r.con, r.ws_id, r.crit, r.table
    st.caption("How this workspace rates AI risk (ISO/IEC 42001 6.1.1 and 6.1.2): the labelled scales, the level "
               "bands and the risk appetite. Scores are likelihood x impact; changing the criteria re-bands every "
               "risk at once." + ("" if crit["customised"] else " These are the defaults for a 5x5 matrix."))
    left, right = st.columns([3, 2], gap="large")
    cv = st.session_state.get("risks_crit_v", 0)  # bumped on save so the inputs re-read the stored values
    shown = conflicts.loaded("risks_crit", {k: crit[k] for k in risks.CRITERIA_FIELDS},
                             probe=f"risks_crit_{cv}_appetite")
    crit = {**crit, **shown}
    with left:
        if not chrome.may_edit():       # the criteria are set by editors; everyone reads them
            criteria_table(crit)
        else:
            with st.form(f"risks_criteria_{cv}", border=True):
                new: dict = {}
                for scale in ("likelihood", "impact"):
                    head = st.columns([0.25, 1, 3])
                    head[1].markdown(f"**{scale.capitalize()} scale**")
                    head[2].markdown("**What the level means**")
                    labels, descriptions = [], []
                    for n in rs.SCALE:
                        c = st.columns([0.25, 1, 3], vertical_alignment="center")
                        c[0].markdown(f"**{n}**")
                        labels.append(c[1].text_input(f"{scale.capitalize()} {n} label", crit[f"{scale}_labels"][n - 1],
                                                      max_chars=rs.LABEL_LIMIT, key=f"risks_crit_{cv}_{scale}_{n}",
                                                      label_visibility="collapsed", placeholder=f"level {n} label"))
                        descriptions.append(c[2].text_input(f"{scale.capitalize()} {n} meaning",
                                                            crit[f"{scale}_descriptions"][n - 1],
                                                            max_chars=rs.DESCRIPTION_LIMIT,
                                                            key=f"risks_crit_{cv}_{scale}_{n}_d",
                                                            label_visibility="collapsed",
                                                            placeholder=f"what level {n} means"))
                    new[f"{scale}_labels"], new[f"{scale}_descriptions"] = labels, descriptions
                st.markdown("**Level bands and appetite** (scores run from 1 to 25)")
                c = st.columns(5)
                new["low_max"] = c[0].number_input("Low: up to", 1, 24, int(crit["low_max"]),
                                                   key=f"risks_crit_{cv}_low")
                new["medium_max"] = c[1].number_input("Medium: up to", 1, 24, int(crit["medium_max"]),
                                                      key=f"risks_crit_{cv}_medium")
                new["high_max"] = c[2].number_input("High: up to", 1, 24, int(crit["high_max"]),
                                                    key=f"risks_crit_{cv}_high",
                                                    help="Scores above this are critical.")
                new["appetite"] = c[3].number_input("Appetite (max score)", 1, 24, int(crit["appetite"]),
                                                    key=f"risks_crit_{cv}_appetite",
                                                    help="Risks scoring above this need treatment, or a formal "
                                                         "acceptance (by whom, when, until when).")
                new["review_months"] = c[4].number_input("Review every (months)", 1, 36, int(crit["review_months"]),
                                                         key=f"risks_crit_{cv}_review",
                                                         help="Pre-fills the next review date of new risks.")
                submitted = st.form_submit_button("Save risk criteria", type="primary", icon=":material/save:")
            if (submitted and conflicts.save("risks_crit", lambda ch, base: risks.save_criteria(
                    con, WS, ch["criteria"], base=base["criteria"]), {"criteria": new}, {"criteria": shown},
                    lambda n: chrome.fields_saved(n, "the risk criteria"))) or conflicts.panel("risks_crit"):
                st.session_state["risks_crit_v"] = cv + 1
                st.rerun()
            if crit["customised"] and st.button("Restore the default criteria", key="risks_crit_reset",
                                                icon=":material/restart_alt:"):
                d = rs.defaults()
                risks.save_criteria(con, WS, {k: d[k] for k in d if k != "customised"})
                st.session_state["risks_crit_v"] = cv + 1
                chrome.flash("Restored the default risk criteria.")
                st.rerun()
    with right:
        st.markdown("**The matrix with these criteria** (score in each cell)")
        st.plotly_chart(risk_charts.heatmap(table.iloc[0:0], crit, "inherent", compact=True, show="score"),
                        theme=None,
                        key="risks_crit_preview", config={"displayModeBar": False})
        st.dataframe(filters.band_table(crit), hide_index=True, placeholder="")
