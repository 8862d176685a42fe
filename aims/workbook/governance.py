"""Governance sheet: the AI policy and its versions, the AI roles and who holds them, the RACI
matrix with its open problems, and training sessions with coverage per role. Read only: these
records have rules (approval, exactly one accountable role, attendance) that are kept in the app.
"""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from aims.governance import policy, roles, training

from . import engine
from .registry import Context, Sheet

WIDTHS = [30, 42, 32, 13, 18, 16, 13, 13, 13, 13, 13, 13, 13, 13]
RACI_FILLS = {"A": "BDD7EE", "A/R": "BDD7EE", "R": "DDEBF7"}


def _d(value):
    return None if value is None or value != value else value


def draw(ws, ctx: Context, book: dict) -> None:
    ws.sheet_view.showGridLines = False
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws["A1"] = "Governance"
    ws["A1"].font = engine.TITLE_FONT
    st = policy.status(ctx.con, ctx.ws_id, ctx.today)
    ws["A2"] = (f"AI policy: {st.get('label') or 'none yet'}"
                + (f", endorsed by {st['endorsed_by']}" if st.get("endorsed_by") else "")
                + (f", next review {st['next_review']}" if st.get("next_review") else ""))
    versions = policy.versions(ctx.con, ctx.ws_id)
    row = engine.block(ws, 4, "AI policy versions (5.2, A.2.2)",
                       ["Policy and version", "Change summary", "Principles", "Status", "Endorsed by", "Role",
                        "Approved on", "Next review", "Location"],
                       [[f"{v['title']} v{v['version']}", v["change_summary"],
                         "; ".join(v["principles"]) if isinstance(v["principles"], list) else v["principles"],
                         v["status"], v["endorsed_by"], v["endorser_role"], _d(v["approved_on"]),
                         _d(v["next_review"]), v["location"]] for v in versions.to_dict("records")], WIDTHS,
                       fills={"approved": engine.GREEN, "draft": engine.AMBER, "in review": engine.AMBER})
    role_df = roles.roles(ctx.con, ctx.ws_id)
    row = engine.block(ws, row + 2, "AI roles and who holds them (5.3, A.3.2)",
                       ["Role", "Responsibilities", "Holders"],
                       [[r["name"], r["responsibilities"], "; ".join(r["holder_labels"])]
                        for r in role_df.to_dict("records")], WIDTHS)
    matrix = roles.raci_matrix(ctx.con, ctx.ws_id)
    role_cols = [c for c in matrix.columns if c not in ("activity_id", "activity")]
    row = engine.block(ws, row + 2, "RACI (R responsible, A accountable, C consulted, I informed)",
                       ["Activity"] + role_cols,
                       [[m["activity"]] + [m[c] or "" for c in role_cols] for m in matrix.to_dict("records")],
                       WIDTHS, fills=RACI_FILLS)
    problems = roles.raci_problems(roles.raci(ctx.con, ctx.ws_id), role_df) if not role_df.empty else None
    if problems is not None and len(problems):
        row = engine.block(ws, row + 2, f"RACI problems to fix ({len(problems)})", ["Activity", "Problem"],
                           [[p["activity"], p["problem"]] for p in problems.to_dict("records")], WIDTHS)
    sessions = training.sessions(ctx.con, ctx.ws_id)
    summary = training.summary(ctx.con, ctx.ws_id)
    row = engine.block(ws, row + 2, "Training and awareness (7.2, 7.3)",
                       ["Topic", "Audience", "Notes", "Kind", "Trainer", "Held on", "Invited", "Attended",
                        "Completed", "Absent"],
                       [[s["topic"], s["audience_names"], s["notes"], s["kind"], s["trainer"], _d(s["held_on"]),
                         s["invited"], s["attended"], s["completed"], s["absent"]] for s in sessions.to_dict("records")],
                       WIDTHS)
    cov = summary.get("pct")
    ws.cell(row=row + 1, column=1, value=(
        f"Coverage: {summary['completed']} of {summary['required']} required trainings completed"
        + (f" ({cov:.0f}%)" if cov is not None else "") + f"; {summary['fully_trained']} of {summary['people']} "
        "people fully trained."))
    coverage = training.coverage(ctx.con, ctx.ws_id)
    engine.block(ws, row + 3, "Training coverage per role and topic", ["Role", "Topic", "Trained", "Coverage"],
                 [[c["role"], c["topic"], c["label"], None if c["pct"] is None or c["pct"] != c["pct"]
                   else round(c["pct"] / 100, 3)] for c in coverage.to_dict("records")], WIDTHS)
    engine.print_setup(ws, None)


def kpis(ctx: Context) -> list[tuple]:
    st = policy.status(ctx.con, ctx.ws_id, ctx.today)
    summary = training.summary(ctx.con, ctx.ws_id)
    return [("AI policy", st.get("label") or "none yet", "The approved version and the version being worked on."),
            ("Training coverage", None if summary.get("pct") is None else round(summary["pct"] / 100, 3),
             f"{summary['completed']} of {summary['required']} required trainings completed.")]


def sheet() -> Sheet:
    return Sheet("Governance", "AI policy versions, roles and RACI, training and coverage.", draw=draw, kpis=kpis)
