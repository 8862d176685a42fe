"""What other pages show of the findings register: the open findings of one requirement (gap
analysis), a short label per requirement for a table column, and the overview's line on open
nonconformities. Reads only; the register is on the Findings page."""
from __future__ import annotations

import streamlit as st

from aims.audit import findings
from aims.ui import chrome

SHORT = {"major nonconformity": "major NC", "minor nonconformity": "minor NC", "observation": "observation",
         "opportunity for improvement": "OFI"}


def labels(con, ws_id: int) -> dict[str, str]:
    """{requirement ID: 'F-001 major NC; F-004 OFI'} for the requirements with open findings."""
    found = chrome.cached(findings.open_findings_by_requirement, con, int(ws_id))
    return {req: "; ".join(f"{f['id']} {SHORT[f['grade']]}" for f in items) for req, items in found.items()}


def requirement_note(con, ws_id: int, req_id: str) -> None:
    """The open findings against one requirement, with a link to the register (nothing when none)."""
    items = chrome.cached(findings.open_findings_by_requirement, con, int(ws_id)).get(req_id, [])
    if not items:
        return
    lines = "\n".join(f"- **{f['id']}** {_grade(f['grade'])}: {chrome.plain(f['title'])}"
                      + (f" · due {f['due']}" + (" (overdue)" if f["overdue"] else "") if f["due"] else "")
                      for f in items)
    st.warning(f"**Open findings against {req_id}**\n{lines}", icon=":material/report:")
    st.page_link("pages/findings.py", label="Open the findings register", icon=":material/arrow_forward:",
                 query_params={"ws": str(ws_id), "finding": items[0]["id"]})


def _grade(grade: str) -> str:
    return ":red[**major NC**]" if grade == "major nonconformity" else SHORT[grade]


def _ncs(n: int, grade: str) -> str:
    return f"{n} {grade} nonconformit{'y' if n == 1 else 'ies'}"


def overview_line(con, ws_id: int) -> None:
    """One caption on the overview: open nonconformities (majors first, in red), overdue findings,
    and a link to the register; nothing while the register is empty."""
    s = chrome.cached(findings.summary, con, int(ws_id))
    if not s["total"]:
        return
    parts = [f":red[**{_ncs(s['majors_open'], 'major')} open**]" if s["majors_open"] else "no major nonconformity open",
             f"{_ncs(s['minors_open'], 'minor')} open"]
    if s["overdue"]:
        parts.append(f":orange[**{s['overdue']} overdue**]")
    parts.append(f"{chrome.tally(s['open'], 'finding')} open in all")
    c = st.columns([4, 1.3], vertical_alignment="center")
    c[0].caption(":material/report: Findings and corrective action: " + " · ".join(parts) + ".")
    c[1].page_link("pages/findings.py", label="Findings register", icon=":material/arrow_forward:",
                   query_params={"ws": str(ws_id)})
