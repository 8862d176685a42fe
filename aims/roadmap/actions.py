"""Implementation roadmap actions: their fields, links, derived priorities, reads and writes.
Phases and the effort scale live in roadmap_phases, generated actions in roadmap_generation.

Rules (also shown on the Roadmap page):
- Derived priority (see `derive_priority`) comes from the linked requirements (size of the gap,
  mandatory documented information) and the linked risks (their level before treatment); an
  override set by the user wins.
- A requirement whose action was done after its last rating waits for a re-rating
  (`awaiting_rerating`); a maturity rating is never changed here.
- Every write validates all input first (ValidationError listing every problem, nothing
  written), then runs one transaction that logs each changed field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.assessment import requirements as assessments
from aims.assessment import scoring
from aims.catalog.standard import Catalog
from aims.common import frames
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, id_list, integer, raise_if, text
from aims.roadmap.phases import EFFORTS, MAX_POSITION, effort_scale
from aims.store import conflicts, db

STATUSES = ("to do", "in progress", "blocked", "done")
PRIORITIES = ("critical", "high", "medium", "low")          # highest first
SOURCES = ("gap", "risk", "manual", "workshop")
RISK_TREATMENTS_WITH_ACTIONS = ("mitigate", "transfer", "avoid")
ACTION_FIELDS = ("title", "phase_id", "owner", "effort", "priority_override", "start", "due", "status",
                 "percent", "notes", "done_at")
LINK_FIELDS = ("requirements", "risks")

_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[A-Za-z]{2,}$")
_NAME = re.compile(r"^[^\W\d_][\w .'’&/-]*?(\s*\([^()]{1,80}\))?$")


# ---- pure rules ------------------------------------------------------------------------------

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
        from aims.risk import register as risks
        return risks.criteria(con, ws_id)
    except (ImportError, AttributeError):
        from aims.risk import scoring as risk_scoring
        return risk_scoring.defaults()


def risk_level(likelihood, impact, crit: dict | None = None) -> str | None:
    """The level of a likelihood x impact score with the given criteria (bands), or with the
    default bands when none: 1-4 low, 5-9 medium, 10-15 high, 16-25 critical."""
    from aims.risk import scoring as risk_scoring
    return risk_scoring.level(risk_scoring.score(likelihood, impact), crit or risk_scoring.defaults())


def risk_frame(con, ws_id: int) -> pd.DataFrame:
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
    from aims.risk import scoring as risk_scoring
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
        rf = risk_frame(con, ws_id)
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
        db.require_workspace(cur, ws_id)
        phase_ids = {r[0] for r in cur.execute("SELECT id FROM phase WHERE workspace_id = ?", [int(ws_id)]).fetchall()}
        risk_ids = None
        if _has_table(cur, "risk"):
            risk_ids = {r[0] for r in cur.execute("SELECT id FROM risk WHERE workspace_id = ?", [int(ws_id)]).fetchall()}
    return _Context(int(ws_id), catalog, phase_ids, risk_ids, today or date.today())


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
            ids = id_list(v)
            unknown = [i for i in ids if i not in ctx.catalog.requirements]
            if unknown:
                p.append(f"{label}: unknown requirement or control {', '.join(unknown)}; use IDs like 6.1.2 or A.7.4.")
            out[f] = [i for i in ctx.catalog.requirements if i in ids]
        elif f == "risks":
            ids = id_list(v)
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
            sql += " AND id IN (SELECT unnest(CAST(? AS VARCHAR[])))"
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


def logged_values(row: dict) -> dict:
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
        members.require(cur, ws_id, EDIT, owner=new["owner"], what="a new action")   # contributors: their own
        aid = db.next_local_id(cur, "action", ws_id, "ACT")
        cur.execute("INSERT INTO action (workspace_id, id, " + ", ".join(ACTION_FIELDS) + ", done_logged_at, source,"
                    " source_ref, created_at, updated_at) VALUES (" + ", ".join(["?"] * (len(ACTION_FIELDS) + 7)) + ")",
                    [int(ws_id), aid] + [new[f] for f in ACTION_FIELDS]
                    + [now if new["status"] == "done" else None, source, data.get("source_ref", ""), now, now])
        _write_links(cur, ws_id, aid, {}, new)
        db.log_diff(cur, int(ws_id), "action", aid, {}, logged_values({**new, "source": source}), who)
    return aid


def update_actions(con, ws_id: int, catalog: Catalog, changes: dict[str, dict], today: date | None = None,
                   who: str | None = None, base: dict[str, dict] | None = None) -> SaveResult:
    """Apply edits {action_id: {field: value}} (fields: ACTION_FIELDS and requirements, risks,
    as lists or ';'-separated IDs) after validating all of them; one transaction.

    `base` holds the values the user's screen showed: fields left as shown are not written, and a
    field someone else changed since raises conflicts.EditConflict (see aims.store.conflicts).
    Rules: due >= start; done sets percent 100 and the done date (today unless given, never in
    the future); leaving done clears the done date; 100% needs the status done; owners are one
    recognisable name or e-mail; effort on the S/M/L/XL scale; priority override one of
    PRIORITIES or blank for the derived one.
    """
    result = SaveResult()
    with db.transaction(con) as tx:        # the read, the checks and the write see one state
        ctx = _context(tx, ws_id, catalog, today)
        stored = _stored(tx, ws_id, list(changes))
        members.require_each(tx.cur, ws_id, {f"action {a}": stored[a]["owner"] for a in changes if a in stored})
        p: list[str] = []
        merged: dict[str, tuple[dict, dict, dict]] = {}
        found = []
        for aid, values in changes.items():
            if aid not in stored:
                p.append(f"There is no action {aid!r} in this workspace.")
                continue
            change = _clean_fields(values, f"{aid}", ctx, p)
            if base is not None:
                seen = _clean_fields(base.get(aid, {}), f"{aid}", ctx, [])
                change, clash = conflicts.settle(aid, stored[aid], change, seen)
                found += clash
            merged[aid] = (stored[aid], change, _apply_rules(stored[aid], change, aid, ctx, p))
        conflicts.raise_if_conflicts(tx.cur, int(ws_id), "action", found)
        raise_if(p)
        now = datetime.now()
        cur = tx.cur
        for aid, (old, change, new) in merged.items():
            fields = [f for f in ACTION_FIELDS + LINK_FIELDS if logged_values({f: old[f]}) != logged_values({f: new[f]})]
            if not fields:
                continue
            result.changed += db.log_diff(cur, int(ws_id), "action", aid, logged_values({f: old[f] for f in fields}),
                                          logged_values({f: new[f] for f in fields}), who)
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
        members.require(cur, ws_id, EDIT, what="deleting actions")
        # Action IDs are reused after a deletion: a finding or a review pointing at a deleted action
        # would later point at an unrelated one. Such actions are kept (mark them done instead).
        held = cur.execute(
            "SELECT action_id, 'the corrective action of finding ' || id FROM finding"
            " WHERE workspace_id = ? AND action_id IN (SELECT unnest(CAST(? AS VARCHAR[])))"
            " UNION ALL SELECT action_id, 'decided by management review ' || review_id FROM review_action"
            " WHERE workspace_id = ? AND action_id IN (SELECT unnest(CAST(? AS VARCHAR[]))) ORDER BY 1, 2",
            [int(ws_id), list(ids), int(ws_id), list(ids)]).fetchall()
        if held:
            raise ValidationError([f"{aid} is {what}: it cannot be deleted; set its status instead." for aid, what in held])
        for aid in ids:
            for delete_sql, _ in _LINK_SQL.values():
                cur.execute(delete_sql, [int(ws_id), aid])
            cur.execute("DELETE FROM action WHERE workspace_id = ? AND id = ?", [int(ws_id), aid])
            db.log_change(cur, int(ws_id), "action", aid, "deleted", stored[aid]["title"], None, who)
    return len(ids)


