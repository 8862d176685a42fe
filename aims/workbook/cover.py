"""Cover sheet: who the workbook is for, what it covers, when and with what it was made, a
linked table of contents and how to edit and return it."""
from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.hyperlink import Hyperlink

from aims import __version__
from aims.assessment import requirements as assessments
from aims.store import db

from . import engine
from .registry import Context, Sheet

HOW_TO = (
    "Edit the cells under the dark blue headers; grey headers are calculated or maintained on another sheet.",
    "Pick values from the drop-down lists (the allowed values and scales are on the Lists sheet).",
    "Keep the sheet names, the column headings and the ID column as they are: they are how edits find "
    "their way back.",
    "To add a risk, an AI system or another record, fill a new row and leave its ID blank (or give it a "
    "temporary ID such as NEW-1 to link to it from other sheets).",
    "Deleting a row proposes deleting the record; nothing is removed until it is confirmed on import.",
    "Return the workbook as .xlsx without a password; it is checked in full and previewed before "
    "anything changes, and the database is backed up first.",
)


def draw(ws, ctx: Context, book: dict) -> None:
    w, cat = ctx.workspace, ctx.catalog
    approval = assessments.soa_approval(ctx.con, ctx.ws_id)
    ws.sheet_view.showGridLines = False
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 22
    ws["A1"] = "ISO/IEC 42001 readiness workbook"
    ws["A1"].font = engine.TITLE_FONT
    engine.put(ws["A2"], w.get("organisation") or w["name"])
    ws["A2"].font = engine.SUBTITLE_FONT
    facts = [
        ("Organisation", w.get("organisation") or ""),
        ("Workspace", w["name"]),
        ("Sector", w.get("sector") or ""),
        ("Size", w.get("size") or ""),
        ("AI roles", w.get("ai_roles") or ""),
        ("AIMS scope", w.get("scope") or ""),
        ("Target certification date", w.get("target_date")),
        ("Date of this export", ctx.today),
        ("Exported by", db.current_user()),
        ("Tool", f"AIMS Workbench {__version__}"),
        ("Catalogue", f"{cat.name}, content version {cat.version}"),
        ("Statement of Applicability", f"version {approval.get('version') or 'not set'}, "
         + (f"approved by {approval['approved_by']} on {approval['approved_on']}"
            if approval.get("approved_by") else "not approved yet")),
    ]
    row = 4
    for label, value in facts:
        ws.cell(row=row, column=1, value=label).font = engine.LABEL_FONT
        cell = ws.cell(row=row, column=2)
        engine.put(cell, value if value not in (None, "") else "-")
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        ws.cell(row=row, column=1).alignment = engine.TOP
        if isinstance(value, str) and len(value) > 70:
            ws.row_dimensions[row].height = 15 * engine.line_count(value, 70) + 2
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="Contents").font = engine.SUBTITLE_FONT
    row += 1
    for i, head in enumerate(("Sheet", "What it holds", "In the workbook"), start=1):
        c = ws.cell(row=row, column=i, value=head)
        c.font, c.fill, c.border = engine.HEADER_FONT, engine.HEADER_FILL, engine.BOX
    for s in book["sheets"]:
        if s.name == "Cover":
            continue
        row += 1
        link = ws.cell(row=row, column=1, value=s.name)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{s.name}'!A1", display=s.name)
        link.font = Font(color="0563C1", underline="single")
        ws.cell(row=row, column=2, value=s.description).alignment = engine.WRAP_TOP
        ws.row_dimensions[row].height = 15 * engine.line_count(s.description, 66) + 2
        ws.cell(row=row, column=3, value="edit and return" if s.importable else "read only")
        for col in (1, 2, 3):
            ws.cell(row=row, column=col).border = engine.BOX
    row += 2
    ws.cell(row=row, column=1, value="How to edit and return this workbook").font = engine.SUBTITLE_FONT
    for i, line in enumerate(HOW_TO, start=1):
        row += 1
        ws.cell(row=row, column=1, value=f"{i}.").alignment = Alignment(horizontal="right", vertical="top")
        ws.cell(row=row, column=2, value=line).alignment = engine.WRAP_TOP
        ws.row_dimensions[row].height = 15 * engine.line_count(line, 70) + 2
    engine.print_setup(ws, None)
    ws.page_setup.orientation = "portrait"


def sheet() -> Sheet:
    return Sheet("Cover", "Organisation, scope, date, tool and catalogue version, contents.", draw=draw)
