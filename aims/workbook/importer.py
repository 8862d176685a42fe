"""Import an edited engagement workbook: read, validate everything, preview, apply all-or-nothing.

Contract:
- `plan(con, workspace_id, data)` reads the .xlsx bytes and returns a Plan: per sheet the rows
  added, changed (old and new value per field), unchanged, and deleted in Excel, plus warnings.
  It raises ValidationError listing every problem (each naming sheet, row and column) when the
  file is malformed or any value is wrong. The plan also runs every write in a transaction that
  is rolled back, so the areas' own rules are checked too. Nothing is written.
- `apply(con, workspace_id, data, delete=False, db_path=...)` re-plans, backs the database up,
  then applies every change in one transaction (all or nothing). Rows deleted in Excel are
  removed only with delete=True; a deletion the area refuses (e.g. a risk still linked to an
  action) is shown in the preview and skipped, never blocking the rest.
- Comparison is three-way when the workbook carries its export record: a cell left as exported
  never overwrites a value changed in the app since the export.
- A workbook exported from another workspace is refused (OtherWorkspace) unless the caller passes
  allow_other_workspace=True, which the user must confirm.
- A file that could harm or mislead the reader (a DTD or entities in its XML, a zip whose sizes
  or checksums lie, XML openpyxl cannot parse, merged cells on an importable sheet) is refused
  with a message, never a traceback (see package.py).
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import load_workbook

from aims.access import members
from aims.access.rules import EDIT
from aims.common.validate import ValidationError, blank
from aims.progress import baselines
from aims.store import db
from aims.store.backup import backup_file

from . import engine, package, registry
from .export import RECORD_SHEET, context, editable
from .registry import Context, Sheet

MAX_BYTES = 25 * 1024 * 1024          # the file as uploaded
MAX_UNPACKED = 250 * 1024 * 1024      # its XML once unzipped (a zip bomb stops here)
MAX_ROWS = 50_000                     # data rows per sheet
MAX_COLUMNS = 80                      # columns scanned per sheet
HEADER_SEARCH = 10                    # the header row is looked for in the first rows
READ_ONLY = "__read_only__"           # parsed rows keep their read-only cells under this key
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


@dataclass
class RowPlan:
    """One row of the workbook compared with the database."""
    row: int                          # Excel row number (0 for rows deleted in Excel)
    key: str                          # the ID (for added rows: the provisional ID typed, or '')
    values: dict = field(default_factory=dict)                 # every parsed editable value
    changes: dict = field(default_factory=dict)                # field -> (old, new)
    conflicts: list = field(default_factory=list)              # fields also changed in the app since export
    label: str = ""                                            # a title for display
    blocked: str = ""                                          # why a deletion would be refused


@dataclass
class SheetPlan:
    sheet: Sheet
    added: list[RowPlan] = field(default_factory=list)
    changed: list[RowPlan] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[RowPlan] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)              # fields left as changed in the app
    ignored: list[str] = field(default_factory=list)           # rows with edits in read-only columns
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.sheet.name

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.deleted)


@dataclass
class Plan:
    workspace: dict
    sheets: list[SheetPlan]
    warnings: list[str] = field(default_factory=list)
    exported_from: str = ""
    other_workspace: str = ""      # the workspace it was exported from, when mapped onto another (confirmed)

    def counts(self) -> dict:
        return {"added": sum(len(s.added) for s in self.sheets),
                "changed": sum(len(s.changed) for s in self.sheets),
                "fields": sum(len(r.changes) for s in self.sheets for r in s.changed),
                "unchanged": sum(s.unchanged for s in self.sheets),
                "deleted": sum(len(s.deleted) for s in self.sheets)}

    @property
    def has_changes(self) -> bool:
        return any(s.has_changes for s in self.sheets)


# ---- reading -----------------------------------------------------------------------------------

def open_workbook(data: bytes):
    """(workbook (read-only, formulas as written), package.Package) or ValidationError with a clear
    message; the zip and its XML are checked first (see package.py)."""
    size = len(data)
    if size == 0:
        raise ValidationError("The file is empty (0 bytes). Choose the .xlsx workbook exported by AIMS Workbench.")
    if size > MAX_BYTES:
        raise ValidationError(f"The file is {size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
                              "Remove images or unrelated sheets and try again.")
    if data[:8] == OLE_MAGIC:
        if ENCRYPTED_MARK in data:
            raise ValidationError("The workbook is password-protected (encrypted), so it cannot be read. Open it in "
                                  "Excel or LibreOffice, remove the password to open, save it as .xlsx and import again.")
        raise ValidationError("This is an old-format Excel (.xls) or other Office file, not an .xlsx workbook. "
                              "Save it as Excel Workbook (.xlsx) and import again.")
    if not data[:4] == b"PK\x03\x04":
        raise ValidationError("This is not an Excel .xlsx workbook (the file is not a zip-based Office document). "
                              "Choose the .xlsx file exported by AIMS Workbench.")
    parts = package.check(data, MAX_UNPACKED)    # before any XML parser sees the file
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False), parts
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise unreadable(exc) from None


def unreadable(exc: BaseException, sheet: str | None = None) -> ValidationError:
    """The message for a file that openpyxl could not read (the zip and XML prologs passed)."""
    where = f"the sheet '{sheet}' could not be read" if sheet else "the workbook could not be read"
    return ValidationError(f"{package.UNSAFE}{where} ({package.said(exc)}). Open it in Excel or LibreOffice, "
                           "save it as .xlsx and import it again.")


class OtherWorkspace(ValidationError):
    """The workbook was exported from another workspace (`source`, its name), so its IDs would
    land on this workspace's records; raised unless the user confirmed mapping it."""

    def __init__(self, source: str, target: str):
        self.source, self.target = source, target
        origin = (f"another workspace also named '{source}' (in another database, or one deleted and created "
                  "again), not from this one" if source == target else f"the workspace '{source}', not from '{target}'")
        super().__init__(f"This workbook was exported from {origin}. Its rows would be applied to the records of "
                         f"'{target}' that have the same IDs (risk R-001 of one client is another risk here). Import "
                         f"it into the workspace it came from, or confirm that you mean to map it onto '{target}'. "
                         "Nothing was imported.")


def other_workspace(con, ctx: Context, meta: dict) -> str:
    """The name of the workspace the workbook was exported from when that is not this one; ''
    when it is (renamed since counts as the same, from the change log), or when the workbook
    has no export record to tell."""
    name, ws_id = meta.get("workspace") or "", meta.get("workspace_id") or ""
    here = ctx.workspace
    if not (name or ws_id):
        return ""
    same_id = not ws_id or ws_id == str(here["id"])
    same_name = not name or name == here["name"] or (same_id and _was_named(con, here["id"], name))
    return "" if same_id and same_name else (name or f"workspace {ws_id}")


def _cover_workspace(wb) -> str:
    """The workspace named on the Cover sheet ('' when there is none): what tells where a workbook
    came from when its export record is gone (sheets copied into a new file)."""
    if "Cover" not in wb.sheetnames:
        return ""
    for label, value in wb["Cover"].iter_rows(max_row=30, max_col=2, values_only=True):
        if label == "Workspace" and isinstance(value, str) and value.strip() not in ("", "-"):
            return value.strip()
    return ""


def _was_named(con, workspace_id, name: str) -> bool:
    with db.reading(con) as cur:
        return bool(cur.execute("SELECT count(*) FROM change_log WHERE entity = 'workspace' AND entity_id = ? "
                                "AND field = 'name' AND old_value = ?", [str(workspace_id), name]).fetchone()[0])


def _merged_message(sheet: str, ranges: list[str]) -> str:
    shown = ", ".join(ranges[:6]) + (f" and {len(ranges) - 6} more" if len(ranges) > 6 else "")
    return (f"Sheet '{sheet}': cells {shown} are merged. A merged block keeps only its first cell's value, so "
            "the other rows under it would read as blank, or as new records. Unmerge them (in Excel: Home > Merge "
            "& Center), give every row its own ID and values, and import again.")


def _norm(header) -> str:
    return " ".join(str(header or "").split()).casefold()


def _export_record(wb) -> tuple[dict, dict, dict]:
    """(meta, {sheet: {id: fingerprint}}, {sheet: [editable fields]}) from the hidden record;
    meta['readonly'] holds {sheet: fingerprint} of the read-only sheets."""
    meta, rows, cols = {"readonly": {}}, {}, {}
    if RECORD_SHEET not in wb.sheetnames:
        return {}, rows, cols
    for values in wb[RECORD_SHEET].iter_rows(max_col=4, values_only=True):
        kind, a, b, c = (list(values) + [None] * 4)[:4]
        if kind == "rows":
            try:
                rows.setdefault(str(a), {}).update(json.loads(str(c or "{}")))
            except ValueError:
                return {}, {}, {}     # a damaged record: compare two-way (a warning says so)
        elif kind == "columns":
            cols[str(a)] = str(c or "").split(",")
        elif kind == "readonly":
            meta["readonly"][str(a)] = str(c or "")
        elif kind:
            meta[str(kind)] = "" if a is None else str(a)
    return meta, rows, cols


def _read_sheet(ws, sheet: Sheet, ctx: Context, problems: list[str]) -> list[tuple[int, dict]] | None:
    """Parsed rows (Excel row number, {field: value}) of one sheet; problems appended. None when
    the sheet cannot be read at all (no heading row, missing columns, too many rows)."""
    where = f"Sheet '{sheet.name}'"
    expected = {_norm(c.header): c for c in sheet.columns}
    key_col = sheet.column(sheet.key)
    header_at, positions, unknown = None, {}, {}
    header_problems: list[str] = []
    data_rows = []
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()     # read every row: a wrong <dimension> in the file would hide rows below it
    last = MAX_ROWS * 2 + HEADER_SEARCH    # blank rows count too: a row numbered in the billions stops here
    for n, cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
        if n > last:
            problems.append(f"{where} has rows below row {last:,}; the limit is {MAX_ROWS:,} records. Delete the "
                            "rows below the records (and any stray content far down the sheet).")
            return None
        if header_at is None:
            texts = [_norm(getattr(c, "value", None)) for c in cells]
            if _norm(key_col.header) in texts:
                header_at = n
                seen = {}
                for i, t in enumerate(texts):
                    if not t:
                        continue
                    if t in seen:
                        header_problems.append(f"{where}, row {n}: the column heading '{cells[i].value}' appears "
                                               f"twice (columns {seen[t] + 1} and {i + 1}).")
                    seen[t] = i
                positions = seen
                missing = [c.header for c in sheet.columns if _norm(c.header) not in positions]
                if missing:
                    header_problems.append(f"{where}: column{'s' if len(missing) > 1 else ''} "
                                           f"{', '.join(repr(m) for m in missing)} missing (renamed or deleted?). "
                                           "Keep the column headings as exported.")
                unknown = {i: cells[i].value for t, i in positions.items() if t not in expected}
            elif n >= HEADER_SEARCH:
                break
            continue
        values = [getattr(c, "value", None) for c in cells]
        if all(blank(v) for v in values):
            continue
        data_rows.append((n, cells))
        if len(data_rows) > MAX_ROWS:
            problems.append(f"{where} has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}. "
                            "Split the work or remove rows that are not records.")
            return None
    if header_at is None:
        if not data_rows:
            problems.append(f"{where} is empty or its heading row is missing: the first row must hold the "
                            f"column headings as exported, starting with '{key_col.header}'.")
        return None
    if header_problems:
        problems.extend(header_problems)
        return None
    out = []
    for n, cells in data_rows:
        for i, raw in unknown.items():
            if i < len(cells) and not blank(cells[i].value):
                problems.append(f"{where}, row {n}, column '{raw}': this column is not part of the workbook, so "
                                "its content would be lost. Move it to another sheet or delete the column.")
        values: dict[str, Any] = {}
        fixed = []
        for col in sheet.columns:
            i = positions[_norm(col.header)]
            cell = cells[i] if i < len(cells) else None
            raw = getattr(cell, "value", None)
            kind = getattr(cell, "data_type", None)
            if not (col.editable or col.field == sheet.key):
                if col.formula is None:
                    fixed.append(raw)
                continue
            label = f"{where}, row {n}, column '{col.header}'"
            if kind == "f" or (isinstance(raw, str) and raw.startswith("=") and kind != "s"):
                problems.append(f"{label} holds a formula ({str(raw)[:40]}) where a value is expected. "
                                "Type the value itself.")
                continue
            if kind == "e":
                problems.append(f"{label} holds the error value {raw}; type the value itself.")
                continue
            value, problem = col.parse(raw, ctx)
            if problem and not (col.field == sheet.key and col.kind == "text"):
                problems.append(f"{label}: {problem}.")
            values[col.field] = value
        values[READ_ONLY] = tuple(fixed)
        out.append((n, values))
    return out


# ---- comparing ---------------------------------------------------------------------------------

def _compare(sheet: Sheet, ctx: Context, parsed: list[tuple[int, dict]], exported: dict | None,
             fields_at_export: list[str] | None, problems: list[str]) -> SheetPlan:
    where = f"Sheet '{sheet.name}'"
    plan = SheetPlan(sheet)
    cols = editable(sheet)
    current = {str(r[sheet.key]): r for r in sheet.rows(ctx)}
    canon = {k: {c.field: c.canonical(r.get(c.field), ctx) for c in cols} for k, r in current.items()}
    titles = {k: _title(sheet, r) for k, r in current.items()}
    three_way = exported is not None and fields_at_export == [c.field for c in cols]
    seen: dict[str, int] = {}
    for n, values in parsed:
        key = str(values.get(sheet.key) or "").strip()
        if key and key in seen:
            problems.append(f"{where}, row {n}, column '{sheet.column(sheet.key).header}': ID {key} is also on "
                            f"row {seen[key]}; each record must appear once.")
            continue
        if key:
            seen[key] = n
        row_values = {c.field: values.get(c.field) for c in cols}
        if key not in current:
            if not sheet.can_add:
                problems.append(f"{where}, row {n}, column '{sheet.column(sheet.key).header}': "
                                + (f"unknown ID {key!r}" if key else "the ID is empty")
                                + "; rows cannot be added to this sheet.")
                continue
            if exported and key in exported:
                problems.append(f"{where}, row {n}: {key} was deleted in the app after this workbook was "
                                "exported. Clear the ID to add it again as a new record, or delete the row.")
                continue
            plan.added.append(RowPlan(n, key, row_values, label=_title(sheet, values)))
            continue
        stored, _, fixed_print = (exported or {}).get(key, "").partition("~")
        if fixed_print and engine.read_only_print(values.get(READ_ONLY, ())) != fixed_print:
            note = sheet.read_only_note and sheet.read_only_note(key, _fixed_cells(sheet, values))
            if note:
                plan.warnings.append(f"{where}, row {n} ({key}): {note}")
            else:
                plan.ignored.append(f"row {n} ({key})")
        base = stored.split(".") if three_way else None
        row = RowPlan(n, key, row_values, label=titles[key])
        for i, c in enumerate(cols):
            old, new = canon[key][c.field], row_values[c.field]
            if old == new:
                continue
            if base and len(base) == len(cols):
                wb_hash = engine.fingerprint([new])
                db_hash = engine.fingerprint([old])
                if wb_hash == base[i] and db_hash != base[i]:
                    plan.kept.append(f"{key} {c.header}")
                    continue
                if db_hash != base[i]:
                    row.conflicts.append(c.field)
            row.changes[c.field] = (old, new)
        if row.changes:
            plan.changed.append(row)
        else:
            plan.unchanged += 1
    missing = [k for k in current if k not in seen and (exported is None or k in exported)]
    if missing and sheet.can_delete and sheet.removable:
        plan.deleted = [RowPlan(0, k, label=titles[k]) for k in missing if sheet.removable(current[k])]
        missing = [k for k in missing if not sheet.removable(current[k])]
    elif missing and sheet.can_delete:
        plan.deleted = [RowPlan(0, k, label=titles[k]) for k in missing]
        missing = []
    if missing:
        plan.warnings.append(f"{where}: {len(missing)} row{'s are' if len(missing) > 1 else ' is'} missing "
                             f"({', '.join(missing[:8])}{' ...' if len(missing) > 8 else ''}); "
                             + ("these records cannot be removed" if sheet.can_delete else
                                "records of this sheet cannot be removed") + ", so nothing changes for them.")
    if plan.ignored:
        plan.warnings.append(f"{where}: cells in grey-headed (read-only) columns were changed on "
                             + ", ".join(plan.ignored[:6]) + (" ..." if len(plan.ignored) > 6 else "")
                             + "; those columns are calculated or kept elsewhere, so the changes are not imported. "
                             "Make them in the app or on the sheet that holds them.")
    if plan.kept:
        plan.warnings.append(f"{where}: {len(plan.kept)} value{'s' if len(plan.kept) > 1 else ''} changed in the app "
                             "since the export and left as exported in the workbook keep the app's value: "
                             + ", ".join(plan.kept[:6]) + (" ..." if len(plan.kept) > 6 else "") + ".")
    conflicts = [f"{r.key} {sheet.column(f).header}" for r in plan.changed for f in r.conflicts]
    if conflicts:
        plan.warnings.append(f"{where}: {len(conflicts)} value{'s were' if len(conflicts) > 1 else ' was'} changed "
                             "both in the app since the export and in the workbook; the workbook's value will be "
                             "used: " + ", ".join(conflicts[:6]) + (" ..." if len(conflicts) > 6 else "") + ".")
    return plan


def _fixed_cells(sheet: Sheet, values: dict) -> dict:
    """{field: cell as read} of a parsed row's read-only cells (those fingerprinted at export)."""
    fields = [c.field for c in sheet.columns if not (c.editable or c.field == sheet.key) and c.formula is None]
    return dict(zip(fields, values.get(READ_ONLY, ())))


def _read_only_edits(wb, meta: dict, at: dict) -> list[str]:
    """Warnings for read-only sheets whose values differ from the export (those edits are not imported)."""
    out = []
    for name, fp in (meta.get("readonly") or {}).items():
        at["sheet"] = name
        if name in wb.sheetnames and engine.sheet_print(wb[name].iter_rows(values_only=True)) != fp:
            out.append(f"Sheet '{name}' was changed, but it is read only: its changes are not imported. "
                       "Make them in the app (or on the sheet that holds the records).")
    return out


def _title(sheet: Sheet, values: dict) -> str:
    for name in ("title", "name", "label"):
        if values.get(name):
            return str(values[name])
    return ""


def _check_links(plans: list[SheetPlan], ctx: Context, problems: list[str]) -> None:
    """Every linked ID exists, or is a row added in this import (by its provisional ID)."""
    known: dict[str, set] = {"requirement": set(ctx.catalog.requirements),
                             "control": {r for r in ctx.catalog.requirements if r.startswith("A.")}}
    for sp in plans:
        s = sp.sheet
        if s.entity:
            ids = known.setdefault(s.entity, set())
            ids.update(str(r[s.key]) for r in s.rows(ctx))
            ids.update(r.key for r in sp.added if r.key)
    for sp in plans:
        for col in sp.sheet.columns:
            if col.kind not in ("ref", "refs") or not col.ref or not col.editable:
                continue
            ids = known.get(col.ref, set())
            for r in sp.added + sp.changed:
                value = r.values.get(col.field)
                links = value if isinstance(value, tuple) else ((value,) if value else ())
                bad = [v for v in links if v not in ids]
                if bad:
                    problems.append(f"Sheet '{sp.name}', row {r.row}, column '{col.header}': unknown "
                                    f"{col.ref.replace('_', ' ')} ID{'s' if len(bad) > 1 else ''} {', '.join(bad)}.")


# ---- planning and applying -------------------------------------------------------------------

class _Rollback(Exception):
    pass


def plan(con, workspace_id: int, data: bytes, catalog=None, *, allow_other_workspace: bool = False) -> Plan:
    """Validate the workbook and compare it with the workspace (see the module docstring).
    A workbook exported from another workspace raises OtherWorkspace unless
    `allow_other_workspace` says the user confirmed mapping it onto this one. Importing is for
    the workspace's owners and editors (AccessDenied for anyone else, before anything is read)."""
    with db.reading(con) as cur:
        db.require_workspace(cur, workspace_id)
        members.require(cur, workspace_id, EDIT, what="a workbook import")
    with engine.gc_paused():
        return _plan(con, workspace_id, data, catalog, allow_other_workspace)


def _plan(con, workspace_id: int, data: bytes, catalog=None, allow_other_workspace: bool = False) -> Plan:
    ctx = context(con, workspace_id, catalog)
    wb, parts = open_workbook(data)
    at = {"sheet": RECORD_SHEET}        # the sheet being read, named if openpyxl fails on it
    try:
        problems: list[str] = []
        meta, exported, fields_at_export = _export_record(wb)
        at["sheet"] = "Cover"
        source = other_workspace(con, ctx, meta if meta.get("workspace") else {"workspace": _cover_workspace(wb)})
        if source and not allow_other_workspace:
            raise OtherWorkspace(source, ctx.workspace["name"])
        sheets = registry.importable()
        parsed = {}
        for s in sheets:
            if s.name not in wb.sheetnames:
                extra = [n for n in wb.sheetnames if n not in {x.name for x in registry.sheets()} | {RECORD_SHEET}]
                problems.append(f"Sheet '{s.name}' is missing (renamed or deleted?)."
                                + (f" The workbook has a sheet '{extra[0]}' that is not expected: give it back its "
                                   f"name '{s.name}'." if extra else " Keep the sheet names as exported."))
                continue
            at["sheet"] = s.name
            merged = parts.merged(getattr(wb[s.name], "_worksheet_path", None))
            if merged:
                problems.append(_merged_message(s.name, merged))
                parsed[s.name] = None
                continue
            parsed[s.name] = _read_sheet(wb[s.name], s, ctx, problems)
        untouchable = _read_only_edits(wb, meta, at)
    except ValidationError:
        raise
    except Exception as exc:    # noqa: BLE001 - openpyxl reads a sheet's XML only when its rows are read
        raise unreadable(exc, at["sheet"]) from None
    finally:
        wb.close()
    if len(parsed) < len(sheets) or any(rows is None for rows in parsed.values()):
        raise ValidationError(problems)   # a sheet or column is missing: cell checks would only add noise
    warnings = []
    if not meta:
        warnings.append("The workbook has no export record (it was not exported by AIMS Workbench, or was copied "
                        "into a new file): every difference counts as an edit, and records missing from it are "
                        "proposed for deletion.")
    elif source:
        warnings.append(f"This workbook was exported from the workspace '{source}', not from "
                        f"'{ctx.workspace['name']}', and you confirmed mapping it onto this workspace. Check the "
                        "changes below before applying them.")
    plans = [_compare(s, ctx, parsed[s.name], exported.get(s.name) if meta else None,
                      fields_at_export.get(s.name), problems) for s in sheets]
    _check_links(plans, ctx, problems)
    if problems:
        raise ValidationError(problems)   # every cell, ID and link problem at once
    result = Plan(ctx.workspace, plans, warnings + untouchable + [w for p in plans for w in p.warnings],
                  meta.get("workspace", ""), source)
    # Run every write and roll it back: the areas' own rules (e.g. an exclusion needs a reason) are checked now.
    _trial(con, ctx, result, delete=False)
    if result.counts()["deleted"]:
        # Deletions are tried apart: one that is refused (a risk still linked to an action) is shown on its
        # row in the preview and skipped when deletions are confirmed; it never blocks the other changes.
        blocked = _trial(con, ctx, result, delete=True, collect=True)
        for sp in plans:
            for r in sp.deleted:
                r.blocked = blocked.get((sp.name, r.key), "")
        result.warnings += [f"Sheet '{sp.name}': {r.key} cannot be deleted: {r.blocked}"
                            for sp in plans for r in sp.deleted if r.blocked]
    return result


def _trial(con, ctx: Context, p: Plan, delete: bool, collect: bool = False) -> dict:
    """Run the plan in a transaction that is always rolled back. With `collect`, refused deletions
    are returned as {(sheet, id): reason} instead of raised."""
    found: dict = {}
    try:
        with db.transaction(con) as tx:
            found = _run(tx, ctx, p, delete, collect_deletions=collect)
            raise _Rollback
    except _Rollback:
        pass
    return found.get("blocked", {}) if collect else {}


dry_run = plan   # the name the benchmark uses


def _run(tx, ctx: Context, plan_: Plan, delete: bool, collect_deletions: bool = False) -> dict:
    """Apply a plan inside the transaction `tx`; raises ValidationError with every row's problem.
    Deletions marked as blocked by the plan are skipped; with `collect_deletions`, a refused
    deletion is recorded in the result's 'blocked' instead of raised."""
    run_ctx = Context(tx, ctx.workspace, ctx.catalog, ctx.today)
    problems: list[str] = []
    done = {"added": 0, "changed": 0, "fields": 0, "deleted": 0, "deletions_blocked": 0}

    def attempt(sp: SheetPlan, r: RowPlan, what: str, fn) -> Any:
        try:
            return fn()
        except ValidationError as exc:
            at = f"row {r.row}" if r.row else "deleted row"
            problems.extend(f"Sheet '{sp.name}', {at} ({r.key or 'new ' + sp.sheet.entity.replace('_', ' ')}): "
                            f"{p}" for p in exc.problems)
        except duckdb.Error as exc:
            raise ValidationError([f"Sheet '{sp.name}', row {r.row}: the database refused the {what} ({exc}); "
                                   "nothing was imported."]) from None
        return None

    for sp in plan_.sheets:
        s = sp.sheet
        for r in sp.added:
            values = _remap(s, run_ctx, {k: v for k, v in r.values.items()})
            new_id = attempt(sp, r, "new row", lambda: s.add(tx, run_ctx, values))
            if new_id is not None:
                done["added"] += 1
                if r.key:
                    run_ctx.id_map[(s.entity, r.key)] = str(new_id)
        for r in sp.changed:
            fields = _remap(s, run_ctx, {f: new for f, (_, new) in r.changes.items()})
            values = _remap(s, run_ctx, dict(r.values))
            attempt(sp, r, "change", lambda: s.change(tx, run_ctx, r.key, fields, values))
            done["changed"] += 1
            done["fields"] += len(r.changes)
    for sp in plan_.sheets:     # changes a sheet deferred until every sheet's rows are in
        if sp.sheet.after:
            try:
                sp.sheet.after(tx, run_ctx)
            except ValidationError as exc:
                rows = {r.key: r.row for r in sp.changed + sp.added if r.key}
                for p in exc.problems:
                    key = next((k for k in rows if p.startswith((k + ":", k + " "))), "")
                    problems.append(f"Sheet '{sp.name}', " + (f"row {rows[key]} ({key}): " if key else "") + p)
    blocked: dict = {}
    if delete:
        for sp in reversed(plan_.sheets):   # links point to earlier sheets: remove the linking rows first
            for r in sp.deleted:
                if r.blocked:
                    done["deletions_blocked"] += 1
                    continue
                if collect_deletions:
                    try:
                        sp.sheet.delete(tx, run_ctx, r.key)
                    except ValidationError as exc:
                        blocked[(sp.name, r.key)] = " ".join(exc.problems)
                    continue
                attempt(sp, r, "deletion", lambda: sp.sheet.delete(tx, run_ctx, r.key))
                done["deleted"] += 1
    if problems:
        raise ValidationError(problems)
    return {**done, "blocked": blocked}


def _remap(sheet: Sheet, ctx: Context, values: dict) -> dict:
    """Replace provisional IDs of rows added in this import with the IDs they were given."""
    for col in sheet.columns:
        if col.kind in ("ref", "refs") and col.field in values and col.ref:
            v = values[col.field]
            if isinstance(v, tuple):
                values[col.field] = tuple(ctx.id_map.get((col.ref, x), x) for x in v)
            elif v:
                values[col.field] = ctx.id_map.get((col.ref, v), v)
    return values


def _backup_name(path: str) -> Path:
    p = Path(path)
    return p.parent / "backups" / f"{p.stem}-before-import-{datetime.now():%Y%m%d-%H%M%S-%f}.duckdb"


def apply(con, workspace_id: int, data: bytes, catalog=None, *, delete: bool = False, db_path: str | None = None,
          backup: bool = True, allow_other_workspace: bool = False) -> dict:
    """Validate again, back the database up, then apply everything in one transaction.

    Returns counts (added, changed, fields, deleted; deletions_skipped when not confirmed,
    deletions_blocked for those the area refuses, see Plan), `backup` (the file) and `baseline`
    (the ID of the baseline taken, in the same transaction, of the workspace as it was before).
    Raises ValidationError, with nothing written, when anything is wrong; OtherWorkspace for a
    workbook of another workspace unless `allow_other_workspace` (the user confirmed it).
    """
    p = plan(con, workspace_id, data, catalog, allow_other_workspace=allow_other_workspace)
    result = {"added": 0, "changed": 0, "fields": 0, "deleted": 0, "backup": None, "baseline": None,
              "deletions_blocked": 0,
              "deletions_skipped": 0 if delete else p.counts()["deleted"]}
    if not p.has_changes or (not delete and not (p.counts()["added"] or p.counts()["changed"])):
        return result
    path = db_path or db.database_path()
    if backup and path != ":memory:" and Path(path).exists():
        result["backup"] = str(backup_file(path, _backup_name(path), con=con))
    ctx = context(con, workspace_id, catalog)
    with db.transaction(con) as tx:
        members.require(tx.cur, workspace_id, EDIT)
        stem = f"Before import {datetime.now():%Y-%m-%d %H:%M}"
        result["baseline"] = baselines.take(tx, workspace_id, baselines.free_name(tx, workspace_id, stem), ctx.catalog,
                                            int(ctx.workspace["default_target"]), kind="before import",
                                            note="Taken automatically before a workbook import.")
        done = _run(tx, ctx, p, delete)
    done.pop("blocked", None)
    result.update(done)
    return result


# ---- presenting a plan -------------------------------------------------------------------------

def shown(sheet: Sheet, field_name: str, value, ctx=None) -> str:
    """A value as the workbook shows it ('3 Defined', 'Yes', '2027-03-31', 'a; b')."""
    v = sheet.column(field_name).to_cell(value, ctx)
    return "" if v is None else str(v)


def overview(p: Plan) -> list[dict]:
    """One line per sheet: sheet, added, changed, unchanged, deleted."""
    return [{"Sheet": s.name, "Added": len(s.added), "Changed": len(s.changed), "Unchanged": s.unchanged,
             "Deleted in Excel": len(s.deleted)} for s in p.sheets]


def change_rows(s: SheetPlan) -> list[dict]:
    """One line per changed field (old and new value), per added row and per deleted row."""
    out = []
    for r in s.added:
        filled = {f: v for f, v in r.values.items() if v not in (None, "", ())}
        out.append({"Row": r.row, "ID": r.key or "(new)", "Title": r.label, "What": "added",
                    "Field": "", "Old value": "", "New value": "; ".join(
                        f"{s.sheet.column(f).header}: {shown(s.sheet, f, v)}" for f, v in filled.items())})
    for r in s.changed:
        for f, (old, new) in r.changes.items():
            out.append({"Row": r.row, "ID": r.key, "Title": r.label,
                        "What": "changed (also changed in the app)" if f in r.conflicts else "changed",
                        "Field": s.sheet.column(f).header, "Old value": shown(s.sheet, f, old),
                        "New value": shown(s.sheet, f, new)})
    for r in s.deleted:
        out.append({"Row": None, "ID": r.key, "Title": r.label, "What": "deleted in Excel", "Field": "",
                    "Old value": "", "New value": f"cannot be deleted: {r.blocked}" if r.blocked
                    else f"if confirmed: {s.sheet.delete_means}"})
    return out


def describe(p: Plan) -> list[str]:
    """The preview as text lines (for the command line)."""
    lines = [f"Workspace: {p.workspace['name']}"]
    lines += [f"warning: {w}" for w in p.warnings]
    for s in p.sheets:
        lines.append(f"{s.name}: {len(s.added)} added, {len(s.changed)} changed, {s.unchanged} unchanged, "
                     f"{len(s.deleted)} deleted in Excel")
        for r in change_rows(s):
            if r["What"].startswith("changed"):
                lines.append(f"  row {r['Row']} {r['ID']} {r['Field']}: {r['Old value']!r} -> {r['New value']!r}"
                             + ("  (also changed in the app since the export)" if "also" in r["What"] else ""))
            elif r["What"] == "added":
                lines.append(f"  row {r['Row']} new {r['ID']}: {r['New value']}")
            else:
                lines.append(f"  {r['ID']} {r['Title']}: deleted in Excel (kept unless confirmed; "
                             f"--yes-delete: {s.sheet.delete_means})")
    return lines
