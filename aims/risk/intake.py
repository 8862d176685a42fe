"""Where register risks come from besides a blank form: the risk library (one click adds a
pre-filled risk to a system) and proposals from impact assessments (high and critical answers,
accepted into the register once)."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from aims.common.validate import ValidationError, blank
from aims.risk import scoring as rs
from aims.risk.library import library
from aims.risk.register import LIFECYCLE_STAGES, create, criteria, systems
from aims.store import db


def _review_date(crit: dict, today: date | None = None) -> date:
    return (today or date.today()) + timedelta(days=round(30.4 * crit["review_months"]))


def add_from_library(con, workspace_id: int, library_id: str, system_id: str | None = None,
                     owner: str = "", who: str | None = None) -> str:
    """Add a library risk to the register, pre-filled (ratings, treatment, suggested controls),
    linked to `system_id` (None: an organisation-level risk). Refuses a second copy of the same
    library risk for the same system. Returns the new risk ID."""
    lib = library().get(str(library_id))
    if lib is None:
        raise ValidationError(f"There is no library risk {library_id!r}.")
    sys_df = systems(con, workspace_id).set_index("id")
    target = [system_id] if system_id else []
    with db.reading(con) as cur:
        hits = cur.execute(
            "SELECT r.id, array_agg(s.system_id) FROM risk r LEFT JOIN risk_system s ON s.workspace_id = r.workspace_id"
            " AND s.risk_id = r.id WHERE r.workspace_id = ? AND r.library_id = ? GROUP BY r.id ORDER BY r.id",
            [int(workspace_id), lib.id]).fetchall()
    for rid, linked in hits:
        linked = [s for s in (linked or []) if s is not None]
        if (system_id and system_id in linked) or (not system_id and not linked):
            where = f"{system_id} {sys_df.loc[system_id, 'name']}" if system_id in sys_df.index else \
                "the organisation"
            raise ValidationError(f"'{lib.title}' is already in the register for {where} as {rid}; "
                                  "open that risk instead of adding it again.")
    if not owner and system_id in sys_df.index:
        owner = sys_df.loc[system_id, "business_owner"] or ""
    crit = criteria(con, workspace_id)
    return create(con, workspace_id, {
        "title": lib.title, "description": lib.description, "lifecycle_stage": lib.lifecycle_stage,
        "risk_source": lib.risk_source, "objective": lib.objective, "stakeholders": lib.stakeholders,
        "inherent_likelihood": lib.likelihood, "inherent_impact": lib.impact, "treatment": lib.treatment,
        "owner": owner, "status": "open", "next_review": _review_date(crit), "systems": target,
        "controls": list(lib.controls), "library_id": lib.id}, who)


def proposals(con, workspace_id: int) -> pd.DataFrame:
    """Risks proposed by impact assessments (high and critical answers of each system's latest
    assessment), with `in_register`: the risk ID already holding it, or ''. Empty when the
    impact assessment feature is not installed."""
    cols = ["assessment_id", "system_id", "question_id", "question", "answer", "level", "title", "objective",
            "risk_source", "controls", "note", "in_register"]
    try:
        from aims.ai_systems import impact
    except ImportError:
        return pd.DataFrame(columns=cols)
    df = impact.proposed_risks(con, workspace_id)
    if df.empty:
        return pd.DataFrame(columns=cols)
    with db.reading(con) as cur:
        held = cur.execute(
            "SELECT r.id, r.source_assessment_id, r.source_question_id, s.system_id FROM risk r"
            " LEFT JOIN risk_system s ON s.workspace_id = r.workspace_id AND s.risk_id = r.id"
            " WHERE r.workspace_id = ? AND r.source_question_id <> '' ORDER BY r.id", [int(workspace_id)]).fetchall()
    by_answer = {(a, q): rid for rid, a, q, _ in held}
    by_system = {(s, q): rid for rid, _, q, s in held if s}
    df = df.copy()
    df["in_register"] = [by_answer.get((a, q)) or by_system.get((s, q)) or ""
                         for a, q, s in zip(df["assessment_id"].tolist(), df["question_id"].tolist(),
                                            df["system_id"].tolist())]
    return df[cols].reset_index(drop=True)


def accept_proposal(con, workspace_id: int, assessment_id: str, question_id: str,
                    who: str | None = None) -> tuple[str, bool]:
    """Accept one proposed risk into the register, linked to its system and assessment.

    Idempotent: when the register already holds it (same answer, or the same question for the
    same system from an earlier version), returns (that ID, False); else (new ID, True). The
    inherent rating is the most balanced, lowest cell of the answer's level under the
    workspace's criteria, to be reviewed by the owner.
    """
    df = proposals(con, workspace_id)
    hit = df[(df["assessment_id"] == assessment_id) & (df["question_id"] == question_id)]
    if hit.empty:
        raise ValidationError(f"Assessment {assessment_id} has no high or critical answer to question "
                              f"{question_id} (it may have been re-answered); reload the list.")
    row = hit.iloc[0]
    if row["in_register"]:
        return row["in_register"], False
    crit = criteria(con, workspace_id)
    likelihood, impact_ = rs.rating_for_level(row["level"], crit)
    sys_df = systems(con, workspace_id).set_index("id")
    system = sys_df.loc[row["system_id"]] if row["system_id"] in sys_df.index else None
    stage = system["lifecycle_stage"] if system is not None and system["lifecycle_stage"] in LIFECYCLE_STAGES \
        else "deployed"
    note = f" Assessor's note: {row['note']}" if not blank(row["note"]) else ""
    rid = create(con, workspace_id, {
        "title": row["title"], "lifecycle_stage": stage, "objective": row["objective"],
        "risk_source": row["risk_source"], "controls": list(row["controls"]),
        "description": (f"Proposed by impact assessment {assessment_id}: to \"{row['question']}\" the answer was "
                        f"\"{row['answer']}\" ({row['level']}).{note} The starting rating reflects that level; "
                        "review likelihood and impact."),
        "inherent_likelihood": likelihood, "inherent_impact": impact_, "status": "open",
        "owner": (system["business_owner"] if system is not None else "") or "",
        "next_review": _review_date(crit), "systems": [row["system_id"]] if system is not None else [],
        "source_assessment_id": assessment_id, "source_question_id": question_id}, who)
    return rid, True
