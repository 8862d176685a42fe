"""Capture during a workshop: move along the agenda, votes, the agreed rating, notes, item states,
actions for the roadmap and questions for the parking lot; and the agenda's progress and time.

Rules:
- Capture needs a running or paused session (a paused one still takes notes and corrections);
  a planned session must be started first and a closed one is read only.
- Only the item on screen runs a clock, and only while the session runs: opening another item
  adds the elapsed seconds to the current one and starts the new one's clock. The first time an
  item is opened, the assessment's maturity and evidence strength are kept as its "before".
- Votes are attendee -> maturity 0-5; only the session's attendees vote; a blank vote removes it.
  Their spread (`spread`) is min, max and median (the mean of the two middle values for an even
  count).
- An agreed rating (maturity and/or evidence strength) is written to the assessment through
  aims.assessment.requirements.save (permission, conflicts and the change log as on the gap
  analysis), kept on the item with the decision text, and marks the item done.
- Item states: pending, done, skipped, come back.
- An action goes to the roadmap (source 'workshop', source_ref the workshop ID) linked to the
  item's requirement, in the chosen phase or the first one (the default phases are created when
  the roadmap has none). A parked question goes to the parking lot (aims.workshop.parking).
- Time per item (`times`) includes the running clock; an item is over time when its time
  exceeds the session's time box.
"""
from __future__ import annotations

import statistics
from datetime import date, datetime

from aims.access import members
from aims.access.rules import EDIT
from aims.assessment import requirements as assessments
from aims.catalog.standard import Catalog
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, integer, raise_if, text
from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases
from aims.store import conflicts, db, workspaces
from aims.workshop import parking, sessions

STATES = ("pending", "done", "skipped", "come back")
LIVE = ("running", "paused")


# ---- pure functions -----------------------------------------------------------------------------

def spread(votes) -> dict | None:
    """{'n', 'min', 'max', 'median', 'range', 'agree'} of maturity votes (a dict's values or a
    list); None without votes. 2, 3, 3 -> min 2, max 3, median 3, range 1."""
    values = sorted(int(v) for v in (votes.values() if isinstance(votes, dict) else votes) if v is not None)
    if not values:
        return None
    med = statistics.median(values)
    return {"n": len(values), "min": values[0], "max": values[-1], "median": int(med) if med == int(med) else med,
            "range": values[-1] - values[0], "agree": values[0] == values[-1]}


def progress(items: list[dict]) -> dict:
    """Counts of agenda items by state (every state, 0 when none) and 'total'."""
    out = {s: 0 for s in STATES}
    for i in items:
        out[i["state"]] = out.get(i["state"], 0) + 1
    return {**out, "total": len(items)}


def times(items: list[dict], now: datetime, time_box_minutes: int | None = None) -> list[dict]:
    """Per item in agenda order: position, req_id, state, seconds (with the running clock
    up to `now`), running (its clock runs) and over (more than the time box; False without one)."""
    box = None if time_box_minutes is None else int(time_box_minutes) * 60
    out = []
    for i in items:
        opened = i.get("opened_at")
        secs = int(i.get("seconds") or 0) + (max(0, int((now - opened).total_seconds())) if opened is not None else 0)
        out.append({"position": int(i["position"]), "req_id": i["req_id"], "state": i["state"], "seconds": secs,
                    "running": opened is not None, "over": box is not None and secs > box})
    return out


def clock(seconds: int) -> str:
    """'4:05' for 245 seconds, '1:02:03' from an hour on."""
    h, rest = divmod(max(0, int(seconds)), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# ---- writes -------------------------------------------------------------------------------------

def _live(tx, ws: int, wid: str, position: int | None = None) -> tuple[dict, dict | None]:
    """The session (running or paused, else ValidationError) and the item at `position`; the
    edit right is checked here, inside the caller's transaction."""
    s = sessions.require(tx, ws, wid)
    members.require(tx.cur, ws, EDIT, what=f"workshop {wid}")
    if s["status"] not in LIVE:
        raise ValidationError(sessions.refusal(s, LIVE) if s["status"] == "closed"
                              else f"{wid} has not started yet: start it first.")
    item = None
    if position is not None:
        if not 0 <= int(position) < len(s["items"]):
            raise ValidationError(f"{wid} has no agenda item {int(position) + 1}.")
        item = s["items"][int(position)]
    return s, item


def _log_item(cur, ws: int, wid: str, item: dict, new: dict, who) -> int:
    return db.log_diff(cur, ws, "workshop_item", f"{wid}/{item['position'] + 1} {item['req_id']}",
                       {k: item.get(k) for k in new}, new, who)


def _update_item(cur, ws: int, wid: str, item: dict, new: dict, who) -> int:
    if not new:
        return 0
    cur.execute("UPDATE workshop_item SET " + ", ".join(f"{k} = ?" for k in new)       # keys from code
                + " WHERE workspace_id = ? AND workshop_id = ? AND position = ?",
                [*new.values(), ws, wid, int(item["position"])])
    return _log_item(cur, ws, wid, item, new, who)


def open_item(con, workspace_id: int, workshop_id: str, position: int, who: str | None = None,
              now: datetime | None = None) -> None:
    """Put agenda item `position` on screen (next, previous or a jump): the current item's clock
    stops, the new one's starts (while running)."""
    ws, wid, now = int(workspace_id), str(workshop_id), now or datetime.now()
    with db.transaction(con) as tx:
        s, item = _live(tx, ws, wid, position)
        if item["position"] == s["current_position"]:
            return
        sessions.stop_clock(tx.cur, ws, wid, s["current_position"], now)
        sessions.open_on(tx.cur, ws, wid, item["position"], now, clock=s["status"] == "running")
        db.log_change(tx.cur, ws, "workshop", wid, "current_position", s["current_position"] + 1,
                      item["position"] + 1, who)


def record_votes(con, workspace_id: int, workshop_id: str, position: int, votes: dict, who: str | None = None) -> int:
    """Set attendees' votes {attendee: maturity 0-5, or None to remove} on one item; returns the
    number of votes changed."""
    ws, wid = int(workspace_id), str(workshop_id)
    with db.transaction(con) as tx:
        s, item = _live(tx, ws, wid, position)
        p: list[str] = []
        clean = {}
        for name, value in votes.items():
            if name not in s["attendees"]:
                p.append(f"{name} is not an attendee of {wid}: add them to the attendees before they vote.")
                continue
            clean[name] = integer(value, f"{name}'s vote", p, low=0, high=5)
        raise_if(p)
        old = s["votes"].get(item["position"], {})
        changed = {n: v for n, v in clean.items() if old.get(n) != v}
        for name, value in changed.items():
            tx.cur.execute("DELETE FROM workshop_vote WHERE workspace_id = ? AND workshop_id = ? AND position = ?"
                           " AND attendee = ?", [ws, wid, item["position"], name])
            if value is not None:
                tx.cur.execute("INSERT INTO workshop_vote VALUES (?, ?, ?, ?, ?)", [ws, wid, item["position"], name, value])
            db.log_change(tx.cur, ws, "workshop_vote", f"{wid}/{item['position'] + 1} {item['req_id']}", name,
                          old.get(name), value, who)
        return len(changed)


def agree(con, workspace_id: int, workshop_id: str, position: int, catalog: Catalog, *, maturity=None,
          evidence_strength=None, decision=None, who: str | None = None, base: dict | None = None) -> int:
    """Record the rating the room agreed on one item (maturity 0-5 and/or an evidence strength;
    None leaves that one as it is) and the decision text (None: unchanged): written to the
    assessment through requirements.save (`base`: the assessment values the screen showed, for
    its conflict check), kept on the item, which is then done. Returns fields changed."""
    ws, wid = int(workspace_id), str(workshop_id)
    p: list[str] = []
    m = integer(maturity, "Agreed maturity", p, low=0, high=5)
    ev = choice(evidence_strength, "Agreed evidence strength", assessments.EVIDENCE_STRENGTHS, p, default="")
    dec = None if decision is None else text(decision, "Decision", p, limit=LONG_TEXT)
    if m is None and not ev and dec is None and not p:
        p.append("Choose the agreed maturity or evidence strength (or write the decision).")
    raise_if(p)
    with db.transaction(con) as tx:
        s, item = _live(tx, ws, wid, position)
        rating = {k: v for k, v in (("maturity", m), ("evidence_strength", ev or None)) if v is not None}
        n = assessments.save(tx, ws, catalog, {item["req_id"]: rating}, who=who,
                             base=None if base is None else {item["req_id"]: {k: base[k] for k in rating if k in base}}
                             ) if rating else 0
        new = {}
        if m is not None:
            new["maturity_agreed"] = m
        if ev:
            new["evidence_agreed"] = ev
        if dec is not None:
            new["decision"] = dec
        if rating and item["state"] in ("pending", "come back"):
            new["state"] = "done"
        new = {k: v for k, v in new.items() if not conflicts.same(item.get(k), v)}
        return n + _update_item(tx.cur, ws, wid, item, new, who)


def save_notes(con, workspace_id: int, workshop_id: str, position: int, notes, who: str | None = None,
               base: str | None = None) -> int:
    """Set one item's notes (internal: presenter-safe hides them); `base` the notes the screen
    showed. Returns 1 when changed."""
    ws, wid = int(workspace_id), str(workshop_id)
    p: list[str] = []
    value = text(notes, "Notes", p, limit=LONG_TEXT)
    raise_if(p)
    with db.transaction(con) as tx:
        s, item = _live(tx, ws, wid, position)
        write, found = conflicts.settle(f"{wid} item {item['position'] + 1}", {"notes": item["notes"]},
                                        {"notes": value}, None if base is None else {"notes": base})
        conflicts.raise_if_conflicts(tx.cur, ws, "workshop_item", found)
        return _update_item(tx.cur, ws, wid, item, write if not conflicts.same(item["notes"], value) else {}, who)


def set_state(con, workspace_id: int, workshop_id: str, position: int, state: str, who: str | None = None) -> None:
    """Mark one item pending, done, skipped or 'come back'."""
    ws, wid = int(workspace_id), str(workshop_id)
    p: list[str] = []
    value = choice(state, "Item state", STATES, p)
    raise_if(p)
    with db.transaction(con) as tx:
        s, item = _live(tx, ws, wid, position)
        if item["state"] != value:
            _update_item(tx.cur, ws, wid, item, {"state": value}, who)


def add_action(con, workspace_id: int, workshop_id: str, position: int, catalog: Catalog, data: dict,
               who: str | None = None, today: date | None = None) -> str:
    """Raise a roadmap action from one item: data title (required), owner, due, phase_id
    (optional: the first phase), notes. Returns the action's ID."""
    ws, wid, today = int(workspace_id), str(workshop_id), today or date.today()
    p: list[str] = []
    title = text(data.get("title"), "Action", p, required=True)
    text(data.get("owner"), "Owner", p)
    raise_if(p)
    with db.transaction(con) as tx:
        s, item = _live(tx, ws, wid, position)
        roadmap_phases.ensure_phases(tx, ws, (workspaces.get(tx, ws) or {}).get("target_date"), today, who)
        phase_id = data.get("phase_id")
        if blank(phase_id):
            ids = roadmap_phases.phases(tx, ws)["id"].tolist()
            if not ids:
                raise ValidationError("The roadmap has no phase to put the action in: add a phase on the Roadmap page.")
            phase_id = ids[0]
        note = f"Agreed in workshop {wid} ({s['title']}), item {item['position'] + 1}: {item['req_id']}."
        extra = str(data.get("notes") or "").strip()
        aid = roadmap.create_action(tx, ws, catalog, {
            "title": title, "phase_id": phase_id, "owner": data.get("owner") or "", "due": data.get("due"),
            "requirements": [item["req_id"]], "notes": (extra + "\n" + note) if extra else note,
            "source": "workshop", "source_ref": wid}, today=today, who=who)
    return aid


def park(con, workspace_id: int, workshop_id: str, position: int, question, owner="", who: str | None = None,
         today: date | None = None) -> str:
    """Park a question raised on one item (open in the workspace's parking lot until resolved);
    returns its ID like 'PL-001'."""
    ws, wid = int(workspace_id), str(workshop_id)
    with db.transaction(con) as tx:
        s, item = _live(tx, ws, wid, position)
        return parking.add(tx, ws, {"question": question, "owner": owner, "req_id": item["req_id"],
                                    "workshop_id": wid}, who=who, today=today)


def actions(con, workspace_id: int, workshop_id: str):
    """The roadmap actions raised in the session (id, title, owner, due, status, requirements as
    '; '-joined IDs), by ID."""
    with db.reading(con) as cur:
        return cur.execute(
            "SELECT a.id, a.title, a.owner, a.due, a.status, coalesce(string_agg(r.req_id, '; ' ORDER BY r.req_id), '')"
            " AS requirements FROM action a LEFT JOIN action_requirement r ON r.workspace_id = a.workspace_id"
            " AND r.action_id = a.id WHERE a.workspace_id = ? AND a.source = 'workshop' AND a.source_ref = ?"
            " GROUP BY a.id, a.title, a.owner, a.due, a.status ORDER BY a.id", [int(workspace_id), str(workshop_id)]).df()
