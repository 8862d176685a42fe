"""Roadmap actions generated from the gap analysis and from risk treatment plans, and the demo
client's roadmap.

Rules (also shown on the Roadmap page):
- "Generate from gaps" creates one action per requirement below target (optionally also per
  requirement not assessed yet) that has no open action, and never touches existing actions, so
  running it again creates nothing new and keeps every edit. A requirement whose action was done
  after its last rating is left alone: it waits for a re-rating (`roadmap.awaiting_rerating`),
  and a maturity rating is never changed here.
- "Generate from risks" creates one action per risk treated by mitigate, transfer or avoid, not
  closed, with no open action linked to it; linked to the risk and to its planned controls.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.assessment import requirements as assessments
from aims.catalog.standard import Catalog
from aims.common.validate import ValidationError
from aims.roadmap.actions import (
    ACTION_FIELDS,
    LINK_FIELDS,
    PRIORITIES,
    RISK_TREATMENTS_WITH_ACTIONS,
    actions,
    awaiting_rerating,
    create_action,
    gap_priority,
    logged_values,
    owner_problem,
    requirement_status,
    risk_effort,
    risk_frame,
    risks_available,
    schedule,
    suggested_effort,
    update_actions,
)
from aims.roadmap.phases import effort_scale, ensure_phases, phases, save_phases, template
from aims.store import db


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
    from aims.store import workspaces
    ws = workspaces.get(con, ws_id)
    if ws is None:
        raise ValidationError(f"There is no workspace with id {ws_id}.")
    return ws


def _phase_for(current: pd.DataFrame, nature: str, req_id: str | None = None) -> pd.Series | None:
    """The phase the template names for the requirement `req_id` (roadmap.json
    requirement_phases: 9.1 goes with the controls it measures), else the first phase (in order)
    whose template takes `nature`, else the Annex A controls phase, else the first phase; None
    when there is no phase."""
    if current.empty:
        return None
    tpl = template()
    named = [tpl.requirement_phases[req_id]] if req_id in tpl.requirement_phases else []
    for keys in (named, [p.key for p in tpl.phases if nature in p.natures], ["controls"]):
        hit = current[current["template"].isin(keys)]
        if not hit.empty:
            return hit.iloc[0]
    return current.iloc[0]


# The requirements and the risks that have an action not done yet.
_OPEN_LINKS = {
    "requirements": "SELECT DISTINCT l.req_id FROM action_requirement l JOIN action a ON a.workspace_id = l.workspace_id"
                    " AND a.id = l.action_id WHERE l.workspace_id = ? AND a.status <> 'done'",
    "risks": "SELECT DISTINCT l.risk_id FROM action_risk l JOIN action a ON a.workspace_id = l.workspace_id"
             " AND a.id = l.action_id WHERE l.workspace_id = ? AND a.status <> 'done'",
}

# Bulk inserts of generated rows from a registered frame (columns matched by name).
_BULK_INSERT = {
    "action": "INSERT INTO action BY NAME SELECT * FROM _roadmap_rows",
    "action_requirement": "INSERT INTO action_requirement BY NAME SELECT * FROM _roadmap_rows",
    "action_risk": "INSERT INTO action_risk BY NAME SELECT * FROM _roadmap_rows",
    "change_log": "INSERT INTO change_log BY NAME SELECT * FROM _roadmap_rows",
}


def _open_links(con, ws_id: int, link: str) -> set[str]:
    with db.reading(con) as cur:
        return {r[0] for r in cur.execute(_OPEN_LINKS[link], [int(ws_id)]).fetchall()}


def _insert_generated(con, ws_id: int, rows: list[dict], who: str | None) -> list[str]:
    """Insert generated actions (dicts with ACTION_FIELDS, source, source_ref, requirements,
    risks) in one transaction, in bulk, with one change-log row per field; returns their IDs."""
    if not rows:
        return []
    now, who = datetime.now(), db.acting_as.get() or db.author(who)
    with db.writing(con) as cur:
        members.require(cur, ws_id, EDIT, what="generating actions")
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
                               for f, v in logged_values({**{k: r[k] for k in ACTION_FIELDS + LINK_FIELDS},
                                                    "source": r["source"]}).items() if db._text(v) not in (None, "")])
        for table, frame in (("action", actions_df), ("action_requirement", req_df), ("action_risk", risk_df),
                             ("change_log", log_df)):
            if frame.empty:
                continue
            cur.register("_roadmap_rows", frame)
            try:
                cur.execute(_BULK_INSERT[table])
            finally:
                cur.unregister("_roadmap_rows")
    return ids


def _require_editor(con, ws_id: int) -> None:
    """Generating is an editor's act even when it turns out to create nothing."""
    with db.reading(con) as cur:
        members.require(cur, ws_id, EDIT, what="generating actions")


def generate_from_gaps(con, ws_id: int, catalog: Catalog, include_not_assessed: bool = False,
                       today: date | None = None, who: str | None = None) -> GenerationResult:
    """Create one action per requirement below target (and, when asked, per requirement not
    assessed yet) that has no open action and is not waiting for a re-rating. Existing actions
    are never changed, so a second run creates nothing and keeps every edit.

    Each new action: title from the requirement's nature ('Document and approve 5.2 AI policy'),
    the phase for that nature (or the one roadmap.json names for the requirement: 9.1 goes with
    the Annex A controls, whose start it shares), the requirement's owner when it is a recognisable owner, the
    suggested effort, start and due dates from `schedule`, a note saying where it came from,
    source 'gap' and a link to the requirement. Priority is derived when read.
    """
    today = today or date.today()
    _require_editor(con, ws_id)
    ws = _workspace(con, ws_id)
    result = GenerationResult(note=ensure_phases(con, ws_id, ws["target_date"], today, who))
    status = requirement_status(con, ws_id, catalog, ws["default_target"])
    wanted = ("gap", "not assessed") if include_not_assessed else ("gap",)
    candidates = status[status["status"].isin(wanted)]
    open_reqs = _open_links(con, ws_id, "requirements")
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
        phase = _phase_for(current, nature, r.req_id if r.status == "gap" else None)
        if phase is None:
            raise ValidationError("The roadmap has no phase to put actions in: add a phase first.")
        effort = suggested_effort(r.status, r.gap)
        start, due = schedule(phase["start"], phase["finish"], scale[effort], today)
        rank = PRIORITIES.index(gap_priority(r.status, r.gap, bool(r.mandatory_doc)))
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
            "source": "gap", "source_ref": r.req_id, "requirements": [r.req_id], "risks": [], "_rank": rank,
            "_days": scale[effort], "_end": phase["finish"]})
    stagger(rows, today)
    result.created = _insert_generated(con, ws_id, [{k: v for k, v in r.items() if not k.startswith("_")}
                                                    for r in rows], who)
    return result


def stagger(rows: list[dict], today: date) -> None:
    """Spread the due dates of generated actions over their phase, by priority (in place).

    Per phase, the actions sorted by priority (highest first; equal ones in catalogue order) get
    due dates at equal steps through the window from max(phase start, today) to the phase's end:
    the k-th of n is due k/n of the way, the last on the phase's end. No action is due sooner
    than its effort in days allows; every one starts with the window (work in a phase runs side
    by side; the due dates say what comes first). Rows carry '_rank' (priority index), '_days' (effort in days) and
    '_end' (the phase's end), and 'start' as `schedule` set it (the window's start)."""
    by_phase: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_phase.setdefault(r["phase_id"], []).append(i)
    for group in by_phase.values():
        group.sort(key=lambda i: (rows[i]["_rank"], i))
        n = len(group)
        for k, i in enumerate(group, start=1):
            r = rows[i]
            first, last = r["start"], max(r["_end"], r["start"])
            span = (last - first).days
            due = first + timedelta(days=round(span * k / n))
            r["due"] = max(due, first + timedelta(days=r["_days"]))


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
    _require_editor(con, ws_id)
    ws = _workspace(con, ws_id)
    result = GenerationResult(note=ensure_phases(con, ws_id, ws["target_date"], today, who))
    risks = risk_frame(con, ws_id)
    candidates = risks[risks["treatment"].isin(RISK_TREATMENTS_WITH_ACTIONS) & (risks["status"] != "closed")]
    open_risks = _open_links(con, ws_id, "risks")
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

# Programme work of the fictional Northwind Lending engagement, entered by hand (data/demo/).
DEMO_PROGRAMME = Path(__file__).resolve().parents[2] / "data" / "demo" / "northwind_programme.json"


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
    for a in json.loads(DEMO_PROGRAMME.read_text(encoding="utf-8"))["actions"]:
        create_action(con, ws_id, catalog, {
            "title": a["title"], "phase_id": ph.at[a["phase"], "id"], "owner": a["owner"], "effort": a["effort"],
            "start": today + timedelta(days=a["start_day"]), "due": today + timedelta(days=a["due_day"]),
            "status": a["status"], "percent": a["percent"], "notes": a["notes"],
            "done_at": None if a["done_days_ago"] is None else today - timedelta(days=a["done_days_ago"])}, today, who)
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
