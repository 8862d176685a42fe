"""The minutes of a workshop as PDF bytes, for the client: a title block (workshop, client, date,
facilitator, attendees), the summary figures, what was rated (before and agreed), decisions and
notes, actions with owners and due dates, the parking lot, time spent per item against the time
box, and the before/after comparison when the session had a start baseline.
Pure: `build(minutes, workspace, brand)` lays out aims.workshop.minutes.minutes' result.

Every text is wrapped, never cut (the running header is the one exception: it repeats the
client's name, shortened when long; the title block holds it in full). The session's own
planning notes stay out: they may be internal.
"""
from __future__ import annotations

import pandas as pd

from aims.assessment.requirements import maturity_label
from aims.progress.compare import change_text as moved
from aims.progress.compare import figure_text as shown
from aims.reports.pdf_layout import INK, MUTED, ReportPDF, day
from aims.workshop.minutes import duration

TITLE = "Workshop minutes"
STATE_WORDS = {"done": "covered", "skipped": "skipped", "come back": "to come back", "pending": "not reached"}


def _n(value: int, noun: str, plural: str | None = None) -> str:
    return f"{value} {noun if value == 1 else plural or noun + 's'}"


def _stamp(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    try:
        return pd.Timestamp(value).strftime("%d %B %Y %H:%M").lstrip("0")
    except (ValueError, TypeError):
        return str(value)


def _time(value) -> str:
    try:
        return pd.Timestamp(value).strftime("%H:%M")
    except (ValueError, TypeError):
        return "-"


def _evidence(before: str, agreed: str) -> str:
    if not agreed:
        return before or "-"
    return agreed if agreed == before else f"{before or 'none'} -> {agreed}"


def _votes(item: dict) -> str:
    s = item["spread"]
    if not s:
        return "-"
    middle = f"{s['median']:g}"
    return (f"{s['count']} votes, all {s['min']}" if s["range"] == 0
            else f"{s['count']} votes, {s['min']} to {s['max']}, median {middle}")


def _requirement(item: dict) -> str:
    return f"{item['req_id']} {item['title']}".strip()


def _session_line(w: dict) -> str:
    start, close = w.get("started_at"), w.get("closed_at")
    if start is None:
        return "not started"
    if close is None:
        return f"started {_stamp(start)}, {w['status']}"
    same_day = pd.Timestamp(start).date() == pd.Timestamp(close).date()
    return f"{_stamp(start)} to {_time(close) if same_day else _stamp(close)}"


def _title_block(pdf: ReportPDF, m: dict, client: str) -> None:
    w = m["workshop"]
    pdf.add_page()
    right = 45 if pdf.logo else 0
    pdf.set_font("Helvetica", "B", 17)
    lines = pdf.multi_cell(pdf.width - right, 8, w["title"], dry_run=True, output="LINES", align="L")
    band = max(30, 13 + 8 * len(lines) + 5)
    pdf.set_fill_color(*pdf.accent)
    pdf.rect(0, 0, pdf.w, band, style="F")
    if pdf.logo:
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(pdf.w - 18 - 40, 6, 40, 18, style="F")
        pdf._image(pdf.logo, pdf.w - 18 - 38, 7.5, 36, 15)
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(18, 7)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(pdf.width - right, 5, f"{TITLE} | ISO/IEC 42001 workshop", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(18, 13)
    pdf.set_font("Helvetica", "B", 17)
    pdf.multi_cell(pdf.width - right, 8, w["title"], new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(*INK)
    pdf.set_y(band + 5)
    rows = [("Client", client), ("Date", day(w["day"])), ("Facilitator", w["facilitator"] or "-"),
            ("Attendees", ", ".join(m["attendees"]) or "none recorded"), ("Session", _session_line(w)),
            ("Reference", w["id"])]
    for label, value in rows:
        pdf.set_x(pdf.l_margin)
        pdf.set_font("Helvetica", "B", 9.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(28, 5.5, label)
        pdf.set_font("Helvetica", "", 10)
        pdf.set_text_color(*INK)
        pdf.multi_cell(pdf.width - 28, 5.5, value, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(4)


def _figures(pdf: ReportPDF, m: dict) -> None:
    s, t = m["summary"], m["time"]
    box = t["time_box_minutes"]
    left = [f"{n} {word}" for n, word in ((s["skipped"], "skipped"), (s["come_back"], "to come back"),
                                           (s["pending"], "not reached")) if n]
    minutes = round(s["total_seconds"] / 60)
    spent = f"{minutes // 60} h {minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"
    pdf.kpis([
        (f"{s['covered']} of {s['items']}", "Items covered", ", ".join(left) or "every item"),
        (str(s["changed"]), "Ratings changed", f"{s['rated']} of {s['items']} rated in the room"),
        (str(s["actions"]), "Actions raised", "on the roadmap"),
        (str(s["parked"]), "Parked questions", f"{s['parked_open']} still open"),
        (spent, "Time spent", (f"{_n(t['over_time'], 'item')} over the {box} min time box" if box
                               else "no time box set")),
    ], per_row=5)


def _rated(pdf: ReportPDF, m: dict) -> None:
    pdf.heading("What was rated", level=1, keep=30)
    if not m["items"]:
        pdf.note("The agenda had no items.")
        return
    pdf.note("Maturity on the 0-5 scale (0 none to 5 optimising). Before: the rating when the item came up; agreed: the "
             "rating the room agreed. Evidence: none, claimed, documented or verified.")
    pdf.table_of(["Requirement", "State", "Before", "Agreed", "Evidence", "Votes"],
                 [[_requirement(i), STATE_WORDS[i["state"]], i["before_label"], i["agreed_label"] or "not rated",
                   _evidence(i["evidence_before"], i["evidence_agreed"]), _votes(i)] for i in m["items"]],
                 [33, 11, 13, 13, 15, 15], size=8.5)


def _decisions(pdf: ReportPDF, m: dict) -> None:
    pdf.heading("Decisions and notes", level=1, keep=25)
    lines = []
    for i in m["items"]:
        parts = []
        if i["maturity_agreed"] is not None:
            was = i["before_label"].lower() if i["maturity_before"] is None else i["before_label"]
            parts.append(f"agreed {i['agreed_label']} (was {was})")
        if i["decision"].strip():
            parts.append(f"decision: {i['decision'].strip().rstrip('.')}")
        if i["notes"].strip():
            parts.append(f"notes: {i['notes'].strip().rstrip('.')}")
        if parts:
            lines.append(f"{_requirement(i)}: " + "; ".join(parts) + ".")
    if lines:
        pdf.bullets(lines, size=9.5)
    else:
        pdf.note("No rating was agreed and no decision recorded in this session.")


def _actions(pdf: ReportPDF, m: dict) -> None:
    pdf.heading("Actions", level=1, keep=25)
    if not m["actions"]:
        pdf.note("No action was raised in this session.")
        return
    pdf.table_of(["ID", "Action", "Requirement", "Owner", "Due", "Status"],
                 [[a["id"], a["title"], ", ".join(a["requirements"]) or "-", a["owner"] or "not assigned",
                   day(a["due"]) if a["due"] else "not set", a["status"]] for a in m["actions"]],
                 [10, 38, 13, 17, 13, 9], size=8.5)


def _parking(pdf: ReportPDF, m: dict) -> None:
    pdf.heading("Parking lot", level=1, keep=25)
    if not m["parking_lot"]:
        pdf.note("No question was parked in this session.")
        return
    pdf.note("Open questions stay on the workspace's parking lot until they are resolved.")
    rows = []
    for p in m["parking_lot"]:
        status = p["status"]
        if status == "resolved":
            status = f"resolved {day(p['resolved_on'])}" if p["resolved_on"] else "resolved"
            if p["resolution"]:
                status += f": {p['resolution']}"
        rows.append([p["id"], p["question"], p["req_id"] or "-", p["owner"] or "not assigned", status])
    pdf.table_of(["ID", "Question", "Requirement", "Owner", "Status"], rows, [10, 42, 13, 15, 20], size=8.5)


def _timing(pdf: ReportPDF, m: dict) -> None:
    pdf.heading("Time spent", level=1, keep=min(12 + 7 * (len(m["items"]) + 2), 120))   # the table kept whole
    t = m["time"]
    box = t["time_box_minutes"]
    if not m["items"]:
        pdf.note("No time was recorded.")
        return
    rows = []
    for i in m["items"]:
        if box is None:
            against = "-"
        elif i["over_time"]:
            against = f"OVER by {duration(i['seconds'] - box * 60)}"
        else:
            against = "within"
        rows.append([str(i["position"]), _requirement(i), STATE_WORDS[i["state"]], duration(i["seconds"]), against])
    rows.append(["", "Total", "", duration(t["total_seconds"]),
                 f"planned {duration(t['box_seconds'])}" if box else "-"])
    pdf.table_of(["#", "Requirement", "State", "Time", f"Time box ({box} min)" if box else "Time box"], rows,
                 [5, 49, 14, 14, 18], size=8.5, align=["R", "L", "L", "R", "L"])
    if box and t["over_time"]:
        pdf.note(f"{_n(t['over_time'], 'item')} ran over the time box of {box} minutes.")


def _comparison(pdf: ReportPDF, m: dict) -> None:
    cmp = m.get("comparison")
    pdf.heading("Before and after the workshop", level=1, keep=40)
    if not cmp:
        pdf.note(m.get("comparison_note") or "There is no before/after comparison for this session.")
        return
    before, after = cmp["before"], cmp["after"]
    end = (f"the closing baseline {after['name']} ({_stamp(after['taken_at'])})" if after["name"] != "now"
           else f"the workspace now ({_stamp(after['taken_at'])})")
    pdf.para(f"The start baseline {before['name']} ({_stamp(before['taken_at'])}) compared with {end}.", size=9.5)
    figures = cmp["figures"]
    pdf.table_of(["Figure", "Before", "After", "Change"],
                 [[r["label"], shown(r["metric"], r["before"]), shown(r["metric"], r["after"]),
                   moved(r["metric"], r["change"])] for r in figures.to_dict("records")],
                 [46, 18, 18, 18], align=["L", "R", "R", "R"])
    reqs = cmp["requirements"]
    if len(reqs):
        pdf.table_of(["Requirement changed", "Change", "Maturity before", "Maturity after", "Status after"],
                     [[f"{r['req_id']} {r['title']}", r["change"], maturity_label(r["maturity_before"]),
                       maturity_label(r["maturity_after"]), r["status_after"]] for r in reqs.to_dict("records")],
                     [40, 16, 15, 15, 14], size=8.5)
    else:
        pdf.note("No requirement's rating changed between the two baselines.")


def build(minutes: dict, workspace: dict, brand: dict) -> bytes:
    """The minutes as PDF bytes (see the module docstring)."""
    client = workspace.get("organisation") or workspace.get("name") or ""
    header = client if len(client) <= 60 else client[:57].rstrip() + "..."
    pdf = ReportPDF(TITLE, header, (brand or {}).get("colour", ""), (brand or {}).get("logo"))
    pdf.cover_pages = 1                     # the first page has its own band, no running header
    _title_block(pdf, minutes, client)
    _figures(pdf, minutes)
    _rated(pdf, minutes)
    _decisions(pdf, minutes)
    _actions(pdf, minutes)
    _parking(pdf, minutes)
    _timing(pdf, minutes)
    _comparison(pdf, minutes)
    return bytes(pdf.output())
