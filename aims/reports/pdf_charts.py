"""Vector charts drawn straight into a ReportPDF with its primitives (rectangles, lines,
polygons, text): readiness bars per clause and per Annex A objective, the 5x5 risk heatmap,
the roadmap burn-up with its forecast, and the readiness trend. Each takes the box it may
draw in (x, y, width, height in mm) and plain data; labels are sized to fit their box."""
from __future__ import annotations

from datetime import date

from aims.reports.pdf_layout import INK, MUTED, RULE, ReportPDF, pct, rgb, tint
from aims.risk import scoring as rs

BAND_COLOURS = {"low": "#a8d5a2", "medium": "#fde38a", "high": "#f59c4c", "critical": "#c9302c"}
BAND_TEXT = {"low": INK, "medium": INK, "high": INK, "critical": (255, 255, 255)}
TARGET = (224, 123, 0)
GREY = (154, 165, 177)


def _fit(pdf: ReportPDF, text: str, width: float) -> str:
    """`text` shortened with '...' to fit `width` at the current font (axis labels only: the
    full text is in the table beside every chart)."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "...") > width:
        text = text[:-1]
    return text.rstrip() + "..."


def readiness_bars(pdf: ReportPDF, x: float, y: float, w: float, rows: list[dict], title: str) -> float:
    """Horizontal bars 0-100%: one per group (group, title, readiness_pct, applicable), a dash
    and 'nothing applicable' where a group has no denominator. Returns the height used."""
    bar_h, gap, label_w, value_w = 5.2, 2.2, 62, 14
    pdf.set_font("Helvetica", "B", 10)
    pdf.set_text_color(*INK)
    pdf.set_xy(x, y)
    pdf.cell(w, 6, title)
    top = y + 9
    plot_x, plot_w = x + label_w, w - label_w - value_w
    pdf.set_font("Helvetica", "", 7)
    pdf.set_text_color(*MUTED)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.15)
    height = len(rows) * (bar_h + gap)
    for tick in (0, 25, 50, 75, 100):
        tx = plot_x + plot_w * tick / 100
        pdf.line(tx, top - 1, tx, top + height)
        pdf.set_xy(tx - 6, top + height + 0.5)
        pdf.cell(12, 3.5, f"{tick}%", align="C")
    for i, r in enumerate(rows):
        by = top + i * (bar_h + gap)
        pdf.set_font("Helvetica", "", 8)
        pdf.set_text_color(*INK)
        pdf.set_xy(x, by)
        pdf.cell(label_w - 2, bar_h, _fit(pdf, f"{r['group']} {r['title']}", label_w - 3))
        pdf.set_fill_color(*tint(pdf.accent, 0.85))
        pdf.rect(plot_x, by, plot_w, bar_h, style="F")
        value = r.get("readiness_pct")
        if value is not None:
            pdf.set_fill_color(*pdf.accent)
            pdf.rect(plot_x, by, plot_w * float(value) / 100, bar_h, style="F")
        pdf.set_xy(plot_x + plot_w + 1, by)
        pdf.set_font("Helvetica", "B", 8)
        pdf.cell(value_w - 1, bar_h, pct(value) if r.get("applicable") else "- (n/a)", align="R")
    pdf.set_text_color(*INK)
    return height + 15


def heatmap(pdf: ReportPDF, x: float, y: float, size: float, counts: list[list[int]], crit: dict, title: str) -> float:
    """A 5x5 likelihood (up) x impact (right) matrix of risk counts, cells coloured by band, the
    appetite boundary drawn thick. Returns the height used."""

    cell = size / 5
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.set_text_color(*INK)
    pdf.set_xy(x, y)
    pdf.multi_cell(size + 12, 4.6, title, new_x="LEFT", new_y="NEXT")
    gx, gy = x + 10, pdf.y + 2
    for lik in range(1, 6):
        for imp in range(1, 6):
            cx, cy = gx + (imp - 1) * cell, gy + (5 - lik) * cell
            level = rs.level(lik * imp, crit)
            pdf.set_fill_color(*rgb(BAND_COLOURS[level]))
            pdf.set_draw_color(255, 255, 255)
            pdf.set_line_width(0.6)
            pdf.rect(cx, cy, cell, cell, style="DF")
            n = counts[lik - 1][imp - 1]
            pdf.set_text_color(*BAND_TEXT[level])
            pdf.set_font("Helvetica", "B" if n else "", 10 if n else 7)
            pdf.set_xy(cx, cy)
            pdf.cell(cell, cell, str(n) if n else "-", align="C")
    # the appetite boundary: edges between a cell within appetite and one above it
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.8)
    above = {(li, im) for li in range(1, 6) for im in range(1, 6) if li * im > crit["appetite"]}
    for li, im in above:
        cx, cy = gx + (im - 1) * cell, gy + (5 - li) * cell
        if (li, im - 1) not in above and im > 1:
            pdf.line(cx, cy, cx, cy + cell)
        if (li - 1, im) not in above and li > 1:
            pdf.line(cx, cy + cell, cx + cell, cy + cell)
    pdf.set_font("Helvetica", "", 7)
    pdf.set_text_color(*MUTED)
    for k in range(1, 6):
        pdf.set_xy(gx - 5, gy + (5 - k) * cell)
        pdf.cell(4, cell, str(k), align="R")
        pdf.set_xy(gx + (k - 1) * cell, gy + size + 0.5)
        pdf.cell(cell, 3.5, str(k), align="C")
    pdf.set_xy(gx, gy + size + 4)
    pdf.cell(size, 3.5, "Impact", align="C")
    _vertical(pdf, x + 3.5, gy + size / 2, "Likelihood")
    pdf.set_text_color(*INK)
    return gy + size + 9 - y


def _vertical(pdf: ReportPDF, cx: float, cy: float, text: str) -> None:
    """`text` reading upwards, centred on (cx, cy): an axis title."""
    with pdf.rotation(90, cx, cy):
        pdf.text(cx - pdf.get_string_width(text) / 2, cy + 1, text)


def heatmap_legend(pdf: ReportPDF, x: float, y: float, crit: dict) -> float:
    """The bands with their score ranges and the appetite line, in one row. Returns the height."""

    pdf.set_font("Helvetica", "", 7.5)
    cx = x
    for level, lo, hi in rs.band_ranges(crit):
        pdf.set_fill_color(*rgb(BAND_COLOURS[level]))
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.rect(cx, y + 0.8, 3.5, 3.5, style="DF")
        label = f"{level.capitalize()} {lo}-{hi}"
        pdf.set_xy(cx + 4.5, y)
        pdf.set_text_color(*INK)
        pdf.cell(pdf.get_string_width(label) + 1, 5, label)
        cx += pdf.get_string_width(label) + 9
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.8)
    pdf.line(cx, y + 2.5, cx + 6, y + 2.5)
    pdf.set_xy(cx + 7.5, y)
    pdf.cell(60, 5, f"Appetite: scores above {crit['appetite']} lie beyond it")
    return 7


def _axis_days(pdf: ReportPDF, x: float, w: float, y: float, first: date, last: date, to_x) -> None:
    """Month ticks along a date axis (every month, or every second/third when they would crowd)."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if months <= 10 else 2 if months <= 20 else 3 if months <= 30 else 6
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_text_color(*MUTED)
    yy, mm = first.year, first.month
    i = 0
    while (yy, mm) <= (last.year, last.month):
        d = date(yy, mm, 1)
        if d >= first and i % step == 0:
            tx = to_x(d)
            pdf.set_draw_color(*RULE)
            pdf.line(tx, y, tx, y + 1.2)
            pdf.set_xy(tx - 8, y + 1.2)
            pdf.cell(16, 3, d.strftime("%b %y"), align="C")
        i += 1
        mm += 1
        if mm > 12:
            yy, mm = yy + 1, 1
    pdf.set_text_color(*INK)


def _frame(pdf: ReportPDF, x: float, y: float, w: float, h: float, y_max: float, y_label: str) -> None:
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.15)
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_text_color(*MUTED)
    for k in range(5):
        v = y_max * k / 4
        ty = y + h - h * k / 4
        pdf.line(x, ty, x + w, ty)
        pdf.set_xy(x - 13, ty - 1.5)
        pdf.cell(12, 3, f"{v:.0f}{y_label}", align="R")
    pdf.set_text_color(*INK)


def _legend(pdf: ReportPDF, x: float, y: float, items: list[tuple[tuple, str, bool]]) -> None:
    pdf.set_font("Helvetica", "", 7.5)
    cx = x
    for colour, label, dashed in items:
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.7)
        if dashed:
            pdf.set_dash_pattern(dash=1.2, gap=0.9)
        pdf.line(cx, y + 2.5, cx + 6, y + 2.5)
        pdf.set_dash_pattern()
        pdf.set_xy(cx + 7, y)
        pdf.set_text_color(*INK)
        pdf.cell(pdf.get_string_width(label) + 1, 5, label)
        cx += pdf.get_string_width(label) + 13


def burnup(pdf: ReportPDF, x: float, y: float, w: float, h: float, rows: list[dict], today: date,
           target: date | None, ready: date | None) -> float:
    """Planned and done effort over time (person-days), the total as a ceiling, today, the target
    date and, when there is a forecast, a dashed line from today's done effort to the total on
    the forecast ready date. Returns the height used."""
    x0, w0, h0 = x + 14, w - 16, h - 14
    days = [r["day"] for r in rows]
    first = min(days)
    last = max([*days, today] + ([target] if target else []) + ([ready] if ready else []))
    span = max((last - first).days, 1)
    total = max((r["total"] for r in rows), default=0) or 1
    y_max = total * 1.05

    def to_x(d: date) -> float:
        return x0 + w0 * (d - first).days / span

    def to_y(v: float) -> float:
        return y + h0 - h0 * v / y_max

    _frame(pdf, x0, y, w0, h0, y_max, "")
    _axis_days(pdf, x0, w0, y + h0, first, last, to_x)
    pdf.set_line_width(0.4)
    pdf.set_draw_color(*GREY)
    pdf.set_dash_pattern(dash=0.6, gap=0.8)
    pdf.line(x0, to_y(total), x0 + w0, to_y(total))
    pdf.set_dash_pattern()
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.7)
    pdf.polyline([(to_x(r["day"]), to_y(r["planned"])) for r in rows])
    done = [(to_x(r["day"]), to_y(r["done"])) for r in rows if r["done"] is not None]
    pdf.set_draw_color(*pdf.accent)
    pdf.set_line_width(1.0)
    if len(done) > 1:
        pdf.polyline(done)
    items = [(pdf.accent, "Done", False), (GREY, "Planned", False)]
    if ready and done:
        pdf.set_dash_pattern(dash=2.5, gap=1.6)
        pdf.line(done[-1][0], done[-1][1], to_x(ready), to_y(total))
        pdf.set_dash_pattern()
        items.append((pdf.accent, f"Forecast: ready {ready:%d %b %Y}", True))
    pdf.set_line_width(0.3)
    for d, colour, label in ((today, INK, "today"), (target, TARGET, "target")):
        if d is None:
            continue
        pdf.set_draw_color(*colour)
        pdf.line(to_x(d), y, to_x(d), y + h0)
        pdf.set_font("Helvetica", "B", 6.5)
        pdf.set_text_color(*colour)
        right = to_x(d) + 14 > x0 + w0
        pdf.set_xy(to_x(d) - 13 if right else to_x(d) + 0.6, y + (0.5 if colour == INK else 4))
        pdf.cell(12.4, 3, label, align="R" if right else "L")
    pdf.set_text_color(*INK)
    _legend(pdf, x0, y + h0 + 6, items + [(GREY, "Total effort", True)])
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_text_color(*MUTED)
    _vertical(pdf, x + 2, y + h0 / 2, "person-days")
    pdf.set_text_color(*INK)
    return h + 2


def trend(pdf: ReportPDF, x: float, y: float, w: float, h: float, points: list[dict]) -> float:
    """Readiness, Stage 2 readiness and the share assessed week by week (0-100%), from
    trends.readiness_trend rows (as_of, readiness_pct, stage2_pct, assessed_pct). Returns the
    height used."""
    x0, w0, h0 = x + 14, w - 16, h - 14
    first, last = points[0]["as_of"], points[-1]["as_of"]
    span = max((last - first).days, 1)

    def to_x(d: date) -> float:
        return x0 + w0 * (d - first).days / span

    def to_y(v: float) -> float:
        return y + h0 - h0 * v / 100

    _frame(pdf, x0, y, w0, h0, 100, "%")
    _axis_days(pdf, x0, w0, y + h0, first, last, to_x)
    series = [("readiness_pct", pdf.accent, "Readiness", False), ("stage2_pct", TARGET, "Stage 2 readiness", False),
              ("assessed_pct", GREY, "Assessed", True)]
    for key, colour, _label, dashed in series:
        line = [(to_x(p["as_of"]), to_y(float(p[key]))) for p in points if p[key] is not None and p[key] == p[key]]
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.9)
        if dashed:
            pdf.set_dash_pattern(dash=1.2, gap=0.9)
        if len(line) > 1:
            pdf.polyline(line)
        elif line:
            pdf.set_fill_color(*colour)
            pdf.circle(line[0][0], line[0][1], 0.9, style="F")
        pdf.set_dash_pattern()
    _legend(pdf, x0, y + h0 + 6, [(c, lab, d) for _k, c, lab, d in series])
    return h + 2
