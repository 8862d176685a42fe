"""Risk Heatmap sheet: the open risks on two coloured 5x5 grids (inherent and residual), each
cell giving its count and its band, likelihood rising upwards, with the band legend and the
risks above appetite listed underneath. Read only: it is drawn from the Risks sheet's data."""
from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from aims.common.validate import blank
from aims.risk.scoring import band_ranges, cell_counts, level

from . import engine
from .registry import Context, Sheet
from .risks import criteria
from .risks import rows as risk_rows

BAND_FILLS = {"low": engine.GREEN, "medium": engine.AMBER, "high": engine.ORANGE, "critical": engine.RED}
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _grid(ws, top: int, left: int, title: str, counts: list[list[int]], crit: dict) -> int:
    """Draw one grid with its title at (top, left); returns the last row used."""
    ws.cell(row=top, column=left, value=title).font = engine.SUBTITLE_FONT
    ws.cell(row=top + 1, column=left, value="Likelihood \u2193 / Impact \u2192").font = engine.LABEL_FONT
    for i, label in enumerate(crit["impact_labels"], start=1):
        c = ws.cell(row=top + 1, column=left + i, value=f"{i} {label}")
        c.font, c.fill, c.alignment, c.border = engine.HEADER_FONT, engine.HEADER_FILL, CENTRE, engine.BOX
    for r, lik in enumerate(range(5, 0, -1), start=top + 2):
        head = ws.cell(row=r, column=left, value=f"{lik} {crit['likelihood_labels'][lik - 1]}")
        head.font, head.fill, head.alignment, head.border = engine.HEADER_FONT, engine.HEADER_FILL, CENTRE, engine.BOX
        ws.row_dimensions[r].height = 38
        for imp in range(1, 6):
            band = level(lik * imp, crit)
            n = counts[lik - 1][imp - 1]
            c = ws.cell(row=r, column=left + imp, value=f"{n}\n{band}")
            c.fill, c.alignment, c.border = engine.fill(BAND_FILLS[band]), CENTRE, engine.BOX
            c.font = Font(bold=n > 0, size=12 if n else 10, color=engine.INK if n else "7F7F7F")
    return top + 7


def draw(ws, ctx: Context, book: dict) -> None:
    crit = criteria(ctx)
    live = [r for r in risk_rows(ctx) if r["status"] != "closed"]
    ws.sheet_view.showGridLines = False
    ws["A1"] = "Risk heatmap"
    ws["A1"].font = engine.TITLE_FONT
    ws["A2"] = (f"{len(live)} open risks (closed ones left out) · each cell: number of risks and the band of "
                f"its score (likelihood x impact) · appetite: scores up to {crit['appetite']}")
    ws.column_dimensions["A"].width = 22
    for col in range(2, 7):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.column_dimensions["G"].width = 4
    ws.column_dimensions["H"].width = 22
    for col in range(9, 14):
        ws.column_dimensions[get_column_letter(col)].width = 14
    inherent = cell_counts([r["inherent_likelihood"] for r in live], [r["inherent_impact"] for r in live])
    residual = cell_counts([r["residual_likelihood"] for r in live], [r["residual_impact"] for r in live])
    rated = sum(1 for r in live if not blank(r["residual_likelihood"]))
    last = _grid(ws, 4, 1, "Inherent risk (before treatment)", inherent, crit)
    _grid(ws, 4, 8, f"Planned residual risk (after treatment; {rated} of {len(live)} rated)", residual, crit)
    row = last + 2
    ws.cell(row=row, column=1, value="Bands").font = engine.SUBTITLE_FONT
    for lvl, lo, hi in band_ranges(crit):
        row += 1
        c = ws.cell(row=row, column=1, value=lvl)
        c.fill, c.border = engine.fill(BAND_FILLS[lvl]), engine.BOX
        ws.cell(row=row, column=2, value=f"score {lo} to {hi}").border = engine.BOX
    row += 2
    above = sorted((r for r in live if r["above_appetite"]), key=lambda r: -int(r["current_score"]))
    ws.cell(row=row, column=1, value=f"Risks above appetite ({len(above)})").font = engine.SUBTITLE_FONT
    row += 1
    heads = ("ID", "Title", "Current level", "Score", "Owner", "Status")
    cols = (1, 2, 5, 6, 8, 10)
    for h, col in zip(heads, cols):
        c = ws.cell(row=row, column=col, value=h)
        c.font, c.fill, c.border = engine.HEADER_FONT, engine.HEADER_FILL, engine.BOX
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    ws.merge_cells(start_row=row, start_column=8, end_row=row, end_column=9)
    for r in above[:40]:
        row += 1
        values = (r["id"], r["title"], r["current_level"], int(r["current_score"]), r["owner"], r["status"])
        for v, col in zip(values, cols):
            engine.put(ws.cell(row=row, column=col), v)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        ws.merge_cells(start_row=row, start_column=8, end_row=row, end_column=9)
        ws.cell(row=row, column=2).alignment = engine.WRAP_TOP
        ws.row_dimensions[row].height = 15 * engine.line_count(str(r["title"]), 42) + 2
        ws.cell(row=row, column=5).fill = engine.fill(BAND_FILLS.get(r["current_level"], engine.GREY))
    if len(above) > 40:
        ws.cell(row=row + 1, column=1, value=f"... and {len(above) - 40} more on the Risks sheet.")
    engine.print_setup(ws, None)


def sheet() -> Sheet:
    return Sheet("Risk Heatmap", "Open risks on 5x5 grids, inherent and residual, with counts and bands.", draw=draw)
