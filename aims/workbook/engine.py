"""The workbook engine: column specs, the injection-safe cell writer, styles, drop-downs,
level colours and print set-up. Sheet modules describe their columns; this module draws them.

Contract:
- `Column` says how one field looks in Excel (`to_cell`) and how a cell reads back (`parse`),
  so that parse(to_cell(v)) == canonical(v) for every stored value: an unedited workbook diffs
  to nothing.
- `put(cell, value)` never lets user text become a formula: text starting with =, +, -, @, tab
  or carriage return is stored as a literal string with Excel's quote prefix, value unchanged.
- `write_table(ws, columns, rows, ...)` draws a styled table: header row, frozen panes,
  autofilter, widths, wrapping, drop-downs that reference the Lists sheet, level colours as
  conditional formats (the value always stays in the cell) and landscape fit-to-width printing
  with the header row repeated.
"""
from __future__ import annotations

import gc
import math
import re
import threading
import zlib
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from aims.assessment.requirements import MATURITY_LABELS, NOT_ASSESSED
from aims.common.validate import LONG_TEXT, SHORT_TEXT, blank, day

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
YES, NO = "Yes", "No"
DATE_FORMAT = "yyyy-mm-dd"
LISTS_SHEET = "Lists"
EXTRA_ROWS = 500            # drop-downs and colours reach this far below the data, for added rows
EMPTY = {"multi": (), "refs": (), "ref": "", "code": "", "choice": ""}   # blank value of a kind (None otherwise)

# House style: navy header, white bold text; calculated columns get a grey header.
NAVY, GREY_HEAD, INK = "1F4E79", "5F6B7A", "1B2430"
HEADER_FONT = Font(bold=True, color="FFFFFF", size=11)
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
READONLY_FILL = PatternFill("solid", fgColor=GREY_HEAD)
READONLY_CELL_FILL = PatternFill("solid", fgColor="F2F4F7")
TITLE_FONT = Font(bold=True, size=18, color=NAVY)
SUBTITLE_FONT = Font(bold=True, size=12, color=NAVY)
LABEL_FONT = Font(bold=True, color=INK)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
THIN = Side(style="thin", color="C9D1DB")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# Level colours (colour-blind-safe light fills with dark text; the label is always in the cell).
RED, ORANGE, AMBER, LIGHT_GREEN, GREEN, GREY = "F4B6B6", "F9CB9C", "FFE699", "D9EAD3", "A9D08E", "E7E6E6"
MATURITY_FILLS = {0: RED, 1: ORANGE, 2: AMBER, 3: LIGHT_GREEN, 4: GREEN, 5: GREEN}
STATUS_FILLS = {"gap": AMBER, "at target": GREEN, "not assessed": GREY, "excluded": GREY}
DOCUMENT_FILLS = {"missing": RED, "draft": AMBER, "approved": GREEN}
CATEGORY_FILLS = {"prohibited": RED, "high-risk": ORANGE, "limited": AMBER, "minimal": GREEN, "not classified": GREY}
RESULT_FILLS = {"conforming": GREEN, "major nonconformity": RED, "minor nonconformity": ORANGE,
                "observation": AMBER, "opportunity for improvement": "DDEBF7", "effective": GREEN,
                "not effective": RED, "open": AMBER, "closed": GREEN}
RISK_FILLS = {"low": GREEN, "medium": AMBER, "high": ORANGE, "critical": RED,
              "Low": GREEN, "Medium": AMBER, "High": ORANGE, "Critical": RED}


_gc_lock = threading.Lock()
_gc_state = {"holders": 0, "was_enabled": True}


@contextmanager
def gc_paused():
    """Pause Python's cycle collector while a workbook is built or read.

    Hundreds of thousands of long-lived cell objects otherwise trigger full collections again and
    again (a quarter of an export's time on the largest workspace); reference counting still frees
    memory as usual. Nested and concurrent uses are counted: the collector resumes when the last
    one ends, and only if it was running before.
    """
    with _gc_lock:
        if _gc_state["holders"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_state["holders"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["holders"] -= 1
            if _gc_state["holders"] == 0 and _gc_state["was_enabled"]:
                gc.enable()


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour, bgColor=colour)


def maturity_label(value) -> str:
    """'3 Defined' for 3; 'Not assessed' for None."""
    return NOT_ASSESSED if blank(value) else f"{int(value)} {MATURITY_LABELS[int(value)]}"


MATURITY_CHOICES = tuple(maturity_label(i) for i in range(6)) + (NOT_ASSESSED,)


def safe_text(value: str) -> str:
    """Text Excel can hold: characters XML forbids are dropped, line ends made '\\n'."""
    return ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n"))


def put(cell, value) -> None:
    """Write a value so that user text can never run as a formula (see module docstring)."""
    _value(cell, value)
    if isinstance(value, (date, datetime)):
        cell.number_format = DATE_FORMAT


@dataclass(frozen=True)
class Column:
    """One column of a table sheet.

    kind: text | long | int | date | choice | code | multi | bool | maturity | ref | refs
      code shows a coded value with its title ('PH-02 Policy and scope') and reads back the code
      (the first word); its choices are those labels.
      ref is one ID of the entity named by `ref`; refs a '; '-separated list of such IDs (the
      importer checks they exist, or are added in the same import).
    choices: allowed values (a tuple, or a callable(ctx) for lists that depend on the data);
      `list_name` names the list on the Lists sheet that the drop-down references.
    editable: False for calculated or reference columns (grey header; ignored on import).
    formula: for calculated columns, f(row_number, letters, ctx) -> an Excel formula string.
    level: colour scheme for the value: maturity | target | gap | status | risk | category | document |
      result (audit results, finding grades, verification results, open or closed).
    """
    header: str
    field: str
    kind: str = "text"
    width: float = 16
    editable: bool = True
    required: bool = False
    choices: Any = None
    list_name: str | None = None
    low: int | None = None
    high: int | None = None
    limit: int | None = None
    ref: str | None = None
    level: str | None = None
    formula: Callable[[int, dict], str] | None = None
    note: str = ""

    @property
    def text_limit(self) -> int:
        return self.limit or (LONG_TEXT if self.kind == "long" else SHORT_TEXT)

    def allowed(self, ctx=None) -> tuple:
        if self.kind == "bool":
            return (YES, NO)
        if self.kind == "maturity":
            return MATURITY_CHOICES
        c = self.choices
        if callable(c):
            return tuple(c(ctx))       # a callable gets ctx, which may be None outside an export/import
        return tuple(c or ())

    # ---- stored value -> cell ------------------------------------------------------------
    def to_cell(self, value, ctx=None):
        if self.kind == "code":
            return code_label(_code_labels(self, ctx), value)
        if self.kind == "bool":
            return None if value is None else (YES if value else NO)
        if self.kind == "maturity":
            return maturity_label(value)
        if self.kind in ("multi", "refs"):
            items = split(value) if isinstance(value, str) else list(value or ())
            return "; ".join(str(v) for v in items) or None
        if self.kind == "date":
            return _as_date(value)
        if self.kind == "int":
            return None if blank(value) else int(value)
        return None if blank(value) else str(value)

    # ---- cell -> canonical value ------------------------------------------------------------
    def parse(self, raw, ctx=None) -> tuple[Any, str | None]:
        """(canonical value, problem or None). Blank reads as '' for text kinds, None otherwise,
        () for lists."""
        if isinstance(raw, str):
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        k = self.kind
        if isinstance(raw, bool) and k != "bool":
            # a TRUE/FALSE cell (Excel turns a typed 'true' into one): never a number (True == 1) or a label
            if k not in ("text", "long"):
                return EMPTY.get(k), (f"holds {'TRUE' if raw else 'FALSE'} (a true/false value) where "
                                      f"{self.expected(ctx)} is expected; type the value itself")
            raw = "TRUE" if raw else "FALSE"     # free text: as Excel shows it
        empty = blank(raw)
        if self.required and empty:
            return None, "is required"
        if k in ("text", "long", "ref"):
            if empty:
                return "", None
            if isinstance(raw, (datetime, date)):
                raw = _as_date(raw).isoformat()
            elif isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            value = str(raw).strip()
            if len(value) > self.text_limit:
                return value, f"is {len(value)} characters long; the limit is {self.text_limit}"
            return value, None
        if k == "int":
            if empty:
                return None, None
            try:
                number = float(str(raw).strip()) if not isinstance(raw, (int, float)) else float(raw)
            except ValueError:
                return None, f"must be a whole number from {self.low} to {self.high}, not {raw!r}"
            if isinstance(raw, bool) or not number.is_integer() or \
                    (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
                return None, f"must be a whole number from {self.low} to {self.high}, not {raw!r}"
            return int(number), None
        if k == "date":
            if empty:
                return None, None
            if isinstance(raw, (datetime, date)):
                return _as_date(raw), None
            try:
                return date.fromisoformat(str(raw).strip()[:10]), None
            except ValueError:
                return None, f"must be a date like 2027-03-31, not {raw!r}"
        if k == "bool":
            if empty:
                return None, None      # blank: the area's default (a required column says so)
            if isinstance(raw, bool):
                return raw, None
            text = str(raw).strip().lower()
            if text in ("yes", "y", "true", "1"):
                return True, None
            if text in ("no", "n", "false", "0"):
                return False, None
            return None, f"must be {YES} or {NO}, not {raw!r}"
        if k == "maturity":
            if empty or str(raw).strip() == NOT_ASSESSED:
                return None, None
            text = str(int(raw)) if isinstance(raw, (int, float)) and float(raw).is_integer() else str(raw).strip()
            head = text.split(" ")[0]
            if head.isdigit() and 0 <= int(head) <= 5 and (text == head or text == maturity_label(int(head))):
                return int(head), None
            return None, f"must be one of: {', '.join(MATURITY_CHOICES)}; got {raw!r}"
        if k == "code":
            if empty:
                return "", None
            code = str(raw).strip().split(" ")[0]
            codes = [a.split(" ")[0] for a in self.allowed(ctx)]
            if ctx is not None and code not in codes:
                return code, f"must be one of: {', '.join(codes)}; got {str(raw).strip()!r}"
            return code, None
        if k == "choice":
            allowed = self.allowed(ctx)
            if empty:
                return "", None
            value = str(raw).strip()
            if value not in allowed:
                folded = {a.casefold(): a for a in allowed}
                if value.casefold() in folded:
                    return folded[value.casefold()], None
                return value, f"must be one of: {', '.join(allowed)}; got {value!r}"
            return value, None
        if k in ("multi", "refs"):
            items = tuple(split(raw)) if not empty else ()
            if k == "multi":
                allowed = self.allowed(ctx)
                folded = {a.casefold(): a for a in allowed}
                bad = [i for i in items if i.casefold() not in folded]
                if bad:
                    return items, f"unknown value(s) {', '.join(bad)}; allowed: {', '.join(allowed)}"
                items = tuple(folded[i.casefold()] for i in items)
                items = tuple(a for a in allowed if a in items)  # canonical order
            else:
                items = tuple(dict.fromkeys(items))
            return items, None
        raise ValueError(f"unknown column kind {k!r}")

    def expected(self, ctx=None) -> str:
        """What a cell of this column holds, in words (for messages)."""
        k = self.kind
        if k == "int":
            return f"a whole number from {self.low} to {self.high}"
        if k == "date":
            return "a date like 2027-03-31"
        if k in ("ref", "refs"):
            return "an ID" if k == "ref" else "IDs separated by '; '"
        if k == "bool":
            return f"{YES} or {NO}"
        if k in ("text", "long"):
            return "text"
        allowed = self.allowed(ctx)
        if k == "code":
            allowed = tuple(dict.fromkeys(a.split(" ")[0] for a in allowed))
        listed = ", ".join(allowed[:12]) + (", ..." if len(allowed) > 12 else "")
        return f"one of: {listed}" if allowed else "a value from the list"

    def canonical(self, value, ctx=None):
        """The value as it would read back from its own cell (for diffing against the database)."""
        cell = self.to_cell(value, ctx)
        if isinstance(cell, str):
            cell = safe_text(cell)
        parsed, _ = self.parse(cell, ctx)
        return parsed


def split(value) -> list[str]:
    """'a; b;c' -> ['a', 'b', 'c'] (also accepts commas and line breaks between IDs)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in re.split(r"[;\n]", str(value)) if p.strip()]


def _as_date(value):
    """validate.day without the message: None for a blank or unreadable date."""
    return day(value, "date", [])


def fingerprint(values: Iterable) -> str:
    """A short fingerprint of a row's exported editable values (for the three-way diff)."""
    return ".".join(f"{zlib.crc32(repr(v).encode('utf-8')) & 0xFFFFFF:06x}" for v in values)


def shown_text(value) -> str:
    """A cell value as text the same way whether it was just written or read back from a file
    saved by Excel or LibreOffice (dates as ISO dates, whole floats as integers)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(round(value, 6))
    return safe_text(str(value)).replace("\r", "\n").strip()


def read_only_print(values: Iterable) -> str:
    """The fingerprint of read-only cells, to notice edits that cannot be imported."""
    return f"{zlib.crc32(repr(tuple(shown_text(v) for v in values)).encode('utf-8')) & 0xFFFFFF:06x}"


def sheet_print(rows: Iterable[Iterable]) -> str:
    """An order-independent fingerprint of a read-only sheet's values (sorting it is no edit)."""
    lines = sorted(repr(tuple(shown_text(v) for v in row)) for row in rows
                   if any(v not in (None, "") for v in row))
    return f"{zlib.crc32(chr(10).join(lines).encode('utf-8')) & 0xFFFFFFFF:08x}"


def written_rows(ws) -> list[list]:
    """The values of a sheet being written, row by row in no set order, each padded to the sheet's
    width as a reader sees it; unlike ws.iter_rows it creates no cells for blank positions."""
    width = ws.max_column
    rows: dict[int, list] = {}
    for (r, c), cell in ws._cells.items():
        rows.setdefault(r, [None] * width)[c - 1] = cell.value
    return list(rows.values())


# ---- drawing ------------------------------------------------------------------------------

def letters(columns: Iterable[Column]) -> dict[str, str]:
    return {c.field: get_column_letter(i) for i, c in enumerate(columns, start=1)}


def header_row(ws, columns: list[Column], row: int = 1) -> None:
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=i, value=col.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL if col.editable else READONLY_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = BOX
        note = col.note or ("" if col.editable else "Calculated or maintained elsewhere: changes here are not imported.")
        if note:
            cell.comment = Comment(note, "AIMS Workbench", width=260, height=90)
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.row_dimensions[row].height = 32


def write_table(ws, columns: list[Column], rows: list[dict], ctx=None, *, start_row: int = 1,
                list_refs: dict[str, str] | None = None, validations: bool = True) -> None:
    """Draw a table with its header at `start_row` (see the module docstring)."""
    header_row(ws, columns, start_row)
    cols = letters(columns)
    first = start_row + 1
    wrapped = [col.kind in ("long", "text", "multi", "refs") for col in columns]
    styles = _column_styles(ws, columns, wrapped, first)
    coded = [_code_labels(col, ctx) if col.kind == "code" else None for col in columns]
    cells = ws._cells       # cells made directly with their column's style: ws.cell() per cell is what makes big exports slow
    for r, row in enumerate(rows, start=first):
        lines = 1
        for i, col in enumerate(columns, start=1):
            if col.formula is not None:
                value = col.formula(r, cols, ctx)
            else:
                raw = row.get(col.field)
                value = col.to_cell(raw, ctx) if coded[i - 1] is None else code_label(coded[i - 1], raw)
                if value is None and col.editable:
                    continue    # an empty editable cell takes its column's style (fewer cells: faster to save)
                if wrapped[i - 1] and isinstance(value, str):
                    lines = max(lines, line_count(value, col.width))
            cell = cells[(r, i)] = Cell(ws, r, i, None, styles[i - 1])
            if col.formula is not None:
                cell.value = value
            else:
                _value(cell, value)
        if lines > 1:   # spreadsheets do not grow rows for wrapped text on their own when opening a file
            ws.row_dimensions[r].height = min(15 * lines + 2, 240)
    ws._current_row = max(ws._current_row, first + len(rows) - 1)
    last = max(first + len(rows) - 1, first)
    ws.freeze_panes = ws.cell(row=first, column=_frozen_columns(columns) + 1)
    ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(columns))}{max(last, start_row + 1)}"
    reach = last + EXTRA_ROWS
    if validations:
        add_validations(ws, columns, first, reach, list_refs or {})
    add_level_colours(ws, columns, first, reach)
    print_setup(ws, f"{start_row}:{start_row}")
    if sum(c.width for c in columns) > 260:   # a wide register prints on A3 rather than in tiny type
        ws.page_setup.paperSize = ws.PAPERSIZE_A3


def line_count(text: str, width: float) -> int:
    """Roughly how many lines `text` wraps to in a column `width` characters wide."""
    per_line = max(int(width * 1.1), 1)
    if "\n" not in text:
        return max(1, -(-len(text) // per_line))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def code_label(labels: dict[str, str], value) -> str | None:
    """A coded value's label from `labels` (see _code_labels); the bare code if it has none."""
    if blank(value):
        return None
    code = str(value).strip().split(" ")[0]
    return labels.get(code, code)


def _code_labels(col: Column, ctx) -> dict[str, str]:
    """A coded column's labels by code ('PH-02' -> 'PH-02 Policy and scope'), first label wins."""
    out: dict[str, str] = {}
    for label in col.allowed(ctx):
        out.setdefault(label.split(" ")[0], label)
    return out


def _column_styles(ws, columns: list[Column], wrapped: list[bool], row: int) -> list:
    """The style of each column's data cells (alignment, read-only fill, date format)."""
    out = []
    for i, col in enumerate(columns, start=1):
        proto = ws.cell(row=row, column=i)
        proto.alignment = WRAP_TOP if wrapped[i - 1] else TOP
        if not col.editable:
            proto.fill = READONLY_CELL_FILL
        if col.kind == "date":
            proto.number_format = DATE_FORMAT
        out.append(copy(proto._style))
        if col.editable:        # what a cell typed in later looks like
            dim = ws.column_dimensions[get_column_letter(i)]
            dim.alignment = WRAP_TOP if wrapped[i - 1] else TOP
            if col.kind == "date":
                dim.number_format = DATE_FORMAT
    return out


def _value(cell, value) -> None:
    """put() without styling: the caller has styled the cell (quote prefix still set per cell)."""
    if isinstance(value, str):
        # bound as text directly: safe_text already did what openpyxl's own checks would redo, and
        # text is never taken for a formula or an error code ('#N/A' stays the user's words)
        value = cell._value = safe_text(value)[:32767]
        cell.data_type = "s"
        if value[:1] in TRIGGERS:
            cell.quotePrefix = True
    elif isinstance(value, float) and math.isnan(value):
        cell.value = None      # a missing figure is an empty cell: Excel has no NaN, a reader sees none
    else:
        cell.value = value


def _frozen_columns(columns: list[Column]) -> int:
    """Keep the ID column (and a title next to it) in view while scrolling right."""
    return 2 if len(columns) > 6 else 1


def add_validations(ws, columns: list[Column], first: int, last: int, list_refs: dict[str, str]) -> None:
    """A drop-down on every column with allowed values, referencing its list on the Lists sheet."""
    for i, col in enumerate(columns, start=1):
        if not col.editable:
            continue
        letter = get_column_letter(i)
        ref = list_refs.get(col.list_name or "")
        if ref:
            several = col.kind in ("multi", "refs")
            dv = DataValidation(type="list", formula1=ref, allow_blank=not col.required,
                                showErrorMessage=True, errorStyle="warning" if several else "stop",
                                errorTitle=f"{col.header}: not in the list",
                                error=("Pick a value from the list (several allowed, separated by '; ')." if several
                                       else f"Pick one of the values listed for {col.header}."),
                                promptTitle=col.header[:32],
                                prompt=("Several allowed, separated by '; '." if several else "Pick from the list."))
            dv.showInputMessage = True
        elif col.kind == "int" and col.low is not None:
            dv = DataValidation(type="whole", operator="between", formula1=str(col.low), formula2=str(col.high),
                                allow_blank=True, showErrorMessage=True, errorTitle=col.header[:32],
                                error=f"A whole number from {col.low} to {col.high}.")
        elif col.kind == "date":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                showErrorMessage=True, errorTitle=col.header[:32],
                                error="A date, for example 2027-03-31.")
        else:
            continue
        dv.add(f"{letter}{first}:{letter}{last}")
        ws.add_data_validation(dv)


def add_level_colours(ws, columns: list[Column], first: int, last: int) -> None:
    """Conditional formats, so a colour follows the value when the client edits it."""
    for i, col in enumerate(columns, start=1):
        if not col.level:
            continue
        letter = get_column_letter(i)
        rng = f"{letter}{first}:{letter}{last}"
        cell = f"{letter}{first}"
        if col.level == "maturity":
            for level, colour in MATURITY_FILLS.items():
                ws.conditional_formatting.add(rng, CellIsRule(operator="equal", formula=[f'"{maturity_label(level)}"'],
                                                              fill=fill(colour)))
            ws.conditional_formatting.add(rng, CellIsRule(operator="equal", formula=[f'"{NOT_ASSESSED}"'],
                                                          fill=fill(GREY)))
        elif col.level == "target":
            ws.conditional_formatting.add(rng, FormulaRule(formula=[f'ISNUMBER({cell})'], fill=fill("DDEBF7")))
        elif col.level == "gap":
            ws.conditional_formatting.add(rng, FormulaRule(formula=[f'AND(ISNUMBER({cell}),{cell}>=2)'], fill=fill(RED)))
            ws.conditional_formatting.add(rng, FormulaRule(formula=[f'AND(ISNUMBER({cell}),{cell}=1)'], fill=fill(AMBER)))
            ws.conditional_formatting.add(rng, FormulaRule(formula=[f'AND(ISNUMBER({cell}),{cell}<=0)'], fill=fill(GREEN)))
        else:
            scheme = {"status": STATUS_FILLS, "category": CATEGORY_FILLS, "document": DOCUMENT_FILLS,
                      "result": RESULT_FILLS}.get(col.level, RISK_FILLS)
            for label, colour in scheme.items():
                ws.conditional_formatting.add(rng, CellIsRule(operator="equal", formula=[f'"{label}"'],
                                                              fill=fill(colour)))


def print_setup(ws, title_rows: str | None = "1:1") -> None:
    """Landscape A4, fit to one page wide, header row repeated, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"


def list_ref(column_index: int, count: int) -> str:
    """The absolute reference of one list on the Lists sheet (values from row 2)."""
    letter = get_column_letter(column_index)
    return f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${max(count, 1) + 1}"


def block(ws, top: int, title: str, headers: list[str], rows: list[list], widths: list[float] | None = None,
          fills: dict | None = None) -> int:
    """A titled, read-only table at row `top` (column A onwards) for sheets with several tables;
    returns the last row used. `fills` maps a cell value to a fill colour (always with the value)."""
    ws.cell(row=top, column=1, value=title).font = SUBTITLE_FONT
    head = top + 1
    for i, h in enumerate(headers, start=1):
        c = ws.cell(row=head, column=i, value=h)
        c.font, c.fill, c.alignment, c.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, BOX
    if widths:
        ws.row_dimensions[head].height = 15 * max(line_count(str(h), widths[min(i, len(widths) - 1)] * 0.85)
                                                  for i, h in enumerate(headers)) + 4
    r = head
    for values in rows:
        r += 1
        lines = 1
        for i, v in enumerate(values, start=1):
            c = ws.cell(row=r, column=i)
            put(c, v)
            c.alignment, c.border = WRAP_TOP, BOX
            if fills and isinstance(v, str) and v in fills:
                c.fill = fill(fills[v])
            if isinstance(v, str) and widths:
                lines = max(lines, line_count(v, widths[min(i, len(widths)) - 1] * 0.9))
        if lines > 1:
            ws.row_dimensions[r].height = min(15 * lines + 2, 240)
    if not rows:
        ws.cell(row=r + 1, column=1, value="None recorded yet.").font = Font(italic=True, color="7F7F7F")
        r += 1
    return r
