"""Roadmap sheet: the implementation actions, one row per action, with their phase, linked
requirements and risks, effort, priority, dates, status and progress.

A new row creates an action by hand (title and phase needed; blank cells take the roadmap's
defaults); a row deleted in Excel deletes the action when confirmed. The derived priority,
its reason and the effort in days are calculated by the app and read-only here.
"""
from __future__ import annotations

from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases

from .engine import Column
from .registry import Context, Sheet


def _phases(ctx) -> list[str]:
    if ctx is None:
        return []
    return [f"{r['id']} {r['name']}" for r in ctx.cached(
        "phases", lambda: roadmap_phases.phases(ctx.con, ctx.ws_id).to_dict("records"))]


def _requirement_ids(ctx) -> list[str]:
    from aims.catalog.standard import load
    return list((ctx.catalog if ctx is not None else load()).requirements)


def _risk_ids(ctx) -> list[str]:
    if ctx is None:
        return []
    from .risks import rows as risk_rows
    return [r["id"] for r in risk_rows(ctx)]


COLUMNS = (
    Column("ID", "id", editable=False, width=10, note="ACT-001 ... Leave blank for a new action."),
    Column("Title", "title", width=36, required=True),
    Column("Phase", "phase_id", "code", width=24, choices=_phases, list_name="Roadmap phases", required=True),
    Column("Requirements", "requirements", "refs", width=16, ref="requirement", choices=_requirement_ids,
           list_name="Requirement IDs", note="Requirement or Annex A control IDs, separated by '; '."),
    Column("Risks", "risks", "refs", width=12, ref="risk", choices=_risk_ids, list_name="Risk IDs",
           note="Risk IDs separated by '; '."),
    Column("Owner", "owner", width=24),
    Column("Effort", "effort", "choice", width=8, choices=roadmap.EFFORTS, list_name="Effort",
           note="S, M, L or XL; the person-days per size are set on the Roadmap page."),
    Column("Effort (days)", "effort_days", "int", editable=False, width=9),
    Column("Priority override", "priority_override", "choice", width=11, choices=roadmap.PRIORITIES,
           list_name="Priority", note="Leave blank to use the derived priority."),
    Column("Priority", "priority", "choice", editable=False, width=10, level="risk",
           note="The override when set, else derived from the linked gaps and risks."),
    Column("Why this priority", "priority_reason", "long", editable=False, width=30),
    Column("Start", "start", "date", width=12),
    Column("Due", "due", "date", width=12),
    Column("Status", "status", "choice", width=11, choices=roadmap.STATUSES, list_name="Action status"),
    Column("% complete", "percent", "int", width=9, low=0, high=100),
    Column("Done on", "done_at", "date", width=12),
    Column("Notes", "notes", "long", width=36),
    Column("Overdue", "overdue", "bool", editable=False, width=9),
    Column("Source", "source", editable=False, width=9),
)


def rows(ctx: Context) -> list[dict]:
    return ctx.cached("actions", lambda: roadmap.actions(
        ctx.con, ctx.ws_id, ctx.catalog, int(ctx.workspace["default_target"]), today=ctx.today).to_dict("records"))


def prepare(ctx: Context) -> None:
    """The Gap Analysis sheet's Action column: the open actions linked to each requirement."""
    links: dict[str, list[str]] = {}
    for a in rows(ctx):
        for req in a["requirements"]:
            links.setdefault(req, []).append(f"{a['id']} {a['title']} ({a['status']})")
    ctx.memo["actions_by_requirement"] = {k: "\n".join(v) for k, v in links.items()}


def _plain(values: dict) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items()}


def add(con, ctx: Context, values: dict) -> str:
    data = {k: v for k, v in _plain(values).items() if v not in (None, "", [])}
    return roadmap.create_action(con, ctx.ws_id, ctx.catalog, data, today=ctx.today)


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    roadmap.update_actions(con, ctx.ws_id, ctx.catalog, {key: _plain(fields)}, today=ctx.today)


def delete(con, ctx: Context, key: str) -> None:
    roadmap.delete_actions(con, ctx.ws_id, [key])


def kpis(ctx: Context) -> list[tuple]:
    actions = rows(ctx)
    done = sum(1 for a in actions if a["status"] == "done")
    overdue = sum(1 for a in actions if a["overdue"])
    return [("Roadmap actions done", None if not actions else round(done / len(actions), 3),
             f"{done} of {len(actions)} actions done; {overdue} overdue.")]


def sheet() -> Sheet:
    return Sheet("Roadmap", "Implementation actions by phase: links, owner, effort, priority, dates and progress.",
                 COLUMNS, rows=rows, key="id", entity="action", add=add, change=change, delete=delete,
                 kpis=kpis, prepare=prepare)
