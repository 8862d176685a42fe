"""The minutes of a workshop (aims.workshop.minutes) as an Excel workbook: Summary (the session,
attendees, figures and the before/after headline figures), Rated (every agenda item, before and
agreed, votes, decision and notes), Actions, Parking lot and Time. Read-only: a record of the
session, never imported. User text goes through engine.put, so it never runs as a formula."""
from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook

from aims.assessment.requirements import maturity_label
from aims.progress.compare import change_text as moved
from aims.progress.compare import figure_text as shown
from aims.workbook import engine
from aims.workshop.minutes import duration

STATE_FILLS = {"done": engine.GREEN, "skipped": engine.GREY, "come back": engine.AMBER, "pending": engine.GREY,
               "open": engine.AMBER, "resolved": engine.GREEN, "over": engine.ORANGE}

RATED = (("#", 5), ("Requirement", 12), ("Title", 40), ("State", 11), ("Before", 15), ("Agreed", 15),
         ("Evidence before", 13), ("Evidence agreed", 13), ("Votes", 28), ("Lowest vote", 8), ("Highest vote", 8),
         ("Median vote", 8), ("Decision", 40), ("Notes", 40))
ACTIONS = (("Action", 10), ("Title", 50), ("Requirements", 16), ("Owner", 24), ("Due", 12), ("Status", 12))
PARKED = (("ID", 9), ("Question", 60), ("Requirement", 12), ("Owner", 22), ("Status", 11), ("Raised on", 12),
          ("Resolved on", 12), ("Resolution", 40))
TIME = (("#", 5), ("Requirement", 12), ("Title", 40), ("State", 11), ("Minutes", 10), ("Time", 14),
        ("Over time", 10), ("Over by", 14))


def _sheet(wb: Workbook, name: str, columns) -> object:
    sheet = wb.create_sheet(name)
    sheet.sheet_view.showGridLines = False
    for i, (_, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    return sheet


def _finish(sheet) -> None:
    sheet.freeze_panes = "A3"
    engine.print_setup(sheet, "2:2")


def _summary(wb: Workbook, m: dict, workspace_name: str) -> None:
    ws = wb.active
    ws.title = "Summary"
    ws.sheet_view.showGridLines = False
    for col, width in zip("ABCD", (34, 48, 18, 14)):
        ws.column_dimensions[col].width = width
    w, s, t = m["workshop"], m["summary"], m["time"]
    engine.put(ws["A1"], f"Workshop minutes: {workspace_name}")
    ws["A1"].font = engine.TITLE_FONT
    engine.put(ws["A2"], w["title"])
    ws["A2"].font = engine.SUBTITLE_FONT
    box = t["time_box_minutes"]
    session = [["Workshop", w["id"]], ["Date", w["day"]], ["Facilitator", w["facilitator"]],
               ["Status", w["status"]],
               ["Started", w["started_at"] or ""], ["Closed", w["closed_at"] or ""],
               ["Attendees", ", ".join(m["attendees"])],
               ["Time box per item", f"{box} min" if box else "none"]]
    last = 4
    ws.cell(row=last, column=1, value="Session").font = engine.SUBTITLE_FONT
    for label, value in session:
        last += 1
        ws.cell(row=last, column=1, value=label).font = engine.LABEL_FONT
        cell = ws.cell(row=last, column=2)
        engine.put(cell, value)
        cell.alignment = engine.WRAP_TOP
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        lines = engine.line_count(str(value), 48 * 0.9)
        if lines > 1:
            ws.row_dimensions[last].height = min(15 * lines + 2, 240)
    figures = [["Agenda items", s["items"]], ["Covered", s["covered"]], ["Skipped", s["skipped"]],
               ["To come back", s["come_back"]], ["Not reached", s["pending"]],
               ["Rated in the room", s["rated"]], ["Ratings changed", s["changed"]],
               ["Actions raised", s["actions"]], ["Questions parked", s["parked"]],
               ["Parked questions still open", s["parked_open"]],
               ["Time spent", duration(s["total_seconds"])], ["Items over the time box", t["over_time"]]]
    last = engine.block(ws, last + 2, "In figures", ["Figure", "Value"], figures, [34, 48])
    cmp = m.get("comparison")
    if cmp:
        rows = [[r["label"].replace(" (%)", ""), shown(r["metric"], r["before"]), shown(r["metric"], r["after"]),
                 moved(r["metric"], r["change"])] for r in cmp["figures"].to_dict("records")]
        last = engine.block(ws, last + 2, f"Before and after: {cmp['before']['name']} to {cmp['after']['name']}",
                            ["Figure", "Before", "After", "Change"], rows, [34, 48, 18, 14])
    elif m.get("comparison_note"):
        engine.put(ws.cell(row=last + 2, column=1), m["comparison_note"])
    engine.print_setup(ws, None)


def _rated(wb: Workbook, m: dict) -> None:
    sheet = _sheet(wb, "Rated", RATED)
    rows = []
    for i in m["items"]:
        sp = i["spread"] or {}
        votes = "; ".join(f"{v['attendee']}: {v['maturity']}" for v in i["votes"])
        rows.append([i["position"], i["req_id"], i["title"], i["state"], maturity_label(i["maturity_before"]),
                     i["agreed_label"] or "not rated", i["evidence_before"], i["evidence_agreed"], votes,
                     sp.get("min", ""), sp.get("max", ""), sp.get("median", ""), i["decision"], i["notes"]])
    engine.block(sheet, 1, "What was rated: before and agreed", [h for h, _ in RATED], rows,
                 [w for _, w in RATED], fills=STATE_FILLS)
    _finish(sheet)


def _actions(wb: Workbook, m: dict) -> None:
    sheet = _sheet(wb, "Actions", ACTIONS)
    rows = [[a["id"], a["title"], ", ".join(a["requirements"]), a["owner"], a["due"] or "", a["status"]]
            for a in m["actions"]]
    engine.block(sheet, 1, "Actions raised in the workshop (on the roadmap)", [h for h, _ in ACTIONS], rows,
                 [w for _, w in ACTIONS])
    _finish(sheet)


def _parking(wb: Workbook, m: dict) -> None:
    sheet = _sheet(wb, "Parking lot", PARKED)
    rows = [[p["id"], p["question"], p["req_id"], p["owner"], p["status"], p["raised_on"] or "",
             p["resolved_on"] or "", p["resolution"]] for p in m["parking_lot"]]
    engine.block(sheet, 1, "Questions parked in the workshop", [h for h, _ in PARKED], rows,
                 [w for _, w in PARKED], fills=STATE_FILLS)
    _finish(sheet)


def _time(wb: Workbook, m: dict) -> None:
    sheet = _sheet(wb, "Time", TIME)
    box = m["time"]["time_box_minutes"]
    rows = []
    for i in m["items"]:
        over = i["seconds"] - box * 60 if box else 0
        rows.append([i["position"], i["req_id"], i["title"], i["state"], round(i["seconds"] / 60, 1),
                     duration(i["seconds"]), "over" if i["over_time"] else ("within" if box else ""),
                     duration(over) if i["over_time"] else ""])
    rows.append(["", "Total", "", "", round(m["time"]["total_seconds"] / 60, 1), duration(m["time"]["total_seconds"]),
                 "", ""])
    title = f"Time spent per item (time box {box} min)" if box else "Time spent per item (no time box)"
    last = engine.block(sheet, 1, title, [h for h, _ in TIME], rows, [w for _, w in TIME], fills=STATE_FILLS)
    for c in range(1, len(TIME) + 1):
        sheet.cell(row=last, column=c).font = engine.LABEL_FONT
    _finish(sheet)


def build(minutes: dict, workspace_name: str) -> bytes:
    """The workbook's bytes (see the module docstring)."""
    wb = Workbook()
    _summary(wb, minutes, workspace_name)
    _rated(wb, minutes)
    _actions(wb, minutes)
    _parking(wb, minutes)
    _time(wb, minutes)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
