"""Trends of the headline figures over time: readiness, Stage 1 and Stage 2 readiness, open gaps,
risks above appetite and roadmap progress, from the workspace's baselines and its change log.

The series (`trend`) has three kinds of point, oldest first:
- 'week': the end of every completed week (Monday to Sunday) from the week the workspace was
  created (or its first logged change, when earlier), rebuilt from the change log (below).
- 'baseline': every named baseline, with the figures stored when it was taken (exact).
- 'now': today, computed with the app's own rules (aims.progress.snapshot.figures), so it
  equals the figures the pages show.

How a week is rebuilt (undo the log): the state now is the starting point; going back week by
week, every logged change made after the end of the week is undone (its old value restored),
newest first; what remains is the state at the end of that week, as the app held it then (a date
typed into a record, such as a treatment implemented on 1 March, counts from the day it was
typed, not from the date it names). Reconstructed exactly:
- Readiness, Stage 2, assessed and open gaps: every requirement's maturity, stored target,
  applicability and evidence strength, and the workspace's default target, scored with
  assessment.scoring.summary.
- Risks above appetite: open (not closed) risks whose current rating (residual when it is rated
  and the treatment is implemented, else inherent) scores above the appetite; per risk its
  inherent and residual likelihood and impact, treatment implemented date, status, and the
  appetite itself (risk criteria). A risk counts from its created_at; a deleted risk is brought
  back for the weeks before its deletion with the last values the log holds for it.
- Roadmap progress: earned effort / total effort of the actions existing then (each action's
  effort x percent complete, a done action in full: roadmap.forecast.earned); per action its
  status, percent and effort size. Actions count from created_at; deleted ones as risks.
- Stage 1: the gate's conditions met / total as a percent (as the baselines store it). The
  documents condition is rebuilt exactly (document statuses and which documents are required,
  from the rebuilt applicability); so are the other three while they read the document register
  (the records' status, date and number of open major nonconformities).
Approximated:
- A deleted risk or action (its creation row was logged, but the record is gone) counts from its
  first logged change; fields the log never names take their defaults. A record created
  without a log row (none is in this app) counts from created_at with its values now.
- The effort scale (person-days per size) and the catalogue are taken as they are now.
- A Stage 1 condition that reads the app's own audit records now (internal audits, management
  reviews, findings) keeps its present state back to the first logged change to those records;
  in the weeks before, it is rebuilt from the register as above.
"""
from __future__ import annotations

import bisect
import re
from datetime import date, datetime, time, timedelta

import pandas as pd

from aims.assessment import requirements as assessments
from aims.assessment import scoring
from aims.catalog.standard import Catalog
from aims.governance import documents
from aims.risk import register as risks
from aims.roadmap import actions as roadmap
from aims.roadmap import forecast
from aims.roadmap.phases import effort_scale
from aims.store import db

METRICS = ("readiness_pct", "stage1_pct", "stage2_pct", "assessed_pct", "open_gaps", "risks_above", "roadmap_pct")
PERCENTS = ("readiness_pct", "stage1_pct", "stage2_pct", "roadmap_pct")
COUNTS = ("open_gaps", "risks_above")
COLUMNS = ["when", "kind", "label", *METRICS]
LABELS = {"readiness_pct": "Readiness", "stage1_pct": "Stage 1 (gate conditions met)",
          "stage2_pct": "Stage 2 readiness", "assessed_pct": "Assessed", "open_gaps": "Open gaps",
          "risks_above": "Risks above appetite", "roadmap_pct": "Roadmap progress"}

TREND_FIELDS = ("maturity", "target", "applicable", "evidence_strength")
TREND_COLUMNS = ["week", "as_of", "readiness_pct", "stage2_pct", "assessed_pct", "at_target", "applicable",
                 "open_gaps"]
RISK_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact",
               "treatment_implemented_on", "status")
ACTION_FIELDS = ("status", "percent", "effort")
DOCUMENT_FIELDS = ("status", "record_date", "open_major")
GATE_RECORDS = {"internal_audit": "audit", "management_review": "review", "nonconformities": "finding"}
_INTS = {"maturity", "target", "inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact",
         "percent", "open_major", "appetite", "default_target"}
_DEFAULTS = {"applicable": True, "evidence_strength": "none", "status": None, "percent": 0, "effort": "M"}


# ---- undoing the log -------------------------------------------------------------------------------

def parse(field: str, value):
    """A logged text value back in its field's type (None/NaN: the field's default)."""
    if value is None or (isinstance(value, float) and value != value):
        return _DEFAULTS.get(field)
    if field == "applicable":
        return str(value).lower() in ("true", "1")
    if field in _INTS:
        return int(float(value))
    if field in ("treatment_implemented_on", "record_date"):
        return pd.Timestamp(value).date()
    return str(value)


class Rewind:
    """Records of one kind, rewound through their change log (see the module rules).

    `current`: {id: {field: value}} as now; `born`: {id: when it was created} (missing: always
    there); `log`: rows (changed_at, entity_id, field, old_value, new_value) oldest first, where
    field 'deleted' marks a deletion. `at(cutoff)` undoes every row at or after `cutoff` (cutoffs
    must come newest first) and says whether anything changed; `alive(cutoff)` lists the
    records that existed before `cutoff`."""

    def __init__(self, current: dict, born: dict, log: list[tuple], fields: tuple[str, ...]):
        self.state = {k: dict(v) for k, v in current.items()}
        self.born = dict(born)
        self.fields = fields
        seen: dict[str, dict] = {}
        first: dict[str, pd.Timestamp] = {}
        self.undo = []
        for at, eid, field, old, new in log:     # values just before each deletion, oldest first
            at = pd.Timestamp(at)
            if field == "deleted":
                values = {f: _DEFAULTS.get(f) for f in fields} | seen.pop(eid, {})
                self.undo.append((at, eid, field, (values, first.pop(eid, at))))
                continue
            first.setdefault(eid, at)
            if field in fields:
                seen.setdefault(eid, {})[field] = parse(field, new)
                self.undo.append((at, eid, field, old))
        self.undo.reverse()
        self.i = 0
        self._births = None

    def at(self, cutoff: pd.Timestamp) -> bool:
        changed = False
        while self.i < len(self.undo) and self.undo[self.i][0] >= cutoff:
            _, eid, field, old = self.undo[self.i]
            self.i += 1
            if field == "deleted":
                values, born = old
                self.state[eid], self.born[eid] = dict(values), born
                self._births = None
                changed = True
            elif eid in self.state:
                self.state[eid][field] = parse(field, old)
                changed = True
        return changed

    def alive(self, cutoff: pd.Timestamp) -> list[dict]:
        return [v for k, v in self.state.items() if k not in self.born or self.born[k] < cutoff]

    def count(self, cutoff: pd.Timestamp) -> int:
        """How many records existed before `cutoff` (alive, without listing them)."""
        if self._births is None or self._births[0] != len(self.born):
            self._births = (len(self.born), sorted(self.born.values()))
        always = sum(1 for k in self.state if k not in self.born)
        return always + bisect.bisect_left(self._births[1], cutoff)


def _cutoff(day: date) -> pd.Timestamp:
    """The first moment after `day`."""
    return pd.Timestamp(datetime.combine(day + timedelta(days=1), time.min))


# ---- figures of one state (pure) ---------------------------------------------------------------------

_READINESS = ("readiness_pct", "stage2_pct", "assessed_pct", "at_target", "applicable", "open_gaps")


def readiness_figures(state: dict[str, dict], default_target: int) -> dict:
    """Readiness, Stage 2, assessed (%), at target, applicable and open gaps of a state
    {req_id: {maturity, target (None: the default), applicable, evidence_strength}}."""
    return readiness_many([(state, default_target)])[0]


def readiness_many(states: list[tuple[dict, int]]) -> list[dict]:
    """readiness_figures of several (state, default target) pairs, scored in one pass (fast)."""
    if not states:
        return []
    frame = pd.DataFrame([{"_n": n, "req_id": r, **v, "_d": d} for n, (state, d) in enumerate(states)
                          for r, v in state.items()], columns=["_n", "req_id", *TREND_FIELDS, "_d"])
    frame["maturity"] = frame["maturity"].astype("Int64")
    frame["target"] = frame["target"].fillna(frame["_d"]).astype("Int64")
    frame["applicable"] = frame["applicable"].astype(bool)
    scored = scoring.with_status(frame)
    return [{k: s[k] for k in _READINESS} for s in (scoring.summary(part) for _, part in scored.groupby("_n"))]


def risks_above(rows: list[dict], appetite: int) -> int:
    """Open (not closed) risks whose current score is above `appetite`: residual likelihood x impact
    when the residual is rated and the treatment implemented, else inherent; unrated: not above."""
    n = 0
    for r in rows:
        if r.get("status") == "closed":
            continue
        residual = r.get("residual_likelihood") is not None and r.get("residual_impact") is not None
        kind = "residual" if residual and r.get("treatment_implemented_on") is not None else "inherent"
        lk, im = r.get(f"{kind}_likelihood"), r.get(f"{kind}_impact")
        n += lk is not None and im is not None and lk * im > appetite
    return int(n)


def roadmap_pct(rows: list[dict], scale: dict[str, float]) -> float | None:
    """Earned effort / total effort in % (forecast.earned), one decimal; None without effort."""
    if not rows:
        return None
    acts = pd.DataFrame({"effort_days": [scale.get(r.get("effort")) for r in rows],
                         "percent": [r.get("percent") or 0 for r in rows], "status": [r.get("status") for r in rows]})
    acts["effort_days"] = acts["effort_days"].astype(float)
    total = float(acts["effort_days"].sum())
    return None if total == 0 else round(100.0 * float(forecast.earned(acts).sum()) / total, 1)


def stage1_conditions(docs: dict[str, dict], required: dict[str, bool], records: set[str],
                      names: dict[str, str]) -> dict[str, bool]:
    """The gate's four conditions as the document register decides them (documents.stage1_gate
    with no audit records): `docs` {document: {status, record_date, open_major}}, `required`
    {document: required now}, `records` the documents that are records, `names` the register
    entries the gate reads per condition (catalog.stage1_record)."""
    need = [d for d, on in required.items() if on]
    placed = [d for d in need if (docs.get(d, {}).get("status") or "missing")
              == ("available" if d in records else "approved")]

    def entry(key):
        return docs.get(names[key], {})

    audit = entry("internal_audit")
    audit_date = audit.get("record_date") if audit.get("status") == "available" else None
    review = entry("management_review")
    held = review.get("status") == "available" and review.get("record_date") is not None
    nc = entry("nonconformities")
    return {"documents": bool(need) and len(placed) == len(need),
            "internal_audit": audit_date is not None,
            "management_review": held and not (audit_date is not None and review["record_date"] < audit_date),
            "nonconformities": nc.get("status") == "available" and nc.get("open_major") == 0}


def stage1_pct(met: dict[str, bool]) -> float | None:
    """Conditions met / total in %, one decimal (as snapshot.figures)."""
    return None if not met else round(100.0 * sum(met.values()) / len(met), 1)


# ---- readiness week by week (the dashboard's original trend) ---------------------------------------

def _weeks(first_day: date, today: date) -> list[date]:
    first_day = min(first_day, today)
    monday = first_day - timedelta(days=first_day.weekday())
    return [monday + timedelta(days=7 * i) for i in range((today - monday).days // 7 + 1)]


def _assessment_log(changes: pd.DataFrame) -> tuple[list, list]:
    if changes.empty:
        return [], []
    rows = changes.assign(at_=pd.to_datetime(changes["changed_at"])).sort_values("at_", kind="stable")
    req = [(r.at_, r.entity_id, r.field, r.old_value, None) for r in rows.itertuples(index=False)
           if r.entity == "assessment"]
    ws = [(r.at_, "ws", r.field, r.old_value, None) for r in rows.itertuples(index=False)
          if r.entity == "workspace" and r.field == "default_target"]
    return req, ws


def weekly_readiness(state: pd.DataFrame, default_target: int, changes: pd.DataFrame, first_day: date,
                     today: date) -> pd.DataFrame:
    """Readiness at the end of every week (see the module rules), one row per week, oldest first;
    this week's point is as of today.

    `state`: one row per catalogue requirement as it is now: req_id, maturity (int or None),
    target (the stored one: int, or None for the workspace default), applicable (bool),
    evidence_strength. `default_target`: the workspace default now. `changes`: change-log rows in
    the order they were written (changed_at, entity, entity_id, field, old_value): entity
    'assessment' with a TREND_FIELDS field, or 'workspace' with field 'default_target'; other
    rows and requirements not in `state` are ignored. Columns: TREND_COLUMNS; week is the
    Monday, as_of the Sunday (today for this week)."""
    current = {r["req_id"]: {f: parse(f, None if pd.isna(r[f]) else r[f]) for f in TREND_FIELDS}
               for r in state.to_dict("records")}
    req_log, ws_log = _assessment_log(changes)
    reqs = Rewind(current, {}, req_log, TREND_FIELDS)
    ws = Rewind({"ws": {"default_target": int(default_target)}}, {}, ws_log, ("default_target",))
    rows, figures = [], None
    for week in reversed(_weeks(first_day, today)):
        as_of = min(week + timedelta(days=6), today)
        cutoff = _cutoff(as_of)
        undone = reqs.at(cutoff) | ws.at(cutoff)
        if figures is None or undone:
            dflt = ws.state["ws"]["default_target"]
            figures = readiness_figures(reqs.state, dflt if dflt is not None else int(default_target))
        rows.append({"week": week, "as_of": as_of, **figures})
    return pd.DataFrame(rows[::-1], columns=TREND_COLUMNS)


def _read_state(cur, ws: int, catalog: Catalog) -> tuple[pd.DataFrame, int, date]:
    stored = cur.execute("SELECT req_id, maturity, target, applicable, evidence_strength FROM assessment"
                         " WHERE workspace_id = ?", [ws]).df()
    default_target, created = cur.execute("SELECT default_target, created_at FROM workspace WHERE id = ?",
                                          [ws]).fetchone()
    state = pd.DataFrame({"req_id": list(catalog.requirements)}).merge(stored, on="req_id", how="left")
    return state, int(default_target), pd.Timestamp(created).date()


def _read_assessment_log(cur, ws: int) -> pd.DataFrame:
    return cur.execute(
        "SELECT changed_at, entity, entity_id, field, old_value FROM change_log WHERE workspace_id = ?"
        " AND ((entity = 'assessment' AND field IN (?, ?, ?, ?)) OR (entity = 'workspace' AND field = ?))"
        " ORDER BY id", [ws, *TREND_FIELDS, "default_target"]).df()


def readiness_trend(con, workspace_id: int, catalog: Catalog, today: date | None = None) -> pd.DataFrame:
    """The workspace's readiness week by week (weekly_readiness over its stored state and log)."""
    today = today or date.today()
    ws = int(workspace_id)
    with db.reading(con) as cur:
        state, default_target, first = _read_state(cur, ws, catalog)
        log = _read_assessment_log(cur, ws)
    if not log.empty:
        first = min(first, pd.Timestamp(log["changed_at"].min()).date())
    return weekly_readiness(state, default_target, log, first, today)


# ---- every figure: weeks, baselines, now ---------------------------------------------------------------

def _log(cur, ws: int, entity: str, fields: tuple[str, ...]) -> list[tuple]:
    marks = ", ".join("?" * (len(fields) + 1))
    return cur.execute("SELECT changed_at, entity_id, field, old_value, new_value FROM change_log"
                       f" WHERE workspace_id = ? AND entity = ? AND field IN ({marks}) ORDER BY id",  # marks only
                       [ws, entity, *fields, "deleted"]).fetchall()


def _records(cur, sql: str, ws: int, fields: tuple[str, ...]) -> tuple[dict, dict]:
    current, born = {}, {}
    for row in cur.execute(sql, [ws]).fetchall():
        current[row[0]] = {f: parse(f, None if v is None else db._text(v)) for f, v in zip(fields, row[1:-1])}
        born[row[0]] = pd.Timestamp(row[-1])
    return current, born


_RISKS = "SELECT id, " + ", ".join(RISK_FIELDS) + ", created_at FROM risk WHERE workspace_id = ?"
_ACTIONS = "SELECT id, " + ", ".join(ACTION_FIELDS) + ", created_at FROM action WHERE workspace_id = ?"
_DOCS = "SELECT id, " + ", ".join(DOCUMENT_FIELDS) + ", updated_at FROM document_register WHERE workspace_id = ?"


def _week_points(con, ws: int, catalog: Catalog, gate: dict, today: date) -> pd.DataFrame:
    """Every metric at the end of each completed week (before today's), oldest first."""
    with db.reading(con) as cur:
        state, default_target, first = _read_state(cur, ws, catalog)
        req_log, ws_log = _assessment_log(_read_assessment_log(cur, ws))
        risk_now, risk_born = _records(cur, _RISKS, ws, RISK_FIELDS)
        act_now, act_born = _records(cur, _ACTIONS, ws, ACTION_FIELDS)
        doc_now, _ = _records(cur, _DOCS, ws, DOCUMENT_FIELDS)
        logs = {"risk": _log(cur, ws, "risk", RISK_FIELDS), "action": _log(cur, ws, "action", ACTION_FIELDS),
                "document": _log(cur, ws, "document", DOCUMENT_FIELDS),
                "appetite": _log(cur, ws, "risk_criteria", ("appetite",))}
        started = {e: pd.Timestamp(t) for e, t in cur.execute(
            "SELECT entity, min(changed_at) FROM change_log WHERE workspace_id = ? AND entity IN (?, ?, ?)"
            " GROUP BY entity", [ws, *GATE_RECORDS.values()]).fetchall()}
        oldest = cur.execute("SELECT min(changed_at) FROM change_log WHERE workspace_id = ?", [ws]).fetchone()[0]
    if oldest is not None:
        first = min(first, pd.Timestamp(oldest).date())
    current = {r["req_id"]: {f: parse(f, None if pd.isna(r[f]) else r[f]) for f in TREND_FIELDS}
               for r in state.to_dict("records")}
    reqs = Rewind(current, {}, req_log, TREND_FIELDS)
    dflt = Rewind({"ws": {"default_target": default_target}}, {}, ws_log, ("default_target",))
    risk = Rewind(risk_now, risk_born, logs["risk"], RISK_FIELDS)
    appetite = Rewind({"criteria": {"appetite": int(risks.criteria(con, ws)["appetite"])}}, {},
                      logs["appetite"], ("appetite",))
    acts = Rewind(act_now, act_born, logs["action"], ACTION_FIELDS)
    docs = Rewind(doc_now, {}, logs["document"], DOCUMENT_FIELDS)
    scale = {k: float(v) for k, v in effort_scale(con, ws).items()}
    needs = documents.required_documents(catalog)
    needs = dict(zip(needs["document"], needs["req_ids"]))
    names = {key: catalog.stage1_record(key) for key in GATE_RECORDS}
    from_records = {c["key"]: (c["met"], started.get(GATE_RECORDS[c["key"]])) for c in gate["conditions"]
                    if c.get("source") == "records"}
    rows, last, states = [], {}, []
    for week in reversed(_weeks(first, today)[:-1]):
        as_of = week + timedelta(days=6)
        cut = _cutoff(as_of)
        moved = {"req": reqs.at(cut) | dflt.at(cut), "risk": risk.at(cut) | appetite.at(cut), "act": acts.at(cut),
                 "doc": docs.at(cut)}
        if not states or moved["req"]:        # scored all at once after the loop
            d = dflt.state["ws"]["default_target"]
            states.append(({r: dict(v) for r, v in reqs.state.items()}, default_target if d is None else d))
        n_risk, n_act = risk.count(cut), acts.count(cut)
        if "risk" not in last or moved["risk"] or n_risk != last["n_risk"]:
            last["risk"], last["n_risk"] = risks_above(risk.alive(cut), appetite.state["criteria"]["appetite"]), n_risk
        if "act" not in last or moved["act"] or n_act != last["n_act"]:
            last["act"], last["n_act"] = roadmap_pct(acts.alive(cut), scale), n_act
        if "doc" not in last or moved["doc"] or moved["req"]:
            required = {d: any(reqs.state.get(r, {}).get("applicable", True) for r in ids)
                        for d, ids in needs.items()}
            last["gate"] = stage1_conditions(docs.state, required, set(catalog.records), names)
        met = dict(last["gate"])
        for key, (now_met, since) in from_records.items():
            if since is None or since < cut:
                met[key] = now_met
        rows.append({"when": cut - pd.Timedelta(seconds=1), "kind": "week", "label": f"week to {as_of.isoformat()}",
                     "_state": len(states) - 1, "stage1_pct": stage1_pct(met), "risks_above": last["risk"],
                     "roadmap_pct": last["act"]})
    scored = readiness_many(states)
    for row in rows:
        f = scored[row.pop("_state")]
        row.update({k: f[k] for k in ("readiness_pct", "stage2_pct", "assessed_pct", "open_gaps")})
    return pd.DataFrame(rows[::-1], columns=COLUMNS)


def baseline_points(con, workspace_id: int) -> pd.DataFrame:
    """The workspace's baselines as points (kind 'baseline', label its name), oldest first."""
    with db.reading(con) as cur:
        df = cur.execute("SELECT taken_at AS \"when\", name AS label, " + ", ".join(METRICS)
                         + " FROM baseline WHERE workspace_id = ? ORDER BY taken_at, id", [int(workspace_id)]).df()
    df.insert(1, "kind", "baseline")
    return df[COLUMNS]


def now_figures(con, workspace_id: int, catalog: Catalog, default_target: int, target_date: date | None,
                today: date | None = None) -> dict:
    """The headline figures now, by the app's own rules (snapshot.figures)."""
    from aims.progress import snapshot
    today = today or date.today()
    status = scoring.with_status(assessments.table(con, workspace_id, catalog, default_target))
    return snapshot.figures(status, documents.stage1_gate(con, workspace_id, catalog, today),
                            risks.table(con, workspace_id, today=today),
                            roadmap.actions(con, workspace_id, catalog, default_target, today), today, target_date)


def combine(weeks: pd.DataFrame, baselines: pd.DataFrame, now: dict, at: pd.Timestamp) -> pd.DataFrame:
    """One series (COLUMNS): the week points, the baselines and now (at `at`), by time; a week
    point on the same day as a baseline gives way to it (the baseline is exact)."""
    days = {pd.Timestamp(t).normalize() for t in baselines["when"]}
    weeks = weeks[~weeks["when"].map(lambda t: pd.Timestamp(t).normalize() in days)] if len(weeks) else weeks
    last = pd.DataFrame([{"when": at, "kind": "now", "label": "Now", **{m: now.get(m) for m in METRICS}}],
                        columns=COLUMNS)
    parts = [p for p in (weeks, baselines[baselines["when"] <= at] if len(baselines) else baselines) if len(p)]
    out = pd.concat([*parts, last], ignore_index=True) if parts else last
    out["when"] = pd.to_datetime(out["when"])
    out = out.sort_values("when", kind="stable").reset_index(drop=True)
    for m in METRICS:
        out[m] = out[m].astype("Float64")
    return out


def trend(con, workspace_id: int, catalog: Catalog, default_target: int, target_date: date | None = None,
          today: date | None = None, now: dict | None = None, gate: dict | None = None) -> pd.DataFrame:
    """The workspace's figures over time (see the module rules): one row per point, oldest first,
    columns COLUMNS (when: a timestamp; kind: 'week', 'baseline' or 'now'; label; METRICS).
    `now` (snapshot.figures) and `gate` (documents.stage1_gate) when the caller has them."""
    today = today or date.today()
    ws = int(workspace_id)
    gate = gate or documents.stage1_gate(con, ws, catalog, today)
    now = now or now_figures(con, ws, catalog, default_target, target_date, today)
    at = pd.Timestamp(datetime.now()) if today == date.today() else pd.Timestamp(today)
    return combine(_week_points(con, ws, catalog, gate, today), baseline_points(con, ws), now, at)


def change_since(series: pd.DataFrame, weeks: int = 4) -> dict | None:
    """How each metric moved to now: since the last baseline when there is one, else since the
    point about `weeks` weeks before now (the earliest when the series is shorter). Returns
    {since (label), when, kind, text ('since Kick-off (02 Mar)' or 'since 02 Mar'), short (for a
    narrow card: 'since Kick-off', or the date when the name is longer than 14 characters or has
    other characters than letters, digits, spaces, dots and hyphens), deltas
    {metric: now - then, None when either is missing}}, or None with one point only."""
    if len(series) < 2:
        return None
    now = series.iloc[-1]
    marked = series[series["kind"] == "baseline"]
    if len(marked):
        then = marked.iloc[-1]
    else:
        earlier = series[series["when"] <= now["when"] - pd.Timedelta(weeks=weeks)]
        then = earlier.iloc[-1] if len(earlier) else series.iloc[0]
    deltas = {m: None if pd.isna(now[m]) or pd.isna(then[m]) else round(float(now[m]) - float(then[m]), 1)
              for m in METRICS}
    day = pd.Timestamp(then["when"])
    text = (f"since {then['label']} ({day:%d %b})" if then["kind"] == "baseline" else f"since {day:%d %b}")
    named = then["kind"] == "baseline" and len(then["label"]) <= 14 and re.fullmatch(r"[\w .-]+", then["label"])
    short = f"since {then['label']}" if named else f"since {day:%d %b}"      # a card may read markdown
    return {"since": then["label"], "when": then["when"], "kind": then["kind"], "text": text, "short": short,
            "deltas": deltas}
