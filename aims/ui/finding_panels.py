"""The parts of the findings page (pages/findings.py): the register's filters and table, the form
of a finding, the add tab, and an open finding with its corrective action workflow (correction,
root cause, corrective action, verification, closure). The rules are in aims.audit.findings;
every edit widget is drawn only for those who may edit the workspace."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from aims.audit import findings
from aims.catalog.standard import Catalog
from aims.common.frames import ANY_OWNER
from aims.common.text import visible_controls
from aims.common.validate import ValidationError
from aims.ui import chrome

GRADE_ICONS = {"major nonconformity": ":material/error:", "minor nonconformity": ":material/warning:",
               "observation": ":material/visibility:", "opportunity for improvement": ":material/lightbulb:"}
GRADE_SHORT = {"major nonconformity": "Major NC", "minor nonconformity": "Minor NC", "observation": "Observation",
               "opportunity for improvement": "Improvement"}
STEP_LABELS = {"correction": "record the correction", "root cause": "record the root cause",
               "corrective action": "create or link the corrective action",
               "implement action": "implement the corrective action", "verification": "verify effectiveness",
               "close": "close", "": "closed"}
VIEW = "findings_view"


@dataclass(frozen=True)
class Register:
    """What every part of the page reads."""
    con: object
    ws_id: int
    cat: Catalog
    table: pd.DataFrame
    audits: dict
    reviews: dict

    def req_label(self, rid: str) -> str:
        r = self.cat.requirements.get(rid)
        return f"{rid} {r.title}" if r else rid


# ---- the register ---------------------------------------------------------------------------------

def filtered(table: pd.DataFrame) -> pd.DataFrame:
    """Filter widgets (status, grade, source, owner) over the register; returns the rows shown."""
    f = st.columns([1.6, 2.6, 2.4, 1.8], vertical_alignment="bottom")
    status = f[0].pills("Status", findings.STATUSES, selection_mode="multi", default=["open"], key="findings_status",
                        help="None picked: open and closed")
    grade = f[1].multiselect("Grade", findings.GRADES, key="findings_grade", placeholder="Any grade")
    source = f[2].multiselect("Source", findings.SOURCES, key="findings_source", placeholder="Any source")
    owners = [ANY_OWNER] + sorted(o for o in table["owner"].unique() if o)
    owner = f[3].selectbox("Owner", owners, key="findings_owner")
    view = findings.select(table, status=status, grade=grade, source=source)
    return view if owner == ANY_OWNER else view[view["owner"] == owner]


def register_frame(view: pd.DataFrame) -> pd.DataFrame:
    """The register as shown: one row per finding, overdue flagged."""
    return pd.DataFrame({
        "ID": view["id"], "Grade": view["grade"].map(GRADE_SHORT), "Title": view["title"],
        "Requirements": view["requirements"], "Owner": view["owner"], "Due": view["due"],
        "Overdue": view["overdue"].map(lambda o: "OVERDUE" if o else ""), "Status": view["status"],
        "Next step": view["next_step"].map(STEP_LABELS),
        "Corrective action": [f"{a} ({s})" if a else "" for a, s in zip(view["action_id"], view["action_status"])],
        "Source": view["source"],
    }).reset_index(drop=True)


COLUMNS = {"ID": st.column_config.TextColumn(width=60), "Grade": st.column_config.TextColumn(width=100),
           "Title": st.column_config.TextColumn(width=230), "Owner": st.column_config.TextColumn(width=120),
           "Requirements": st.column_config.ListColumn("Req.", width=80),
           "Status": st.column_config.TextColumn(width=60), "Next step": st.column_config.TextColumn(width=170),
           "Due": st.column_config.DateColumn(format="YYYY-MM-DD"),
           "Overdue": st.column_config.TextColumn("Overdue", width=75, help="Open and past its due date"),
           "Corrective action": st.column_config.TextColumn(width=150)}


def styled(frame: pd.DataFrame):
    """Overdue rows' due date and flag in red; major nonconformities in bold."""
    def row_style(r):
        out = [""] * len(r)
        if r["Overdue"]:
            for col in ("Due", "Overdue"):
                out[r.index.get_loc(col)] = "color: #b42318; font-weight: 600"
        if r["Grade"] == "Major NC":
            out[r.index.get_loc("Grade")] = "font-weight: 700; color: #b42318"
        return out
    return frame.style.apply(row_style, axis=1)


def open_finding(fid: str, message: str) -> None:
    """Show the register with one finding open, with a message, and rerun."""
    st.session_state["findings_goto"] = "Register"
    st.query_params["finding"] = fid
    st.session_state["findings_table_v"] = st.session_state.get("findings_table_v", 0) + 1
    chrome.flash(message)
    st.rerun()


def close_finding() -> None:
    st.query_params.pop("finding", None)
    st.session_state["findings_table_v"] = st.session_state.get("findings_table_v", 0) + 1
    st.rerun()


# ---- the form of a finding ----------------------------------------------------------------------

def finding_form(prefix: str, v: dict, submit: str, r: Register, owners: list[str]) -> dict | None:
    """The fields of a finding in a form keyed by `prefix`; returns the values when submitted."""
    audits, reviews = {"": "(none)", **r.audits}, {"": "(none)", **r.reviews}
    with st.form(prefix, border=True):
        c = st.columns([2, 2, 1.4])
        title = c[0].text_input("Title *", value=v.get("title", ""), max_chars=200, key=f"{prefix}_title",
                                placeholder="e.g. No records of the AI risk assessment review")
        grade = c[1].selectbox("Grade *", findings.GRADES, index=_index(findings.GRADES, v.get("grade")),
                               key=f"{prefix}_grade", placeholder="Pick a grade")
        raised = c[2].date_input("Raised on", value=v.get("raised_on") or date.today(), max_value=date.today(),
                                 key=f"{prefix}_raised_on", format="YYYY-MM-DD")
        c = st.columns([1.4, 1.8, 1.8])
        source = c[0].selectbox("Source *", findings.SOURCES, index=_index(findings.SOURCES, v.get("source")),
                                key=f"{prefix}_source", placeholder="Pick a source")
        audit = c[1].selectbox("Audit", list(audits), index=_index(list(audits), v.get("audit_id", "")) or 0,
                               format_func=lambda a: visible_controls(audits.get(a, a)), key=f"{prefix}_audit_id",
                               help="The internal or certification audit that raised it, if any")
        review = c[2].selectbox("Management review", list(reviews),
                                index=_index(list(reviews), v.get("review_id", "")) or 0,
                                format_func=lambda a: visible_controls(reviews.get(a, a)), key=f"{prefix}_review_id")
        reqs = st.multiselect("Requirements (clauses or Annex A controls) *", list(r.cat.requirements),
                              default=[x for x in v.get("requirements", []) if x in r.cat.requirements],
                              format_func=r.req_label, key=f"{prefix}_requirements",
                              help="Required for a nonconformity: the requirement it does not meet",
                              placeholder="Pick one or more")
        c = st.columns(2)
        description = c[0].text_area("Description", value=v.get("description", ""), max_chars=5000, height=110,
                                     key=f"{prefix}_description", placeholder="What does not meet the requirement")
        evidence = c[1].text_area("Evidence", value=v.get("evidence", ""), max_chars=5000, height=110,
                                  key=f"{prefix}_evidence", placeholder="What was seen, sampled or asked")
        c = st.columns([2, 1, 2], vertical_alignment="bottom")
        owner = chrome.owner_picker(c[0], "Owner", owners, v.get("owner", ""), key=f"{prefix}_owner")
        due = c[1].date_input("Due date", value=v.get("due"), key=f"{prefix}_due", format="YYYY-MM-DD")
        done = c[2].form_submit_button(submit, type="primary", icon=":material/save:")
    if not done:
        return None
    return {"title": title, "grade": grade, "raised_on": raised, "source": source, "audit_id": audit,
            "review_id": review, "requirements": reqs, "description": description, "evidence": evidence,
            "owner": owner, "due": due}


def _index(options, value):
    return list(options).index(value) if value in options else None


def add_tab(r: Register) -> None:
    st.caption("Record a finding from an audit, a management review or an incident. A nonconformity names the "
               "requirement it does not meet; its correction and corrective action follow once it is raised.")
    fv = chrome.form_version("finding_add")
    values = finding_form(f"finding_add_{fv}", {}, "Raise the finding", r, chrome.owner_options(r.con, r.ws_id))
    if values is not None:
        try:
            fid = chrome.with_owners(r.con, r.ws_id, [values["owner"]],
                                     lambda tx: findings.raise_finding(tx, r.ws_id, values))
        except ValidationError as exc:
            chrome.show_problems(exc, "The finding was not raised")
            return
        chrome.form_done("finding_add")
        open_finding(fid, f"Raised {fid} {values['title'].strip()}.")
