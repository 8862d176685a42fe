"""Synthetic consultancy-scale data for the benchmark: seeded, so two runs measure the same data.

The largest workspace gets every requirement rated, hundreds of AI systems with classifications
and impact assessments, thousands of risks and roadmap actions, and a year of change history.
Rows are bulk-inserted (the per-row write functions would take minutes); the shapes follow the
migrations, and every generated value is one the write paths would accept.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from aims.ai_systems import impact, inventory
from aims.assessment import requirements as assessments
from aims.catalog import standard as catalog_mod
from aims.demo import client as demo
from aims.store import db, workspaces


@dataclass(frozen=True)
class Size:
    workspaces: int
    systems: int
    assessments: int
    risks: int
    actions: int
    history_months: int
    small_systems: int = 20
    small_risks: int = 120
    small_actions: int = 80


SIZES = {
    "tiny": Size(workspaces=3, systems=12, assessments=8, risks=60, actions=40, history_months=1,
                 small_systems=3, small_risks=10, small_actions=8),
    "full": Size(workspaces=25, systems=400, assessments=400, risks=4000, actions=2500, history_months=12),
}
LARGEST = "Bench: largest client"


def _insert(cur, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows)
    cur.register("bench_rows", frame)
    try:
        cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM bench_rows")  # table from this module's code
    finally:
        cur.unregister("bench_rows")


def _has_table(cur, name: str) -> bool:
    return bool(cur.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]).fetchall())


def build(path: str, size: str = "full", seed: int = 42001) -> int:
    """Create the benchmark database at `path` (must not exist); returns the largest workspace id."""
    spec = SIZES[size]
    rng = random.Random(seed)
    cat = catalog_mod.load()
    con = db.open_database(path)
    try:
        demo.create(con, cat)
        largest = None
        for n in range(spec.workspaces):
            big = n == 0
            ws_id = workspaces.create(con, {
                "name": LARGEST if big else f"Bench client {n:02d}", "organisation": f"Client {n:02d} Ltd",
                "sector": rng.choice(["Banking", "Insurance", "Retail", "Health", "Public sector", "Logistics"]),
                "size": rng.choice(workspaces.SIZES), "target_date": date.today() + timedelta(days=rng.randint(120, 420)),
                "ai_roles": ["deployer", "provider"], "default_target": 3}, who="bench")
            largest = largest or ws_id
            _fill(con, cat, ws_id, rng, spec, big)
        with db.reading(con) as cur:
            cur.execute("CHECKPOINT")
        return largest
    finally:
        con.close()


def _fill(con, cat, ws_id: int, rng: random.Random, spec: Size, big: bool) -> None:
    now = datetime.now()
    today = date.today()
    n_sys = spec.systems if big else spec.small_systems
    n_ia = spec.assessments if big else max(1, n_sys // 2)
    n_risks = spec.risks if big else spec.small_risks
    n_actions = spec.actions if big else spec.small_actions
    people = [f"Person {i:03d}" for i in range(60)]
    with db.writing(con) as cur:
        _insert(cur, "assessment", [{
            "workspace_id": ws_id, "req_id": r.id, "maturity": rng.randint(0, 5), "target": 3,
            "applicable": True, "implementation": rng.choice(assessments.IMPLEMENTATION),
            "evidence_strength": rng.choice(assessments.EVIDENCE_STRENGTHS), "owner": rng.choice(people),
            "evidence": "Evidence pack " + r.id, "notes": "", "inclusion_reasons": "risk treatment" if r.kind == "control" else "",
            "updated_at": now, "updated_by": "bench"} for r in cat.requirements.values()])
        systems = [{
            "workspace_id": ws_id, "id": f"AIS-{i + 1:03d}", "name": f"AI system {i + 1:03d}",
            "description": "Synthetic system for the benchmark.", "business_owner": rng.choice(people),
            "technical_owner": rng.choice(people), "purpose": "Support decisions in line of business.",
            "lifecycle_stage": rng.choice(inventory.LIFECYCLE[:-1]), "sourcing": rng.choice(inventory.SOURCING),
            "model_type": rng.choice(inventory.MODEL_TYPES), "automation": rng.choice(inventory.AUTOMATION),
            "org_role": rng.choice(inventory.ORG_ROLES), "personal_data": rng.random() < 0.6,
            "ai_act_category": rng.choice(("high-risk", "limited", "minimal", "minimal", "not classified")),
            "status": "active", "next_review": today + timedelta(days=rng.randint(-60, 360)),
            "created_at": now, "updated_at": now} for i in range(n_sys)]
        _insert(cur, "ai_system", systems)
        _insert(cur, "ai_act_classification", [{
            "workspace_id": ws_id, "system_id": s["id"], "version": 1, "role": "deployer",
            "answers": json.dumps({"annex_iii_5b": s["ai_act_category"] == "high-risk"}),
            "category": {"high-risk": "high_risk"}.get(s["ai_act_category"], s["ai_act_category"]),
            "basis": "annex_iii" if s["ai_act_category"] == "high-risk" else "",
            "annex_iii_points": "5(b)" if s["ai_act_category"] == "high-risk" else "",
            "reasoning": "[]", "classified_at": now, "classified_by": "bench"}
            for s in systems if s["ai_act_category"] != "not classified"])
        qs = impact.questions()
        ias, answers = [], []
        for i in range(n_ia):
            aid, sid = f"IA-{i + 1:03d}", systems[i % n_sys]["id"]
            status = rng.choice(impact.STATUSES)
            ias.append({"workspace_id": ws_id, "id": aid, "system_id": sid, "version": 1 + i // n_sys,
                        "status": status, "overall_level": rng.choice(impact.LEVELS),
                        "approver": "Bench approver" if status == "approved" else "",
                        "approved_on": today - timedelta(days=30) if status == "approved" else None,
                        "next_review": today + timedelta(days=rng.randint(-30, 330)) if status == "approved" else None,
                        "created_at": now, "updated_at": now})
            for qid, q in qs.items():
                answers.append({"workspace_id": ws_id, "assessment_id": aid, "question_id": qid,
                                "option_value": rng.choice(q["options"])["value"], "note": ""})
        _insert(cur, "impact_assessment", ias)
        _insert(cur, "impact_answer", answers)
        if _has_table(cur, "risk"):
            _risks(cur, ws_id, rng, n_risks, systems, people, now, today)
        history = []
        for i in range(40 if not big else 200 * spec.history_months):
            when = now - timedelta(days=rng.uniform(0, 30 * spec.history_months))
            history.append({"workspace_id": ws_id, "entity": "assessment",
                            "entity_id": rng.choice(list(cat.requirements)), "field": "maturity",
                            "old_value": str(rng.randint(0, 4)), "new_value": str(rng.randint(1, 5)),
                            "changed_at": when, "changed_by": rng.choice(people)})
        _insert(cur, "change_log", history)
    if _has_table_con(con, "action"):
        _actions(con, cat, ws_id, rng, n_actions, people, today)


def _has_table_con(con, name: str) -> bool:
    with db.reading(con) as cur:
        return _has_table(cur, name)


def _risks(cur, ws_id, rng, n, systems, people, now, today) -> None:
    rows, links, controls = [], [], []
    treatments = ("mitigate", "mitigate", "mitigate", "accept", "transfer", "avoid")
    statuses = ("open", "in treatment", "in treatment", "closed")
    for i in range(n):
        rid = f"R-{i + 1:04d}" if n > 999 else f"R-{i + 1:03d}"
        li, im = rng.randint(1, 5), rng.randint(1, 5)
        treatment = rng.choice(treatments)
        rows.append({"workspace_id": ws_id, "id": rid, "title": f"Synthetic risk {i + 1}",
                     "description": "Generated for the benchmark.", "lifecycle_stage": "deployed",
                     "risk_source": f"C.3.{rng.randint(1, 7)}", "objective": f"C.2.{rng.randint(1, 11)}",
                     "inherent_likelihood": li, "inherent_impact": im, "treatment": treatment,
                     "residual_likelihood": max(1, li - rng.randint(0, 2)), "residual_impact": max(1, im - rng.randint(0, 1)),
                     "owner": rng.choice(people), "due": today + timedelta(days=rng.randint(-60, 300)),
                     "status": "open" if treatment == "accept" else rng.choice(statuses),
                     "next_review": today + timedelta(days=rng.randint(0, 365)),
                     "created_at": now, "updated_at": now, "updated_by": "bench"})
        if systems and rng.random() < 0.85:
            links.append({"workspace_id": ws_id, "risk_id": rid, "system_id": rng.choice(systems)["id"]})
        for c in rng.sample(catalog_mod.CONTROL_IDS, rng.randint(1, 3)):
            controls.append({"workspace_id": ws_id, "risk_id": rid, "control_id": c})
    _insert(cur, "risk", rows)
    _insert(cur, "risk_system", links)
    _insert(cur, "risk_control", controls)


def _actions(con, cat, ws_id, rng, n, people, today) -> None:
    from aims.roadmap import phases as roadmap_phases
    ws = workspaces.get(con, ws_id)
    roadmap_phases.ensure_phases(con, ws_id, ws["target_date"], today)
    phases = list(roadmap_phases.phases(con, ws_id)["id"])
    now = datetime.now()
    rows, reqs = [], []
    req_ids = list(cat.requirements)
    for i in range(n):
        aid = f"ACT-{i + 1:04d}" if n > 999 else f"ACT-{i + 1:03d}"
        status = rng.choice(("to do", "to do", "in progress", "blocked", "done", "done"))
        start = today - timedelta(days=rng.randint(0, 200))
        rows.append({"workspace_id": ws_id, "id": aid, "title": f"Synthetic action {i + 1}",
                     "phase_id": rng.choice(phases), "owner": rng.choice(people), "effort": rng.choice("SMLX")
                     .replace("X", "XL"), "start": start, "due": start + timedelta(days=rng.randint(10, 120)),
                     "status": status, "percent": 100 if status == "done" else rng.choice((0, 25, 50, 75)),
                     "done_at": start + timedelta(days=rng.randint(5, 60)) if status == "done" else None,
                     "source": "gap", "created_at": now, "updated_at": now})
        reqs.append({"workspace_id": ws_id, "action_id": aid, "req_id": rng.choice(req_ids)})
    for r in rows:
        if r["done_at"] and r["done_at"] > today:
            r["done_at"] = today
    with db.writing(con) as cur:
        _insert(cur, "action", rows)
        _insert(cur, "action_requirement", reqs)
