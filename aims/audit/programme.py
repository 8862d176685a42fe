"""The internal audit programme (ISO/IEC 42001 9.2) and the certification body's audits: one
register of audits per workspace, the programme over a cycle, and its coverage of the applicable
requirements.

An audit ('AU-001', local to the workspace) has a kind (KINDS: internal, or one of the
certification audits stage 1, stage 2, surveillance, recertification), a title, objectives,
criteria, a scope (catalogue requirement IDs: clauses and Annex A controls, plus free-text
processes, AI systems and sites), start and finish dates, a lead auditor and a team, the
certification body (certification audits), a status (planned, in progress, completed), an outcome
(certification audits) and its report (summary and conclusion). Its checklist is in
aims.audit.checklist.

Rules:
- Title and kind are required; scope IDs must be in the catalogue; the finish is not before the
  start. An internal audit names no certification body and has no outcome.
- Outcomes of a certification audit (OUTCOMES, one set for every kind; OUTCOME_MEANING says what
  each means per kind): 'recommended' (Stage 1: go ahead to Stage 2; Stage 2 and recertification:
  the auditors recommend (re)certification; surveillance: certification continues), 'recommended
  with conditions' (the same, once the nonconformities raised are corrected and the certification
  body has accepted the corrections) and 'not recommended' (Stage 1: not ready for Stage 2; Stage 2
  or recertification: no certificate; surveillance: suspension proposed). An outcome is recorded
  only for a completed audit.
- An audit in progress has started: a start date (today when none is given), not in the future.
  Moving an audit into progress generates its checklist (see checklist.sync).
- A completed audit has start and finish dates, the finish not in the future, its report's
  conclusion written, and every checklist item audited (or taken out of the scope).
- The programme's cycle runs CYCLE_YEARS years from a chosen start, else from the earliest audit
  date (start, else finish), else today. An audit is in the cycle when its start (else its finish)
  falls in the window; an audit without dates is in every cycle (planned, not yet scheduled).
- Coverage: an applicable requirement (clauses always; Annex A controls unless the SoA excludes
  them) is covered when an internal audit of the cycle has it in scope; 'audited' when such an
  audit has recorded a checklist result for it. Excluded controls are not applicable.
- The Stage 1 date, first rule that applies: the planned start of the audit of kind 'stage 1'
  (the earliest one with a start date); else the start of the workspace's roadmap phase 'Stage 1'
  (the roadmap plans it from the target date); else the target certification date minus
  STAGE1_WEEKS_BEFORE_TARGET weeks (the default roadmap's Stage 1 start); else there is none.
  Warning: the internal audits planned to finish before that date (finish date earlier than it)
  do not cover every applicable requirement.
- Deleting an audit removes its scope and checklist; refused while findings or evidence files
  point at it (the findings register is the audit trail). Every write validates first
  (ValidationError listing every problem, nothing written), checks the edit permission inside its
  one transaction and logs each changed field under entity 'audit'.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.audit import checklist
from aims.catalog.standard import Catalog, load
from aims.common import frames
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, raise_if, text
from aims.common.validate import id_list as requirement_ids
from aims.roadmap import phases as roadmap_phases
from aims.store import conflicts, db, workspaces

KINDS = ("internal", "stage 1", "stage 2", "surveillance", "recertification")
CERTIFICATION_KINDS = KINDS[1:]
STATUSES = ("planned", "in progress", "completed")
OUTCOMES = ("recommended", "recommended with conditions", "not recommended")
OUTCOME_MEANING = {
    "stage 1": {"recommended": "ready for Stage 2", "recommended with conditions":
                "Stage 2 goes ahead once the concerns raised are addressed", "not recommended": "not ready for Stage 2"},
    "stage 2": {"recommended": "certification recommended", "recommended with conditions":
                "certification recommended once the nonconformities are corrected and accepted",
                "not recommended": "certification not recommended"},
    "surveillance": {"recommended": "certification continues", "recommended with conditions":
                     "certification continues once the nonconformities are corrected and accepted",
                     "not recommended": "suspension of the certificate proposed"},
    "recertification": {"recommended": "recertification recommended", "recommended with conditions":
                        "recertification recommended once the nonconformities are corrected and accepted",
                        "not recommended": "recertification not recommended"},
}
FIELDS = ("kind", "title", "objectives", "criteria", "processes", "systems", "sites", "start", "finish",
          "lead_auditor", "team", "certification_body", "status", "summary", "conclusion", "outcome")
EDITABLE = FIELDS + ("scope",)
LABELS = {"kind": "Kind", "title": "Title", "objectives": "Objectives", "criteria": "Criteria",
          "processes": "Processes", "systems": "AI systems", "sites": "Sites", "start": "Start", "finish": "Finish",
          "lead_auditor": "Lead auditor", "team": "Audit team", "certification_body": "Certification body",
          "status": "Status", "summary": "Summary", "conclusion": "Conclusion", "outcome": "Outcome",
          "scope": "Requirements in scope"}
LIST_TEXT = 2000            # processes, AI systems, sites, team: lists typed as text
CYCLE_YEARS = 3
STAGE1_WEEKS_BEFORE_TARGET = 13     # the default roadmap's Stage 1 phase starts 13 weeks before the target
_BLANK = {"objectives": "", "criteria": "", "processes": "", "systems": "", "sites": "", "start": None,
          "finish": None, "lead_auditor": "", "team": "", "certification_body": "", "status": "planned",
          "summary": "", "conclusion": "", "outcome": "", "scope": []}


# ---- pure rules ----------------------------------------------------------------------------------

def is_certification(kind: str) -> bool:
    return kind in CERTIFICATION_KINDS


def split_list(value) -> list[str]:
    """Items of a list, or of text separated by ';' or new lines; blanks and duplicates dropped."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple, set)):
        items = [str(v) for v in value]
    elif blank(value):
        return []
    else:
        items = str(value).replace("\n", ";").split(";")
    return list(dict.fromkeys(i.strip() for i in items if i and i.strip()))


def team_members(lead: str, team: str) -> list[str]:
    """The lead auditor then the team (team text separated by ';', ',' or new lines), each once."""
    names = [lead] + str(team or "").replace(",", ";").replace("\n", ";").split(";")
    seen, out = set(), []
    for n in (n.strip() for n in names):
        if n and n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out


def clean(data: dict, *, cat: Catalog, today: date, unaudited: int = 0, label: str = "") -> dict:
    """A validated, typed audit record (FIELDS + scope) from a full set of values; raises
    ValidationError naming every problem. `unaudited` is the number of checklist items without a
    result (a completed audit has none)."""
    p: list[str] = []
    out = {
        "kind": choice(data.get("kind"), "Kind", KINDS, p),
        "title": text(data.get("title"), "Title", p, required=True),
        "objectives": text(data.get("objectives"), "Objectives", p, limit=LONG_TEXT),
        "criteria": text(data.get("criteria"), "Criteria", p, limit=LONG_TEXT),
        "processes": text("; ".join(split_list(data.get("processes"))), "Processes", p, limit=LIST_TEXT),
        "systems": text("; ".join(split_list(data.get("systems"))), "AI systems", p, limit=LIST_TEXT),
        "sites": text("; ".join(split_list(data.get("sites"))), "Sites", p, limit=LIST_TEXT),
        "start": day(data.get("start"), "Start", p),
        "finish": day(data.get("finish"), "Finish", p),
        "lead_auditor": text(data.get("lead_auditor"), "Lead auditor", p),
        "team": text(data.get("team"), "Audit team", p, limit=LIST_TEXT),
        "certification_body": text(data.get("certification_body"), "Certification body", p),
        "status": choice(data.get("status"), "Status", STATUSES, p, default="planned"),
        "summary": text(data.get("summary"), "Summary", p, limit=LONG_TEXT),
        "conclusion": text(data.get("conclusion"), "Conclusion", p, limit=LONG_TEXT),
        "outcome": choice(data.get("outcome"), "Outcome", OUTCOMES, p, default=""),
        "scope": requirement_ids(data.get("scope")),
    }
    unknown = [r for r in out["scope"] if r not in cat.requirements]
    if unknown:
        p.append(f"Unknown requirement or control {', '.join(unknown)} in the scope: use catalogue IDs such as "
                 "6.1.2 or A.6.2.4.")
    order = {r: i for i, r in enumerate(cat.requirements)}
    out["scope"] = sorted((r for r in out["scope"] if r in order), key=order.get)
    if out["start"] and out["finish"] and out["finish"] < out["start"]:
        p.append(f"The finish {out['finish']} is before the start {out['start']}.")
    if out["kind"] == "internal":
        if out["certification_body"]:
            p.append("An internal audit has no certification body: leave it empty (or choose a certification audit).")
        if out["outcome"]:
            p.append("An internal audit has no certification outcome: its result is the report's conclusion.")
    if out["outcome"] and out["status"] != "completed":
        p.append("An outcome is recorded once the audit is completed: set the status to completed.")
    if out["status"] == "in progress":
        out["start"] = out["start"] or today
        if out["start"] > today:
            p.append(f"An audit in progress has started: its start {out['start']} is in the future.")
    if out["status"] == "completed":
        if not out["start"] or not out["finish"]:
            p.append("A completed audit needs its start and finish dates.")
        elif out["finish"] > today:
            p.append(f"A completed audit has finished: its finish {out['finish']} is in the future.")
        if not out["conclusion"]:
            p.append("A completed audit needs its report's conclusion.")
        if unaudited:
            p.append(f"{unaudited} checklist item{'s have' if unaudited != 1 else ' has'} no result: record "
                     f"{'them' if unaudited != 1 else 'it'}, or take {'them' if unaudited != 1 else 'it'} out of "
                     "the scope, before completing the audit.")
    if label:
        p = [f"{label}: {m}" for m in p]
    raise_if(p)
    return out


def cycle_window(audits: pd.DataFrame, start: date | None = None, today: date | None = None,
                 years: int = CYCLE_YEARS) -> tuple[date, date]:
    """(first day, last day) of the programme's cycle: `years` years from `start`, else from the
    earliest audit date (start, else finish), else from today."""
    if start is None:
        dated = [d for d in _when(audits) if d is not None]
        start = min(dated) if dated else (today or date.today())
    try:
        end = start.replace(year=start.year + years)
    except ValueError:                       # 29 February
        end = start.replace(year=start.year + years, day=28)
    return start, end - timedelta(days=1)


def _when(audits: pd.DataFrame) -> list[date | None]:
    """The date that places each audit in a cycle: its start, else its finish (None: undated)."""
    return [s or f for s, f in zip(audits["start"], audits["finish"])] if not audits.empty else []


def in_cycle(audits: pd.DataFrame, window: tuple[date, date]) -> pd.DataFrame:
    """The audits of the cycle: dated inside the window, or not dated at all."""
    if audits.empty:
        return audits
    mask = [d is None or window[0] <= d <= window[1] for d in _when(audits)]
    return audits[pd.Series(mask, index=audits.index, dtype=bool)]


def stage1_date(audits: pd.DataFrame, target: date | None, roadmap_stage1: date | None = None) -> tuple[date | None, str]:
    """The Stage 1 date and how it was found (see the module rules): (date or None, basis text)."""
    s1 = audits[(audits["kind"] == "stage 1")] if not audits.empty else audits
    starts = sorted(d for d in (s1["start"] if not s1.empty else []) if d is not None)
    if starts:
        aid = s1[s1["start"] == starts[0]]["id"].iloc[0]
        return starts[0], f"the planned start of the Stage 1 audit {aid}"
    if roadmap_stage1 is not None:
        return roadmap_stage1, "the start of the roadmap's Stage 1 phase"
    if target is not None:
        return (target - timedelta(weeks=STAGE1_WEEKS_BEFORE_TARGET),
                f"the target certification date {target} minus {STAGE1_WEEKS_BEFORE_TARGET} weeks")
    return None, "no Stage 1 audit, roadmap phase or target certification date"


def coverage_frame(cat: Catalog, excluded: set[str], audits: pd.DataFrame, items: pd.DataFrame,
                   stage1: date | None = None) -> pd.DataFrame:
    """One row per catalogue requirement (catalogue order): req_id, title, kind, group (its
    clause or Annex A objective), applicable, audits (IDs of the internal audits of `audits` with
    it in scope), before_stage1 (those of them planned to finish before `stage1`), covered,
    covered_before_stage1, audited (a checklist result recorded in one of them) and status
    ('excluded', 'not covered', 'planned' or 'audited').

    `audits` are the cycle's audits (table columns; only kind 'internal' counts), `items` the
    checklist items (audit_id, req_id, result) of any audits."""
    internal = audits[audits["kind"] == "internal"] if not audits.empty else audits
    scope_of = {a: list(s) for a, s in zip(internal["id"], internal["scope"])} if not internal.empty else {}
    early = set() if stage1 is None or internal.empty else {
        a for a, f in zip(internal["id"], internal["finish"]) if f is not None and f < stage1}
    done = set() if items.empty else {
        (a, r) for a, r, res in zip(items["audit_id"], items["req_id"], items["result"]) if res}
    rows = []
    for rid, req in cat.requirements.items():
        applicable = req.kind == "clause" or rid not in excluded
        ids = [a for a, scope in scope_of.items() if rid in scope]
        audited = any((a, rid) in done for a in ids)
        status = ("excluded" if not applicable else "audited" if audited else "planned" if ids else "not covered")
        rows.append({"req_id": rid, "title": req.title, "kind": req.kind, "group": req.top_group,
                     "applicable": applicable, "audits": ids, "before_stage1": [a for a in ids if a in early],
                     "covered": bool(ids), "covered_before_stage1": any(a in early for a in ids),
                     "audited": audited, "status": status})
    return pd.DataFrame(rows)


def coverage_summary(cov: pd.DataFrame, stage1: date | None) -> dict:
    """Figures of a coverage frame: applicable, covered, audited, uncovered (IDs, catalogue
    order), uncovered_before_stage1 (IDs; empty when there is no Stage 1 date), covered_pct and
    the Stage 1 warning ('' when none)."""
    app = cov[cov["applicable"]]
    uncovered = app.loc[~app["covered"], "req_id"].tolist()
    late = app.loc[~app["covered_before_stage1"], "req_id"].tolist() if stage1 is not None else []
    warning = ""
    if stage1 is not None and late:
        warning = (f"The internal audits planned to finish before the Stage 1 date ({stage1}) do not cover "
                   f"{len(late)} of the {len(app)} applicable requirements: {_short_list(late)}. A certification "
                   "body expects an internal audit of the full scope before Stage 1.")
    return {"applicable": len(app), "covered": int(app["covered"].sum()), "audited": int(app["audited"].sum()),
            "uncovered": uncovered, "uncovered_before_stage1": late,
            "covered_pct": None if app.empty else round(100.0 * float(app["covered"].sum()) / len(app), 1),
            "warning": warning}


def _short_list(ids: list[str], n: int = 12) -> str:
    return ", ".join(ids[:n]) + (f" and {len(ids) - n} more" if len(ids) > n else "")


def scope_preset(cat: Catalog, name: str, excluded: set[str] = frozenset()) -> list[str]:
    """Requirement IDs for a quick scope: 'clauses' (4 to 10), 'annex a' (the controls the SoA
    does not exclude) or 'everything' (both)."""
    clauses = [r for r, q in cat.requirements.items() if q.kind == "clause"]
    controls = [r for r, q in cat.requirements.items() if q.kind == "control" and r not in excluded]
    return {"clauses": clauses, "annex a": controls, "everything": clauses + controls}[name]


# ---- reads ---------------------------------------------------------------------------------------

def table(con, workspace_id: int) -> pd.DataFrame:
    """One row per audit of the workspace, by start date (undated last), then ID.

    Columns: every stored column but workspace_id; scope (list, catalogue order); certification
    (bool); items, audited (checklist items and those with a result); progress_pct (None without
    a checklist). Dates are datetime.date or None."""
    ws = int(workspace_id)
    with db.reading(con) as cur:
        df = cur.execute("SELECT * FROM audit WHERE workspace_id = ?", [ws]).df().drop(columns=["workspace_id"])
        scope = cur.execute("SELECT audit_id, req_id FROM audit_scope WHERE workspace_id = ?", [ws]).df()
        counts = dict((a, (int(n), int(d))) for a, n, d in cur.execute(
            "SELECT audit_id, count(*), count(*) FILTER (WHERE result <> '') FROM audit_item WHERE workspace_id = ?"
            " GROUP BY audit_id", [ws]).fetchall())
    order = {r: i for i, r in enumerate(load().requirements)}
    grouped = frames.group_lists(scope["audit_id"], scope["req_id"])
    for col in ("start", "finish"):
        df[col] = pd.Series(frames.dates(df[col]), index=df.index, dtype=object)
    if not df.empty:
        keys = [(s is None, s or date.min, frames.id_number(i)) for s, i in zip(df["start"], df["id"])]
        df = df.iloc[sorted(range(len(df)), key=keys.__getitem__)].reset_index(drop=True)
    df["scope"] = pd.Series([sorted(grouped.get(i, []), key=lambda r: order.get(r, len(order))) for i in df["id"]],
                            index=df.index, dtype=object)
    df["certification"] = df["kind"].isin(CERTIFICATION_KINDS).astype(bool)
    df["items"] = pd.Series([counts.get(i, (0, 0))[0] for i in df["id"]], index=df.index, dtype="int64")
    df["audited"] = pd.Series([counts.get(i, (0, 0))[1] for i in df["id"]], index=df.index, dtype="int64")
    df["progress_pct"] = pd.Series([round(100.0 * d / n, 1) if n else None for n, d in zip(df["items"], df["audited"])],
                                   index=df.index, dtype=object)
    return df


def get(con, workspace_id: int, audit_id: str) -> dict | None:
    """One audit as a plain dict (stored columns and scope), or None."""
    ws = int(workspace_id)
    with db.reading(con) as cur:
        df = cur.execute("SELECT * FROM audit WHERE workspace_id = ? AND id = ?", [ws, str(audit_id)]).df()
        if df.empty:
            return None
        scope = [r[0] for r in cur.execute("SELECT req_id FROM audit_scope WHERE workspace_id = ? AND audit_id = ?",
                                           [ws, str(audit_id)]).fetchall()]
    row = {k: frames.plain(v) for k, v in df.drop(columns=["workspace_id"]).iloc[0].to_dict().items()}
    for col in ("start", "finish"):
        row[col] = None if row[col] is None else pd.Timestamp(row[col]).date()
    order = {r: i for i, r in enumerate(load().requirements)}
    row["scope"] = sorted(scope, key=lambda r: order.get(r, len(order)))
    return row


def excluded_controls(con, workspace_id: int) -> set[str]:
    """The Annex A controls the workspace's SoA excludes."""
    with db.reading(con) as cur:
        return {r[0] for r in cur.execute("SELECT req_id FROM assessment WHERE workspace_id = ? AND NOT applicable",
                                          [int(workspace_id)]).fetchall()}


def checklist_results(con, workspace_id: int) -> pd.DataFrame:
    """audit_id, req_id, result of every checklist item of the workspace."""
    with db.reading(con) as cur:
        return cur.execute("SELECT audit_id, req_id, result FROM audit_item WHERE workspace_id = ?",
                           [int(workspace_id)]).df()


def _roadmap_stage1(con, workspace_id: int) -> date | None:
    current = roadmap_phases.phases(con, workspace_id)
    hit = current[current["template"] == "stage1"]
    return None if hit.empty else hit["start"].iloc[0]


def overview(con, workspace_id: int, cat: Catalog, start: date | None = None, today: date | None = None) -> dict:
    """The programme view: window (first, last day of the cycle), audits (all, table), cycle (the
    audits in the cycle), coverage (coverage_frame of the cycle), stage1 (date or None),
    stage1_basis (text) and the coverage_summary figures under 'summary'."""
    today = today or date.today()
    audits = table(con, workspace_id)
    window = cycle_window(audits, start, today)
    cycle = in_cycle(audits, window)
    ws = workspaces.get(con, workspace_id) or {}
    s1, basis = stage1_date(audits, ws.get("target_date"), _roadmap_stage1(con, workspace_id))
    cov = coverage_frame(cat, excluded_controls(con, workspace_id), cycle, checklist_results(con, workspace_id), s1)
    return {"window": window, "audits": audits, "cycle": cycle, "coverage": cov, "stage1": s1,
            "stage1_basis": basis, "summary": coverage_summary(cov, s1)}


def history(con, workspace_id: int, audit_id: str, limit: int = 200) -> pd.DataFrame:
    """The change-log rows of one audit, newest first (changed_at, changed_by, field, old, new)."""
    with db.reading(con) as cur:
        return cur.execute("SELECT changed_at, changed_by, field, old_value, new_value FROM change_log"
                           " WHERE workspace_id = ? AND entity = 'audit' AND entity_id = ? ORDER BY id DESC LIMIT ?",
                           [int(workspace_id), str(audit_id), int(limit)]).df()


# ---- writes --------------------------------------------------------------------------------------

def _logged(rec: dict) -> dict:
    return {k: ("; ".join(v) if isinstance(v, list) else v) for k, v in rec.items()}


def _write_scope(cur, ws: int, aid: str, old: list[str], new: list[str]) -> None:
    for r in [r for r in old if r not in new]:
        cur.execute("DELETE FROM audit_scope WHERE workspace_id = ? AND audit_id = ? AND req_id = ?", [ws, aid, r])
    for r in [r for r in new if r not in old]:
        cur.execute("INSERT INTO audit_scope (workspace_id, audit_id, req_id) VALUES (?, ?, ?)", [ws, aid, r])


def _unaudited(cur, ws: int, aid: str) -> int:
    return cur.execute("SELECT count(*) FROM audit_item WHERE workspace_id = ? AND audit_id = ? AND result = ''",
                       [ws, aid]).fetchone()[0]


def create(con, workspace_id: int, data: dict, who: str | None = None, *, today: date | None = None) -> str:
    """Add an audit to the programme; returns its ID ('AU-001').

    `data` keys: EDITABLE (kind and title required; scope a list of catalogue IDs or text
    separated by ';'; processes, systems, sites lists or text). An audit created in progress gets
    its checklist at once. Raises ValidationError listing every problem (nothing written) and
    AccessDenied unless the acting person may edit the workspace. Logged under entity 'audit'."""
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationError(f"An audit has no field {', '.join(unknown)}.")
    ws, today, cat = int(workspace_id), today or date.today(), load()
    rec = clean(data, cat=cat, today=today)
    with db.transaction(con) as tx:
        cur = tx.cur
        db.require_workspace(cur, ws)
        members.require(cur, ws, EDIT, what="a new audit")
        aid = db.next_local_id(cur, "audit", ws, "AU")
        now = datetime.now()
        cur.execute("INSERT INTO audit (workspace_id, id, " + ", ".join(FIELDS) + ", created_at, updated_at) VALUES ("
                    + ", ".join(["?"] * (len(FIELDS) + 4)) + ")", [ws, aid] + [rec[f] for f in FIELDS] + [now, now])
        _write_scope(cur, ws, aid, [], rec["scope"])
        db.log_diff(cur, ws, "audit", aid, {}, _logged({k: v for k, v in rec.items() if v not in ("", [], None)}), who)
        if rec["status"] == "in progress":
            checklist.sync(tx, ws, aid, who)
    return aid


def update(con, workspace_id: int, audit_id: str, data: dict, who: str | None = None, base: dict | None = None,
           *, today: date | None = None) -> int:
    """Change an audit's fields (EDITABLE); returns the number of fields changed. `base` holds the
    values the user's form showed: fields left as shown are not written, and a field someone else
    changed since raises conflicts.EditConflict. Moving the audit into progress, or changing the
    scope of an audit that has a checklist, brings the checklist in line with the scope (see
    checklist.sync). ValidationError with every problem, nothing written."""
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationError(f"{audit_id}: {', '.join(unknown)} cannot be edited.")
    ws, aid, today, cat = int(workspace_id), str(audit_id), today or date.today(), load()
    with db.transaction(con) as tx:
        old = get(tx, ws, aid)
        if old is None:
            raise ValidationError(f"There is no audit {aid} in this workspace.")
        members.require(tx.cur, ws, EDIT, what=f"audit {aid}")
        stored = {k: old[k] for k in EDITABLE}
        new = clean({**stored, **data}, cat=cat, today=today, label=aid)
        if base is not None:
            write, found = conflicts.settle(aid, stored, {k: new[k] for k in data}, base)
            conflicts.raise_if_conflicts(tx.cur, ws, "audit", found, fields=LABELS)
            new = clean({**stored, **write}, cat=cat, today=today, label=aid)
        changed = [k for k in EDITABLE if db._text(_logged({k: stored[k]})[k]) != db._text(_logged({k: new[k]})[k])]
        if not changed:
            return 0
        cur = tx.cur
        cols = [k for k in changed if k != "scope"]
        if cols:
            cur.execute("UPDATE audit SET " + ", ".join(f"{k} = ?" for k in cols) + ", updated_at = ?"
                        " WHERE workspace_id = ? AND id = ?", [new[k] for k in cols] + [datetime.now(), ws, aid])
        if "scope" in changed:
            _write_scope(cur, ws, aid, stored["scope"], new["scope"])
        n = db.log_diff(cur, ws, "audit", aid, _logged({k: stored[k] for k in changed}),
                        _logged({k: new[k] for k in changed}), who)
        has_items = cur.execute("SELECT count(*) FROM audit_item WHERE workspace_id = ? AND audit_id = ?",
                                [ws, aid]).fetchone()[0]
        if (new["status"] == "in progress" and old["status"] != "in progress") or ("scope" in changed and has_items):
            checklist.sync(tx, ws, aid, who, closed_ok=True)
        if new["status"] == "completed":      # the checklist as it now stands must be fully audited
            clean(new, cat=cat, today=today, unaudited=_unaudited(cur, ws, aid), label=aid)
        return n


def references(con, workspace_id: int, audit_id: str) -> dict[str, int]:
    """Records pointing at the audit: {'findings': n, 'evidence links': n} (only those present)."""
    ws, aid = int(workspace_id), str(audit_id)
    with db.reading(con) as cur:
        found = {"findings": cur.execute("SELECT count(*) FROM finding WHERE workspace_id = ? AND audit_id = ?",
                                         [ws, aid]).fetchone()[0],
                 "evidence links": cur.execute("SELECT count(*) FROM evidence_link WHERE workspace_id = ? AND"
                                               " kind = 'audit_item' AND starts_with(target, ?)",
                                               [ws, aid + "/"]).fetchone()[0]}
    return {k: n for k, n in found.items() if n}


def delete(con, workspace_id: int, audit_id: str, who: str | None = None) -> None:
    """Delete an audit with its scope and checklist. Refused while findings or evidence files
    point at it: findings are never deleted, so the audit they came from stays."""
    ws, aid = int(workspace_id), str(audit_id)
    with db.transaction(con) as tx:
        old = get(tx, ws, aid)
        if old is None:
            raise ValidationError(f"There is no audit {aid} in this workspace.")
        members.require(tx.cur, ws, EDIT, what=f"deleting audit {aid}")
        refs = references(tx, ws, aid)
        if refs:
            raise ValidationError(f"{aid} cannot be deleted: " + ", ".join(f"{n} {k}" for k, n in refs.items())
                                  + " point at it. Findings are the audit trail and stay; keep the audit too.")
        tx.cur.execute("DELETE FROM audit_item WHERE workspace_id = ? AND audit_id = ?", [ws, aid])
        tx.cur.execute("DELETE FROM audit_scope WHERE workspace_id = ? AND audit_id = ?", [ws, aid])
        tx.cur.execute("DELETE FROM audit WHERE workspace_id = ? AND id = ?", [ws, aid])
        db.log_change(tx.cur, ws, "audit", aid, "deleted", old["title"], None, who)
