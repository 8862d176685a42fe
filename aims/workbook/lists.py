"""Lists sheet: every allowed value and scale used by the drop-downs of the other sheets, one
list per column, with the meaning of each scale beside them. The sheet is protected (without a
password) so that a drop-down list is not changed by accident."""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from . import engine
from .registry import Context, Sheet

MATURITY_MEANING = {
    "0 None": "Not in place.",
    "1 Initial": "Ad hoc; depends on individuals; not documented.",
    "2 Repeatable": "Done the same way by some teams; partly documented.",
    "3 Defined": "Documented, approved and applied across the AIMS scope.",
    "4 Measured": "Monitored with measures and reviewed against objectives.",
    "5 Optimising": "Improved continually from what the measures show.",
    "Not assessed": "Not rated yet; counts as not ready, never as zero.",
}
EXTRA_LISTS = {"Target maturity": (1, 2, 3, 4, 5)}


def collect(ctx: Context, sheets: list[Sheet]) -> dict[str, tuple]:
    """Every named list used by an editable column of the given sheets, in order of first use."""
    out: dict[str, tuple] = {}
    for s in sheets:
        for col in s.columns:
            if col.list_name and col.list_name not in out:
                values = EXTRA_LISTS.get(col.list_name) or col.allowed(ctx)
                out[col.list_name] = tuple(values)
    for s in sheets:
        for name, values in (s.extra_lists(ctx) if s.extra_lists else {}).items():
            out.setdefault(name, tuple(values))
    return out


def refs(lists: dict[str, tuple]) -> dict[str, str]:
    """list name -> absolute range on the Lists sheet, as the drop-downs reference it."""
    return {name: engine.list_ref(i, len(values)) for i, (name, values) in enumerate(lists.items(), start=1)}


def draw(ws, ctx: Context, book: dict) -> None:
    lists: dict[str, tuple] = book["lists"]
    for i, (name, values) in enumerate(lists.items(), start=1):
        head = ws.cell(row=1, column=i, value=name)
        head.font, head.fill, head.alignment, head.border = (engine.HEADER_FONT, engine.HEADER_FILL,
                                                             engine.HEADER_ALIGN, engine.BOX)
        for r, value in enumerate(values, start=2):
            engine.put(ws.cell(row=r, column=i), value)
        ws.column_dimensions[get_column_letter(i)].width = max(14, min(40, max((len(str(v)) for v in values),
                                                                             default=10) + 2))
    col = len(lists) + 2
    scales = [("Maturity scale", "Meaning", MATURITY_MEANING)] + list(book.get("scales", []))
    row = 1
    for title, meaning, items in scales:
        for i, text in enumerate((title, meaning)):
            c = ws.cell(row=row, column=col + i, value=text)
            c.font, c.fill, c.border = engine.HEADER_FONT, engine.HEADER_FILL, engine.BOX
        for label, text in items.items():
            row += 1
            ws.cell(row=row, column=col, value=label).border = engine.BOX
            c = ws.cell(row=row, column=col + 1, value=text)
            c.alignment, c.border = engine.WRAP_TOP, engine.BOX
        row += 2
    ws.column_dimensions[get_column_letter(col)].width = 18
    ws.column_dimensions[get_column_letter(col + 1)].width = 55
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    engine.print_setup(ws)
    ws.protection.sheet = True
    ws.protection.autoFilter = False


def sheet() -> Sheet:
    return Sheet("Lists", "The allowed values and scales behind the drop-down lists.", draw=draw)
