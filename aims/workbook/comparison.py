"""The comparison of two moments of a workspace (aims.progress.compare) as an Excel workbook:
a summary sheet with the headline figures and readiness per clause and Annex A objective before
and after, then one sheet per list of changes. Read-only: it is a report, never imported."""
from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from aims.progress.compare import change_text as moved
from aims.progress.compare import figure_text as shown
from aims.workbook import engine

SHEETS = (  # (sheet, key in the comparison, title, columns: (header, field, width))
    ("Requirements", "requirements", "Requirements that changed",
     (("Requirement", "req_id", 12), ("Title", "title", 48), ("Change", "change", 18),
      ("Maturity before", "maturity_before", 16), ("Maturity after", "maturity_after", 16),
      ("Target before", "target_before", 12), ("Target after", "target_after", 12),
      ("Status before", "status_before", 14), ("Status after", "status_after", 14))),
    ("Risks", "risks", "Risks that moved on the heatmap, new, closed or removed",
     (("Risk", "id", 10), ("Title", "title", 48), ("Change", "change", 12),
      ("Inherent before (L×I)", "inherent_before", 14), ("Inherent after (L×I)", "inherent_after", 14),
      ("Residual before (L×I)", "residual_before", 14), ("Residual after (L×I)", "residual_after", 14),
      ("Score before", "score_before", 10), ("Score after", "score_after", 10))),
    ("Actions done", "actions_done", "Roadmap actions done in between",
     (("Action", "id", 12), ("Title", "title", 70), ("Done on", "done_at", 14))),
    ("Documents", "documents_approved", "Documents approved and records made available in between",
     (("Document", "id", 30), ("Name", "document", 50), ("Status before", "status_before", 16),
      ("Status now", "status_after", 16))),
    ("Findings", "findings", "Audit findings raised or closed in between",
     (("Finding", "id", 10), ("Title", "title", 60), ("Grade", "grade", 28), ("Change", "change", 12))),
)
FILLS = {"improved": "E2F0D9", "newly assessed": "DDEBF7", "worse": "F8CBAD", "no longer assessed": "FCE4D6",
         "now excluded": "EDEDED", "now applicable": "DDEBF7", "new": "DDEBF7", "moved": "FFF2CC", "closed": "E2F0D9",
         "removed": "EDEDED", "raised": "FCE4D6"}


def _value(v):
    if v is None or (not isinstance(v, (str, list)) and pd.isna(v)):
        return ""
    return v


def _label(side: dict) -> str:
    when = (side.get("taken_at") or "")[:16].replace("T", " ")
    return f"{side['name']} ({when})" if side["name"] != "now" else f"now ({when})"


def build(comparison: dict, workspace_name: str) -> bytes:
    """The workbook's bytes (see the module docstring)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.sheet_view.showGridLines = False
    for col, width in zip("ABCD", (44, 18, 18, 14)):
        ws.column_dimensions[col].width = width
    engine.put(ws["A1"], f"Progress: {workspace_name}")
    ws["A1"].font = engine.TITLE_FONT
    before, after = _label(comparison["before"]), _label(comparison["after"])
    engine.put(ws["A2"], f"From {before} to {after}")
    ws["A2"].font = engine.SUBTITLE_FONT
    figs = comparison["figures"]
    rows = [[r["label"].replace(" (%)", ""), shown(r["metric"], r["before"]), shown(r["metric"], r["after"]),
             moved(r["metric"], r["change"])] for r in figs.to_dict("records")]
    last = engine.block(ws, 4, "Headline figures", ["Figure", "Before", "After", "Change"], rows, [44, 18, 18, 14])
    for kind, title in (("clause", "Readiness per clause (%)"), ("control", "Readiness per Annex A objective (%)")):
        part = comparison["groups"][comparison["groups"]["kind"] == kind]
        rows = [[r["group_title"], shown("readiness_pct", r["before_pct"]), shown("readiness_pct", r["after_pct"]),
                 moved("readiness_pct", r["change"])] for r in part.to_dict("records")]
        last = engine.block(ws, last + 2, title, ["Group", "Before", "After", "Change"], rows, [44, 18, 18, 14])
    counts = comparison["counts"]
    rows = [[title, counts[key]] for _, key, title, _ in SHEETS]
    engine.block(ws, last + 2, "Changes listed on the other sheets", ["List", "Rows"], rows, [44, 18])
    engine.print_setup(ws, None)
    for name, key, title, columns in SHEETS:
        sheet = wb.create_sheet(name)
        sheet.sheet_view.showGridLines = False
        widths = [w for _, _, w in columns]
        for i, w in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + i)].width = w
        frame = comparison[key]
        rows = [[_value(r[f]) for _, f, _ in columns] for r in frame.to_dict("records")]
        engine.block(sheet, 1, title, [h for h, _, _ in columns], rows, widths, fills=FILLS)
        sheet.freeze_panes = "A3"
        engine.print_setup(sheet, "2:2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
