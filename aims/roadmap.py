"""Implementation roadmap: phases planned back from the target date, actions (generated from
gaps and risk treatment plans, or added by hand), their links, priorities and the effort scale.

Rules (also shown on the Roadmap page):
- Default phases come from data/catalog/roadmap.json and are planned back from the workspace's
  target certification date (Stage 2 ends on it); see `back_plan`. Everything stays editable.
- Effort is S, M, L or XL; each size is a number of person-days, editable per workspace
  (defaults in roadmap.json; the sizes must grow S < M < L < XL).
- Derived priority (see `derive_priority`) comes from the linked requirements (size of the gap,
  mandatory documented information) and the linked risks (their level before treatment); an
  override set by the user wins.
- "Generate from gaps" creates one action per requirement below target (optionally also per
  requirement not assessed yet) that has no open action, and never touches existing actions, so
  running it again creates nothing new and keeps every edit. A requirement whose action was done
  after its last rating is left alone: it waits for a re-rating (`awaiting_rerating`), and a
  maturity rating is never changed here.
- "Generate from risks" creates one action per risk treated by mitigate, transfer or avoid, not
  closed, with no open action linked to it; linked to the risk and to its planned controls.
- Every write validates all input first (ValidationError listing every problem, nothing
  written), then runs one transaction that logs each changed field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import pandas as pd

from . import assessments, db, frames, scoring
from .catalog import Catalog, CatalogError, load_json
from .validate import LONG_TEXT, ValidationError, blank, choice, day, integer, raise_if, text

STATUSES = ("to do", "in progress", "blocked", "done")
EFFORTS = ("S", "M", "L", "XL")
PRIORITIES = ("critical", "high", "medium", "low")          # highest first
SOURCES = ("gap", "risk", "manual")
RISK_TREATMENTS_WITH_ACTIONS = ("mitigate", "transfer", "avoid")
ACTION_FIELDS = ("title", "phase_id", "owner", "effort", "priority_override", "start", "due", "status",
                 "percent", "notes", "done_at")
LINK_FIELDS = ("requirements", "risks")
PHASE_FIELDS = ("name", "position", "start", "finish")
MAX_POSITION = 99
MAX_EFFORT_DAYS = 250

_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[A-Za-z]{2,}$")
_NAME = re.compile(r"^[^\W\d_][\w .'’&/-]*?(\s*\([^()]{1,80}\))?$")


# ---- the default template -------------------------------------------------------------------

@dataclass(frozen=True)
class PhaseTemplate:
    key: str
    name: str
    weeks: int
    finish_weeks_before_target: int
    natures: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class Template:
    version: str
    phases: tuple[PhaseTemplate, ...]
    effort_days: dict[str, int]
    effort_meaning: dict[str, str]
    gap_titles: dict[str, str]

    def phase(self, key: str) -> PhaseTemplate | None:
        return next((p for p in self.phases if p.key == key), None)


@lru_cache(maxsize=1)
def template() -> Template:
    """The default roadmap from data/catalog/roadmap.json, validated (CatalogError when broken)."""
    raw = load_json("roadmap.json")
    problems = []
    try:
        phases = tuple(PhaseTemplate(p["key"], p["name"], int(p["weeks"]), int(p["finish_weeks_before_target"]),
                                     tuple(p.get("natures", [])), p.get("summary", "")) for p in raw["phases"])
        effort = {e["size"]: int(e["days"]) for e in raw["effort"]}
        meaning = {e["size"]: e.get("meaning", "") for e in raw["effort"]}
        titles = dict(raw["gap_titles"])
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
    if problems:
        raise CatalogError("catalogue error: roadmap.json: " + "; ".join(problems))
    return Template(raw.get("version", ""), phases, effort, meaning, titles)


def _effort_problems(scale: dict) -> list[str]:
    values = [scale.get(s) for s in EFFORTS]
    if None in values or any(not earlier < later for earlier, later in zip(values, values[1:])):
        return ["Effort days must grow with the size: S < M < L < XL (now "
                + ", ".join(f"{s} {scale.get(s)}" for s in EFFORTS) + ")."]
    return []


# ---- pure rules ------------------------------------------------------------------------------

def back_plan(phases, target: date | None, today: date) -> tuple[list[dict], str]:
    """Dates for the template phases, planned back from `target`; returns (rows, note).

    - span = the earliest phase start, in days before the target (finish offset + duration).
    - Target at least `span` days after today: finish = target - offset, start = finish - duration.
    - Target in the future but closer than `span`: every offset and duration is scaled by
      (target - today) / span, rounded to whole days (at least one day each), so the plan starts
      today and Stage 2 still ends on the target; the note says by how much it was compressed.
    - No target, or a target today or in the past: planned as if the target were today + span,
      and the note says so.
    Rows: {template, name, position, start, finish}; positions 1..n in template order.
    """
    span = max((p.finish_weeks_before_target + p.weeks) * 7 for p in phases)
    note, factor = "", 1.0
    if target is None or target <= today:
        anchor = today + timedelta(days=span)
        note = ("No target certification date is set" if target is None else
                f"The target date {target.isoformat()} is not in the future") + \
            f": the phases are planned from today, which puts Stage 2 at {anchor.isoformat()}."
    elif (target - today).days < span:
        anchor, factor = target, (target - today).days / span
        note = (f"The target date leaves {(target - today).days} days, less than the {span} days the default plan "
                f"needs: every phase was compressed to {factor:.0%} of its usual length. Check the dates.")
    else:
        anchor = target
    rows = []
    for i, p in enumerate(phases, start=1):
        finish = anchor - timedelta(days=round(p.finish_weeks_before_target * 7 * factor))
        length = max(1, round(p.weeks * 7 * factor))
        rows.append({"template": p.key, "name": p.name, "position": i,
                     "start": finish - timedelta(days=length), "finish": finish})
    return rows, note


def gap_priority(status: str, gap, mandatory: bool) -> str:
    """The priority one linked requirement suggests.

    gap 1 -> low, 2 -> medium, 3 or more -> high; not assessed -> medium (the gap is unknown);
    at target or excluded -> low. Mandatory documented information raises a gap or a
    not-assessed requirement one level (an auditor asks for it at Stage 1).
    """
    if status == "gap":
        base = "low" if gap <= 1 else "medium" if gap == 2 else "high"
    elif status == "not assessed":
        base = "medium"
    else:
        return "low"
    return _raise(base) if mandatory else base


def _raise(level: str) -> str:
    return PRIORITIES[max(0, PRIORITIES.index(level) - 1)]


def derive_priority(requirements: list[dict], risk_levels: list[tuple[str, str]]) -> tuple[str, str]:
    """(priority, reason) for an action from its links; the highest signal wins.

    `requirements`: dicts with req_id, status, gap, mandatory_doc; `risk_levels`: (risk_id,
    level) pairs for linked risks that are not closed. No link at all gives medium.
    """
    best: tuple[int, str] | None = None
    for r in requirements:
        level = gap_priority(r["status"], r.get("gap"), bool(r.get("mandatory_doc")))
        if r["status"] == "gap":
            why = f"gap of {int(r['gap'])} on {r['req_id']}"
        else:
            why = f"{r['req_id']} {r['status']}"
        if bool(r.get("mandatory_doc")) and r["status"] in ("gap", "not assessed"):
            why += " (mandatory documentation)"
        if best is None or PRIORITIES.index(level) < best[0]:
            best = (PRIORITIES.index(level), why)
    for risk_id, level in risk_levels:
        if level in PRIORITIES and (best is None or PRIORITIES.index(level) < best[0]):
            best = (PRIORITIES.index(level), f"linked risk {risk_id} is {level}")
    if best is None:
        return "medium", "no linked requirement or risk"
    return PRIORITIES[best[0]], best[1]


def suggested_effort(status: str, gap) -> str:
    """Effort suggested for a generated action, about a week of work per maturity level to
    climb: a gap of 1 is M, 2 is L, 3 or more is XL; rating a not-assessed requirement is S."""
    if status != "gap":
        return "S"
    return EFFORTS[min(3, max(1, int(gap)))]


def risk_effort(level: str | None) -> str:
    """Effort suggested for a risk treatment action: critical L, high or medium M, low S."""
    return {"critical": "L", "high": "M", "medium": "M"}.get(level or "", "S")


def owner_problem(owner: str, label: str) -> str | None:
    """A message when `owner` is not one recognisable owner (a name, optionally with the role in
    brackets, or an e-mail address); None when it is fine or blank."""
    if not owner or _EMAIL.match(owner) or _NAME.match(owner):
        return None
    return (f"{label} {owner!r} is not a recognisable owner: give one person or team by name, optionally "
            "with the role in brackets (e.g. 'Priya Shah (CRO)'), or an e-mail address.")


def schedule(phase_start: date, phase_finish: date, effort_days: int, today: date) -> tuple[date, date]:
    """(start, due) of a generated action: its phase's window, never starting before today, and
    never due sooner than its effort in days allows."""
    start = max(phase_start, today)
    return start, max(phase_finish, start + timedelta(days=effort_days))


# ---- reads -----------------------------------------------------------------------------------

def _ws_exists(cur, ws_id: int) -> bool:
    return cur.execute("SELECT 1 FROM workspace WHERE id = ?", [int(ws_id)]).fetchone() is not None


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


def risks_available(con) -> bool:
    """True when the risk register exists in this database."""
    with db.reading(con) as cur:
        return _has_table(cur, "risk") and _has_table(cur, "risk_control")


def _has_table(cur, name: str) -> bool:
    return cur.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]).fetchone() is not None


def risk_titles(con, ws_id: int) -> dict[str, str]:
    """{risk ID: title} of the workspace's risks in ID order ({} without a risk register)."""
    if not risks_available(con):
        return {}
    with db.reading(con) as cur:
        rows = cur.execute("SELECT id, title FROM risk WHERE workspace_id = ?", [int(ws_id)]).fetchall()
    return dict(sorted(rows, key=lambda r: (len(r[0]), r[0])))


def _risk_criteria(con, ws_id: int) -> dict:
    """The workspace's risk criteria (bands) from the risk register, or its defaults."""
    try:
        from . import risks
        return risks.criteria(con, ws_id)
    except (ImportError, AttributeError):
        from . import risk_scoring
        return risk_scoring.defaults()


def risk_level(likelihood, impact, crit: dict | None = None) -> str | None:
    """The level of a likelihood x impact score with the given criteria (bands), or with the
    default bands when none: 1-4 low, 5-9 medium, 10-15 high, 16-25 critical."""
    from . import risk_scoring
    return risk_scoring.level(risk_scoring.score(likelihood, impact), crit or risk_scoring.defaults())


def _risk_frame(con, ws_id: int) -> pd.DataFrame:
    """Risks of a workspace with `level` (before treatment) and `controls` (planned, a list)."""
    cols = ["id", "title", "treatment", "status", "owner", "due", "level", "controls"]
    if not risks_available(con):
        return pd.DataFrame(columns=cols)
    with db.reading(con) as cur:
        r = cur.execute("SELECT id, title, treatment, status, owner, due, inherent_likelihood, inherent_impact"
                        " FROM risk WHERE workspace_id = ? ORDER BY id", [int(ws_id)]).df()
        links = cur.execute("SELECT risk_id, control_id FROM risk_control WHERE workspace_id = ?"
                            " ORDER BY control_id", [int(ws_id)]).df()
    crit = _risk_criteria(con, ws_id)
    from . import risk_scoring
    r["level"] = [risk_scoring.level(risk_scoring.score(lik, imp), crit)
                  for lik, imp in zip(r["inherent_likelihood"], r["inherent_impact"])]
    grouped = frames.group_lists(links["risk_id"], links["control_id"])
    r["controls"] = [grouped.get(i, []) for i in r["id"]]
    r["due"] = frames.dates(r["due"])
    return r[cols]


def _links(cur, ws_id: int) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    reqs = cur.execute("SELECT action_id, req_id FROM action_requirement WHERE workspace_id = ?", [int(ws_id)]).df()
    risks = cur.execute("SELECT action_id, risk_id FROM action_risk WHERE workspace_id = ? ORDER BY risk_id",
                        [int(ws_id)]).df()
    return (frames.group_lists(reqs["action_id"], reqs["req_id"]),
            frames.group_lists(risks["action_id"], risks["risk_id"]))


def requirement_status(con, ws_id: int, catalog: Catalog, default_target: int) -> pd.DataFrame:
    """The gap-analysis status of every requirement (scoring.with_status over the assessments)."""
    return scoring.with_status(assessments.table(con, ws_id, catalog, default_target))


def actions(con, ws_id: int, catalog: Catalog, default_target: int, today: date | None = None) -> pd.DataFrame:
    """Every action of a workspace with its links, phase, effort in days and priorities.

    Columns: the stored fields, requirements and risks (sorted lists), phase (name),
    phase_position, effort_days, priority_derived, priority_reason, priority (the override when
    set, else the derived one), overdue (bool). Ordered by phase, then priority, due and ID.
    """
    today = today or date.today()
    with db.reading(con) as cur:
        df = cur.execute("SELECT a.*, p.name AS phase, p.position AS phase_position FROM action a"
                         " LEFT JOIN phase p ON p.workspace_id = a.workspace_id AND p.id = a.phase_id"
                         " WHERE a.workspace_id = ?", [int(ws_id)]).df().drop(columns=["workspace_id"])
        req_links, risk_links = _links(cur, ws_id)
    for col in ("start", "due", "done_at"):
        df[col] = frames.dates(df[col])
    scale = effort_scale(con, ws_id)
    df["effort_days"] = df["effort"].map(scale).astype(float)
    order = _req_order(catalog)
    df["requirements"] = [sorted(req_links.get(i, []), key=order) for i in df["id"]]
    df["risks"] = [risk_links.get(i, []) for i in df["id"]]
    status = requirement_status(con, ws_id, catalog, default_target).set_index("req_id")
    req_info = {rid: {"req_id": rid, "status": row["status"], "gap": None if pd.isna(row["gap"]) else int(row["gap"]),
                      "mandatory_doc": bool(row["mandatory_doc"])} for rid, row in status.iterrows()}
    risk_info = {}
    if any(df["risks"].map(len)):
        rf = _risk_frame(con, ws_id)
        risk_info = {r.id: r.level for r in rf.itertuples() if r.status != "closed"}
    derived = [derive_priority([req_info[r] for r in reqs if r in req_info],
                               [(k, risk_info[k]) for k in rks if k in risk_info])
               for reqs, rks in zip(df["requirements"], df["risks"])]
    df["priority_derived"] = [d[0] for d in derived]
    df["priority_reason"] = [d[1] for d in derived]
    df["priority"] = df["priority_override"].where(df["priority_override"].notna() & (df["priority_override"] != ""),
                                                   df["priority_derived"])
    df["phase_position"] = df["phase_position"].fillna(MAX_POSITION + 1).astype(int)
    df["percent"] = df["percent"].astype(int)
    due = pd.to_datetime(df["due"])
    df["overdue"] = ((due < pd.Timestamp(today)).fillna(False) & (df["status"] != "done")).astype(bool)
    df["_p"] = df["priority"].map({p: i for i, p in enumerate(PRIORITIES)})
    df = df.sort_values(["phase_position", "_p", "due", "id"], na_position="last").drop(columns="_p")
    return df.reset_index(drop=True)


def _req_order(catalog: Catalog):
    order = {rid: i for i, rid in enumerate(catalog.requirements)}
    return lambda rid: order.get(rid, len(order))


def awaiting_rerating(con, ws_id: int, catalog: Catalog, default_target: int) -> pd.DataFrame:
    """Requirements to re-rate: linked to a done action that was recorded as done after the
    requirement's last rating, and still below target or not assessed. The app invites the
    re-rating; it never changes a maturity by itself.

    Columns: req_id, title, status, maturity, target, action_id, action_title, done_at
    (the latest such action per requirement).
    """
    with db.reading(con) as cur:
        df = cur.execute(
            "SELECT l.req_id, a.id AS action_id, a.title AS action_title, a.done_at, s.updated_at AS rated_at"
            " FROM action a JOIN action_requirement l ON l.workspace_id = a.workspace_id AND l.action_id = a.id"
            " LEFT JOIN assessment s ON s.workspace_id = a.workspace_id AND s.req_id = l.req_id"
            " WHERE a.workspace_id = ? AND a.status = 'done' AND a.done_logged_at IS NOT NULL"
            " AND (s.updated_at IS NULL OR s.updated_at < a.done_logged_at)"
            " ORDER BY a.done_at DESC, a.id", [int(ws_id)]).df()
    cols = ["req_id", "title", "status", "maturity", "target", "action_id", "action_title", "done_at"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.drop_duplicates("req_id")
    status = requirement_status(con, ws_id, catalog, default_target)[["req_id", "title", "status", "maturity", "target"]]
    out = df.merge(status, on="req_id")
    out = out[out["status"].isin(["gap", "not assessed"])]
    out["done_at"] = [pd.Timestamp(v).date() for v in out["done_at"]]
    out["_o"] = out["req_id"].map(_req_order(catalog))
    return out.sort_values("_o")[cols].reset_index(drop=True)


# ---- settings and phases (writes) ---------------------------------------------------------------

def _require_ws(cur, ws_id: int) -> None:
    if not _ws_exists(cur, ws_id):
        raise ValidationError(f"There is no workspace with id {ws_id}.")


def set_effort_scale(con, ws_id: int, values: dict, who: str | None = None) -> int:
    """Set the person-days of each effort size (whole days 1-250, growing S < M < L < XL);
    returns the number of sizes changed."""
    p: list[str] = []
    old = effort_scale(con, ws_id)
    new = {s: integer(values.get(s, old[s]), f"Effort days for {s}", p, low=1, high=MAX_EFFORT_DAYS,
                      allow_none=False) for s in EFFORTS}
    if not p:
        p.extend(_effort_problems(new))
    raise_if(p)
    with db.writing(con) as cur:
        _require_ws(cur, ws_id)
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
    """Give a workspace its default phases, planned back from `target`, the first time only
    (dropping every phase later does not bring them back). Returns the planning note ('' when
    planned back normally) when phases were created, None when the roadmap already existed."""
    today = today or date.today()
    with db.reading(con) as cur:
        row = _settings_row(cur, ws_id)
    if row and row[4] is not None:
        return None
    rows, note = back_plan(template().phases, target, today)
    now = datetime.now()
    with db.writing(con) as cur:
        _require_ws(cur, ws_id)
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
    rows, note = back_plan(template().phases, target, today)
    by_key = {r["template"]: r for r in rows}
    current = phases(con, ws_id)
    changed = 0
    with db.writing(con) as cur:
        _require_ws(cur, ws_id)
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


def save_phases(con, ws_id: int, changes: dict[str, dict], who: str | None = None) -> int:
    """Edit phases {phase_id: {name, position, start, finish}}; returns the fields changed.

    Order: positions are renumbered 1..n after the change, so typing 2 moves a phase to second
    place (ahead of the phase that was second). Names must stay unique, finish >= start.
    """
    current = phases(con, ws_id)
    known = {r["id"]: {f: r[f] for f in PHASE_FIELDS} for r in current.to_dict("records")}
    p: list[str] = []
    cleaned = {}
    for pid, values in changes.items():
        if pid not in known:
            p.append(f"There is no phase {pid!r} in this workspace.")
            continue
        cleaned[pid] = _clean_phase(values, f"Phase {known[pid]['name']}", p)
    merged = {pid: {**old, **cleaned.get(pid, {})} for pid, old in known.items()}
    _phase_rules(merged, p)
    raise_if(p)
    # Renumber: the new position wins, a moved phase goes ahead of the one it lands on.
    moved = {pid for pid, c in cleaned.items() if "position" in c}
    order = sorted(merged, key=lambda pid: (merged[pid]["position"], pid not in moved, known[pid]["position"]))
    for i, pid in enumerate(order, start=1):
        merged[pid]["position"] = i
    changed = 0
    with db.writing(con) as cur:
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
        _require_ws(cur, ws_id)
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


# ---- actions (writes) ------------------------------------------------------------------------------

@dataclass
class SaveResult:
    """What a save did: fields changed, and the actions it marked done with their linked
    requirements (the page invites a re-rating of those)."""
    changed: int = 0
    newly_done: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Context:
    ws_id: int
    catalog: Catalog
    phase_ids: set
    risk_ids: set | None          # None: no risk register in this database
    today: date


def _context(con, ws_id: int, catalog: Catalog, today: date | None) -> _Context:
    with db.reading(con) as cur:
        _require_ws(cur, ws_id)
        phase_ids = {r[0] for r in cur.execute("SELECT id FROM phase WHERE workspace_id = ?", [int(ws_id)]).fetchall()}
        risk_ids = None
        if _has_table(cur, "risk"):
            risk_ids = {r[0] for r in cur.execute("SELECT id FROM risk WHERE workspace_id = ?", [int(ws_id)]).fetchall()}
    return _Context(int(ws_id), catalog, phase_ids, risk_ids, today or date.today())


def _id_list(value) -> list[str]:
    """IDs from a list (or array) or from text separated by ';' or ','; duplicates dropped.
    '6.1.2 AI risk assessment' reads as '6.1.2' (forms and editors may send labels)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple, set)):
        items = list(value)
    elif blank(value):
        return []
    else:
        items = re.split(r"[;,]", str(value))
    return list(dict.fromkeys(str(i).strip().split(" ")[0] for i in items if not blank(i) and str(i).strip()))


def _clean_fields(values: dict, label: str, ctx: _Context, p: list[str]) -> dict:
    """Typed values of the given action fields (a partial change); problems go to `p`."""
    out: dict = {}
    for f, v in values.items():
        if f == "title":
            out[f] = text(v, f"{label} title", p, required=True)
        elif f == "phase_id":
            v = "" if blank(v) else str(v).strip().split(" ")[0]     # 'PH-03' or 'PH-03 · Policy ...'
            if not v:
                p.append(f"{label} phase is required.")
            elif v not in ctx.phase_ids:
                p.append(f"{label} phase {v!r} does not exist in this workspace.")
            out[f] = v
        elif f == "owner":
            out[f] = text(v, f"{label} owner", p)
            problem = owner_problem(out[f], f"{label} owner")
            if problem:
                p.append(problem)
        elif f == "effort":
            size = "" if blank(v) else str(v).strip().upper()
            if size not in EFFORTS:
                what = "is required" if not size else f"{str(v).strip()!r} is not on the scale"
                p.append(f"{label} effort {what}: use S, M, L or XL (person-days per size are set in the "
                         "roadmap settings).")
            out[f] = size
        elif f == "priority_override":
            out[f] = None if blank(v) or str(v).strip() in ("derived", "(derived)", "auto") else \
                choice(v, f"{label} priority", PRIORITIES, p, default=None)
        elif f in ("start", "due", "done_at"):
            names = {"start": "start date", "due": "due date", "done_at": "done date"}
            out[f] = day(v, f"{label} {names[f]}", p)
        elif f == "status":
            out[f] = choice(v, f"{label} status", STATUSES, p, default="to do")
        elif f == "percent":
            out[f] = integer(v, f"{label} percent complete", p, low=0, high=100, allow_none=False)
        elif f == "notes":
            out[f] = text(v, f"{label} notes", p, limit=LONG_TEXT)
        elif f == "requirements":
            ids = _id_list(v)
            unknown = [i for i in ids if i not in ctx.catalog.requirements]
            if unknown:
                p.append(f"{label}: unknown requirement or control {', '.join(unknown)}; use IDs like 6.1.2 or A.7.4.")
            out[f] = [i for i in ctx.catalog.requirements if i in ids]
        elif f == "risks":
            ids = _id_list(v)
            if ids and ctx.risk_ids is None:
                p.append(f"{label}: there is no risk register yet to link risks from.")
            elif ctx.risk_ids is not None:
                unknown = [i for i in ids if i not in ctx.risk_ids]
                if unknown:
                    p.append(f"{label}: unknown risk {', '.join(unknown)} in this workspace's risk register.")
            out[f] = sorted(ids)
        else:
            p.append(f"{label}: {f!r} is not an editable field.")
    return out


def _apply_rules(old: dict, change: dict, label: str, ctx: _Context, p: list[str]) -> dict:
    """The merged record after the status, percent and date rules (see the module docstring)."""
    new = {**old, **change}
    if new["status"] == "done":
        if "percent" in change and new["percent"] != 100 and old.get("status") == "done" and "status" not in change:
            p.append(f"{label} is done: percent complete stays 100; reopen it (change the status) to lower it.")
        new["percent"] = 100
        if new.get("done_at") is None:
            new["done_at"] = ctx.today
        if new["done_at"] > ctx.today:
            p.append(f"{label} done date {new['done_at']} is in the future; use the day it was finished.")
    else:
        if change.get("done_at") is not None:
            p.append(f"{label}: a done date is only for a done action; set the status to done or clear the date.")
        new["done_at"] = None
        if new["percent"] == 100:
            p.append(f"{label}: percent complete is 100 but the status is {new['status']!r}; set the status to done, "
                     "or lower the percent.")
    if new.get("start") and new.get("due") and new["due"] < new["start"]:
        p.append(f"{label}: the due date {new['due']} is before the start date {new['start']}; "
                 "move the due date or the start date.")
    return new


_NEW_DEFAULTS = {"owner": "", "effort": "M", "priority_override": None, "start": None, "due": None,
                 "status": "to do", "percent": 0, "notes": "", "done_at": None, "requirements": [], "risks": []}


def _stored(con, ws_id: int, ids: list[str] | None = None) -> dict[str, dict]:
    with db.reading(con) as cur:
        sql = "SELECT * FROM action WHERE workspace_id = ?"
        args: list = [int(ws_id)]
        if ids is not None:
            sql += " AND id IN (SELECT unnest(?))"
            args.append(list(ids))
        df = cur.execute(sql, args).df()
        req_links, risk_links = _links(cur, ws_id)
    out = {}
    for r in df.to_dict("records"):
        row = {f: assessments._plain(r[f]) for f in ACTION_FIELDS}
        row["percent"] = int(row["percent"])
        row["requirements"] = req_links.get(r["id"], [])
        row["risks"] = sorted(risk_links.get(r["id"], []))
        out[r["id"]] = row
    return out


def _ordered_reqs(reqs: list[str], catalog: Catalog) -> list[str]:
    return sorted(reqs, key=_req_order(catalog))


def _logged(row: dict) -> dict:
    """A record in change-log form: link lists as '; '-joined text."""
    return {k: ("; ".join(v) if isinstance(v, list) else v) for k, v in row.items()}


# The two link tables of an action: field -> (delete its links, insert one link).
_LINK_SQL = {
    "requirements": ("DELETE FROM action_requirement WHERE workspace_id = ? AND action_id = ?",
                     "INSERT INTO action_requirement VALUES (?, ?, ?)"),
    "risks": ("DELETE FROM action_risk WHERE workspace_id = ? AND action_id = ?",
              "INSERT INTO action_risk VALUES (?, ?, ?)"),
}


def _write_links(cur, ws_id: int, action_id: str, old: dict, new: dict) -> None:
    for f, (delete_sql, insert_sql) in _LINK_SQL.items():
        if sorted(old.get(f, [])) != sorted(new[f]):
            cur.execute(delete_sql, [int(ws_id), action_id])
            for link in new[f]:
                cur.execute(insert_sql, [int(ws_id), action_id, link])


def create_action(con, ws_id: int, catalog: Catalog, data: dict, today: date | None = None,
                  who: str | None = None) -> str:
    """Add one action by hand (title and phase required); returns its ID like 'ACT-012'."""
    ctx = _context(con, ws_id, catalog, today)
    p: list[str] = []
    values = {"title": data.get("title"), "phase_id": data.get("phase_id"),
              **{f: data[f] for f in list(_NEW_DEFAULTS) if f in data}}
    change = _clean_fields(values, "The new action:", ctx, p)
    new = _apply_rules({**_NEW_DEFAULTS, "title": "", "phase_id": ""}, change, "The new action", ctx, p)
    raise_if(p)
    source = data.get("source", "manual")
    now = datetime.now()
    with db.writing(con) as cur:
        aid = db.next_local_id(cur, "action", ws_id, "ACT")
        cur.execute("INSERT INTO action (workspace_id, id, " + ", ".join(ACTION_FIELDS) + ", done_logged_at, source,"
                    " source_ref, created_at, updated_at) VALUES (" + ", ".join(["?"] * (len(ACTION_FIELDS) + 7)) + ")",
                    [int(ws_id), aid] + [new[f] for f in ACTION_FIELDS]
                    + [now if new["status"] == "done" else None, source, data.get("source_ref", ""), now, now])
        _write_links(cur, ws_id, aid, {}, new)
        db.log_diff(cur, int(ws_id), "action", aid, {}, _logged({**new, "source": source}), who)
    return aid


def update_actions(con, ws_id: int, catalog: Catalog, changes: dict[str, dict], today: date | None = None,
                   who: str | None = None) -> SaveResult:
    """Apply edits {action_id: {field: value}} (fields: ACTION_FIELDS and requirements, risks,
    as lists or ';'-separated IDs) after validating all of them; one transaction.

    Rules: due >= start; done sets percent 100 and the done date (today unless given, never in
    the future); leaving done clears the done date; 100% needs the status done; owners are one
    recognisable name or e-mail; effort on the S/M/L/XL scale; priority override one of
    PRIORITIES or blank for the derived one.
    """
    ctx = _context(con, ws_id, catalog, today)
    stored = _stored(con, ws_id, list(changes))
    p: list[str] = []
    merged: dict[str, tuple[dict, dict, dict]] = {}
    for aid, values in changes.items():
        if aid not in stored:
            p.append(f"There is no action {aid!r} in this workspace.")
            continue
        change = _clean_fields(values, f"{aid}", ctx, p)
        merged[aid] = (stored[aid], change, _apply_rules(stored[aid], change, aid, ctx, p))
    raise_if(p)
    result = SaveResult()
    now = datetime.now()
    with db.writing(con) as cur:
        for aid, (old, change, new) in merged.items():
            fields = [f for f in ACTION_FIELDS + LINK_FIELDS if _logged({f: old[f]}) != _logged({f: new[f]})]
            if not fields:
                continue
            result.changed += db.log_diff(cur, int(ws_id), "action", aid, _logged({f: old[f] for f in fields}),
                                          _logged({f: new[f] for f in fields}), who)
            # done_logged_at: set when the action becomes done, cleared when it is reopened.
            logged = "now" if new["status"] == "done" and old["status"] != "done" else \
                "clear" if new["status"] != "done" else "keep"
            cur.execute("UPDATE action SET " + ", ".join(f"{f} = ?" for f in ACTION_FIELDS) + ", updated_at = ?,"
                        " done_logged_at = CASE ? WHEN 'now' THEN ? WHEN 'clear' THEN NULL ELSE done_logged_at END"
                        " WHERE workspace_id = ? AND id = ?",
                        [new[f] for f in ACTION_FIELDS] + [now, logged, now, int(ws_id), aid])
            _write_links(cur, ws_id, aid, old, new)
            if new["status"] == "done" and old["status"] != "done":
                result.newly_done[aid] = _ordered_reqs(new["requirements"], catalog)
    return result


def delete_actions(con, ws_id: int, ids: list[str], who: str | None = None) -> int:
    """Delete actions and their links; returns how many. Unknown IDs are refused."""
    stored = _stored(con, ws_id, list(ids))
    unknown = [i for i in ids if i not in stored]
    if unknown:
        raise ValidationError(f"There is no action {', '.join(map(repr, unknown))} in this workspace.")
    with db.writing(con) as cur:
        for aid in ids:
            for delete_sql, _ in _LINK_SQL.values():
                cur.execute(delete_sql, [int(ws_id), aid])
            cur.execute("DELETE FROM action WHERE workspace_id = ? AND id = ?", [int(ws_id), aid])
            db.log_change(cur, int(ws_id), "action", aid, "deleted", stored[aid]["title"], None, who)
    return len(ids)


# ---- generation ------------------------------------------------------------------------------------

@dataclass
class GenerationResult:
    """What a generation run did: the actions created, the requirements or risks skipped because
    they already have an open action, those waiting for a re-rating, and the planning note when
    the default phases were created by this run."""
    created: list[str] = field(default_factory=list)
    skipped_open: list[str] = field(default_factory=list)
    waiting_rerating: list[str] = field(default_factory=list)
    note: str | None = None


def _workspace(con, ws_id: int) -> dict:
    from . import workspaces
    ws = workspaces.get(con, ws_id)
    if ws is None:
        raise ValidationError(f"There is no workspace with id {ws_id}.")
    return ws


def _phase_for(current: pd.DataFrame, nature: str) -> pd.Series | None:
    """The first phase (in order) whose template takes `nature`, else the Annex A controls
    phase, else the first phase; None when there is no phase."""
    if current.empty:
        return None
    tpl = template()
    for keys in ([p.key for p in tpl.phases if nature in p.natures], ["controls"]):
        hit = current[current["template"].isin(keys)]
        if not hit.empty:
            return hit.iloc[0]
    return current.iloc[0]


def _open_links(con, ws_id: int, table: str, col: str) -> set[str]:
    with db.reading(con) as cur:
        return {r[0] for r in cur.execute(
            f"SELECT DISTINCT l.{col} FROM {table} l JOIN action a"  # trusted identifiers
            " ON a.workspace_id = l.workspace_id AND a.id = l.action_id WHERE l.workspace_id = ? AND a.status <> 'done'",
            [int(ws_id)]).fetchall()}


def _insert_generated(con, ws_id: int, rows: list[dict], who: str | None) -> list[str]:
    """Insert generated actions (dicts with ACTION_FIELDS, source, source_ref, requirements,
    risks) in one transaction, in bulk, with one change-log row per field; returns their IDs."""
    if not rows:
        return []
    now, who = datetime.now(), who or db.current_user()
    with db.writing(con) as cur:
        first = int(db.next_local_id(cur, "action", ws_id, "ACT").split("-")[1])
        ids = [f"ACT-{n:03d}" for n in range(first, first + len(rows))]
        actions_df = pd.DataFrame([{"workspace_id": int(ws_id), "id": aid, **{f: r[f] for f in ACTION_FIELDS},
                                    "source": r["source"], "source_ref": r["source_ref"], "created_at": now,
                                    "updated_at": now} for aid, r in zip(ids, rows)])
        req_df = pd.DataFrame([(int(ws_id), aid, q) for aid, r in zip(ids, rows) for q in r["requirements"]],
                              columns=["workspace_id", "action_id", "req_id"])
        risk_df = pd.DataFrame([(int(ws_id), aid, k) for aid, r in zip(ids, rows) for k in r["risks"]],
                               columns=["workspace_id", "action_id", "risk_id"])
        log_df = pd.DataFrame([{"workspace_id": int(ws_id), "entity": "action", "entity_id": aid, "field": f,
                                "old_value": None, "new_value": db._text(v), "changed_at": now, "changed_by": who}
                               for aid, r in zip(ids, rows)
                               for f, v in _logged({**{k: r[k] for k in ACTION_FIELDS + LINK_FIELDS},
                                                    "source": r["source"]}).items() if db._text(v) not in (None, "")])
        for table, frame in (("action", actions_df), ("action_requirement", req_df), ("action_risk", risk_df),
                             ("change_log", log_df)):
            if frame.empty:
                continue
            cols = ", ".join(frame.columns)
            cur.register("_roadmap_rows", frame)
            try:
                cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _roadmap_rows")  # trusted identifiers
            finally:
                cur.unregister("_roadmap_rows")
    return ids


def generate_from_gaps(con, ws_id: int, catalog: Catalog, include_not_assessed: bool = False,
                       today: date | None = None, who: str | None = None) -> GenerationResult:
    """Create one action per requirement below target (and, when asked, per requirement not
    assessed yet) that has no open action and is not waiting for a re-rating. Existing actions
    are never changed, so a second run creates nothing and keeps every edit.

    Each new action: title from the requirement's nature ('Document and approve 5.2 AI policy'),
    the phase for that nature, the requirement's owner when it is a recognisable owner, the
    suggested effort, start and due dates from `schedule`, a note saying where it came from,
    source 'gap' and a link to the requirement. Priority is derived when read.
    """
    today = today or date.today()
    ws = _workspace(con, ws_id)
    result = GenerationResult(note=ensure_phases(con, ws_id, ws["target_date"], today, who))
    status = requirement_status(con, ws_id, catalog, ws["default_target"])
    wanted = ("gap", "not assessed") if include_not_assessed else ("gap",)
    candidates = status[status["status"].isin(wanted)]
    open_reqs = _open_links(con, ws_id, "action_requirement", "req_id")
    waiting = set(awaiting_rerating(con, ws_id, catalog, ws["default_target"])["req_id"])
    current, scale, tpl = phases(con, ws_id), effort_scale(con, ws_id), template()
    rows = []
    for r in candidates.itertuples():
        if r.req_id in open_reqs:
            result.skipped_open.append(r.req_id)
            continue
        if r.req_id in waiting:
            result.waiting_rerating.append(r.req_id)
            continue
        nature = r.nature if r.status == "gap" else "rating"
        phase = _phase_for(current, nature)
        if phase is None:
            raise ValidationError("The roadmap has no phase to put actions in: add a phase first.")
        effort = suggested_effort(r.status, r.gap)
        start, due = schedule(phase["start"], phase["finish"], scale[effort], today)
        owner = (r.owner or "").strip()
        if r.status == "gap":
            why = (f"maturity {assessments.maturity_label(r.maturity)}, target {assessments.maturity_label(r.target)}"
                   f" (gap {int(r.gap)})")
        else:
            why = "not assessed yet"
        rows.append({
            "title": f"{tpl.gap_titles.get(nature, 'Close the gap on')} {r.req_id} {r.title}"[:200],
            "phase_id": phase["id"], "owner": owner if owner and not owner_problem(owner, "") else "",
            "effort": effort, "priority_override": None, "start": start, "due": due, "status": "to do",
            "percent": 0, "done_at": None,
            "notes": f"Generated on {today.isoformat()} from the gap analysis: {why}"
                     + ("; the documented information is mandatory." if r.mandatory_doc else "."),
            "source": "gap", "source_ref": r.req_id, "requirements": [r.req_id], "risks": []})
    result.created = _insert_generated(con, ws_id, rows, who)
    return result


def generate_from_risks(con, ws_id: int, catalog: Catalog, today: date | None = None,
                        who: str | None = None) -> GenerationResult:
    """Create one action per risk whose treatment is mitigate, transfer or avoid, that is not
    closed and has no open action linked; the action links the risk and its planned Annex A
    controls, sits in the Annex A controls phase and takes the risk's owner. Dates: the risk's
    treatment due date when set (starting its effort in days earlier, not before today), else
    `schedule`. Existing actions are never changed."""
    today = today or date.today()
    if not risks_available(con):
        raise ValidationError("There is no risk register yet: treatment plans become actions once risks exist.")
    ws = _workspace(con, ws_id)
    result = GenerationResult(note=ensure_phases(con, ws_id, ws["target_date"], today, who))
    risks = _risk_frame(con, ws_id)
    candidates = risks[risks["treatment"].isin(RISK_TREATMENTS_WITH_ACTIONS) & (risks["status"] != "closed")]
    open_risks = _open_links(con, ws_id, "action_risk", "risk_id")
    current, scale = phases(con, ws_id), effort_scale(con, ws_id)
    phase = _phase_for(current, "control")
    rows = []
    for r in candidates.itertuples():
        if r.id in open_risks:
            result.skipped_open.append(r.id)
            continue
        if phase is None:
            raise ValidationError("The roadmap has no phase to put actions in: add a phase first.")
        effort = risk_effort(r.level)
        start, due = schedule(phase["start"], phase["finish"], scale[effort], today)
        if r.due is not None:   # the risk's treatment date wins; the work starts its effort earlier
            due = r.due
            start = max(today, due - timedelta(days=scale[effort])) if due >= today else due
        owner = (r.owner or "").strip()
        rows.append({
            "title": f"{r.treatment.capitalize()} risk {r.id}: {r.title}"[:200],
            "phase_id": phase["id"], "owner": owner if owner and not owner_problem(owner, "") else "",
            "effort": effort, "priority_override": None, "start": start, "due": due, "status": "to do",
            "percent": 0, "done_at": None,
            "notes": f"Generated on {today.isoformat()} from the treatment plan of {r.id}: treatment {r.treatment}, "
                     f"level before treatment {r.level or 'not rated'}.",
            "source": "risk", "source_ref": r.id,
            "requirements": [c for c in catalog.requirements if c in set(r.controls)], "risks": [r.id]})
    result.created = _insert_generated(con, ws_id, rows, who)
    return result


# ---- demo content ----------------------------------------------------------------------------------

# Programme work of the fictional Northwind Lending engagement, by hand: (title, phase template,
# owner, effort, start and due in days from today, status, percent, done days ago, notes).
_DEMO_PROGRAMME = [
    ("Kick-off with the executive sponsor and agree the programme", "gap_analysis",
     "Aisha Karim (Head of Compliance)", "S", -49, -45, "done", 100, 46, "Sponsor: Priya Shah (CRO)."),
    ("Collect existing policies, model risk standards and audit reports", "gap_analysis",
     "Aisha Karim (Head of Compliance)", "M", -45, -35, "done", 100, 36, ""),
    ("Agree the scope of the AI management system with the executive committee", "gap_analysis",
     "Priya Shah (CRO)", "M", -40, -26, "done", 100, 27, "Scope covers the four AI systems in production or validation."),
    ("Gap analysis workshops for clauses 4 to 10", "gap_analysis",
     "Aisha Karim (Head of Compliance)", "L", -35, -20, "done", 100, 21, ""),
    ("Gap analysis workshops for the Annex A controls", "gap_analysis",
     "Aisha Karim (Head of Compliance)", "L", -21, -6, "done", 100, 8, ""),
    ("List the AI systems with their business and technical owners", "ai_inventory",
     "Tom Becker (Head of Data Science)", "M", -35, -14, "done", 100, 15, ""),
    ("Classify each AI system under the EU AI Act", "ai_inventory",
     "Lena Novak (DPO)", "M", -14, 10, "in progress", 60, None, "Credit scoring is high-risk (Annex III 5(b))."),
    ("Obtain the model documentation of the vendor CV screening product", "ai_inventory",
     "Marc Olsen (CIO)", "M", -20, -3, "blocked", 20, None,
     "Waiting for the HR software vendor's model card and bias testing report; escalated to procurement."),
    ("Present the roadmap and budget to the executive committee", "policy",
     "Priya Shah (CRO)", "S", -7, 7, "in progress", 50, None, ""),
    ("Choose a certification body and book the Stage 1 audit", "stage1",
     "Aisha Karim (Head of Compliance)", "S", 60, 90, "to do", 0, None, "Ask three bodies accredited for ISO/IEC 42001."),
]


def build_demo(con, ws_id: int, catalog: Catalog, today: date | None = None, who: str | None = "demo") -> None:
    """The demo client's roadmap, through the public write functions: default phases (the gap
    analysis started seven weeks ago), the programme work done so far, actions generated from
    its gaps (and risk treatment plans when the register has risks), and realistic progress:
    a few gap actions done in the last weeks (so they invite a re-rating), some in progress, one
    blocked and overdue, one priority override. Deterministic for a given day."""
    today = today or date.today()
    ws = _workspace(con, ws_id)
    ensure_phases(con, ws_id, ws["target_date"], today, who)
    ph = phases(con, ws_id).set_index("template")
    save_phases(con, ws_id, {ph.at["gap_analysis", "id"]: {"start": today - timedelta(days=49)},
                             ph.at["ai_inventory", "id"]: {"start": today - timedelta(days=35)}}, who)
    for title, key, owner, effort, start, due, status, pct, done_ago, notes in _DEMO_PROGRAMME:
        create_action(con, ws_id, catalog, {
            "title": title, "phase_id": ph.at[key, "id"], "owner": owner, "effort": effort,
            "start": today + timedelta(days=start), "due": today + timedelta(days=due), "status": status,
            "percent": pct, "notes": notes,
            "done_at": today - timedelta(days=done_ago) if done_ago is not None else None}, today, who)
    generate_from_gaps(con, ws_id, catalog, include_not_assessed=True, today=today, who=who)
    if risks_available(con):
        generate_from_risks(con, ws_id, catalog, today, who)
    df = actions(con, ws_id, catalog, ws["default_target"], today)
    gaps = df[df["source"] == "gap"]
    changes: dict[str, dict] = {}
    policy = gaps[(gaps["phase_id"] == ph.at["policy", "id"])].sort_values("id")
    for (aid, days_ago) in zip(policy["id"], (30, 23, 16, 9, 4)):
        changes[aid] = {"status": "done", "done_at": today - timedelta(days=days_ago),
                        "start": today - timedelta(days=days_ago + 14)}
    for aid, pct in zip(policy["id"][5:], (60, 40, 25)):
        changes[aid] = {"status": "in progress", "percent": pct, "start": today - timedelta(days=10)}
    assess = gaps[gaps["phase_id"] == ph.at["assessments", "id"]].sort_values("id")
    for aid, pct in zip(assess["id"], (30, 10)):
        changes[aid] = {"status": "in progress", "percent": pct, "start": today - timedelta(days=7)}
    raised = gaps[gaps["source_ref"].isin(["A.7.4", "A.7.5", "A.6.2.6", "A.6.2.4"])].sort_values("source_ref")
    if not raised.empty:
        changes.setdefault(raised["id"].iloc[-1], {}).update(
            priority_override="critical",
            notes="Priority raised by the CRO: the regulator expects evidence on the credit models this year.")
    if changes:
        update_actions(con, ws_id, catalog, changes, today, who)
