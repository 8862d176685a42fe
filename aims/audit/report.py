"""The audit report (ISO/IEC 42001 9.2.2: the results reported to management): the audit's
identity and scope, the summary, the findings by grade counted from the checklist results, the
items that are not conforming, and the conclusion. Pure functions from an audit (programme.get)
and its checklist (checklist.items) to Markdown text or CSV bytes for a download."""
from __future__ import annotations

import io

import pandas as pd

from aims.audit import checklist
from aims.common.text import visible_controls

GRADE_ORDER = checklist.FINDING_RESULTS


def findings_by_grade(items: pd.DataFrame) -> dict[str, int]:
    """{grade: number of checklist items with that result} for every finding grade."""
    results = items["result"] if not items.empty else pd.Series([], dtype=object)
    return {g: int((results == g).sum()) for g in GRADE_ORDER}


def _md(value) -> str:
    """User text for a Markdown file: characters that would format it escaped, line breaks kept."""
    out = visible_controls(value)
    for ch in "\\`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "  \n")


def _dates(audit: dict) -> str:
    start, finish = audit.get("start"), audit.get("finish")
    if start and finish:
        return f"{start} to {finish}"
    return str(start or finish or "not scheduled")


def to_markdown(audit: dict, items: pd.DataFrame, workspace: str = "") -> str:
    """The audit report as Markdown text."""
    prog = checklist.progress(items)
    grades = findings_by_grade(items)
    lines = [f"# Audit report {audit['id']}: {_md(audit['title'])}", ""]
    if workspace:
        lines += [f"Workspace: {_md(workspace)}", ""]
    facts = [("Kind", audit["kind"]), ("Status", audit["status"]), ("Dates", _dates(audit)),
             ("Lead auditor", audit.get("lead_auditor") or "not named"), ("Audit team", audit.get("team") or "")]
    if audit["kind"] != "internal":
        facts += [("Certification body", audit.get("certification_body") or "not named"),
                  ("Outcome", audit.get("outcome") or "not recorded")]
    facts += [("Objectives", audit.get("objectives")), ("Criteria", audit.get("criteria")),
              ("Requirements in scope", ", ".join(audit.get("scope") or []) or "none"),
              ("Processes", audit.get("processes")), ("AI systems", audit.get("systems")), ("Sites", audit.get("sites"))]
    lines += [f"- **{k}:** {_md(v)}" for k, v in facts if v]
    lines += ["", "## Summary", "", _md(audit.get("summary")) or "_Not written yet._", "",
              "## Findings by grade", ""]
    lines += [f"- {g}: {grades[g]}" for g in GRADE_ORDER]
    lines += [f"- conforming: {prog['by_result']['conforming']}",
              f"- not audited: {prog['items'] - prog['audited']} of {prog['items']} checklist items", ""]
    raised = items[items["result"].isin(GRADE_ORDER)] if not items.empty else items
    if not raised.empty:
        lines += ["## Nonconformities, observations and opportunities", ""]
        for r in raised.to_dict("records"):
            ref = f" (finding {', '.join(r['findings'])})" if r["findings"] else ""
            lines.append(f"- **{r['req_id']} {_md(r['title'])}**: {r['result']}{ref}")
            if r["notes"]:
                lines.append(f"  - Notes: {_md(r['notes'])}")
            if r["evidence_sampled"]:
                lines.append(f"  - Evidence sampled: {_md(r['evidence_sampled'])}")
        lines.append("")
    flagged = items[items["flagged"]] if not items.empty else items
    if not flagged.empty:
        lines += ["## Impartiality", ""]
        for r in flagged.to_dict("records"):
            reason = f"override: {_md(r['override_reason'])}" if r["override_reason"] else "no override reason"
            lines.append(f"- {r['req_id']}: {_md(r['auditor_shown'])} owns {_md(' and '.join(r['conflicts']))}; "
                         f"{reason}")
        lines.append("")
    lines += ["## Conclusion", "", _md(audit.get("conclusion")) or "_Not written yet._", ""]
    return "\n".join(lines)


def checklist_csv(audit: dict, items: pd.DataFrame) -> bytes:
    """The checklist as CSV (UTF-8 with BOM for Excel); text cells a spreadsheet would run as a
    formula get a leading single quote."""
    out = pd.DataFrame({
        "Audit": audit["id"], "Requirement": items["req_id"], "Title": items["title"],
        "Auditor": items["auditor_shown"], "Result": items["result"].replace("", "not audited"),
        "Evidence sampled": items["evidence_sampled"], "Notes": items["notes"],
        "Impartiality": items["conflicts"].map(lambda c: "owns " + " and ".join(c) if c else ""),
        "Override reason": items["override_reason"], "Findings": items["findings"].map("; ".join),
    })
    out = out.map(lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v)
    buf = io.StringIO()
    out.to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
