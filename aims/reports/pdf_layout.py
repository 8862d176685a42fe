"""The page furniture of the client PDFs: an FPDF subclass with the cover, headings, running
header and footer ("Page X of Y"), the workspace's colour and logo, wrapped tables that repeat
their header row, and text that never raises.

Fonts: the PDF core font Helvetica (no font file to ship or find). It shows Latin-1 only, so
every string goes through `clean` on its way in (FPDF.normalize_text is the one door all text
passes): typographic quotes and dashes become their plain forms, accented letters outside
Latin-1 lose their accent, symbols such as emoji are left out and letters of other scripts
become '?'. A string is
never cut: long words break across lines inside their cell.
"""
from __future__ import annotations

import io
import unicodedata
from datetime import date

from fpdf import FPDF
from fpdf.fonts import FontFace

DEFAULT_COLOUR = "#1f4e79"
INK = (27, 36, 48)
MUTED = (95, 107, 122)
RULE = (200, 206, 214)
ZEBRA = (243, 245, 248)
MAP = {"\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2013": "-",
       "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u2022": "-", "\u2192": "->", "\u2190": "<-", "\u2264": "<=",
       "\u2265": ">=", "\u2260": "!=", "\u20ac": "EUR", "\u2122": "(TM)", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
       "\t": "    ", "\u2010": "-", "\u2011": "-", "\u2032": "'", "\u2033": '"', "\u2713": "v", "\u2717": "x",
       # Latin letters with no decomposition into a Latin-1 letter and an accent
       "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0152": "OE", "\u0153": "oe", "\u0131": "i",
       "\u0126": "H", "\u0127": "h", "\u0166": "T", "\u0167": "t", "\u014a": "N", "\u014b": "n"}
_SILENT = {"\u200b", "\u200c", "\u200d", "\ufe0e", "\ufe0f", "\u2060", "\ufeff", "\r"}


def clean(text) -> str:
    """`text` in characters Helvetica shows (see the module docstring); never raises."""
    text = "" if text is None else str(text)
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch in _SILENT:
            continue
        if ch in MAP:
            out.append(MAP[ch])
        elif ord(ch) < 256:
            out.append(ch if ch == "\n" or ord(ch) >= 32 else " ")
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 256 and not unicodedata.combining(c))
            if base or unicodedata.category(ch)[0] not in "SC":    # symbols (emoji) drop, letters show as '?'
                out.append(base or "?")
    return "".join(out)


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _luminance(c: tuple[int, int, int]) -> float:
    def ch(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])


def readable(colour: str) -> tuple[int, int, int]:
    """The brand colour darkened until white text on it (and it as text on white) reads in print:
    a contrast ratio of at least 4.5 with white."""
    c = rgb(colour or DEFAULT_COLOUR)
    while (1.05 / (_luminance(c) + 0.05)) < 4.5:
        c = tuple(int(v * 0.85) for v in c)
    return c


def tint(c: tuple[int, int, int], share: float = 0.88) -> tuple[int, int, int]:
    """A pale version of colour c (share of white mixed in), for fills behind dark text."""
    return tuple(int(v + (255 - v) * share) for v in c)


def day(value: date | None) -> str:
    return value.strftime("%d %B %Y").lstrip("0") if value else "-"


def pct(value) -> str:
    """'42.5%' or a dash when there is no denominator."""
    if value is None or value != value:          # None or NaN: nothing to divide by
        return "-"
    return f"{float(value):.1f}%".replace(".0%", "%")


class ReportPDF(FPDF):
    """A4 portrait, 18 mm margins; `title` runs in the header of every page after the cover."""

    def __init__(self, title: str, client: str, colour: str = "", logo: bytes | None = None):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report_title, self.client = title, client
        self.accent = readable(colour)
        self.logo = logo
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(clean(f"{title}: {client}"))
        self.set_author("AIMS Workbench")
        self.set_creator("AIMS Workbench")
        self.alias_nb_pages()
        self.cover_pages = 1
        self.set_text_color(*INK)

    # every string passes here (cell, multi_cell, text, table cells, string widths)
    def normalize_text(self, text: str) -> str:
        return super().normalize_text(clean(text))

    def header(self):
        if self.page_no() <= self.cover_pages:
            return
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*MUTED)
        self.set_xy(self.l_margin, 9)
        right = self.w - self.r_margin
        if self.logo:
            self._image(self.logo, right - 24, 6, 24, 9)
            right -= 28
        self.cell(right - self.l_margin, 5, f"{self.report_title} | {self.client}", align="L")
        self.set_draw_color(*self.accent)
        self.set_line_width(0.4)
        self.line(self.l_margin, 15.5, self.w - self.r_margin, 15.5)
        self.set_text_color(*INK)
        self.set_y(20)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(*INK)

    def _image(self, data: bytes, x: float, y: float, w: float, h: float) -> bool:
        """Draw a logo fitted in the box (right-aligned); a broken image is skipped, never raised."""
        try:
            info = self.image(io.BytesIO(data), x=x, y=y, h=h, keep_aspect_ratio=True, w=w)
            return info is not None
        except Exception:   # noqa: BLE001 - a logo that does not decode must not stop the report
            self.logo = None
            return False

    # ---- text blocks ------------------------------------------------------------------------------

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def heading(self, text: str, level: int = 0, keep: float = 40, toc: bool = True, toc_name: str = "") -> None:
        """A section heading (level 0 starts a page-sized section, level 1 a subsection), listed in
        the outline and the table of contents. It moves to the next page unless `keep` mm of
        content fit below it, so a heading never sits alone at a page bottom."""
        size = {0: 16, 1: 12.5, 2: 11}[level]
        if self.will_page_break(size * 0.6 + keep):
            self.add_page()
        if level == 0 and self.y > self.t_margin + 1:
            self.ln(4)
        self.set_x(self.l_margin)
        if toc:
            self.start_section(clean(toc_name or text), level=min(level, 1), strict=False)
        self.set_font("Helvetica", "B", size)
        self.set_text_color(*(self.accent if level < 2 else INK))
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        if level == 0:
            self.set_draw_color(*self.accent)
            self.set_line_width(0.6)
            self.line(self.l_margin, self.y + 1, self.l_margin + 30, self.y + 1)
            self.ln(4)
        else:
            self.ln(1.5)
        self.set_text_color(*INK)

    def para(self, text: str, size: float = 10, style: str = "", colour=INK, after: float = 2.5) -> None:
        self.set_x(self.l_margin)
        self.set_font("Helvetica", style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_text_color(*INK)
        self.ln(after)

    def bullets(self, items: list[str], size: float = 10) -> None:
        self.set_font("Helvetica", "", size)
        for item in items:
            if self.will_page_break(size * 0.5 * 2):
                self.add_page()
            y = self.y
            self.set_xy(self.l_margin + 1, y)
            self.set_fill_color(*self.accent)
            self.rect(self.l_margin + 1, y + size * 0.2, 1.4, 1.4, style="F")
            self.set_xy(self.l_margin + 5, y)
            self.multi_cell(self.width - 5, size * 0.5, item, new_x="LMARGIN", new_y="NEXT", align="L")
            self.ln(1)
        self.ln(1.5)

    def text_height(self, text: str, size: float = 10, style: str = "", width: float | None = None) -> float:
        """The height `para` would give `text` (lines x line height), to keep blocks together."""
        self.set_font("Helvetica", style, size)
        lines = self.multi_cell(width or self.width, size * 0.5, text, dry_run=True, output="LINES")
        return len(lines) * size * 0.5

    def note(self, text: str) -> None:
        """A muted sentence saying why a section is empty or how a figure is counted."""
        self.para(text, size=9, style="I", colour=MUTED)

    def kpis(self, items: list[tuple[str, str, str]], per_row: int = 4) -> None:
        """Boxes of (value, label, detail): the key figures in large type."""
        gap, h = 4, 27
        w = (self.width - gap * (per_row - 1)) / per_row
        rows = [items[i:i + per_row] for i in range(0, len(items), per_row)]
        for row in rows:
            if self.will_page_break(h + 3):
                self.add_page()
            y = self.y
            for i, (value, label, detail) in enumerate(row):
                x = self.l_margin + i * (w + gap)
                self.set_fill_color(*tint(self.accent, 0.9))
                self.set_draw_color(*tint(self.accent, 0.6))
                self.set_line_width(0.3)
                self.rect(x, y, w, h, style="DF")
                self.set_fill_color(*self.accent)
                self.rect(x, y, 1.6, h, style="F")
                self.set_xy(x + 4, y + 2.5)
                self.set_font("Helvetica", "B", 16)
                self.set_text_color(*self.accent)
                self.cell(w - 6, 8, value)
                self.set_xy(x + 4, y + 11)
                self.set_font("Helvetica", "B", 8.5)
                self.set_text_color(*INK)
                self.multi_cell(w - 6, 4, label, new_x="LEFT", new_y="NEXT", align="L")
                self.set_x(x + 4)
                self.set_font("Helvetica", "", 7.5)
                self.set_text_color(*MUTED)
                self.multi_cell(w - 6, 3.5, detail, new_x="LEFT", new_y="NEXT", align="L")
            self.set_text_color(*INK)
            self.set_y(y + h + 3)
        self.ln(1)

    def table_of(self, header: list[str], rows: list[list], widths: list[float], size: float = 8.5,
                 align: list[str] | None = None) -> None:
        """A wrapped table (text never cut, long words broken) whose header row repeats on every
        page it spans; `widths` are shares of the text width; `align` per column ('L', 'C', 'R')."""
        if not rows:
            return
        self.set_font("Helvetica", "", size)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.set_fill_color(255, 255, 255)    # the rows between the striped ones take the current fill
        heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=self.accent)
        aligns = align or ["L"] * len(header)
        if self.will_page_break(size * 0.5 * 3 + 8):
            self.add_page()
        with self.table(col_widths=widths, width=self.width, line_height=size * 0.48, text_align=aligns,
                        headings_style=heading, cell_fill_color=ZEBRA, cell_fill_mode="ROWS",
                        borders_layout="HORIZONTAL_LINES", padding=(1.2, 1.5), v_align="TOP",
                        repeat_headings=1) as table:
            row = table.row()
            for h in header:
                row.cell(h)
            for values in rows:
                row = table.row()
                for v in values:
                    row.cell("" if v is None else str(v))
        self.ln(3)

    # ---- the cover and the contents ------------------------------------------------------------

    def cover(self, kicker: str, title: str, client: str, lines: list[tuple[str, str]], scope: str = "") -> None:
        """The cover page: a band in the accent colour, the logo, the title and the client, then
        label/value lines (organisation, date, assessor, version) and the scope in full."""
        self.add_page()
        self.set_fill_color(*self.accent)
        self.rect(0, 0, self.w, 92, style="F")
        if self.logo:
            self.set_fill_color(255, 255, 255)
            self.rect(self.w - 18 - 52, 14, 52, 26, style="F")
            self._image(self.logo, self.w - 18 - 50, 16, 48, 22)
        self.set_text_color(255, 255, 255)
        self.set_xy(18, 40)
        self.set_font("Helvetica", "", 11)
        self.cell(0, 6, kicker, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "B", 24)
        self.multi_cell(self.w - 36, 10, title, new_x="LMARGIN", new_y="NEXT")
        self.set_y(104)
        self.set_text_color(*INK)
        self.set_font("Helvetica", "B", 20)
        self.multi_cell(0, 9, client, new_x="LMARGIN", new_y="NEXT")
        self.ln(6)
        for label, value in lines:
            if not value:
                continue
            self.set_font("Helvetica", "B", 10)
            self.set_text_color(*MUTED)
            self.cell(38, 6, label)
            self.set_font("Helvetica", "", 10.5)
            self.set_text_color(*INK)
            self.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
        if scope:
            self.ln(5)
            self.set_font("Helvetica", "B", 10)
            self.set_text_color(*MUTED)
            self.cell(0, 6, "Scope of the AI management system", new_x="LMARGIN", new_y="NEXT")
            self.set_font("Helvetica", "", 10)
            self.set_text_color(*INK)
            self.multi_cell(0, 5, scope, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def contents(self) -> None:
        """Reserve the page after the cover for the table of contents (drawn at the end)."""
        self.add_page()
        self.insert_toc_placeholder(_render_toc, pages=1)


def _render_toc(pdf: ReportPDF, outline) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font("Helvetica", "B", 16)
    pdf.set_text_color(*pdf.accent)
    pdf.cell(0, 9, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    room = (pdf.h - pdf.b_margin - pdf.y) / 6.2
    shown = [s for s in outline if s.level == 0 or len(outline) <= room]
    for section in shown:
        top = section.level == 0
        pdf.set_font("Helvetica", "B" if top else "", 10.5 if top else 9.5)
        pdf.set_text_color(*INK)
        indent = 0 if top else 6
        name, page = clean(section.name), str(section.page_number)
        link = pdf.add_link(page=section.page_number)
        x0 = pdf.l_margin + indent
        pdf.set_x(x0)
        name_w = min(pdf.get_string_width(name), pdf.width - indent - 20)
        pdf.cell(name_w + 1, 6.2 if top else 5.6, name, link=link)
        dots_w = pdf.width - indent - name_w - 1 - pdf.get_string_width(page) - 2
        dots = "." * max(0, int(dots_w / max(pdf.get_string_width("."), 0.1)) - 1)
        pdf.set_text_color(*MUTED)
        pdf.cell(dots_w, 6.2 if top else 5.6, dots, align="R")
        pdf.set_text_color(*INK)
        pdf.cell(0, 6.2 if top else 5.6, page, align="R", link=link, new_x="LMARGIN", new_y="NEXT")
        if top:
            pdf.ln(0.6)
