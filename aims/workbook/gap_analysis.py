"""Gap Analysis sheet: one row per requirement (clauses 4-10 and Annex A), rated on the 0-5 scale.

Editable: maturity, target, evidence strength, evidence, owner, due, notes. Applicability is
edited on the Statement of Applicability sheet; gap and status are Excel formulas, so they follow
the client's edits live. Rows cannot be added or removed (the catalogue is fixed).
"""
from __future__ import annotations

from aims.assessment import requirements as assessments

from .engine import Column
from .registry import Context, Sheet


def _gap(r: int, c: dict, ctx=None) -> str:
    a, m, t = c["applicable"], c["maturity"], c["target"]
    return (f'=IF(OR({a}{r}="No",{m}{r}="",{m}{r}="Not assessed",{t}{r}=""),"",'
            f'{t}{r}-VALUE(LEFT({m}{r},1)))')


def _status(r: int, c: dict, ctx=None) -> str:
    a, m, g = c["applicable"], c["maturity"], c["gap"]
    return (f'=IF({a}{r}="No","excluded",IF(OR({m}{r}="",{m}{r}="Not assessed"),"not assessed",'
            f'IF({g}{r}<=0,"at target","gap")))')


COLUMNS = (
    Column("Ref", "req_id", editable=False, width=9, note="The requirement ID. Do not change it."),
    Column("Requirement", "title", editable=False, width=38),
    Column("Clause / objective", "group_title", editable=False, width=26),
    Column("Mandatory doc", "mandatory_doc", "bool", editable=False, width=10,
           note="Yes when the standard requires documented information for this requirement."),
    Column("Applicable", "applicable", "bool", editable=False, width=11,
           note="Edit applicability on the Statement of Applicability sheet (clauses 4-10 always apply)."),
    Column("Maturity", "maturity", "maturity", width=15, list_name="Maturity", level="maturity",
           note="Current maturity on the 0-5 scale (see the Lists sheet), or Not assessed."),
    Column("Target", "target", "int", width=8, low=1, high=5, list_name="Target maturity",
           note="Target maturity, 1 to 5."),
    Column("Gap", "gap", "int", editable=False, width=7, level="gap", formula=_gap,
           note="Target minus maturity; calculated."),
    Column("Status", "status", "choice", editable=False, width=13, level="status", formula=_status,
           note="gap, at target, not assessed or excluded; calculated."),
    Column("Evidence strength", "evidence_strength", "choice", width=14, required=False,
           choices=assessments.EVIDENCE_STRENGTHS, list_name="Evidence strength"),
    Column("Evidence", "evidence", "long", width=40),
    Column("Owner", "owner", width=22),
    Column("Action", "actions", "long", editable=False, width=30,
           note="Roadmap actions linked to this requirement (edit them on the Roadmap sheet)."),
    Column("Due", "due", "date", width=12),
    Column("Notes", "notes", "long", width=40),
)


def table(ctx: Context):
    """The assessment table of the workspace (shared by the gap, SoA and summary sheets)."""
    return ctx.cached("assessment", lambda: assessments.table(
        ctx.con, ctx.ws_id, ctx.catalog, int(ctx.workspace["default_target"])))


def rows(ctx: Context) -> list[dict]:
    actions = ctx.memo.get("actions_by_requirement", {})
    return [{**r, "actions": actions.get(r["req_id"], "")} for r in table(ctx).to_dict("records")]


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    assessments.save(con, ctx.ws_id, ctx.catalog, {key: fields})


def read_only_note(key: str, cells: dict) -> str | None:
    """Applicability is the one read-only edit a client often tries here: say what holds instead."""
    if str(cells.get("applicable") or "").strip().lower() not in ("no", "false", "0"):
        return None
    if not key.startswith("A."):
        return (f"clause {key} was set to not applicable, but clauses 4-10 always apply (only Annex A controls "
                "can be excluded), so this is not imported.")
    return (f"to exclude control {key}, set Applicable to No on the Statement of Applicability sheet and give "
            "the exclusion justification there; the Applicable column of this sheet is not imported.")


def sheet() -> Sheet:
    return Sheet("Gap Analysis", "Every requirement with maturity, target, gap, evidence, owner and due date.",
                 COLUMNS, rows=rows, key="req_id", entity="requirement", change=change,
                 read_only_note=read_only_note)
