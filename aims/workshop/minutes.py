"""The minutes of a workshop session as plain data, for the client: who attended, what was rated
(before and agreed), decisions, actions, parked questions, time spent and the before/after
comparison. Read-only: `minutes(con, workspace_id, catalog, workshop_id)`.

Rules:
- Items in agenda order. "Before" is the rating when the item was first opened in the session;
  "agreed" the rating the room agreed (None: not rated in the session). A rating changed when an
  agreed rating differs from the one before (a first rating counts as a change).
- Votes: each attendee's maturity for an item; their spread is min, max and median (the middle
  value, or the mean of the two middle values), and the range max - min.
- A decision is an item with an agreed rating or a decision text.
- Actions are the roadmap actions raised in the session (source 'workshop', source_ref the
  workshop ID); parked questions those with the workshop's ID, open or resolved.
- Time per item is what the session recorded; while a session runs, the item on screen adds the
  time since it was opened. An item is over time when it took longer than the time box.
- The comparison is aims.progress.compare between the start baseline and the closing baseline
  (or the workspace now while the session is not closed); None without a start baseline, or
  when that baseline was deleted since (`comparison_note` says so).
"""
from __future__ import annotations

import statistics
from datetime import date, datetime

from aims.assessment.requirements import maturity_label
from aims.catalog.standard import Catalog
from aims.common.validate import ValidationError
from aims.progress import compare
from aims.store import db

STATES = ("done", "skipped", "come back", "pending")

_WORKSHOP = ("SELECT id, title, day, facilitator, status, time_box_minutes, started_at, closed_at, baseline_start,"
             " baseline_close, notes FROM workshop WHERE workspace_id = ? AND id = ?")
_ITEMS = ("SELECT position, req_id, state, seconds, opened_at, maturity_before, evidence_before, maturity_agreed,"
          " evidence_agreed, decision, notes FROM workshop_item WHERE workspace_id = ? AND workshop_id = ?"
          " ORDER BY position")
_VOTES = ("SELECT position, attendee, maturity FROM workshop_vote WHERE workspace_id = ? AND workshop_id = ?"
          " ORDER BY position, attendee")
_ATTENDEES = "SELECT name FROM workshop_attendee WHERE workspace_id = ? AND workshop_id = ? ORDER BY lower(name), name"
_ACTIONS = ("SELECT id, title, owner, due, status FROM action WHERE workspace_id = ? AND source = 'workshop'"
            " AND source_ref = ? ORDER BY id")
_ACTION_REQS = ("SELECT r.action_id, r.req_id FROM action_requirement r JOIN action a ON a.workspace_id = r.workspace_id"
                " AND a.id = r.action_id WHERE a.workspace_id = ? AND a.source = 'workshop' AND a.source_ref = ?"
                " ORDER BY r.req_id")
_PARKED = ("SELECT id, req_id, question, owner, status, raised_on, resolved_on, resolution FROM parking_lot"
           " WHERE workspace_id = ? AND workshop_id = ? ORDER BY id")
_DEFAULT_TARGET = "SELECT default_target FROM workspace WHERE id = ?"


def spread(values: list[int]) -> dict | None:
    """{count, min, max, median, range} of a list of votes; None when there are none."""
    if not values:
        return None
    low, high = min(values), max(values)
    middle = statistics.median(values)
    return {"count": len(values), "min": low, "max": high, "range": high - low,
            "median": int(middle) if float(middle).is_integer() else float(middle)}


def _rows(cur, sql: str, params: list) -> list[dict]:
    cur.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _int(value) -> int | None:
    return None if value is None else int(value)


def _day(value) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def _item(row: dict, votes: list[dict], catalog: Catalog, box: int | None, running: bool, now: datetime) -> dict:
    req = catalog.requirements.get(row["req_id"])
    seconds = int(row["seconds"] or 0)
    if running and row["opened_at"] is not None:          # the item on screen: its clock still runs
        seconds += max(0, int((now - row["opened_at"]).total_seconds()))
    before, agreed = _int(row["maturity_before"]), _int(row["maturity_agreed"])
    state = row["state"] if row["state"] in STATES else "pending"
    return {
        "position": int(row["position"]), "req_id": row["req_id"], "title": req.title if req else "",
        "kind": req.kind if req else "", "state": state, "seconds": seconds,
        "over_time": box is not None and seconds > box * 60,
        "maturity_before": before, "maturity_agreed": agreed,
        "before_label": maturity_label(before), "agreed_label": maturity_label(agreed) if agreed is not None else "",
        "evidence_before": row["evidence_before"] or "", "evidence_agreed": row["evidence_agreed"] or "",
        "changed": agreed is not None and agreed != before,
        "decision": row["decision"] or "", "notes": row["notes"] or "",
        "votes": [{"attendee": v["attendee"], "maturity": int(v["maturity"])} for v in votes],
        "spread": spread([int(v["maturity"]) for v in votes]),
    }


def _comparison(con, workspace_id: int, catalog: Catalog, default_target: int, session: dict):
    start, close = session["baseline_start"], session["baseline_close"]
    if not start:
        return None, "No baseline was taken when the session started, so there is no before/after comparison."
    try:
        after = close if close and session["status"] == "closed" else None
        return compare.between(con, workspace_id, catalog, default_target, start, after), ""
    except ValidationError:
        return None, (f"The baseline {start} or {close} taken for the session has been deleted since, so there is no "
                      "before/after comparison." if close else
                      f"The start baseline {start} has been deleted since, so there is no before/after comparison.")


def minutes(con, workspace_id: int, catalog: Catalog, workshop_id: str, now: datetime | None = None) -> dict:
    """The minutes of workshop `workshop_id` (see the module rules): workshop (id, title, day,
    facilitator, status, time_box_minutes, started_at, closed_at, baseline_start, baseline_close,
    notes), attendees (names), items (one dict per agenda item), decisions (the items with an
    agreed rating or a decision), actions (id, title, owner, due, status, requirements), parking_lot
    (id, req_id, question, owner, status, raised_on, resolved_on, resolution), summary (counts),
    time (total_seconds, time_box_minutes, box_seconds, over_time), comparison and comparison_note.
    ValidationError for an unknown workshop."""
    ws, wid = int(workspace_id), str(workshop_id or "").strip()
    now = now or datetime.now()
    with db.reading(con) as cur:
        found = _rows(cur, _WORKSHOP, [ws, wid])
        if not found:
            raise ValidationError(f"There is no workshop {wid or '(none given)'} in this workspace.")
        session = found[0]
        items = _rows(cur, _ITEMS, [ws, wid])
        votes = _rows(cur, _VOTES, [ws, wid])
        attendees = [r["name"] for r in _rows(cur, _ATTENDEES, [ws, wid])]
        actions = _rows(cur, _ACTIONS, [ws, wid])
        links = _rows(cur, _ACTION_REQS, [ws, wid])
        parked = _rows(cur, _PARKED, [ws, wid])
        target = cur.execute(_DEFAULT_TARGET, [ws]).fetchone()
    session = {**session, "day": _day(session["day"]), "time_box_minutes": _int(session["time_box_minutes"]),
               "baseline_start": session["baseline_start"] or "", "baseline_close": session["baseline_close"] or ""}
    box = session["time_box_minutes"]
    running = session["status"] == "running"
    by_item: dict[int, list[dict]] = {}
    for v in votes:
        by_item.setdefault(int(v["position"]), []).append(v)
    listed = [_item(r, by_item.get(int(r["position"]), []), catalog, box, running, now) for r in items]
    reqs: dict[str, list[str]] = {}
    for link in links:
        reqs.setdefault(link["action_id"], []).append(link["req_id"])
    acts = [{**a, "due": _day(a["due"]), "requirements": reqs.get(a["id"], [])} for a in actions]
    lot = [{**p, "raised_on": _day(p["raised_on"]), "resolved_on": _day(p["resolved_on"])} for p in parked]
    decisions = [i for i in listed if i["maturity_agreed"] is not None or i["decision"].strip()]
    total = sum(i["seconds"] for i in listed)
    counts = {s: sum(1 for i in listed if i["state"] == s) for s in STATES}
    summary = {
        "items": len(listed), "covered": counts["done"], "skipped": counts["skipped"],
        "come_back": counts["come back"], "pending": counts["pending"],
        "rated": sum(1 for i in listed if i["maturity_agreed"] is not None),
        "changed": sum(1 for i in listed if i["changed"]), "decisions": len(decisions),
        "actions": len(acts), "parked": len(lot), "parked_open": sum(1 for p in lot if p["status"] != "resolved"),
        "attendees": len(attendees), "total_seconds": total,
    }
    time = {"total_seconds": total, "time_box_minutes": box,
            "box_seconds": None if box is None else box * 60 * len(listed),
            "over_time": sum(1 for i in listed if i["over_time"])}
    default_target = int(target[0]) if target and target[0] is not None else 3
    comparison, note = _comparison(con, ws, catalog, default_target, session)
    return {"workshop": session, "attendees": attendees, "items": listed, "decisions": decisions, "actions": acts,
            "parking_lot": lot, "summary": summary, "time": time, "comparison": comparison, "comparison_note": note}


def status(con, workspace_id: int, workshop_id: str) -> str | None:
    """The session's status ('planned', 'running', 'paused', 'closed'), None for an unknown one."""
    with db.reading(con) as cur:
        row = cur.execute("SELECT status FROM workshop WHERE workspace_id = ? AND id = ?",
                          [int(workspace_id), str(workshop_id or "").strip()]).fetchone()
    return None if row is None else row[0]


def duration(seconds) -> str:
    """'1 h 05 min', '12 min 30 s', '45 s' (for tables and summaries)."""
    s = max(0, int(seconds or 0))
    if s >= 3600:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    if s >= 60:
        return f"{s // 60} min" + (f" {s % 60:02d} s" if s % 60 else "")
    return f"{s} s"
