"""Roadmap phases and the effort scale of a workspace.

Rules (also shown on the Roadmap page):
- Default phases come from data/catalog/roadmap.json and run from the engagement's start (the
  workspace's creation) to the target certification date, the day the certificate is expected:
  Stage 2 ends six weeks before it, and the last phase (closure of the Stage 2 findings and the
  certification decision) ends on it; see `back_plan`. Everything stays editable.
- Generated actions go to the phase of their requirement's nature, except where roadmap.json
  names a phase for the requirement (monitoring and measurement, 9.1, starts with the controls it
  measures, so that results exist by Stage 1).
- Effort is S, M, L or XL; each size is a number of person-days, editable per workspace
  (defaults in roadmap.json; the sizes must grow S < M < L < XL).
- Every write validates all input first (ValidationError listing every problem, nothing
  written), then runs one transaction that logs each changed field.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT, READ
from aims.catalog.standard import CatalogError, load_json
from aims.common.validate import ValidationError, blank, day, integer, raise_if, text
from aims.store import conflicts, db

EFFORTS = ("S", "M", "L", "XL")
PHASE_FIELDS = ("name", "position", "start", "finish")
MAX_POSITION = 99
MAX_EFFORT_DAYS = 250


# ---- the default template -------------------------------------------------------------------

@dataclass(frozen=True)
class PhaseTemplate:
    key: str
    name: str
    weeks: int
    finish_weeks_before_target: int
    natures: tuple[str, ...]
    summary: str
    anchored: bool = False      # timed by the audit calendar: keeps its place before the target


@dataclass(frozen=True)
class Template:
    version: str
    phases: tuple[PhaseTemplate, ...]
    effort_days: dict[str, int]
    effort_meaning: dict[str, str]
    gap_titles: dict[str, str]
    requirement_phases: dict[str, str]    # requirement ID -> phase key, where not its nature's phase

    def phase(self, key: str) -> PhaseTemplate | None:
        return next((p for p in self.phases if p.key == key), None)


@lru_cache(maxsize=1)
def template() -> Template:
    """The default roadmap from data/catalog/roadmap.json, validated (CatalogError when broken)."""
    raw = load_json("roadmap.json")
    problems = []
    try:
        phases = tuple(PhaseTemplate(p["key"], p["name"], int(p["weeks"]), int(p["finish_weeks_before_target"]),
                                     tuple(p.get("natures", [])), p.get("summary", ""), bool(p.get("anchored", False)))
                       for p in raw["phases"])
        effort = {e["size"]: int(e["days"]) for e in raw["effort"]}
        meaning = {e["size"]: e.get("meaning", "") for e in raw["effort"]}
        titles = dict(raw["gap_titles"])
        by_requirement = dict(raw.get("requirement_phases", {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"catalogue error: roadmap.json: {exc}") from exc
    if len({p.key for p in phases}) != len(phases) or not phases:
        problems.append("phase keys must be unique and there must be at least one phase")
    if any(p.weeks < 1 or p.finish_weeks_before_target < 0 for p in phases):
        problems.append("phase weeks must be at least 1 and offsets not negative")
    if sum(p.finish_weeks_before_target == 0 for p in phases) < 1:
        problems.append("one phase must end on the target date")
    if tuple(effort) != EFFORTS:
        problems.append(f"effort sizes must be exactly {EFFORTS} in that order")
    elif _effort_problems(effort):
        problems.extend(_effort_problems(effort))
    natures = {n for p in phases for n in p.natures}
    if not natures <= set(titles):
        problems.append(f"gap_titles lacks a wording for {sorted(natures - set(titles))}")
    from aims.catalog.standard import CLAUSE_IDS, CONTROL_IDS
    keys = {p.key for p in phases}
    for req_id, key in by_requirement.items():
        if req_id not in CLAUSE_IDS + CONTROL_IDS or key not in keys:
            problems.append(f"requirement_phases: {req_id} -> {key} names an unknown requirement or phase")
    if problems:
        raise CatalogError("catalogue error: roadmap.json: " + "; ".join(problems))
    return Template(raw.get("version", ""), phases, effort, meaning, titles, by_requirement)


def _effort_problems(scale: dict) -> list[str]:
    values = [scale.get(s) for s in EFFORTS]
    if None in values or any(not earlier < later for earlier, later in zip(values, values[1:])):
        return ["Effort days must grow with the size: S < M < L < XL (now "
                + ", ".join(f"{s} {scale.get(s)}" for s in EFFORTS) + ")."]
    return []


# ---- planning back -------------------------------------------------------------------------

def back_plan(phases, target: date | None, today: date, begin: date | None = None) -> tuple[list[dict], str]:
    """Dates for the template phases from the engagement's start to the target; returns (rows, note).

    - begin = the engagement's start (the workspace's creation) when given and not after today,
      else today: the first phase (the gap analysis) is under way from then.
    - span = the earliest phase start, in days before the target (finish offset + duration).
    - Target more than `span` days after begin: the anchored phases (internal audit and the
      certification audits, timed by the audit calendar) keep their place before the target
      (finish = target - offset, start = finish - duration); the other phases keep their order
      and overlaps and are spread evenly from begin to the start of the first anchored phase
      (every offset from the plan's start scaled by the same factor, rounded to whole days);
      the note says so.
    - Target exactly `span` days after begin: planned back from the target as is.
    - Target in the future but closer than `span`: every offset and duration is scaled by
      (target - begin) / span, rounded to whole days (at least one day each), so the plan starts
      at begin and the last phase still ends on the target; the note says by how much it was
      compressed.
    - No target, or a target today or in the past: planned as if the target were begin + span,
      and the note says so.
    Rows: {template, name, position, start, finish}; positions 1..n in template order.
    """
    begin = begin if begin is not None and begin <= today else today
    span = max((p.finish_weeks_before_target + p.weeks) * 7 for p in phases)
    note, factor = "", 1.0
    if target is None or target <= today:
        anchor = begin + timedelta(days=span)
        note = ("No target certification date is set" if target is None else
                f"The target date {target.isoformat()} is not in the future") + \
            f": the phases are planned from {'today' if begin == today else begin.isoformat()}, which puts the " \
            f"certificate at {anchor.isoformat()}."
    elif (target - begin).days < span:
        anchor, factor = target, (target - begin).days / span
        note = (f"The target date leaves {(target - begin).days} days, less than the {span} days the default plan "
                f"needs: every phase was compressed to {factor:.0%} of its usual length. Check the dates.")
    elif (target - begin).days > span:
        return _spread(phases, target, begin, span)
    else:
        anchor = target
    rows = []
    for i, p in enumerate(phases, start=1):
        finish = anchor - timedelta(days=round(p.finish_weeks_before_target * 7 * factor))
        length = max(1, round(p.weeks * 7 * factor))
        rows.append({"template": p.key, "name": p.name, "position": i,
                     "start": finish - timedelta(days=length), "finish": finish})
    return rows, note


def _spread(phases, target: date, begin: date, span: int) -> tuple[list[dict], str]:
    """back_plan with time to spare (see there): anchored phases before the target, the rest
    spread from begin to the first anchored phase's start."""
    cut = max(((p.finish_weeks_before_target + p.weeks) * 7 for p in phases if p.anchored), default=0)
    window = (target - timedelta(days=cut) - begin).days
    factor = window / (span - cut) if span > cut else 1.0
    rows = []
    for i, p in enumerate(phases, start=1):
        finish = target - timedelta(days=p.finish_weeks_before_target * 7)
        start = finish - timedelta(days=p.weeks * 7)
        if not p.anchored:
            start = begin + timedelta(days=round((span - (p.finish_weeks_before_target + p.weeks) * 7) * factor))
            finish = max(start + timedelta(days=1),
                         begin + timedelta(days=round((span - p.finish_weeks_before_target * 7) * factor)))
        rows.append({"template": p.key, "name": p.name, "position": i, "start": start, "finish": finish})
    prep_end = target - timedelta(days=cut)
    note = (f"The target date leaves {(target - begin).days} days, more than the {span} days the default plan needs: "
            f"the plan starts on {begin.isoformat()} with {phases[0].name.lower()}, the preparation phases are "
            f"spread to {prep_end.isoformat()}, and the internal audit, the certification audits and the "
            "certification decision keep their usual place before the target.")
    return rows, note


# ---- reads -----------------------------------------------------------------------------------

def _engagement_start(cur, ws_id: int) -> date | None:
    """The day the workspace was created (the engagement's start), or None for an unknown one."""
    row = cur.execute("SELECT CAST(created_at AS DATE) FROM workspace WHERE id = ?", [int(ws_id)]).fetchone()
    return row[0] if row else None


def _settings_row(cur, ws_id: int):
    return cur.execute("SELECT effort_s, effort_m, effort_l, effort_xl, phases_planned_at FROM roadmap_setting"
                       " WHERE workspace_id = ?", [int(ws_id)]).fetchone()


def effort_scale(con, ws_id: int) -> dict[str, int]:
    """Person-days per effort size for a workspace (the defaults until edited)."""
    with db.reading(con) as cur:
        row = _settings_row(cur, ws_id)
    return dict(zip(EFFORTS, row[:4])) if row else dict(template().effort_days)


def phases(con, ws_id: int) -> pd.DataFrame:
    """The workspace's phases in order: id, name, template, position, start, finish (dates)."""
    with db.reading(con) as cur:
        df = cur.execute("SELECT id, name, template, position, start, finish FROM phase WHERE workspace_id = ?"
                         " ORDER BY position, start, id", [int(ws_id)]).df()
    for col in ("start", "finish"):
        df[col] = [pd.Timestamp(v).date() for v in df[col]]
    return df


# ---- settings and phases (writes) ---------------------------------------------------------------

def set_effort_scale(con, ws_id: int, values: dict, who: str | None = None, base: dict | None = None) -> int:
    """Set the person-days of each effort size (whole days 1-250, growing S < M < L < XL);
    returns the number of sizes changed. `base` holds the scale the user's form was opened on:
    sizes left as shown are not written, one someone else changed since raises EditConflict."""
    with db.transaction(con) as tx:
        p: list[str] = []
        old = effort_scale(tx, ws_id)
        new = {s: integer(values.get(s, old[s]), f"Effort days for {s}", p, low=1, high=MAX_EFFORT_DAYS,
                          allow_none=False) for s in EFFORTS}
        if base is not None and not p:
            write, found = conflicts.settle("effort scale", old, {s: new[s] for s in values if s in new}, base)
            conflicts.raise_if_conflicts(tx.cur, int(ws_id), "roadmap", found, field_as=lambda s: f"effort_{s}")
            new = {s: write.get(s, old[s]) for s in EFFORTS}
        return _write_effort_scale(tx, ws_id, old, new, p, who)


def _write_effort_scale(tx, ws_id: int, old: dict, new: dict, p: list[str], who: str | None) -> int:
    if not p:
        p.extend(_effort_problems(new))
    raise_if(p)
    with db.writing(tx) as cur:
        db.require_workspace(cur, ws_id)
        members.require(cur, ws_id, EDIT)
        _upsert_settings(cur, ws_id, new)
        return db.log_diff(cur, int(ws_id), "roadmap", "effort scale",
                           {f"effort_{s}": old[s] for s in EFFORTS}, {f"effort_{s}": new[s] for s in EFFORTS}, who)


def _upsert_settings(cur, ws_id: int, scale: dict, planned_at: datetime | None = None) -> None:
    cur.execute("INSERT INTO roadmap_setting VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id) DO UPDATE SET"
                " effort_s = excluded.effort_s, effort_m = excluded.effort_m, effort_l = excluded.effort_l,"
                " effort_xl = excluded.effort_xl,"
                " phases_planned_at = coalesce(roadmap_setting.phases_planned_at, excluded.phases_planned_at),"
                " updated_at = excluded.updated_at",
                [int(ws_id)] + [scale[s] for s in EFFORTS] + [planned_at, datetime.now()])


def ensure_phases(con, ws_id: int, target: date | None, today: date | None = None,
                  who: str | None = None) -> str | None:
    """Give a workspace its default phases, planned from the engagement's start (the workspace's
    creation) to `target` (see back_plan), the first time only (dropping every phase later does
    not bring them back). Returns the planning note ('' when planned back normally) when phases
    were created, None when the roadmap already existed."""
    today = today or date.today()
    with db.reading(con) as cur:
        # the default plan appears the first time anyone opens the roadmap, a viewer included
        members.require(cur, ws_id, READ)
        row = _settings_row(cur, ws_id)
        begin = _engagement_start(cur, ws_id)
    if row and row[4] is not None:
        return None
    rows, note = back_plan(template().phases, target, today, begin)
    now = datetime.now()
    with db.writing(con) as cur:
        db.require_workspace(cur, ws_id)
        members.require(cur, ws_id, READ)
        if (_settings_row(cur, ws_id) or [None] * 5)[4] is not None:
            return None
        existing = cur.execute("SELECT count(*) FROM phase WHERE workspace_id = ?", [int(ws_id)]).fetchone()[0]
        if not existing:
            for r in rows:
                pid = db.next_local_id(cur, "phase", ws_id, "PH", 2)
                cur.execute("INSERT INTO phase VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [int(ws_id), pid, r["name"], r["template"], r["position"], r["start"], r["finish"],
                             now, now])
                db.log_diff(cur, int(ws_id), "phase", pid, {}, {k: r[k] for k in ("name",) + PHASE_FIELDS[1:]}, who)
        _upsert_settings(cur, ws_id, dict(zip(EFFORTS, row[:4])) if row else template().effort_days, now)
    return note


def replan_phases(con, ws_id: int, target: date | None, today: date | None = None,
                  who: str | None = None) -> tuple[int, str]:
    """Re-apply the back-planning from `target` to the phases created from the template (names
    and order kept; phases a user added are untouched; actions keep their dates). Returns
    (fields changed, planning note)."""
    today = today or date.today()
    with db.reading(con) as cur:
        begin = _engagement_start(cur, ws_id)
    rows, note = back_plan(template().phases, target, today, begin)
    by_key = {r["template"]: r for r in rows}
    current = phases(con, ws_id)
    changed = 0
    with db.writing(con) as cur:
        db.require_workspace(cur, ws_id)
        members.require(cur, ws_id, EDIT)
        for ph in current.itertuples():
            plan = by_key.get(ph.template)
            if plan is None:
                continue
            old, new = {"start": ph.start, "finish": ph.finish}, {"start": plan["start"], "finish": plan["finish"]}
            n = db.log_diff(cur, int(ws_id), "phase", ph.id, old, new, who)
            if n:
                cur.execute("UPDATE phase SET start = ?, finish = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                            [new["start"], new["finish"], datetime.now(), int(ws_id), ph.id])
                changed += n
    return changed, note


def _clean_phase(values: dict, label: str, p: list[str]) -> dict:
    out = {}
    for f, v in values.items():
        if f == "name":
            out[f] = text(v, f"{label} name", p, limit=80, required=True)
        elif f == "position":
            out[f] = integer(v, f"{label} order", p, low=1, high=MAX_POSITION, allow_none=False)
        elif f in ("start", "finish"):
            out[f] = day(v, f"{label} {f}", p)
            if out[f] is None and not any(f in m for m in p[-1:]):
                p.append(f"{label} {f} date is required.")
        else:
            p.append(f"{label}: {f!r} is not an editable field.")
    return out


def _phase_rules(merged: dict[str, dict], p: list[str]) -> None:
    names: dict[str, str] = {}
    for pid, r in merged.items():
        if r["start"] and r["finish"] and r["finish"] < r["start"]:
            p.append(f"Phase {r['name'] or pid}: the finish date {r['finish']} is before the start date "
                     f"{r['start']}; move one of them.")
        key = (r["name"] or "").strip().lower()
        if key and key in names:
            p.append(f"Two phases are named {r['name']!r} ({names[key]} and {pid}); give each phase its own name.")
        names[key] = pid


def save_phases(con, ws_id: int, changes: dict[str, dict], who: str | None = None,
                base: dict[str, dict] | None = None) -> int:
    """Edit phases {phase_id: {name, position, start, finish}}; returns the fields changed.

    Order: positions are renumbered 1..n after the change, so typing 2 moves a phase to second
    place (ahead of the phase that was second). Names must stay unique, finish >= start.
    `base`: the values the user's screen showed (see aims.store.conflicts).
    """
    with db.transaction(con) as tx:
        return _save_phases(tx, ws_id, changes, who, base)


def _save_phases(tx, ws_id: int, changes: dict[str, dict], who: str | None, base: dict[str, dict] | None) -> int:
    members.require(tx.cur, ws_id, EDIT)
    current = phases(tx, ws_id)
    known = {r["id"]: {f: r[f] for f in PHASE_FIELDS} for r in current.to_dict("records")}
    p: list[str] = []
    cleaned, found = {}, []
    for pid, values in changes.items():
        if pid not in known:
            p.append(f"There is no phase {pid!r} in this workspace.")
            continue
        cleaned[pid] = _clean_phase(values, f"Phase {known[pid]['name']}", p)
        if base is not None:
            seen = _clean_phase(base.get(pid, {}), "", [])
            cleaned[pid], clash = conflicts.settle(pid, known[pid], cleaned[pid], seen)
            found += clash
    conflicts.raise_if_conflicts(tx.cur, int(ws_id), "phase", found)
    merged = {pid: {**old, **cleaned.get(pid, {})} for pid, old in known.items()}
    _phase_rules(merged, p)
    raise_if(p)
    # Renumber: the new position wins, a moved phase goes ahead of the one it lands on.
    moved = {pid for pid, c in cleaned.items() if "position" in c}
    order = sorted(merged, key=lambda pid: (merged[pid]["position"], pid not in moved, known[pid]["position"]))
    for i, pid in enumerate(order, start=1):
        merged[pid]["position"] = i
    changed = 0
    with db.writing(tx) as cur:
        for pid, new in merged.items():
            n = db.log_diff(cur, int(ws_id), "phase", pid, known[pid], new, who)
            if n:
                changed += n
                cur.execute("UPDATE phase SET name = ?, position = ?, start = ?, finish = ?, updated_at = ?"
                            " WHERE workspace_id = ? AND id = ?",
                            [new["name"], new["position"], new["start"], new["finish"], datetime.now(), int(ws_id), pid])
    return changed


def add_phase(con, ws_id: int, data: dict, who: str | None = None) -> str:
    """Add a phase {name, start, finish, position (optional: last)}; returns its ID."""
    current = phases(con, ws_id)
    p: list[str] = []
    values = {f: data.get(f) for f in ("name", "start", "finish")}
    row = _clean_phase(values, "New phase", p)
    row["position"] = integer(data.get("position"), "New phase order", p, low=1, high=MAX_POSITION) \
        or len(current) + 1
    merged = {r["id"]: {f: r[f] for f in PHASE_FIELDS} for r in current.to_dict("records")}
    merged["(new)"] = row
    _phase_rules(merged, p)
    raise_if(p)
    now = datetime.now()
    with db.writing(con) as cur:
        db.require_workspace(cur, ws_id)
        members.require(cur, ws_id, EDIT)
        pid = db.next_local_id(cur, "phase", ws_id, "PH", 2)
        for other in current.itertuples():  # make room at the chosen position
            if other.position >= row["position"]:
                cur.execute("UPDATE phase SET position = position + 1 WHERE workspace_id = ? AND id = ?",
                            [int(ws_id), other.id])
                db.log_change(cur, int(ws_id), "phase", other.id, "position", other.position, other.position + 1, who)
        cur.execute("INSERT INTO phase VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)",
                    [int(ws_id), pid, row["name"], row["position"], row["start"], row["finish"], now, now])
        db.log_diff(cur, int(ws_id), "phase", pid, {}, row, who)
    return pid


def delete_phase(con, ws_id: int, phase_id: str, move_to: str | None = None, who: str | None = None) -> int:
    """Drop a phase; its actions move to `move_to` (required when it holds any). Returns the
    number of actions moved."""
    current = phases(con, ws_id).set_index("id")
    p: list[str] = []
    if phase_id not in current.index:
        raise ValidationError(f"There is no phase {phase_id!r} in this workspace.")
    with db.reading(con) as cur:
        held = [r[0] for r in cur.execute("SELECT id FROM action WHERE workspace_id = ? AND phase_id = ? ORDER BY id",
                                          [int(ws_id), phase_id]).fetchall()]
    if held:
        if blank(move_to):
            p.append(f"Phase {current.at[phase_id, 'name']} holds {len(held)} action(s): choose the phase to move "
                     "them to before dropping it.")
        elif move_to not in current.index or move_to == phase_id:
            p.append(f"Move the actions to another existing phase, not {move_to!r}.")
    raise_if(p)
    with db.writing(con) as cur:
        members.require(cur, ws_id, EDIT)
        for aid in held:
            cur.execute("UPDATE action SET phase_id = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                        [move_to, datetime.now(), int(ws_id), aid])
            db.log_change(cur, int(ws_id), "action", aid, "phase_id", phase_id, move_to, who)
        cur.execute("DELETE FROM phase WHERE workspace_id = ? AND id = ?", [int(ws_id), phase_id])
        db.log_change(cur, int(ws_id), "phase", phase_id, "deleted", current.at[phase_id, "name"], None, who)
        rest = [pid for pid in current.index if pid != phase_id]
        for i, pid in enumerate(rest, start=1):
            if int(current.at[pid, "position"]) != i:
                cur.execute("UPDATE phase SET position = ? WHERE workspace_id = ? AND id = ?", [i, int(ws_id), pid])
                db.log_change(cur, int(ws_id), "phase", pid, "position", int(current.at[pid, "position"]), i, who)
    return len(held)
