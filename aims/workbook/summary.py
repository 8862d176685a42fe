"""Summary sheet: the readiness KPIs, readiness and maturity per clause and per Annex A
objective as tables, with native Excel charts drawn from those tables, and a line per area
(AI systems, risks, roadmap ...) from the sheets that offer KPIs."""
from __future__ import annotations

import math

from openpyxl.chart import BarChart, RadarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment

from aims.assessment import scoring
from aims.governance import documents

from . import engine
from .gap_analysis import table
from .registry import Context, Sheet

GROUP_HEADERS = ("Group", "Title", "Applicable", "Assessed", "At target", "Open gaps", "Readiness",
                 "Avg maturity", "Avg target")


def _pct(value):
    return None if value is None else round(value / 100.0, 3)


def readiness_kpis(ctx: Context) -> list[tuple]:
    s = scoring.summary(scoring.with_status(table(ctx)))
    gate = documents.stage1_gate(ctx.con, ctx.ws_id, ctx.catalog, ctx.today)
    stage1 = gate["share"]
    target = ctx.workspace.get("target_date")
    days = (target - ctx.today).days if target else None
    return [
        ("Overall readiness", _pct(s["readiness_pct"]), "Applicable requirements at or above target maturity; "
         "not assessed counts as not ready."),
        ("Assessed", _pct(s["assessed_pct"]), f"{s['assessed']} of {s['applicable']} applicable requirements rated."),
        ("Average maturity", s["avg_maturity"], "Mean maturity (0-5) of the assessed applicable requirements."),
        ("Stage 1 readiness", "ready" if gate["ready"] else f"{gate['met']} of {gate['total']} conditions met",
         "A gate: " + "; ".join(f"{c['label']}: {'met' if c['met'] else 'not met'} ({c['status']})"
                                for c in gate["conditions"]) + "."),
        ("Documentation in place", _pct(stage1["pct"]), f"Required documents approved and records available in the "
         f"documented-information register: {stage1['in_place']} of {stage1['required']}."),
        ("Stage 2 readiness", _pct(s["stage2_pct"]), "At target with verified evidence (records showing the "
         "requirement operates); documented evidence counts toward Stage 1."),
        ("Open gaps", s["open_gaps"], "Assessed requirements below their target."),
        ("Not assessed", s["not_assessed"], "Applicable requirements not rated yet."),
        ("Excluded controls", s["excluded"], "Annex A controls excluded in the Statement of Applicability."),
        ("Target certification date", target, "not set" if days is None else
         (f"{days} days from the export date" if days >= 0 else f"{-days} days overdue")),
    ]


PERCENT_LABELS = {"Overall readiness", "Assessed", "Documentation in place", "Stage 2 readiness",
                  "Roadmap actions done", "Required documents and records in place", "Training coverage"}


def _group_table(ws, top: int, title: str, groups, first_col: int = 1) -> tuple[int, int]:
    """Write one per-group table; returns (header row, last row)."""
    ws.cell(row=top, column=first_col, value=title).font = engine.SUBTITLE_FONT
    head = top + 1
    for i, h in enumerate(GROUP_HEADERS):
        c = ws.cell(row=head, column=first_col + i, value=h)
        c.font, c.fill, c.alignment, c.border = engine.HEADER_FONT, engine.HEADER_FILL, engine.HEADER_ALIGN, engine.BOX
    r = head
    for g in groups.to_dict("records"):
        r += 1
        label = g["group"] if str(g["group"]).startswith("A.") else f"Clause {g['group']}"
        values = (label, g["group_title"].split(" ", 1)[1], g["applicable"], g["assessed"], g["at_target"],
                  g["open_gaps"], _pct(g["readiness_pct"]), g["avg_maturity"], g["avg_target"])
        for i, v in enumerate(values):
            v = None if isinstance(v, float) and math.isnan(v) else v     # a group with nothing assessed
            c = ws.cell(row=r, column=first_col + i)
            engine.put(c, "–" if v is None else v)
            c.border = engine.BOX
            if i == 6 and v is not None:
                c.number_format = "0%"
                c.fill = engine.fill(engine.GREEN if v >= 0.8 else engine.AMBER if v >= 0.5 else engine.RED)
            if i in (7, 8) and v is not None:
                c.number_format = "0.0"
    return head, r


def _charts(ws, head: int, last: int, title: str, anchor_row: int) -> None:
    """A readiness bar chart and a maturity-vs-target radar side by side, from the table above."""
    cats = Reference(ws, min_col=1, min_row=head + 1, max_row=last)
    bar = BarChart()
    bar.type = "bar"
    bar.title = f"Readiness by {title}"
    bar.y_axis.scaling.min, bar.y_axis.scaling.max = 0, 1
    bar.y_axis.numFmt = "0%"
    bar.y_axis.majorGridlines = None
    bar.add_data(Reference(ws, min_col=7, min_row=head, max_row=last), titles_from_data=True)
    bar.set_categories(cats)
    bar.legend = None
    bar.x_axis.scaling.orientation = "maxMin"   # first group on top, as in the table
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    bar.dataLabels = DataLabelList()
    bar.dataLabels.showVal = True               # the number is on the bar, not only its length
    bar.dataLabels.showSerName = bar.dataLabels.showCatName = bar.dataLabels.showLegendKey = False
    bar.dataLabels.showPercent = False
    bar.series[0].graphicalProperties.solidFill = "1F4E79"
    bar.height, bar.width = 7.5, 12.5
    ws.add_chart(bar, f"A{anchor_row}")
    radar = RadarChart()
    radar.type = "marker"
    radar.title = f"Average maturity vs target by {title}"
    radar.add_data(Reference(ws, min_col=8, max_col=9, min_row=head, max_row=last), titles_from_data=True)
    radar.set_categories(cats)
    radar.y_axis.scaling.min, radar.y_axis.scaling.max = 0, 5
    radar.y_axis.delete = False
    radar.series[0].graphicalProperties.line.solidFill = "1F4E79"
    radar.series[1].graphicalProperties.line.solidFill = "E07B00"
    radar.legend.position = "b"
    radar.height, radar.width = 7.5, 12.5
    ws.add_chart(radar, f"D{anchor_row}")


def draw(ws, ctx: Context, book: dict) -> None:
    ws.sheet_view.showGridLines = False
    ws["A1"] = "Readiness summary"
    ws["A1"].font = engine.TITLE_FONT
    engine.put(ws["A2"], f"{ctx.workspace.get('organisation') or ctx.workspace['name']} · as of {ctx.today}")
    widths = {"A": 26, "B": 34, "C": 11, "D": 10, "E": 10, "F": 10, "G": 11, "H": 12, "I": 11}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    row = 4
    for i, h in enumerate(("Indicator", "Value", "How it is measured")):
        c = ws.cell(row=row, column=1 + i * (1 if i < 2 else 1), value=h)
        c.font, c.fill, c.border = engine.HEADER_FONT, engine.HEADER_FILL, engine.BOX
    ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=9)
    kpis = readiness_kpis(ctx)
    for s in book["sheets"]:
        if s.kpis:
            kpis += s.kpis(ctx)
    for label, value, note in kpis:
        row += 1
        ws.cell(row=row, column=1, value=label).border = engine.BOX
        c = ws.cell(row=row, column=2)
        engine.put(c, "–" if value is None else value)
        c.alignment = Alignment(horizontal="left")
        c.border = engine.BOX
        if label in PERCENT_LABELS and value is not None:
            c.number_format = "0%"
        engine.put(ws.cell(row=row, column=3), note)
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=9)
    t = table(ctx)
    clause_head, clause_last = _group_table(ws, row + 2, "Readiness by clause (4-10)", scoring.by_group(t, "clause"))
    row = clause_last + 2
    head, last = _group_table(ws, row, "Readiness by Annex A control objective", scoring.by_group(t, "control"))
    row = last + 2
    ws.cell(row=row, column=1, value="Charts").font = engine.SUBTITLE_FONT
    _charts(ws, clause_head, clause_last, "clause", row + 1)
    _charts(ws, head, last, "objective", row + 17)
    engine.print_setup(ws, None)
    ws.page_setup.orientation = "portrait"


def sheet() -> Sheet:
    return Sheet("Summary", "Readiness KPIs and readiness per clause and objective, with charts.", draw=draw)
