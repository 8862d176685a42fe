"""The registry of workbook sheets: what a sheet module provides, and the order of the sheets.

Each area is one small module in this package exposing `sheet() -> Sheet | None` (None when
its area is not part of this installation). The export draws the sheets in MODULES order and
the import applies them in the same order, so a sheet that others link to (AI systems) comes
before the sheets that link to it (risks, impact assessments, roadmap).
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from .engine import Column

MODULES = ("cover", "summary", "gap_analysis", "soa", "ai_systems", "classifications", "impact",
           "risks", "heatmap", "roadmap", "governance", "documents", "audits", "audit_checklist", "findings",
           "reviews", "evidence_requests", "parking_lot", "lists")


@dataclass
class Context:
    """What sheet functions get: the connection (or an open db.Transaction), the workspace,
    the catalogue and a memo for reads that several sheets share."""
    con: Any
    workspace: dict
    catalog: Any
    today: date = field(default_factory=date.today)
    memo: dict = field(default_factory=dict)
    id_map: dict = field(default_factory=dict)   # (entity, provisional id) -> id created on import

    @property
    def ws_id(self) -> int:
        return int(self.workspace["id"])

    def cached(self, key: str, fn: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = fn()
        return self.memo[key]


@dataclass
class Sheet:
    """One sheet of the workbook.

    Table sheets give `columns` and `rows(ctx) -> list[dict]` (values by field). Sheets with
    their own layout (cover, summary, heatmap, lists) give `draw(ws, ctx, book)` instead.
    A table sheet is importable when it has a `key` (the ID column's field) and hooks:
      change(con, ctx, key, fields, values)  fields: {field: new value} of the edited fields;
                                     values: every editable value of the row as read
      add(con, ctx, values) -> new id   (rows with a blank or unknown ID; `can_add`)
      delete(con, ctx, key)             (rows removed in Excel, only when the user confirms)
      after(con, ctx)                   once every sheet's added and changed rows are applied: work a
                                     change deferred until other sheets are in (an audit completed once
                                     the checklist results of the same workbook are recorded); its
                                     problems name the record, the importer names the sheet and row
    Hooks raise validate.ValidationError for a bad row; the importer names sheet and row.
    `entity` names what a row is (links in other sheets refer to it by that name).
    Optional `kpis`, `extra_lists` and `scales` add lines to the Summary and the Lists sheet.
    """
    name: str
    description: str
    columns: tuple[Column, ...] = ()
    rows: Callable[[Context], list[dict]] | None = None
    draw: Callable[..., None] | None = None
    key: str | None = None
    entity: str = ""
    change: Callable[..., None] | None = None
    add: Callable[..., str] | None = None
    delete: Callable[..., None] | None = None
    kpis: Callable[[Context], list[tuple]] | None = None          # (label, value, explanation) rows for the Summary
    extra_lists: Callable[[Context], dict] | None = None           # more named lists for the Lists sheet
    scales: Callable[[Context], list[tuple]] | None = None         # (title, meaning heading, {label: meaning})
    delete_means: str = "deleted"                                  # what confirming a deletion does
    removable: Callable[[dict], bool] | None = None                # which rows a deletion can remove (default all)
    prepare: Callable[[Context], None] | None = None               # shared reads before any sheet is drawn
    decorate: Callable[..., None] | None = None                    # (ws, ctx, rows, list_refs): extras after drawing
    # (key, {field: read-only cell as read}) -> why this row's read-only edit cannot be imported, in the
    # sheet's own terms, or None for the generic read-only warning
    read_only_note: Callable[[str, dict], str | None] | None = None
    after: Callable[..., None] | None = None                       # (con, ctx): see above

    @property
    def importable(self) -> bool:
        return bool(self.key and (self.change or self.add or self.delete))

    @property
    def can_add(self) -> bool:
        return self.add is not None

    @property
    def can_delete(self) -> bool:
        return self.delete is not None

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


def sheets() -> list[Sheet]:
    """The sheets of this installation, in workbook order."""
    out = []
    for name in MODULES:
        if importlib.util.find_spec(f"{__package__}.{name}") is None:
            continue  # the area's sheet module is not written yet
        module = importlib.import_module(f"{__package__}.{name}")
        s = module.sheet()
        if s is not None:
            out.append(s)
    return out


def importable() -> list[Sheet]:
    return [s for s in sheets() if s.importable]
