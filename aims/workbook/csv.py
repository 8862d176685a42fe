"""CSV download of any table, safe to open in a spreadsheet, and CSV files users upload.

A cell that a spreadsheet would run as a formula (text starting with =, +, -, @, tab or carriage
return) is prefixed with a single quote, as OWASP recommends; `unquote` strips it again.
The file is UTF-8 with a byte-order mark so that Excel shows accents correctly.

`read(data, ...)` reads an uploaded CSV whatever a spreadsheet made of it (UTF-8 with or
without a byte-order mark, or UTF-16; comma, semicolon, tab or bar between values; one column
only; blank lines) and says in plain words what is wrong otherwise; `systems(data)` reads the
AI system inventory's CSV import with it.
"""
from __future__ import annotations

import csv as _csv
import io
from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd

from aims.common.validate import ValidationError, blank

from .engine import TRIGGERS

DELIMITERS = (",", ";", "\t", "|")


def safe_cell(value):
    """The value, with a leading quote added when it is text that would run as a formula."""
    if isinstance(value, str) and value[:1] in TRIGGERS:
        return "'" + value
    return value


def unquote(value):
    """Inverse of safe_cell for text read back from such a CSV."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in TRIGGERS and value[1:2] != "":
        return value[1:]
    return value


def _plain(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.isoformat(sep=" ", timespec="minutes") if not pd.isna(value) else None
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(frame: pd.DataFrame, title: str | None = None) -> bytes:
    """The frame as CSV bytes (index dropped); an optional first line names what it is."""
    out = frame.copy()
    out.columns = [safe_cell(str(c)) for c in out.columns]
    out = out.astype(object).map(lambda v: safe_cell(_plain(v)))
    buf = io.StringIO()
    if title:
        buf.write(str(safe_cell(title)).replace("\n", " ") + "\n")
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# ---- reading an uploaded CSV ------------------------------------------------------------------

def read(data: bytes | str, *, what: str, example: str, expected: Iterable[str] = (),
         max_bytes: int = 2_000_000) -> tuple[list[str], list[tuple[int, dict]], list[str]]:
    """(column names, rows as (spreadsheet row number, {column: text}), problems) of an uploaded
    CSV; `what` names one row's record ('AI system') and `example` a first line, for messages.
    The separator is the one of , ; tab | that splits the first line into the most `expected`
    names (a file with one column has none). Blank lines are skipped (rows keep their numbers)."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    expect = f"The first line must name the columns (for example: {example}), and each line after it one {what}."
    if len(raw) > max_bytes:
        return [], [], [f"The file is {len(raw) // 1000:,} kB; the limit is {max_bytes // 1000:,} kB."]
    try:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = raw.decode("utf-16")                   # Excel's "Unicode text"
        elif b"\x00" in raw:
            return [], [], [("This is not a CSV file (it holds binary data). Save the table from your spreadsheet "
                             "as CSV UTF-8 and upload that file.")]
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [], [("The file is not UTF-8 text. In Excel choose Save As > 'CSV UTF-8 (Comma delimited)'; in "
                         "LibreOffice pick the character set 'Unicode (UTF-8)'; then upload it again.")]
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip(" \t,;|")), None)
    if first is None:
        return [], [], [("The CSV is empty. " if not text else "The CSV holds only blank lines. ") + expect]
    wanted = {str(e).strip().casefold() for e in expected}
    delimiter = max(DELIMITERS, key=lambda d: _fit(first, d, wanted))
    if len(_cells(first, delimiter)) < 2:
        delimiter = ","
    try:
        records = list(_csv.reader(io.StringIO(text), delimiter=delimiter))
    except _csv.Error as exc:
        return [], [], [f"This CSV cannot be read ({exc}). Save it again from your spreadsheet as CSV UTF-8."]
    numbered = [(n, cells) for n, cells in enumerate(records, start=1) if any(not blank(c) for c in cells)]
    (head_row, header), body = numbered[0], numbered[1:]
    header = [str(h).strip() for h in header]
    while header and not header[-1] and all(len(c) < len(header) or blank(c[len(header) - 1]) for _, c in body):
        header.pop()                                      # trailing separators a spreadsheet left
    problems = []
    for i, name in enumerate(header, start=1):
        if not name:
            problems.append(f"Row {head_row}: column {i} has no name. {expect}")
        elif header.index(name) + 1 != i:
            problems.append(f"Row {head_row}: the column {name!r} appears twice.")
    rows = []
    for n, cells in body:
        extra = [c for c in cells[len(header):] if not blank(c)]
        if extra:
            problems.append(f"Row {n} has {len(header) + len(extra)} values but the first line names "
                            f"{len(header)} column{'s' if len(header) != 1 else ''}"
                            + (f": does a value holding '{delimiter}' need quotes?" if delimiter != "\t" else "."))
        rows.append((n, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return header, rows, problems


def _cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(_csv.reader([line], delimiter=delimiter), [])
    except _csv.Error:
        return []


def _fit(line: str, delimiter: str, wanted: set[str]) -> tuple[int, int]:
    cells = _cells(line, delimiter)
    return sum(c.strip().casefold() in wanted for c in cells), len(cells)


def systems(data: bytes | str) -> tuple[list[dict], list[str]]:
    """AI systems from an uploaded CSV: (rows of inventory fields, problems). Columns are named
    by field ('business_owner') or label ('Business owner'); every row is checked with the
    inventory's rules; row numbers are those a spreadsheet shows (the first line is row 1)."""
    from aims.ai_systems import inventory

    fields = inventory.FIELDS
    by_name = {f.casefold(): f for f in fields} | {label.casefold(): f for f, (label, _) in fields.items()}
    header, rows, problems = read(data, what="AI system", example="name,business_owner,lifecycle_stage",
                                  expected=by_name, max_bytes=inventory.CSV_MAX_BYTES)
    rename: dict[str, str] = {}
    for col in header:
        field = by_name.get(col.casefold())
        if not col or col in rename:
            continue
        if field is None:
            problems.append(f"Unknown column {col!r}. Name the columns by field or by label, as in the template: "
                            f"{', '.join(fields)}.")
        elif field in rename.values():
            problems.append(f"The columns {next(c for c, f in rename.items() if f == field)!r} and {col!r} are "
                            "the same field; keep one.")
        else:
            rename[col] = field
    if header and "name" not in rename.values():
        problems.append("The CSV needs a 'name' column (the system's name); its first line names "
                        + ", ".join(repr(h) for h in header if h) + ".")
    if len(rows) > inventory.CSV_MAX_ROWS:
        problems.append(f"The CSV has {len(rows):,} rows; the limit is {inventory.CSV_MAX_ROWS:,}.")
    if header and not rows:
        problems.append("The CSV has no data rows: below the first line (the column names), add one line per "
                        "AI system.")
    if problems:
        return [], problems
    out = []
    for n, record in rows:
        row = {rename[c]: v for c, v in record.items() if c in rename and not blank(v)}
        try:
            inventory.clean(row)
        except ValidationError as exc:
            problems.extend(f"Row {n}: {m}" for m in exc.problems)
        out.append((n, row))
    seen: dict[str, int] = {}
    for n, row in out:
        name = str(row.get("name", "")).strip().casefold()
        if name and name in seen:
            problems.append(f"Row {n}: the name {row['name']!r} appears twice in the file (also on row {seen[name]}).")
        seen.setdefault(name, n)
    return [row for _, row in out], problems
