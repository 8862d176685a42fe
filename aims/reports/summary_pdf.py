"""The one-page management summary as PDF bytes: progress (readiness, Stage 1 gate, Stage 2,
roadmap), the forecast against the target date, the top risks and the decisions needed.
Pure: `build(data)` lays out report_data.gather's result.

Always exactly one page: the page is laid out with the full lists first; while it runs over,
the lists get shorter (the number left out is said), and as a last resort long texts are
shortened with '...' (the full report holds them in full)."""
from __future__ import annotations

from aims.progress import trends
from aims.reports.client_report import key_figures
from aims.reports.pdf_layout import INK, MUTED, ReportPDF, day, pct

TITLE = "Management summary"


def _short(text: str, limit: int | None) -> str:
    text = str(text or "")
    return text if limit is None or len(text) <= limit else text[:limit - 3].rstrip() + "..."


def progress_sentence(series) -> str:
    """How the headline figures moved since the last baseline (else over about four weeks), in
    words; '' when the trend has a single point."""
    change = None if series is None or "kind" not in getattr(series, "columns", ()) else trends.change_since(series)
    if change is None:
        return ""
    d = change["deltas"]
    parts = [f"{label} {d[m]:+.1f} points" for m, label in (("readiness_pct", "readiness"),
                                                             ("stage2_pct", "Stage 2 readiness"),
                                                             ("roadmap_pct", "roadmap progress")) if d[m] is not None]
    parts += [f"{label} {d[m]:+.0f}" for m, label in (("open_gaps", "open gaps"), ("risks_above", "risks above appetite"))
              if d[m] is not None]
    return f"Change {change['text']}: " + ", ".join(parts) + "." if parts else ""


def _page(data: dict, risks: int, decisions: int, limit: int | None) -> ReportPDF:
    ws, brand = data["workspace"], data["brand"]
    pdf = ReportPDF(TITLE, ws["name"], brand.get("colour", ""), brand.get("logo"))
    pdf.cover_pages = 1                        # no running header: the page has its own band
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    pdf.set_fill_color(*pdf.accent)
    pdf.rect(0, 0, pdf.w, 30, style="F")
    if pdf.logo:
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(pdf.w - 18 - 40, 6, 40, 18, style="F")
        pdf._image(pdf.logo, pdf.w - 18 - 38, 7.5, 36, 15)
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(18, 7)
    pdf.set_font("Helvetica", "B", 17)
    pdf.cell(pdf.width - 45, 8, f"{TITLE}: AI management system readiness", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    who = ws["organisation"] or ws["name"]
    pdf.multi_cell(pdf.width - 45, 5, _short(f"{who} | {day(data['today'])} | ISO/IEC 42001", limit and limit + 40),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_y(36)
    pdf.heading("Progress", level=1, keep=0, toc=False)
    pdf.kpis(key_figures(data))
    moved = progress_sentence(data.get("trend"))
    if moved:
        pdf.para(moved, size=9.5)
    fc = data["roadmap"]["forecast"]
    pdf.heading("Forecast against the target date", level=1, keep=0, toc=False)
    target = data["workspace"].get("target_date")
    if data["roadmap"]["count"]:
        pdf.para(f"{fc.sentence} Roadmap {pct(fc.progress_pct)} complete by effort against "
                 f"{pct(fc.planned_pct)} planned by today." + ("" if target else " No target certification date is set."),
                 size=9.5)
    else:
        pdf.note("No roadmap yet, so no forecast: generate the actions from the open gaps first."
                 + (f" Target certification date: {day(target)}." if target else ""))
    rk = data["risks"]
    pdf.heading("Top risks", level=1, keep=0, toc=False)
    top = rk["top"].head(risks)
    if len(top):
        pdf.table_of(["ID", "Risk", "Score now", "Above appetite", "Treatment", "Owner"],
                     [[r["id"], _short(r["title"], limit), f"{r['current_score']} {r['current_level'] or ''}"
                       if r["current_score"] == r["current_score"] and r["current_score"] is not None else "not rated",
                       "yes" if r["above_appetite"] else "no", r["treatment"] or "not decided", _short(r["owner"], limit)]
                      for r in top.to_dict("records")], [9, 39, 12, 11, 11, 18], size=8,
                     align=["L", "L", "C", "C", "L", "L"])
        if rk["open"] > len(top):
            pdf.note(f"The {len(top)} highest of {rk['open']} open risks; {rk['above_count']} above appetite.")
    else:
        pdf.note("No open risk is recorded yet.")
    pdf.heading("Decisions needed", level=1, keep=0, toc=False)
    shown = data["decisions"][:decisions]
    if shown:
        pdf.bullets([_short(d, limit and limit * 2) for d in shown], size=9.5)
        if len(data["decisions"]) > len(shown):
            pdf.note(f"And {len(data['decisions']) - len(shown)} more in the full report.")
    else:
        pdf.note("Nothing needs a decision today.")
    pdf.set_text_color(*MUTED)
    return pdf


def build(data: dict) -> bytes:
    """The one-page summary as PDF bytes (see the module docstring)."""
    tries = [(5, 8, None), (5, 6, None), (4, 5, None), (3, 4, None), (3, 3, 120), (3, 3, 60), (2, 2, 40)]
    for risks, decisions, limit in tries:
        pdf = _page(data, risks, decisions, limit)
        if pdf.pages_count == 1:
            break
    return bytes(pdf.output())
