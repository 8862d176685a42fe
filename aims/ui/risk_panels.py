"""Streamlit pieces shared by the risk screens (register page, overview and SoA sections): the
risk form and its read-only counterpart, display labels, the register table and the clickable
heatmap pair. Domain rules stay in aims.risks / aims.risk_scoring; this module only draws widgets
and reads them."""
from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import streamlit as st

from aims.catalog.standard import CONTROL_IDS, Catalog
from aims.risk import charts as risk_charts
from aims.risk import register as risks
from aims.risk import scoring as rs
from aims.risk import trace as risk_trace
from aims.ui import chrome

BADGE = {"low": "green", "medium": "yellow", "high": "orange", "critical": "red"}
ABOVE = "▲ Above"
CELL_KEY = "risks_cell"          # (which, likelihood, impact) of the clicked heatmap cell, or None
CHART_VERSION = "risks_chart_v"  # bumped to clear the charts' own selection
_FAR = dict(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31), format="YYYY-MM-DD")


def level_text(score, level) -> str:
    """'16 · Critical', or 'not rated' for a missing score."""
    if score is None or pd.isna(score):
        return "not rated"
    return f"{int(score)} · {str(level).capitalize()}"


def system_label(systems: pd.DataFrame):
    names = dict(zip(systems["id"], systems["name"]))
    retired = set(systems.loc[systems["status"] == "retired", "id"])
    return lambda sid: f"{sid} {names.get(sid, '(not in the inventory)')}" + (" (retired)" if sid in retired else "")


def control_label(cat: Catalog):
    return lambda cid: f"{cid} {cat.requirements[cid].title}" if cid in cat.requirements else cid


def current_basis(row) -> str:
    """Why the current risk is what it is, in words."""
    if row["current_basis"] == "residual":
        return f"residual: treatment implemented on {row['treatment_implemented_on']}"
    if pd.notna(row["residual_score"]):
        return "inherent: the planned treatment is not implemented yet"
    return "inherent: no residual rating"


def level_badges(row) -> None:
    """Badges for a risk: current level and why, the planned residual, above appetite, status
    (text on every badge)."""
    lvl = row["current_level"]
    parts = [f":{BADGE[lvl]}-badge[Current {level_text(row['current_score'], lvl)} ({current_basis(row)})]"]
    if pd.notna(row["residual_score"]) and row["current_basis"] != "residual":
        parts.append(f":gray-badge[Planned residual {level_text(row['residual_score'], row['residual_level'])}]")
    if row["above_appetite"]:
        parts.append(":red-badge[:material/warning: Above appetite]")
    parts.append(f":gray-badge[Status: {row['status']}]")
    if row["checks"]:
        parts.append(f":orange-badge[{len(row['checks'])} check{'s' if len(row['checks']) != 1 else ''}]")
    st.markdown(" ".join(parts))


def register_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The register rows as display columns (one per risk, same order)."""
    return pd.DataFrame({
        "ID": df["id"], "Risk": df["title"],
        "AI systems": [", ".join(n) if n else "Organisation-level" for n in df["system_names"]],
        "Inherent": [level_text(s, lv) for s, lv in zip(df["inherent_score"], df["inherent_level"])],
        "Planned residual": [level_text(s, lv) for s, lv in zip(df["residual_score"], df["residual_level"])],
        "Current": [level_text(s, lv) for s, lv in zip(df["current_score"], df["current_level"])],
        "Appetite": df["above_appetite"].map({True: ABOVE, False: ""}),
        "Treatment": df["treatment"].replace("", "not decided"),
        "Implemented": df["treatment_implemented_on"], "Status": df["status"], "Owner": df["owner"],
        "Due": df["due"], "Next review": df["next_review"], "Planned controls": df["controls"],
        "Checks": df["checks"].map("; ".join),
    }).reset_index(drop=True)


def _cell_style(value) -> str:
    for lvl, colour in risk_charts.BAND_COLOURS.items():
        if isinstance(value, str) and value.endswith(lvl.capitalize()):
            return f"background-color: {colour}; color: {risk_charts.BAND_TEXT[lvl]}"
    return ""


def styled(frame: pd.DataFrame, limit: int = 1500):
    """Band colours behind the level cells and a red, bold appetite flag (text carries the same
    information). Large tables stay unstyled so the page stays fast."""
    if len(frame) > limit:
        return frame
    return (frame.style.map(_cell_style, subset=["Inherent", "Planned residual", "Current"])
            .map(lambda v: "color: #b3261e; font-weight: 700" if v == ABOVE else "", subset=["Appetite"]))


REGISTER_COLUMNS = {
    "ID": st.column_config.TextColumn(width="small"),
    "Risk": st.column_config.TextColumn(width=265),
    "AI systems": st.column_config.TextColumn(width=180),
    "Inherent": st.column_config.TextColumn(width=115, help="Inherent score (likelihood x impact) and level"),
    "Planned residual": st.column_config.TextColumn(width=135, help="Residual score and level planned after the "
                                                    "treatment"),
    "Current": st.column_config.TextColumn(width=115, help="The risk now: the planned residual once the treatment "
                                           "is implemented, until then the inherent risk"),
    "Appetite": st.column_config.TextColumn(width=90, help="The current risk is above the risk appetite"),
    "Implemented": st.column_config.DateColumn(format="YYYY-MM-DD", width=110,
                                               help="The day the treatment was implemented"),
    "Due": st.column_config.DateColumn(format="YYYY-MM-DD", help="Treatment due date"),
    "Next review": st.column_config.DateColumn(format="YYYY-MM-DD"),
    "Planned controls": st.column_config.ListColumn(help="Annex A controls planned as treatment"),
    "Checks": st.column_config.TextColumn(width="medium", help="What a reviewer should look at"),
}


# ---- heatmaps ------------------------------------------------------------------------------------

def _on_cell(which: str, chart_key: str) -> None:
    """on_select callback: a click on a cell filters the register by it, a second click on the
    same cell clears the filter (an emptied selection too).

    After a click the charts are drawn afresh (new keys) without Plotly's own selection: Plotly
    would otherwise resend the same point, and a second click on the cell would change nothing.
    The chosen cell keeps the outline the heatmap draws for it."""
    cell = risk_charts.cell_from_selection(st.session_state.get(chart_key))
    current = st.session_state.get(CELL_KEY)
    if cell:
        chosen = (which, *cell)
        st.session_state[CELL_KEY] = None if current == chosen else chosen
        st.session_state[CHART_VERSION] = st.session_state.get(CHART_VERSION, 0) + 1
    elif (current or (None,))[0] == which:
        st.session_state[CELL_KEY] = None


def clear_cell() -> None:
    st.session_state[CELL_KEY] = None
    st.session_state[CHART_VERSION] = st.session_state.get(CHART_VERSION, 0) + 1


@st.cache_resource(show_spinner=False, max_entries=64)
def _heatmap(version: int, db_key: int, ws_id: int, rows: str, which: str, title: str, selected, _df, _crit):
    """One heatmap figure, kept while the data (version) and the rows shown (a digest of their
    IDs) stay the same: building and validating a figure costs more than the rest of a rerun."""
    return risk_charts.heatmap(_df, _crit, which, title=title, selected=selected)


def heatmap_pair(con, df: pd.DataFrame, crit: dict, ws_id: int) -> tuple | None:
    """Inherent and current heatmaps side by side; returns the active cell filter
    (which, likelihood, impact) or None."""
    from aims.ui import chrome

    data = chrome.data_version(con)
    rows = hashlib.blake2b("\n".join(df["id"].tolist()).encode("utf-8"), digest_size=16).hexdigest()
    cell = st.session_state.get(CELL_KEY)
    version = st.session_state.get(CHART_VERSION, 0)
    waiting = int((df["residual_score"].notna() & (df["current_basis"] == "inherent")).sum())
    cols = st.columns(2, gap="medium")
    for col, which in zip(cols, ("inherent", "current")):
        n = len(df)
        title = f"{which.capitalize()} risk: {n} risk{'s' if n != 1 else ''}" + (
            " (residual where the treatment is implemented)" if which == "current" else "")
        selected = tuple(cell[1:]) if cell and cell[0] == which else None
        key = f"risks_heat_{which}_{ws_id}_{version}"
        col.plotly_chart(_heatmap(data, id(con), ws_id, rows, which, title, selected, df, crit), theme=None,
                         key=key, on_select=lambda w=which, k=key: _on_cell(w, k), selection_mode="points",
                         config={"displayModeBar": False})
    caption = "Click a cell to list its risks below; click it again (or Clear cell filter) to show them all."
    if waiting:
        caption += (f" {waiting} risk{'s have' if waiting != 1 else ' has'} a planned residual rating but no "
                    f"implemented treatment yet, so {'they stay' if waiting != 1 else 'it stays'} at the inherent "
                    "rating on the right.")
    st.caption(caption)
    return st.session_state.get(CELL_KEY)


def in_cell(df: pd.DataFrame, cell: tuple) -> pd.DataFrame:
    which, lik, imp = cell
    return df[(df[f"{which}_likelihood"] == lik) & (df[f"{which}_impact"] == imp)]


# ---- the risk form -------------------------------------------------------------------------------

def _index(options: list, value) -> int:
    return options.index(value) if value in options else 0


def risk_form(key: str, values: dict, submit: str, *, cat: Catalog, crit: dict, systems: pd.DataFrame,
              owners: list[str]) -> dict | None:
    """Every field of a risk in one form; returns the typed values when submitted, else None.
    `values` pre-fills it (a stored risk, a library entry or defaults)."""
    lik = lambda v: rs.scale_label(v, crit["likelihood_labels"]) if v else "not rated"  # noqa: E731
    imp = lambda v: rs.scale_label(v, crit["impact_labels"]) if v else "not rated"  # noqa: E731
    sys_ids = list(systems["id"])
    meaning = {scale: "  \n".join(f"**{n} {chrome.plain(lbl)}**: {chrome.plain(d)}" for n, lbl, d in
                                  zip(rs.SCALE, crit[f"{scale}_labels"], crit[f"{scale}_descriptions"]))
               for scale in ("likelihood", "impact")}
    sys_ids += [s for s in values.get("systems", []) if s not in sys_ids]
    with st.form(key, border=True):
        st.markdown("**What could go wrong**")
        out = {"title": st.text_input("Title *", values.get("title", ""), max_chars=200, key=f"{key}_title"),
               "description": st.text_area("Description", values.get("description", ""), max_chars=5000,
                                           height=90, key=f"{key}_desc")}
        c = st.columns([2, 1])
        out["systems"] = c[0].multiselect("AI systems affected", sys_ids, default=values.get("systems", []),
                                          format_func=system_label(systems), key=f"{key}_systems",
                                          placeholder="None: an organisation-level risk",
                                          help="Leave empty for a risk of the organisation as a whole.")
        stages = list(risks.LIFECYCLE_STAGES)
        out["lifecycle_stage"] = c[1].selectbox("Life-cycle stage", stages, key=f"{key}_stage",
                                                index=_index(stages, values.get("lifecycle_stage", "deployed")))
        c = st.columns(3)
        sources, objectives = [""] + list(cat.risk_sources), [""] + list(cat.objectives)
        out["risk_source"] = c[0].selectbox("Risk source (Annex C.3)", sources, key=f"{key}_source",
                                            index=_index(sources, values.get("risk_source", "")),
                                            format_func=lambda k: f"{k} {cat.risk_sources[k]}" if k else "(not set)")
        out["objective"] = c[1].selectbox("Affected objective (Annex C.2)", objectives, key=f"{key}_objective",
                                          index=_index(objectives, values.get("objective", "")),
                                          format_func=lambda k: f"{k} {cat.objectives[k]}" if k else "(not set)")
        out["stakeholders"] = c[2].text_input("Affected stakeholders", values.get("stakeholders", ""),
                                              max_chars=5000, key=f"{key}_stakeholders")
        st.markdown("**Inherent risk** (before the planned treatment)")
        c = st.columns([1, 1, 2])
        out["inherent_likelihood"] = c[0].selectbox("Inherent likelihood *", list(rs.SCALE), format_func=lik,
                                                    index=_index(list(rs.SCALE), values.get("inherent_likelihood", 3)),
                                                    key=f"{key}_il", help=meaning["likelihood"])
        out["inherent_impact"] = c[1].selectbox("Inherent impact *", list(rs.SCALE), format_func=imp,
                                                index=_index(list(rs.SCALE), values.get("inherent_impact", 3)),
                                                key=f"{key}_ii", help=meaning["impact"])
        out["existing_controls"] = c[2].text_area("Existing controls", values.get("existing_controls", ""),
                                                  max_chars=5000, height=68, key=f"{key}_existing",
                                                  placeholder=values.get("existing_controls_hint", ""))
        st.markdown("**Treatment**")
        c = st.columns([1, 3])
        treatments = [""] + list(risks.TREATMENTS)
        out["treatment"] = c[0].selectbox("Treatment", treatments,
                                          index=_index(treatments, values.get("treatment", "")),
                                          format_func=lambda t: t or "not decided yet", key=f"{key}_treatment")
        out["controls"] = c[1].multiselect("Planned Annex A controls", list(CONTROL_IDS),
                                           default=[c_ for c_ in values.get("controls", []) if c_ in CONTROL_IDS],
                                           format_func=control_label(cat), key=f"{key}_controls",
                                           help="The controls that treat this risk; they justify the control in the "
                                                "Statement of Applicability.")
        c = st.columns(4)
        opts = [None] + list(rs.SCALE)
        out["residual_likelihood"] = c[0].selectbox("Planned residual likelihood", opts, format_func=lik,
                                                    key=f"{key}_rl",
                                                    help=meaning["likelihood"],
                                                    index=_index(opts, values.get("residual_likelihood")))
        out["residual_impact"] = c[1].selectbox("Planned residual impact", opts, format_func=imp, key=f"{key}_ri",
                                                help=meaning["impact"],
                                                index=_index(opts, values.get("residual_impact")))
        out["owner"] = chrome.owner_picker(c[2], "Owner", owners, values.get("owner") or "", key=f"{key}_owner")
        out["due"] = c[3].date_input("Treatment due", values.get("due"), key=f"{key}_due", **_FAR)
        c = st.columns(4)
        statuses = list(risks.STATUSES)
        out["status"] = c[0].selectbox("Status", statuses, index=_index(statuses, values.get("status", "open")),
                                       key=f"{key}_status")
        out["next_review"] = c[1].date_input("Next review", values.get("next_review"), key=f"{key}_review", **_FAR)
        out["treatment_implemented_on"] = c[2].date_input(
            "Treatment implemented on", values.get("treatment_implemented_on"), key=f"{key}_implemented",
            min_value=date(2000, 1, 1), max_value=date.today(), format="YYYY-MM-DD",
            help="The day the planned treatment was in place. From then on the residual rating is the current risk; "
                 "until then the current risk is the inherent one.")
        st.markdown(f"**Acceptance** — required when a risk above the appetite (score above {crit['appetite']}) "
                    "is accepted")
        c = st.columns(3)
        out["accepted_by"] = c[0].text_input("Accepted by (name and role)", values.get("accepted_by", ""),
                                             max_chars=200, key=f"{key}_accepted_by")
        out["accepted_on"] = c[1].date_input("Accepted on", values.get("accepted_on"), key=f"{key}_accepted_on",
                                             **_FAR)
        out["acceptance_expiry"] = c[2].date_input("Acceptance expiry", values.get("acceptance_expiry"),
                                                   key=f"{key}_expiry", **_FAR)
        submitted = st.form_submit_button(submit, type="primary", icon=":material/save:")
    return out if submitted else None


def risk_details(stored: dict, crit: dict, cat: Catalog, sys_label) -> None:
    """Every field of a risk as text, in the order of the risk form (for a role that may not edit it)."""
    def text(v) -> str:
        return chrome.plain(str(v)) if v not in (None, "") else "–"

    def rating(lik, imp) -> str:
        if not lik or not imp:
            return "not rated"
        return (f"likelihood {chrome.plain(rs.scale_label(lik, crit['likelihood_labels']))} x impact "
                f"{chrome.plain(rs.scale_label(imp, crit['impact_labels']))} = {lik * imp}")

    c = st.columns(2, gap="large")
    c[0].markdown(f"**What could go wrong**  \n{text(stored['description'])}")
    c[0].markdown(f"**AI systems:** {', '.join(text(sys_label(s)) for s in stored['systems']) or 'organisation-level'}"
                  f"  \n**Life-cycle stage:** {text(stored['lifecycle_stage'])}"
                  f"  \n**Risk source:** {text(stored['risk_source'])} · **objective:** {text(stored['objective'])}"
                  f"  \n**Affected stakeholders:** {text(stored['stakeholders'])}"
                  f"  \n**Inherent risk:** {rating(stored['inherent_likelihood'], stored['inherent_impact'])}"
                  f"  \n**Existing controls:** {text(stored['existing_controls'])}")
    c[1].markdown(f"**Treatment:** {text(stored['treatment']) if stored['treatment'] else 'not decided yet'}"
                  f"  \n**Planned Annex A controls:** {'; '.join(text(control_label(cat)(x)) for x in stored['controls']) or '–'}"
                  f"  \n**Planned residual risk:** {rating(stored['residual_likelihood'], stored['residual_impact'])}"
                  f"  \n**Owner:** {text(stored['owner'])} · **treatment due:** {text(stored['due'])}"
                  f"  \n**Status:** {text(stored['status'])} · **next review:** {text(stored['next_review'])}"
                  f"  \n**Treatment implemented on:** {text(stored['treatment_implemented_on'])}"
                  f"  \n**Accepted by:** {text(stored['accepted_by'])} on {text(stored['accepted_on'])},"
                  f" until {text(stored['acceptance_expiry'])}")


def overview_section(con, ws: dict) -> None:
    """The overview's risk panel: open risks, appetite before and after treatment, overdue
    treatments, the top risks above appetite and a small heatmap of the open risks."""
    from aims.reports import overview
    from aims.ui import chrome

    st.subheader("AI risks")
    panel = chrome.cached(overview.risk_panel, con, ws["id"])
    summary, crit = panel["summary"], panel["crit"]
    if panel["empty"]:
        st.info("The AI risk register is empty: start from the risk library.", icon=":material/crisis_alert:")
        return
    left, right = st.columns([3, 2], gap="large")
    with left:
        m = st.columns(2)
        m[0].metric("Open risks", summary["open"], border=True, help=f"Not closed; {summary['closed']} closed.")
        m[1].metric("Treatments overdue", summary["treatments_overdue"], border=True,
                    help="Open or in-treatment risks past their treatment due date.")
        m = st.columns(2)
        m[0].metric("Above appetite now", summary["above_current"], border=True,
                    help=f"Open risks whose current score is above the appetite ({crit['appetite']}): the residual "
                         f"rating once the treatment is implemented, until then the inherent one. "
                         f"{summary['above_inherent']} are above it before treatment.")
        m[1].metric("Above appetite after planned treatment", summary["above_residual"], border=True,
                    help=f"Open risks whose planned residual score is still above the appetite; "
                         f"{summary['awaiting_treatment']} have a planned residual rating whose treatment is not "
                         f"implemented yet, {summary['residual_not_rated']} no residual rating.")
        if panel["above_count"]:
            st.markdown(f"**Above appetite now: {panel['above_count']}** (residual where the treatment is "
                        "implemented, else inherent)")
            for r in panel["top"].itertuples():
                st.page_link("pages/risks.py",
                             label=f"{r.id} {chrome.plain(r.title)} · {int(r.current_score)} {r.current_level}"
                             + (" · accepted" if r.status == "accepted" else ""),
                             icon=":material/warning:", query_params={"ws": str(ws["id"]), "risk": r.id})
    right.plotly_chart(panel["heatmap"], theme=None, key="ov_risk_heatmap", config={"displayModeBar": False})
    st.page_link("pages/risks.py", label="Open the AI risk register", icon=":material/arrow_forward:",
                 query_params={"ws": str(ws["id"])})


def soa_section(con, ws: dict, cat: Catalog) -> None:
    """The SoA page's risk panel: controls needed by risks, SoA conflicts, the one-click
    'risk treatment' reason, and which risks justify each control."""
    from aims.assessment import requirements as assessments
    from aims.common.validate import ValidationError
    from aims.ui import chrome

    st.subheader("Risk treatment behind the controls")
    trace = chrome.cached(risk_trace.controls_trace, con, ws["id"], cat)
    conflicts = trace[trace["conflict"]]
    missing = risk_trace.soa_reason_changes(trace)
    c = st.columns([1, 1, 1, 2])
    c[0].metric("Controls needed by risks", int((trace["risk_count"] > 0).sum()), border=True,
                help="Annex A controls planned as treatment by at least one risk that is not closed.")
    c[1].metric("SoA conflicts", len(conflicts), border=True,
                help="Controls a risk needs but the SoA excludes.")
    c[2].metric("'Risk treatment' reason missing", len(missing), border=True,
                help="Applicable controls that risks need whose inclusion reasons do not yet say 'risk treatment'.")
    for r in conflicts.itertuples():
        st.warning(f"**SoA conflict: {r.control_id} {r.title}** is excluded, but {', '.join(r.risk_ids)} "
                   f"plan{'s' if len(r.risk_ids) == 1 else ''} it as treatment. Include the control, or change those "
                   "risks' planned controls.", icon=":material/report:")
    if missing and chrome.may_edit() and c[3].button(f"Add 'risk treatment' as the reason for {len(missing)} control"
                               f"{'s' if len(missing) != 1 else ''}", key="soa_risk_reasons",
                               icon=":material/playlist_add_check:"):
        try:
            assessments.save(con, ws["id"], cat, missing)
            chrome.flash(f"Added 'risk treatment' to the inclusion reasons of {', '.join(missing)}.")
            st.rerun()
        except ValidationError as exc:
            chrome.show_problems(exc)
    with st.expander("Which risks justify each control", icon=":material/account_tree:"):
        shown = trace[(trace["risk_count"] > 0) | trace["unsupported_claim"]]
        st.dataframe(pd.DataFrame({
            "ID": shown["control_id"], "Control": shown["title"],
            "SoA": shown["applicable"].map({True: "Applicable", False: "Excluded"}),
            "Risks that need it": shown["risk_ids"],
            "Check": ["conflict: excluded in the SoA" if r.conflict else "add 'risk treatment' as a reason"
                      if r.reason_missing else "cites risk treatment but no risk needs it" if r.unsupported_claim
                      else "" for r in shown.itertuples()],
        }), hide_index=True, column_config={"Risks that need it": st.column_config.ListColumn(),
                                            "Control": st.column_config.TextColumn(width="large")}, placeholder="")
        st.page_link("pages/risks.py", label="Open the AI risk register", icon=":material/arrow_forward:",
                     query_params={"ws": str(ws["id"])})
