"""Statement of Applicability views over the assessment table: rows, summary, filter, CSV."""
from __future__ import annotations

import io

import pandas as pd

from aims.assessment.requirements import maturity_label


def rows(table: pd.DataFrame) -> pd.DataFrame:
    """One display row per Annex A control, in catalogue order, with a `Check` column naming
    what is missing (an excluded control without reason, an applicable one without any)."""
    c = table[table["kind"] == "control"]
    applicable = c["applicable"].astype(bool)
    reasons = c["inclusion_reasons"].map(lambda s: [r.strip() for r in str(s).split(";") if r.strip()])
    check = pd.Series("", index=c.index)
    check[applicable & (reasons.map(len) == 0)] = "needs inclusion justification"
    check[~applicable & (c["exclusion_reason"].str.strip() == "")] = "needs exclusion justification"
    return pd.DataFrame({
        "ID": c["req_id"], "Control": c["title"], "Objective": c["group_title"],
        "Applicable": applicable, "Inclusion justification": reasons,
        "Exclusion justification": c["exclusion_reason"], "Implementation": c["implementation"],
        "Owner": c["owner"], "Evidence reference": c["evidence_ref"],
        "Maturity": c["maturity"].map(maturity_label), "Check": check,
    })


def summary(r: pd.DataFrame) -> dict:
    """Counts for the SoA header; implemented % is over applicable controls (None when none)."""
    app = r[r["Applicable"]]
    return {
        "controls": len(r), "applicable": len(app), "excluded": len(r) - len(app),
        "implemented_pct": None if app.empty else round(100 * (app["Implementation"] == "implemented").mean(), 1),
        "missing_justification": int((r["Check"] != "").sum()),
    }


def filter_rows(r: pd.DataFrame, objective: str | None, show: str, search: str) -> pd.DataFrame:
    """Rows of one objective and one 'show' choice, matching `search` in ID or title."""
    out = r if objective is None else r[r["Objective"] == objective]
    if show == "Applicable":
        out = out[out["Applicable"]]
    elif show == "Excluded":
        out = out[~out["Applicable"]]
    elif show == "Missing justification":
        out = out[out["Check"] != ""]
    elif show == "Not implemented":
        out = out[out["Applicable"] & (out["Implementation"] != "implemented")]
    if search and search.strip():
        needle = search.strip().lower()
        out = out[(out["ID"] + " " + out["Control"]).str.lower().str.contains(needle, regex=False)]
    return out


def to_csv(r: pd.DataFrame, approval: dict) -> bytes:
    """The SoA as CSV (UTF-8 with BOM for Excel), headed by its version and approval.
    Cells that a spreadsheet would run as a formula are prefixed with a single quote."""
    out = r.drop(columns=["Check"]).copy()
    out["Applicable"] = out["Applicable"].map({True: "Yes", False: "No"})
    out["Inclusion justification"] = out["Inclusion justification"].map("; ".join)
    out = out.map(_safe_cell)
    buf = io.StringIO()
    buf.write(f"Statement of Applicability,version {_safe_cell(approval.get('version') or '-')},"
              f"approved by {_safe_cell(approval.get('approved_by') or '-')},"
              f"approved on {approval.get('approved_on') or '-'}\n")
    out.to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _safe_cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
