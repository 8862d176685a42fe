"""Build the engagement workbook from the registered sheets.

Besides the visible sheets, a very hidden sheet records what was exported: the workspace, the
time, and per importable row its ID and a fingerprint of its editable values. The importer uses
it for a three-way comparison, so that a record changed in the app after the export is not
reverted by an unedited cell, and a record created in the app after the export is not taken
for a row deleted in Excel.
"""
from __future__ import annotations

import io
import json
import time
from datetime import date, datetime
from typing import Callable

from openpyxl import Workbook

from aims import __version__
from aims.access import members
from aims.access.rules import READ
from aims.catalog import standard as catalog_mod
from aims.common.validate import ValidationError
from aims.store import db, workspaces

from . import engine, registry
from . import lists as lists_mod
from .registry import Context, Sheet

RECORD_SHEET = "_aims_export"
FORMAT = "aims-workbook-2"
Progress = Callable[[float, str], None]


def context(con, workspace_id: int, catalog=None, today: date | None = None) -> Context:
    """What an export (or an import's comparison) reads: the workspace, the catalogue, the day.
    Raises ValidationError for an unknown workspace, AccessDenied for one the acting person is
    not a member of."""
    ws = workspaces.get(con, workspace_id)
    if ws is None:
        raise ValidationError(f"There is no workspace with id {workspace_id}.")
    with db.reading(con) as cur:
        members.require(cur, workspace_id, READ)
    return Context(con, ws, catalog or catalog_mod.load(), today or date.today())


def read_only(sheet: Sheet) -> list[engine.Column]:
    """The columns an import ignores but watches for edits (calculated columns excluded)."""
    return [c for c in sheet.columns if not c.editable and c.field != sheet.key and c.formula is None]


def editable(sheet: Sheet) -> list[engine.Column]:
    """The columns an import can change (the key and calculated columns excluded)."""
    return [c for c in sheet.columns if c.editable and c.field != sheet.key]


def build(con, workspace_id: int, catalog=None, progress: Progress | None = None,
          today: date | None = None) -> bytes:
    """The whole workbook for one workspace as .xlsx bytes. `progress(fraction, what)` is
    called before each sheet, for a progress bar."""
    ctx = context(con, workspace_id, catalog, today)
    return build_from(ctx, progress)


def build_from(ctx: Context, progress: Progress | None = None) -> bytes:
    with engine.gc_paused():
        return _build(ctx, progress)


def _build(ctx: Context, progress: Progress | None) -> bytes:
    sheets = registry.sheets()
    for s in sheets:                 # let sheets share reads before drawing (e.g. actions per requirement)
        if s.prepare:
            s.prepare(ctx)
    lists = lists_mod.collect(ctx, sheets)
    scales = [sc for s in sheets if s.scales for sc in s.scales(ctx)]
    book = {"sheets": sheets, "lists": lists, "scales": scales, "rows": {}}
    refs = lists_mod.refs(lists)
    wb = Workbook()
    wb.remove(wb.active)
    record = []
    started = time.perf_counter()
    for i, s in enumerate(sheets):
        if progress:
            progress(i / (len(sheets) + 1), s.name)
        ws = wb.create_sheet(s.name)
        if s.draw:
            s.draw(ws, ctx, book)
            record.append(("readonly", s.name, "", engine.sheet_print(engine.written_rows(ws))))
            continue
        rows = s.rows(ctx)
        book["rows"][s.name] = rows
        engine.write_table(ws, list(s.columns), rows, ctx, list_refs=refs)
        if s.decorate:
            s.decorate(ws, ctx, rows, refs)
        if s.importable:
            cols = editable(s)
            record.append(("columns", s.name, "", ",".join(c.field for c in cols)))
            fixed = read_only(s)
            prints = {str(r[s.key]): engine.fingerprint(c.canonical(r.get(c.field), ctx) for c in cols) + "~"
                      + engine.read_only_print(c.to_cell(r.get(c.field), ctx) for c in fixed) for r in rows}
            record += _chunks(s.name, prints)
        else:
            record.append(("readonly", s.name, "", engine.sheet_print(engine.written_rows(ws))))
    if progress:
        progress(len(sheets) / (len(sheets) + 1), "saving")
    meta = wb.create_sheet(RECORD_SHEET)
    meta.sheet_state = "veryHidden"
    head = [("format", FORMAT, "", ""), ("workspace_id", str(ctx.ws_id), "", ""),
            ("workspace", ctx.workspace["name"], "", ""), ("exported_at", datetime.now().isoformat(timespec="seconds"), "", ""),
            ("tool", f"AIMS Workbench {__version__}", "", ""), ("catalogue", ctx.catalog.version, "", "")]
    for r, values in enumerate(head + record, start=1):
        for c, v in enumerate(values, start=1):
            engine.put(meta.cell(row=r, column=c), v)
    wb.active = 0
    wb.properties.title = f"ISO/IEC 42001 readiness workbook: {ctx.workspace['name']}"
    wb.properties.creator = f"AIMS Workbench {__version__}"
    wb.properties.created = datetime.now()
    wb.calculation.fullCalcOnLoad = True   # the gap and status formulas have no cached values
    buf = io.BytesIO()
    wb.save(buf)
    ctx.memo["export_seconds"] = time.perf_counter() - started
    if progress:
        progress(1.0, "done")
    return buf.getvalue()


def _chunks(sheet_name: str, prints: dict[str, str], size: int = 30_000) -> list[tuple]:
    """The row fingerprints of one sheet as JSON in cells of at most `size` characters (a cell
    holds 32,767): a few cells to read back instead of one row per record."""
    out, part, length = [], {}, 0
    for key, fp in prints.items():
        if part and length + len(key) + len(fp) + 8 > size:
            out.append(("rows", sheet_name, str(len(out)), json.dumps(part)))
            part, length = {}, 0
        part[key] = fp
        length += len(key) + len(fp) + 8
    out.append(("rows", sheet_name, str(len(out)), json.dumps(part)))
    return out


def file_name(workspace: dict, today: date | None = None, what: str = "AIMS workbook") -> str:
    """A safe download name like 'AIMS workbook - Northwind Lending (demo) - 2026-11-27.xlsx'."""
    name = "".join(ch for ch in workspace["name"] if ch.isalnum() or ch in " -_().,").strip() or "workspace"
    return f"{what} - {name} - {(today or date.today()).isoformat()}.xlsx"


def frame(ctx: Context, sheet: Sheet):
    """A table sheet as a DataFrame with the workbook's headings and display values (for CSV)."""
    import pandas as pd

    rows = sheet.rows(ctx)
    cols = [c for c in sheet.columns if c.formula is None]
    return pd.DataFrame([[c.to_cell(r.get(c.field), ctx) for c in cols] for r in rows],
                        columns=[c.header for c in cols])


def data_version(con, workspace_id: int) -> tuple[int, int]:
    """Changes whenever anything in the workspace changes (every write logs to the change log):
    use it as a cache key for a built workbook."""
    from aims.store import db

    with db.reading(con) as cur:
        last, n = cur.execute("SELECT coalesce(max(id), 0), count(*) FROM change_log WHERE workspace_id = ?",
                              [int(workspace_id)]).fetchone()
    return int(last), int(n)


def record_count(con, workspace_id: int) -> int:
    """How many rows the workspace holds across its tables (to decide whether to show progress)."""
    from aims.store import db

    with db.reading(con) as cur:
        tables = db.workspace_tables(cur)
        if not tables:
            return 0
        sql = " + ".join(f"(SELECT count(*) FROM {t} WHERE workspace_id = ?)" for t in tables)  # trusted identifiers
        return int(cur.execute(f"SELECT {sql}", [int(workspace_id)] * len(tables)).fetchone()[0])
