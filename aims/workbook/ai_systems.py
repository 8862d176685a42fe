"""AI Systems sheet: the AI system inventory, one row per system.

Editable: every inventory field. The EU AI Act category comes from the classification wizard
and the status from retiring, so both are read-only here. A new row (blank or temporary ID)
creates a system; a row deleted in Excel retires the system when confirmed (it stays in the
register with its history, as retiring in the app does).
"""
from __future__ import annotations

from aims.ai_systems import inventory

from .engine import Column
from .registry import Context, Sheet

LISTS = {"lifecycle_stage": "Life-cycle stage", "sourcing": "Sourcing", "model_type": "Model type",
         "automation": "Level of automation", "org_role": "Organisation's role"}
WIDTHS = {"name": 28, "description": 40, "purpose": 34, "intended_use": 34, "foreseeable_misuse": 34,
          "data_sources": 30, "affected_persons": 28, "oversight": 32}


def _column(field: str, label: str, kind) -> Column:
    if isinstance(kind, tuple):
        return Column(label, field, "choice", width=17, choices=kind, list_name=LISTS.get(field, label))
    if kind == "bool":
        return Column(label, field, "bool", width=12, list_name="Yes / No")
    if kind == "date":
        return Column(label, field, "date", width=12)
    if kind == "long":
        return Column(label, field, "long", width=WIDTHS.get(field, 30))
    return Column(label, field, width=WIDTHS.get(field, 20), required=field == "name")


COLUMNS = (
    Column("ID", "id", editable=False, width=10, note="AIS-001 ... Leave blank (or type a temporary ID such as "
           "NEW-1, to link to it from the Risks sheet) for a new system."),
    *(_column(f, label, kind) for f, (label, kind) in inventory.FIELDS.items()),
    Column("EU AI Act category", "ai_act_category", "choice", editable=False, width=16, level="category",
           choices=inventory.CATEGORIES, note="Set by the EU AI Act classification wizard in the app."),
    Column("Status", "status", "choice", editable=False, width=10, choices=inventory.STATUSES),
)


def rows(ctx: Context) -> list[dict]:
    return ctx.cached("ai_systems", lambda: inventory.list_systems(ctx.con, ctx.ws_id).to_dict("records"))


def add(con, ctx: Context, values: dict) -> str:
    return inventory.create(con, ctx.ws_id, {k: v for k, v in values.items() if k in inventory.FIELDS})


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    inventory.update(con, ctx.ws_id, key, fields)


def delete(con, ctx: Context, key: str) -> None:
    inventory.retire(con, ctx.ws_id, key)


def kpis(ctx: Context) -> list[tuple]:
    systems = [r for r in rows(ctx) if r["status"] == "active"]
    high = sum(1 for r in systems if r["ai_act_category"] in ("high-risk", "prohibited"))
    unclassified = sum(1 for r in systems if r["ai_act_category"] == "not classified")
    return [("AI systems in the inventory", len(systems), "Active systems (retired ones are listed but not counted)."),
            ("High-risk or prohibited (EU AI Act)", high, f"{unclassified} active system(s) not classified yet.")]


def sheet() -> Sheet:
    return Sheet("AI Systems", "The AI system inventory: purpose, owners, data, automation, EU AI Act category.",
                 COLUMNS, rows=rows, key="id", entity="ai_system", add=add, change=change, delete=delete,
                 kpis=kpis, delete_means="retired (kept in the register with its history)")
