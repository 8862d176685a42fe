"""Workshop sessions: a facilitated client workshop in one workspace, with its attendees and its
agenda (requirements in order). Capture during the session: aims.workshop.capture.

States and transitions (anything else is refused with a message naming the state):
- planned  -> running   `start`: takes the start baseline ("Workshop WS-001 start: <title>"),
                        opens agenda item 0 and starts its clock.
- running  -> paused    `pause`: stops the clock of the item on screen.
- paused   -> running   `resume`: starts it again.
- running/paused -> closed  `close`: stops the clock, takes the closing baseline; a closed
                        session is read only (every write refuses it).
- A planned session can be edited in full (`update`) and deleted (`delete`); a running or paused
  one only changes its presenter-safe flag and time box; a closed one nothing.

Session rules: title required (at most 200 characters), a date, attendees non-empty names of at
most 200 characters without duplicates (ignoring case), an agenda of at least one catalogue
requirement without duplicates, a time box per item of 1-120 minutes or none. IDs ('WS-001') are
local to the workspace. Every write validates first (ValidationError listing every problem,
nothing written), checks the edit right inside its transaction and logs each changed field.
Positions on the agenda count from 0 (the screen shows them from 1).
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.catalog.standard import Catalog
from aims.common.validate import SHORT_TEXT, ValidationError, blank, day, integer, raise_if, text
from aims.progress import baselines
from aims.store import conflicts, db

STATUSES = ("planned", "running", "paused", "closed")
FIELDS = ("title", "day", "facilitator", "time_box_minutes", "presenter_safe", "attendees", "agenda")
LIVE_FIELDS = ("presenter_safe", "time_box_minutes")       # what a running or paused session may change
TEMPLATES = {
    "clauses-4-6": "Clauses 4-6 (context, leadership, planning)",
    "clauses-7-10": "Clauses 7-10 (support, operation, evaluation, improvement)",
    "annex-a-data": "Annex A data and systems (A.6, A.7)",
    "not-assessed": "Everything not yet assessed",
    "group": "One clause or Annex A objective",
}
_TEMPLATE_GROUPS = {"clauses-4-6": ("4", "5", "6"), "clauses-7-10": ("7", "8", "9", "10"),
                    "annex-a-data": ("A.6", "A.7")}


# ---- agenda templates (pure) --------------------------------------------------------------------

def agenda_template(catalog: Catalog, name: str, *, group: str | None = None,
                    assessed: set[str] | None = None, excluded: set[str] | None = None) -> list[str]:
    """The requirement IDs of a template, in catalogue order. 'not-assessed' needs `assessed` (the
    requirements with a maturity rating) and leaves out `excluded` controls; 'group' needs `group`
    (a clause '4'..'10' or an objective 'A.2'..'A.10')."""
    reqs = list(catalog.requirements.values())
    if name in _TEMPLATE_GROUPS:
        return [r.id for r in reqs if r.top_group in _TEMPLATE_GROUPS[name]]
    if name == "not-assessed":
        return [r.id for r in reqs if r.id not in (assessed or set()) and r.id not in (excluded or set())]
    if name == "group":
        if group not in catalog.groups or catalog.groups[group].parent is not None:
            raise ValidationError(f"Choose a clause (4 to 10) or an Annex A objective (A.2 to A.10), not {group!r}.")
        return [r.id for r in reqs if r.top_group == group]
    raise ValidationError(f"Unknown agenda template {name!r} (one of: {', '.join(TEMPLATES)}).")


def workspace_agenda(con, workspace_id: int, catalog: Catalog, name: str, group: str | None = None) -> list[str]:
    """`agenda_template` for the workspace: 'not-assessed' reads its assessment."""
    with db.reading(con) as cur:
        rows = cur.execute("SELECT req_id, maturity, applicable FROM assessment WHERE workspace_id = ?",
                           [int(workspace_id)]).fetchall()
    assessed = {r for r, m, _ in rows if m is not None}
    excluded = {r for r, _, a in rows if a is False}
    return agenda_template(catalog, name, group=group, assessed=assessed, excluded=excluded)


# ---- validation (pure) --------------------------------------------------------------------------

def clean_attendees(value, problems: list[str]) -> list[str]:
    """Attendee names, trimmed, in the order given; blanks, over-long names and duplicates
    (ignoring case) are problems."""
    items = value.tolist() if hasattr(value, "tolist") else list(value or [])
    out, seen = [], set()
    for raw in items:
        if blank(raw):
            problems.append("An attendee's name is empty.")
            continue
        name = str(raw).strip()
        if len(name) > SHORT_TEXT:
            problems.append(f"The attendee name {name[:30]!r}... is {len(name)} characters long; the limit is {SHORT_TEXT}.")
            continue
        if name.lower() in seen:
            problems.append(f"{name} is listed twice among the attendees.")
            continue
        seen.add(name.lower())
        out.append(name)
    return out


def clean_agenda(value, catalog: Catalog, problems: list[str]) -> list[str]:
    """Requirement IDs in order ('6.1.2 AI risk assessment' reads as '6.1.2'); unknown IDs and
    duplicates are problems, and an empty agenda is one."""
    items = value.tolist() if hasattr(value, "tolist") else list(value or [])
    out: list[str] = []
    for raw in items:
        rid = "" if blank(raw) else str(raw).strip().split(" ")[0]
        if rid not in catalog.requirements:
            problems.append(f"Agenda item {raw!r} is not a requirement of the catalogue (use IDs such as 6.1.2 or A.7.4).")
        elif rid in out:
            problems.append(f"{rid} is on the agenda twice.")
        else:
            out.append(rid)
    if not items:
        problems.append("The agenda is empty: choose at least one requirement.")
    return out


def clean(data: dict, catalog: Catalog) -> dict:
    """A validated session record (FIELDS) from a full set of input values; ValidationError
    naming every problem."""
    p: list[str] = []
    out = {
        "title": text(data.get("title"), "Title", p, required=True),
        "day": day(data.get("day"), "Date", p),
        "facilitator": text(data.get("facilitator"), "Facilitator", p),
        "time_box_minutes": integer(data.get("time_box_minutes"), "Time box per item (minutes)", p, low=1, high=120),
        "presenter_safe": bool(data.get("presenter_safe", False)),
        "attendees": clean_attendees(data.get("attendees"), p),
        "agenda": clean_agenda(data.get("agenda"), catalog, p),
    }
    if out["day"] is None and not any(m.startswith("Date") for m in p):
        p.append("Date is required.")
    raise_if(p)
    return out


# ---- reads --------------------------------------------------------------------------------------

def listing(con, workspace_id: int) -> pd.DataFrame:
    """The workspace's sessions, newest date first: id, title, day, facilitator, status, items,
    done (items done), attendees (count), started_at, closed_at."""
    with db.reading(con) as cur:
        return cur.execute(
            "SELECT w.id, w.title, w.day, w.facilitator, w.status,"
            " (SELECT count(*) FROM workshop_item i WHERE i.workspace_id = w.workspace_id AND i.workshop_id = w.id) AS items,"
            " (SELECT count(*) FROM workshop_item i WHERE i.workspace_id = w.workspace_id AND i.workshop_id = w.id"
            "  AND i.state = 'done') AS done,"
            " (SELECT count(*) FROM workshop_attendee a WHERE a.workspace_id = w.workspace_id AND a.workshop_id = w.id)"
            " AS attendees, w.started_at, w.closed_at FROM workshop w WHERE w.workspace_id = ?"
            " ORDER BY w.day DESC, w.id DESC", [int(workspace_id)]).df()


def get(con, workspace_id: int, workshop_id: str) -> dict | None:
    """One session as plain data, or None: the workshop's columns (day a date), `attendees`
    (names), `agenda` (requirement IDs in order), `items` (dicts in agenda order, every
    workshop_item column) and `votes` ({position: {attendee: maturity}})."""
    ws, wid = int(workspace_id), str(workshop_id)
    with db.reading(con) as cur:
        df = cur.execute("SELECT * FROM workshop WHERE workspace_id = ? AND id = ?", [ws, wid]).df()
        if df.empty:
            return None
        row = {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in df.iloc[0].to_dict().items()}
        row["attendees"] = [r[0] for r in cur.execute(
            "SELECT name FROM workshop_attendee WHERE workspace_id = ? AND workshop_id = ? ORDER BY lower(name), name",
            [ws, wid]).fetchall()]
        cols = ["position", "req_id", "state", "seconds", "opened_at", "maturity_before", "evidence_before",
                "maturity_agreed", "evidence_agreed", "decision", "notes"]
        items = cur.execute("SELECT position, req_id, state, seconds, opened_at, maturity_before, evidence_before,"
                            " maturity_agreed, evidence_agreed, decision, notes FROM workshop_item"
                            " WHERE workspace_id = ? AND workshop_id = ? ORDER BY position", [ws, wid]).fetchall()
        votes = cur.execute("SELECT position, attendee, maturity FROM workshop_vote WHERE workspace_id = ? AND"
                            " workshop_id = ? ORDER BY position, attendee", [ws, wid]).fetchall()
    row["day"] = pd.Timestamp(row["day"]).date() if row["day"] is not None else None
    row["presenter_safe"] = bool(row["presenter_safe"])
    row["time_box_minutes"] = None if row["time_box_minutes"] is None else int(row["time_box_minutes"])
    row["current_position"] = int(row["current_position"])
    row["items"] = [dict(zip(cols, r)) for r in items]
    row["agenda"] = [i["req_id"] for i in row["items"]]
    row["votes"] = {}
    for pos, who_voted, m in votes:
        row["votes"].setdefault(int(pos), {})[who_voted] = int(m)
    return row


def require(con, workspace_id: int, workshop_id: str, *states: str) -> dict:
    """The session, or ValidationError when there is none or it is not in one of `states`."""
    s = get(con, workspace_id, workshop_id)
    if s is None:
        raise ValidationError(f"There is no workshop {workshop_id} in this workspace.")
    if states and s["status"] not in states:
        raise ValidationError(refusal(s, states))
    return s


def refusal(s: dict, states: tuple[str, ...]) -> str:
    """Why a session in its state cannot do what needs one of `states`."""
    if s["status"] == "closed":
        return f"{s['id']} is closed: a closed workshop is read only."
    need = " or ".join(states)
    return f"{s['id']} is {s['status']}; this needs a {need} workshop."


# ---- the item clock (inside a caller's transaction) ----------------------------------------------

def stop_clock(cur, ws: int, wid: str, position: int, now: datetime) -> None:
    """Add the time since the item was opened to its seconds and stop its clock (no-op when
    it is not running)."""
    row = cur.execute("SELECT opened_at, seconds FROM workshop_item WHERE workspace_id = ? AND workshop_id = ?"
                      " AND position = ?", [ws, wid, int(position)]).fetchone()
    if row is None or row[0] is None:
        return
    spent = max(0, int((now - row[0]).total_seconds()))
    cur.execute("UPDATE workshop_item SET seconds = ?, opened_at = NULL WHERE workspace_id = ? AND workshop_id = ?"
                " AND position = ?", [int(row[1]) + spent, ws, wid, int(position)])


def open_on(cur, ws: int, wid: str, position: int, now: datetime, clock: bool) -> None:
    """Put the item at `position` on screen: its clock starts when `clock`, and the first time
    it is opened the assessment's maturity and evidence strength are kept as its "before"."""
    row = cur.execute("SELECT req_id, evidence_before FROM workshop_item WHERE workspace_id = ? AND workshop_id = ?"
                      " AND position = ?", [ws, wid, int(position)]).fetchone()
    if row is None:
        raise ValidationError(f"{wid} has no agenda item {int(position) + 1}.")
    if row[1] == "":            # never opened: evidence strength is never blank once recorded
        rec = cur.execute("SELECT maturity, evidence_strength FROM assessment WHERE workspace_id = ? AND req_id = ?",
                          [ws, row[0]]).fetchone()
        cur.execute("UPDATE workshop_item SET maturity_before = ?, evidence_before = ? WHERE workspace_id = ?"
                    " AND workshop_id = ? AND position = ?",
                    [rec[0] if rec else None, (rec[1] if rec else "") or "none", ws, wid, int(position)])
    if clock:
        cur.execute("UPDATE workshop_item SET opened_at = ? WHERE workspace_id = ? AND workshop_id = ? AND position = ?"
                    " AND opened_at IS NULL", [now, ws, wid, int(position)])
    cur.execute("UPDATE workshop SET current_position = ? WHERE workspace_id = ? AND id = ?", [int(position), ws, wid])


# ---- writes -------------------------------------------------------------------------------------

def _logged(values: dict) -> dict:
    out = dict(values)
    for key in ("attendees", "agenda"):
        if key in out:
            out[key] = "; ".join(out[key])
    return out


def _write_people_and_agenda(cur, ws: int, wid: str, new: dict, write: dict) -> None:
    if "attendees" in write:
        cur.execute("DELETE FROM workshop_attendee WHERE workspace_id = ? AND workshop_id = ?", [ws, wid])
        for name in new["attendees"]:
            cur.execute("INSERT INTO workshop_attendee VALUES (?, ?, ?)", [ws, wid, name])
    if "agenda" in write:
        cur.execute("DELETE FROM workshop_item WHERE workspace_id = ? AND workshop_id = ?", [ws, wid])
        for pos, rid in enumerate(new["agenda"]):
            cur.execute("INSERT INTO workshop_item (workspace_id, workshop_id, position, req_id) VALUES (?, ?, ?, ?)",
                        [ws, wid, pos, rid])


def create(con, workspace_id: int, catalog: Catalog, data: dict, who: str | None = None) -> str:
    """Plan a session (status planned); returns its ID like 'WS-001'."""
    new = clean(data, catalog)
    ws, now = int(workspace_id), datetime.now()
    with db.transaction(con) as tx:
        cur = tx.cur
        db.require_workspace(cur, ws)
        members.require(cur, ws, EDIT, what="a new workshop")
        wid = db.next_local_id(cur, "workshop", ws, "WS")
        cur.execute("INSERT INTO workshop (workspace_id, id, title, day, facilitator, presenter_safe, time_box_minutes,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [ws, wid, new["title"], new["day"], new["facilitator"], new["presenter_safe"],
                     new["time_box_minutes"], now, now])
        _write_people_and_agenda(cur, ws, wid, new, new)
        db.log_diff(cur, ws, "workshop", wid, {}, {**_logged(new), "status": "planned"}, who)
    return wid


def update(con, workspace_id: int, workshop_id: str, catalog: Catalog, changes: dict, who: str | None = None,
           base: dict | None = None) -> int:
    """Change a session's FIELDS (a running or paused one: LIVE_FIELDS only; a closed one:
    nothing); returns the number of fields changed. `base` holds what the form showed (see
    aims.store.conflicts)."""
    ws, wid = int(workspace_id), str(workshop_id)
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ValidationError(f"Unknown workshop field(s): {', '.join(unknown)}.")
    with db.transaction(con) as tx:
        s = require(tx, ws, wid)
        members.require(tx.cur, ws, EDIT, what=f"workshop {wid}")
        if s["status"] == "closed":
            raise ValidationError(refusal(s, ("planned",)))
        if s["status"] != "planned" and set(changes) - set(LIVE_FIELDS):
            raise ValidationError(f"{wid} is {s['status']}: only the presenter-safe option and the time box can change "
                                  "now; the title, date, attendees and agenda change only before it starts.")
        stored = {k: s[k] for k in FIELDS}
        new = clean({**stored, **changes}, catalog)
        write, found = conflicts.settle(wid, stored, {k: new[k] for k in changes}, base)
        conflicts.raise_if_conflicts(tx.cur, ws, "workshop", found)
        if not write:
            return 0
        final = {**stored, **write}
        tx.cur.execute("UPDATE workshop SET title = ?, day = ?, facilitator = ?, presenter_safe = ?, time_box_minutes = ?,"
                       " updated_at = ? WHERE workspace_id = ? AND id = ?",
                       [final["title"], final["day"], final["facilitator"], final["presenter_safe"],
                        final["time_box_minutes"], datetime.now(), ws, wid])
        _write_people_and_agenda(tx.cur, ws, wid, final, write)
        return db.log_diff(tx.cur, ws, "workshop", wid, _logged({k: stored[k] for k in write}), _logged(write), who)


def delete(con, workspace_id: int, workshop_id: str, who: str | None = None) -> None:
    """Delete a planned session with its attendees and agenda (a started one is kept: its
    baselines and minutes refer to it)."""
    ws, wid = int(workspace_id), str(workshop_id)
    with db.transaction(con) as tx:
        s = require(tx, ws, wid)
        members.require(tx.cur, ws, EDIT, what=f"workshop {wid}")
        if s["status"] != "planned":
            raise ValidationError(f"{wid} has been started, so it is kept for its minutes; only a planned workshop "
                                  "can be deleted.")
        for table in ("workshop_vote", "workshop_item", "workshop_attendee"):
            tx.cur.execute(f"DELETE FROM {table} WHERE workspace_id = ? AND workshop_id = ?", [ws, wid])  # fixed names
        tx.cur.execute("DELETE FROM workshop WHERE workspace_id = ? AND id = ?", [ws, wid])
        db.log_change(tx.cur, ws, "workshop", wid, "deleted", s["title"], None, who)


def _set_status(cur, ws: int, s: dict, status: str, who, **columns) -> None:
    sets = {"status": status, **columns}
    cur.execute("UPDATE workshop SET " + ", ".join(f"{k} = ?" for k in sets) + ", updated_at = ?"  # keys from code
                " WHERE workspace_id = ? AND id = ?", [*sets.values(), datetime.now(), ws, s["id"]])
    db.log_diff(cur, ws, "workshop", s["id"], {k: s.get(k) for k in sets}, sets, who)


def _baseline(tx, ws: int, s: dict, catalog: Catalog, when: str, who, today: date | None) -> str:
    target = tx.cur.execute("SELECT default_target FROM workspace WHERE id = ?", [ws]).fetchone()[0]
    name = baselines.free_name(tx, ws, f"Workshop {s['id']} {when}: {s['title']}")
    note = f"Taken automatically when workshop {s['id']} {'started' if when == 'start' else 'closed'}."
    return baselines.take(tx, ws, name, catalog, int(target), note=note, who=who, today=today)


def start(con, workspace_id: int, catalog: Catalog, workshop_id: str, who: str | None = None,
          now: datetime | None = None) -> str:
    """Start a planned session: the start baseline, status running, agenda item 0 on screen with
    its clock running. Returns the baseline's ID."""
    ws, wid, now = int(workspace_id), str(workshop_id), now or datetime.now()
    with db.transaction(con) as tx:
        s = require(tx, ws, wid)
        members.require(tx.cur, ws, EDIT, what=f"workshop {wid}")
        if s["status"] != "planned":
            raise ValidationError(f"{wid} is {s['status']}: only a planned workshop can be started"
                                  + (" (resume a paused one)." if s["status"] == "paused" else "."))
        bid = _baseline(tx, ws, s, catalog, "start", who, now.date())
        _set_status(tx.cur, ws, s, "running", who, started_at=now, baseline_start=bid, current_position=0)
        open_on(tx.cur, ws, wid, 0, now, clock=True)
    return bid


def pause(con, workspace_id: int, workshop_id: str, who: str | None = None, now: datetime | None = None) -> None:
    """Pause a running session: the item clock stops."""
    ws, wid, now = int(workspace_id), str(workshop_id), now or datetime.now()
    with db.transaction(con) as tx:
        s = require(tx, ws, wid)
        members.require(tx.cur, ws, EDIT, what=f"workshop {wid}")
        if s["status"] != "running":
            raise ValidationError(refusal(s, ("running",)))
        stop_clock(tx.cur, ws, wid, s["current_position"], now)
        _set_status(tx.cur, ws, s, "paused", who)


def resume(con, workspace_id: int, workshop_id: str, who: str | None = None, now: datetime | None = None) -> None:
    """Resume a paused session: the clock of the item on screen runs again."""
    ws, wid, now = int(workspace_id), str(workshop_id), now or datetime.now()
    with db.transaction(con) as tx:
        s = require(tx, ws, wid)
        members.require(tx.cur, ws, EDIT, what=f"workshop {wid}")
        if s["status"] != "paused":
            raise ValidationError(refusal(s, ("paused",)))
        open_on(tx.cur, ws, wid, s["current_position"], now, clock=True)
        _set_status(tx.cur, ws, s, "running", who)


def close(con, workspace_id: int, catalog: Catalog, workshop_id: str, who: str | None = None,
          now: datetime | None = None) -> str:
    """Close a running or paused session: the clock stops, the closing baseline is taken, and the
    session becomes read only. Returns the baseline's ID."""
    ws, wid, now = int(workspace_id), str(workshop_id), now or datetime.now()
    with db.transaction(con) as tx:
        s = require(tx, ws, wid)
        members.require(tx.cur, ws, EDIT, what=f"workshop {wid}")
        if s["status"] not in ("running", "paused"):
            raise ValidationError(refusal(s, ("running", "paused")) if s["status"] == "closed"
                                  else f"{wid} has not started: start it first, or delete it.")
        stop_clock(tx.cur, ws, wid, s["current_position"], now)
        bid = _baseline(tx, ws, s, catalog, "close", who, now.date())
        _set_status(tx.cur, ws, s, "closed", who, closed_at=now, baseline_close=bid)
    return bid
