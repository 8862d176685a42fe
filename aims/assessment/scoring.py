"""Readiness scores: pure functions over the assessment table (see assessments.table).

Rules (also in the README):
- A requirement is excluded when not applicable (only Annex A controls can be); excluded
  requirements drop out of every score, numerator and denominator.
- "Not assessed" (maturity missing) is not zero: it is left out of average maturity but counts
  as not ready in readiness, so assessing more can never lower a score by itself.
- gap = target - maturity for assessed requirements; at target means maturity >= target.
- readiness % = applicable requirements at target / applicable requirements.
- Stage 1 readiness is a gate read from the documented-information register
  (governance.documents.stage1_gate): documented evidence (a requirement written down and
  approved) is what Stage 1 reviews.
- Stage 2 % = applicable requirements at target with verified evidence (records showing the
  requirement operates) / applicable requirements. Documented evidence alone does not count:
  `documented_only` counts the requirements at target that have only that.
A percentage with an empty denominator is None (shown as a dash), never 0 or 100.
"""
from __future__ import annotations

import pandas as pd

STAGE2_EVIDENCE = ("verified",)       # records show it operates; "documented" counts toward Stage 1
STATUSES = ("gap", "at target", "not assessed", "excluded")


def _pct(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else round(100.0 * numerator / denominator, 1)


def with_status(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of df with `assessed`, `gap` (Int64, NA when not assessed or excluded), `at_target`
    and `status` (one of STATUSES) added."""
    out = df.copy()
    applicable = out["applicable"].astype(bool)
    assessed = out["maturity"].notna() & applicable
    gap = (out["target"].astype("Int64") - out["maturity"].astype("Int64")).where(assessed)
    out["assessed"] = assessed
    out["gap"] = gap.astype("Int64")
    out["at_target"] = (assessed & (gap <= 0).fillna(False)).astype(bool)
    out["status"] = "not assessed"
    out.loc[assessed & ~out["at_target"], "status"] = "gap"
    out.loc[out["at_target"], "status"] = "at target"
    out.loc[~applicable, "status"] = "excluded"
    return out


def summary(df: pd.DataFrame) -> dict:
    """Counts and percentages for a set of requirements (a group or the whole catalogue)."""
    s = with_status(df) if "status" not in df else df
    app = s[s["applicable"].astype(bool)]
    assessed = app[app["assessed"]]
    verified = app["evidence_strength"].isin(STAGE2_EVIDENCE)
    return {
        "requirements": len(s),
        "applicable": len(app),
        "excluded": int((~s["applicable"].astype(bool)).sum()),
        "assessed": len(assessed),
        "not_assessed": len(app) - len(assessed),
        "at_target": int(app["at_target"].sum()),
        "open_gaps": int((app["status"] == "gap").sum()),
        "assessed_pct": _pct(len(assessed), len(app)),
        "readiness_pct": _pct(int(app["at_target"].sum()), len(app)),
        "avg_maturity": None if assessed.empty else round(float(assessed["maturity"].astype(float).mean()), 2),
        "avg_target": None if app.empty else round(float(app["target"].astype(float).mean()), 2),
        "stage2_pct": _pct(int((app["at_target"] & verified).sum()), len(app)),
        "stage2_verified": int((app["at_target"] & verified).sum()),
        "documented_only": int((app["at_target"] & (app["evidence_strength"] == "documented")).sum()),
    }


def by_group(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One summary row per clause (kind 'clause') or Annex A objective (kind 'control'),
    in catalogue order, with `group` and `group_title` columns first."""
    s = with_status(df)
    s = s[s["kind"] == kind]
    rows = []
    for group, part in s.groupby("top_group", sort=False):
        rows.append({"group": group, "group_title": part["group_title"].iloc[0], **summary(part)})
    return pd.DataFrame(rows)


def top_gaps(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The n largest open gaps: mandatory documentation first, then the largest gap, then
    catalogue order. Not-assessed and excluded requirements are not gaps."""
    s = with_status(df)
    gaps = s[s["status"] == "gap"].copy()
    gaps["_m"] = ~gaps["mandatory_doc"].astype(bool)
    return gaps.sort_values(["_m", "gap", "order"], ascending=[True, False, True]).drop(columns="_m").head(n)
