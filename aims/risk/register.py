"""AI risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3): risks, their AI systems and planned
Annex A controls, and the workspace's risk criteria. Risks from the library and from impact
assessments: risk_intake; traceability to the Statement of Applicability: risk_trace.

Write contract (like every write path): validate everything first and raise ValidationError with
every problem in plain language, nothing written; then one transaction that also logs each
changed field. Scores and levels are not stored: they are computed when read from the
workspace's criteria (see risk_scoring), so editing the criteria re-bands every risk at once.
Risk IDs ('R-001') are local to the workspace and never reused after a deletion.
"""
from __future__ import annotations

import io
import json
from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.catalog.standard import CONTROL_IDS, Catalog, load
from aims.common import frames
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, integer, raise_if, text
from aims.risk import scoring as rs
from aims.store import conflicts, db

LIFECYCLE_STAGES, TREATMENTS, STATUSES, LEVELS = rs.LIFECYCLE_STAGES, rs.TREATMENTS, rs.STATUSES, rs.LEVELS
FIELDS = ("title", "description", "lifecycle_stage", "risk_source", "objective", "stakeholders",
          "inherent_likelihood", "inherent_impact", "existing_controls", "treatment", "residual_likelihood",
          "residual_impact", "owner", "due", "status", "accepted_by", "accepted_on", "acceptance_expiry",
          "next_review", "treatment_implemented_on")
ORIGIN = ("library_id", "source_assessment_id", "source_question_id")
LINKS = ("systems", "controls")
_DATES = ("due", "accepted_on", "acceptance_expiry", "next_review", "treatment_implemented_on")
_CONTROL_ORDER = {c: i for i, c in enumerate(CONTROL_IDS)}
CRITERIA_FIELDS = ("likelihood_labels", "likelihood_descriptions", "impact_labels", "impact_descriptions",
                    "low_max", "medium_max", "high_max", "appetite", "review_months")


# ---- criteria ------------------------------------------------------------------------------------

def criteria(con, workspace_id: int) -> dict:
    """The workspace's risk criteria: the defaults (risk_scoring.defaults) until edited.

    Keys: likelihood_labels, likelihood_descriptions, impact_labels, impact_descriptions (five
    each, level 1 first), low_max, medium_max, high_max, appetite, review_months, customised.
    """
    with db.reading(con) as cur:
        row = cur.execute("SELECT " + ", ".join(CRITERIA_FIELDS) + " FROM risk_criteria WHERE workspace_id = ?",
                          [int(workspace_id)]).fetchone()
    if row is None:
        return rs.defaults()
    out = dict(zip(CRITERIA_FIELDS, row))
    for key in CRITERIA_FIELDS[:4]:
        out[key] = json.loads(out[key])
    return {**out, "customised": True}


def save_criteria(con, workspace_id: int, data: dict, who: str | None = None, base: dict | None = None) -> int:
    """Validate and store the workspace's criteria (merged over the current ones); returns the
    number of fields changed. Raises ValidationError with every problem, nothing written. `base`
    holds the criteria the user's form was opened on: fields left as shown are not written, and
    a field someone else changed since raises conflicts.EditConflict."""
    with db.transaction(con) as tx:
        _require_workspace(tx, workspace_id)
        old = criteria(tx, workspace_id)
        stored = {k: old[k] for k in CRITERIA_FIELDS}
        members.require(tx.cur, workspace_id, EDIT)
        new = rs.clean_criteria({**stored, **data})
        if base is not None:
            write, found = conflicts.settle("criteria", stored, {k: new[k] for k in data if k in new}, base)
            conflicts.raise_if_conflicts(tx.cur, int(workspace_id), "risk_criteria", found)
            new = rs.clean_criteria({**stored, **write})
        return _write_criteria(tx, workspace_id, old, new, who)


def _write_criteria(tx, workspace_id: int, old: dict, new: dict, who: str | None) -> int:
    with db.writing(tx) as cur:
        values = [json.dumps(new[k]) for k in CRITERIA_FIELDS[:4]] + [new[k] for k in CRITERIA_FIELDS[4:]]
        cur.execute("INSERT INTO risk_criteria (workspace_id, " + ", ".join(CRITERIA_FIELDS) + ", updated_at)"
                    " VALUES (" + ", ".join(["?"] * (len(CRITERIA_FIELDS) + 2)) + ") ON CONFLICT (workspace_id)"
                    " DO UPDATE SET " + ", ".join(f"{k} = excluded.{k}" for k in CRITERIA_FIELDS)
                    + ", updated_at = excluded.updated_at", [int(workspace_id)] + values + [datetime.now()])
        return db.log_diff(cur, int(workspace_id), "risk_criteria", "criteria",
                           {k: old[k] for k in CRITERIA_FIELDS}, new, who)


# ---- validation ----------------------------------------------------------------------------------

def _require_workspace(con, workspace_id: int) -> None:
    with db.reading(con) as cur:
        db.require_workspace(cur, workspace_id)


def systems(con, workspace_id: int) -> pd.DataFrame:
    """The workspace's AI systems (id, name, status, lifecycle_stage, business_owner), by ID."""
    with db.reading(con) as cur:
        return cur.execute("SELECT id, name, status, lifecycle_stage, business_owner FROM ai_system"
                           " WHERE workspace_id = ? ORDER BY id", [int(workspace_id)]).df()


def _first_token(value) -> str:
    """'C.3.4' from 'C.3.4 Risk sources related to machine learning' (forms and imports send either)."""
    return "" if blank(value) else str(value).strip().split(" ")[0]


def _id_list(value) -> list[str]:
    """IDs from a list, or from text separated by ';' or ','; duplicates dropped, order kept."""
    if isinstance(value, (list, tuple, set)):
        items = list(value)
    elif hasattr(value, "tolist"):
        items = value.tolist()
    elif blank(value):
        return []
    else:
        items = str(value).replace(",", ";").split(";")
    return list(dict.fromkeys(_first_token(v) for v in items if not blank(v)))


def _rating(value):
    """A 1-5 rating from 4, '4' or '4 Likely' (other values pass through to the range check)."""
    return _first_token(value) if isinstance(value, str) else value


def clean(data: dict, *, cat: Catalog, system_ids: set[str], crit: dict, label: str = "The risk",
          today: date | None = None) -> dict:
    """A validated, typed risk record (FIELDS + systems + controls) from a full set of input
    values; raises ValidationError naming every problem."""
    p: list[str] = []
    scale = {"low": 1, "high": 5}
    out = {
        "title": text(data.get("title"), "Title", p, required=True),
        "description": text(data.get("description"), "Description", p, limit=LONG_TEXT),
        "lifecycle_stage": choice(data.get("lifecycle_stage"), "Life-cycle stage", LIFECYCLE_STAGES, p),
        "risk_source": choice(_first_token(data.get("risk_source")), "Risk source (Annex C.3)",
                              list(cat.risk_sources), p, default=""),
        "objective": choice(_first_token(data.get("objective")), "Affected objective (Annex C.2)",
                            list(cat.objectives), p, default=""),
        "stakeholders": text(data.get("stakeholders"), "Affected stakeholders", p, limit=LONG_TEXT),
        "inherent_likelihood": integer(_rating(data.get("inherent_likelihood")), "Inherent likelihood", p,
                                       allow_none=False, **scale),
        "inherent_impact": integer(_rating(data.get("inherent_impact")), "Inherent impact", p,
                                   allow_none=False, **scale),
        "existing_controls": text(data.get("existing_controls"), "Existing controls", p, limit=LONG_TEXT),
        "treatment": choice(data.get("treatment"), "Treatment", TREATMENTS, p, default=""),
        "residual_likelihood": integer(_rating(data.get("residual_likelihood")), "Residual likelihood", p,
                                       **scale),
        "residual_impact": integer(_rating(data.get("residual_impact")), "Residual impact", p, **scale),
        "owner": text(data.get("owner"), "Owner", p),
        "due": day(data.get("due"), "Due date", p),
        "status": choice(data.get("status"), "Status", STATUSES, p, default="open"),
        "accepted_by": text(data.get("accepted_by"), "Accepted by", p),
        "accepted_on": day(data.get("accepted_on"), "Accepted on", p),
        "acceptance_expiry": day(data.get("acceptance_expiry"), "Acceptance expiry", p),
        "next_review": day(data.get("next_review"), "Next review date", p),
        "treatment_implemented_on": day(data.get("treatment_implemented_on"), "Treatment implemented on", p),
        "systems": _id_list(data.get("systems")),
        "controls": _id_list(data.get("controls")),
    }
    unknown = [s for s in out["systems"] if s not in system_ids]
    if unknown:
        p.append(f"Unknown AI system(s) {', '.join(unknown)}: choose systems from the AI system inventory.")
    unknown = [c for c in out["controls"] if c not in _CONTROL_ORDER]
    if unknown:
        p.append(f"Unknown Annex A control(s) {', '.join(unknown)}: use control IDs such as A.6.2.4 "
                 "(the 38 controls A.2.2 to A.10.4).")
    out["controls"] = sorted((c for c in out["controls"] if c in _CONTROL_ORDER), key=_CONTROL_ORDER.get)
    if out["status"] == "in treatment" and out["treatment"] not in ("mitigate", "transfer", "avoid"):
        p.append("Status 'in treatment' needs a treatment of mitigate, transfer or avoid "
                 "(an accepted risk has status 'accepted').")
    if label != "The risk":  # name the risk when several are checked at once (imports, updates)
        p = [f"{label}: {m}" for m in p]
    if not p:  # cross-field rules only on well-typed values
        p += (rs.rating_problems(out, label) + rs.treatment_problems(out, today, label)
              + rs.acceptance_problems(out, crit, today, label))
    raise_if(p)
    return out


# ---- reads ---------------------------------------------------------------------------------------

_SELECT = """
WITH s AS (SELECT rs.risk_id, array_agg(rs.system_id ORDER BY rs.system_id) AS systems,
                  array_agg(coalesce(a.name, rs.system_id) ORDER BY rs.system_id) AS system_names
           FROM risk_system rs LEFT JOIN ai_system a ON a.workspace_id = rs.workspace_id AND a.id = rs.system_id
           WHERE rs.workspace_id = ? GROUP BY rs.risk_id),
     c AS (SELECT risk_id, array_agg(control_id) AS controls FROM risk_control WHERE workspace_id = ? GROUP BY risk_id),
     x AS (SELECT rc.risk_id, array_agg(rc.control_id) AS excluded_controls FROM risk_control rc
           JOIN assessment a ON a.workspace_id = rc.workspace_id AND a.req_id = rc.control_id AND NOT a.applicable
           WHERE rc.workspace_id = ? GROUP BY rc.risk_id)
SELECT r.*, s.systems, s.system_names, c.controls, x.excluded_controls FROM risk r
LEFT JOIN s ON s.risk_id = r.id LEFT JOIN c ON c.risk_id = r.id LEFT JOIN x ON x.risk_id = r.id
WHERE r.workspace_id = ?"""


def _id_number(risk_id: str) -> int:
    tail = str(risk_id).split("-")[-1]
    return int(tail) if tail.isdigit() else 0


def _as_list(value, order=None) -> list:
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    elif value is None or (not hasattr(value, "tolist") and blank(value)):
        return []
    else:
        items = [str(v) for v in value.tolist()]
    return sorted(items, key=order.get) if order else items


def _to_date(series: pd.Series) -> pd.Series:
    return pd.Series(frames.dates(series), index=series.index, dtype=object)


def table(con, workspace_id: int, *, system_id: str | None = None, today: date | None = None) -> pd.DataFrame:
    """One row per risk of the workspace (only those linked to `system_id` when given), by ID.

    Columns: every stored column; systems, system_names, controls (catalogue order) and
    excluded_controls (planned controls the SoA excludes) as lists; organisation_level;
    inherent_score/_level/_above_appetite; residual_score/_level/_above_appetite (the planned
    residual risk; NA / None / False when not rated); treatment_implemented (bool);
    current_basis ('residual' when the residual rating is rated and the treatment implemented,
    else 'inherent'); current_likelihood/_impact/_score/_level and above_appetite (the current
    risk); treatment_overdue (not implemented and past due), review_overdue, acceptance_expired;
    checks (list of what a reviewer should look at). Dates are datetime.date or None.
    """
    today = today or date.today()
    crit = criteria(con, workspace_id)
    ws = int(workspace_id)
    sql, params = _SELECT, [ws, ws, ws, ws]
    if system_id is not None:
        sql += " AND r.id IN (SELECT risk_id FROM risk_system WHERE workspace_id = ? AND system_id = ?)"
        params += [ws, str(system_id)]
    with db.reading(con) as cur:
        df = cur.execute(sql, params).df()
    df = df.drop(columns=["workspace_id"])
    if not df.empty:
        numbers = [_id_number(i) for i in df["id"].tolist()]
        df = df.iloc[sorted(range(len(df)), key=numbers.__getitem__)].reset_index(drop=True)
    for col in ("systems", "system_names"):
        df[col] = pd.Series([_as_list(v) for v in df[col].tolist()], index=df.index, dtype=object)
    for col in ("controls", "excluded_controls"):
        df[col] = pd.Series([_as_list(v, _CONTROL_ORDER) for v in df[col].tolist()], index=df.index, dtype=object)
    for col in _DATES:
        df[col] = _to_date(df[col])
    for col in ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"):
        df[col] = df[col].astype("Int64")
    df["organisation_level"] = df["systems"].map(len) == 0
    bands = {score: rs.level(score, crit) for score in range(1, 26)}    # a missing score (0 here) has none
    for kind in ("inherent", "residual"):
        sc = (df[f"{kind}_likelihood"] * df[f"{kind}_impact"]).astype("Int64")
        df[f"{kind}_score"] = sc
        df[f"{kind}_level"] = pd.Series([bands.get(v) for v in sc.fillna(0).tolist()], index=df.index, dtype=object)
        df[f"{kind}_above_appetite"] = (sc > crit["appetite"]).fillna(False).astype(bool)
    df["treatment_implemented"] = df["treatment_implemented_on"].map(lambda d: d is not None).astype(bool)
    now = (df["residual_score"].notna() & df["treatment_implemented"]).astype(bool)
    df["current_basis"] = pd.Series(["residual" if v else "inherent" for v in now.tolist()], index=df.index,
                                    dtype=object)
    for part in ("likelihood", "impact"):
        df[f"current_{part}"] = df[f"residual_{part}"].where(now, df[f"inherent_{part}"]).astype("Int64")
    df["current_score"] = df["residual_score"].where(now, df["inherent_score"]).astype("Int64")
    df["current_level"] = df["residual_level"].where(now, df["inherent_level"])
    df["above_appetite"] = (df["current_score"] > crit["appetite"]).fillna(False).astype(bool)
    active = df["status"].isin(("open", "in treatment"))
    df["treatment_overdue"] = active & ~df["treatment_implemented"] & df["due"].map(
        lambda d: d is not None and d < today).astype(bool)
    df["review_overdue"] = (df["status"] != "closed") & df["next_review"].map(
        lambda d: d is not None and d < today).astype(bool)
    df["acceptance_expired"] = (df["status"] != "closed") & pd.Series(
        [rs.is_accepting(s, t) for s, t in zip(df["status"], df["treatment"])], index=df.index, dtype=bool) \
        & df["acceptance_expiry"].map(lambda d: d is not None and d < today).astype(bool)
    keys = _CHECKED + ("controls", "excluded_controls")
    columns = [_plain_values(df[k]) for k in _CHECKED] + [df["controls"].tolist(), df["excluded_controls"].tolist()]
    df["checks"] = pd.Series([rs.checks(dict(zip(keys, values)), crit, today) for values in zip(*columns)],
                             index=df.index, dtype=object)
    return df


# the fields risk_scoring.checks reads (besides the control lists)
_CHECKED = ("status", "owner", "treatment", "due", "inherent_likelihood", "inherent_impact", "residual_likelihood",
            "residual_impact", "accepted_by", "accepted_on", "acceptance_expiry", "next_review",
            "treatment_implemented_on")


def _plain_values(series: pd.Series) -> list:
    """A column as plain Python values, missing ones (NA, NaN, NaT) as None."""
    return [None if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) else v
            for v in series.tolist()]


def _plain_record(r: dict) -> dict:
    return {k: (None if (not isinstance(v, (list, str)) and blank(v)) else
                int(v) if k.endswith(("_likelihood", "_impact")) else v) for k, v in r.items()}


def for_system(con, workspace_id: int, system_id: str) -> pd.DataFrame:
    """The risks linked to one AI system (same columns as `table`)."""
    return table(con, workspace_id, system_id=system_id)


def get(con, workspace_id: int, risk_id: str) -> dict | None:
    """One risk as a typed dict (FIELDS, ORIGIN, systems, controls, created/updated), or None."""
    with db.reading(con) as cur:
        df = cur.execute("SELECT * FROM risk WHERE workspace_id = ? AND id = ?", [int(workspace_id), str(risk_id)]).df()
        if df.empty:
            return None
        sys_ids = [r[0] for r in cur.execute("SELECT system_id FROM risk_system WHERE workspace_id = ? AND risk_id = ?"
                                             " ORDER BY system_id", [int(workspace_id), str(risk_id)]).fetchall()]
        ctl_ids = [r[0] for r in cur.execute("SELECT control_id FROM risk_control WHERE workspace_id = ?"
                                             " AND risk_id = ?", [int(workspace_id), str(risk_id)]).fetchall()]
    row = _plain_record(df.iloc[0].to_dict())
    for col in _DATES:
        row[col] = None if row[col] is None else pd.Timestamp(row[col]).date()
    row["systems"], row["controls"] = sys_ids, sorted(ctl_ids, key=_CONTROL_ORDER.get)
    return row


def history(con, workspace_id: int, risk_id: str, limit: int = 200) -> pd.DataFrame:
    """The change-log rows of one risk, newest first (changed_at, changed_by, field, old, new)."""
    with db.reading(con) as cur:
        return cur.execute("SELECT changed_at, changed_by, field, old_value, new_value FROM change_log"
                           " WHERE workspace_id = ? AND entity = 'risk' AND entity_id = ? ORDER BY id DESC LIMIT ?",
                           [int(workspace_id), str(risk_id), int(limit)]).df()


def summary(df: pd.DataFrame) -> dict:
    """Register KPIs from `table` output; closed risks count only in `closed`. above_residual
    counts the planned residual ratings above appetite, above_current the current risks;
    residual_current the risks whose residual rating is current (treatment implemented),
    awaiting_treatment those rated but not implemented yet (still at their inherent rating)."""
    live = df[df["status"] != "closed"]
    rated = live["residual_score"].notna()
    return {
        "risks": len(df), "open": len(live), "closed": len(df) - len(live),
        "above_inherent": int(live["inherent_above_appetite"].sum()),
        "above_residual": int(live["residual_above_appetite"].sum()),
        "above_current": int(live["above_appetite"].sum()),
        "residual_rated": int(rated.sum()), "residual_not_rated": int((~rated).sum()),
        "residual_current": int((live["current_basis"] == "residual").sum()),
        "awaiting_treatment": int((rated & (live["current_basis"] == "inherent")).sum()),
        "treatments_overdue": int(live["treatment_overdue"].sum()),
        "reviews_overdue": int(live["review_overdue"].sum()),
        "acceptances_expired": int(live["acceptance_expired"].sum()),
        "needs_attention": int((live["checks"].map(len) > 0).sum()),
    }


# ---- writes --------------------------------------------------------------------------------------

def _last_number(cur, workspace_id: int) -> int:
    """The highest risk number the workspace ever used: deleted IDs stay in the change log and
    are never handed out again, so the audit trail never names two different risks alike."""
    first = db.next_local_id(cur, "risk", workspace_id, "R")
    logged = cur.execute("SELECT DISTINCT entity_id FROM change_log WHERE workspace_id = ? AND entity = 'risk'",
                         [int(workspace_id)]).fetchall()
    return max([_id_number(first) - 1] + [_id_number(r[0]) for r in logged])


# The two link tables of a risk: field -> (delete one link, insert one link).
_LINK_SQL = {
    "systems": ("DELETE FROM risk_system WHERE workspace_id = ? AND risk_id = ? AND system_id = ?",
                "INSERT INTO risk_system (workspace_id, risk_id, system_id) VALUES (?, ?, ?)"),
    "controls": ("DELETE FROM risk_control WHERE workspace_id = ? AND risk_id = ? AND control_id = ?",
                 "INSERT INTO risk_control (workspace_id, risk_id, control_id) VALUES (?, ?, ?)"),
}


def _write_links(cur, workspace_id: int, risk_id: str, field: str, old: list, new: list) -> None:
    delete, insert = _LINK_SQL[field]
    gone, added = [v for v in old if v not in new], [v for v in new if v not in old]
    for v in gone:
        cur.execute(delete, [workspace_id, risk_id, v])
    if added:
        cur.executemany(insert, [[workspace_id, risk_id, v] for v in added])


def _log_value(field: str, value):
    return "; ".join(value) if field in LINKS else value


def create_many(con, workspace_id: int, rows: list[dict], who: str | None = None,
                cat: Catalog | None = None) -> list[str]:
    """Create several risks in one transaction; returns their new IDs in order.

    Each row holds FIELDS, optional ORIGIN fields and `systems`/`controls` (lists of IDs).
    Every row is validated first; any problem (named with its row number) writes nothing.
    """
    cat = cat or load()
    _require_workspace(con, workspace_id)
    crit = criteria(con, workspace_id)
    system_ids = set(systems(con, workspace_id)["id"])
    problems, cleaned = [], []
    for n, data in enumerate(rows, start=1):
        label = "The risk" if len(rows) == 1 else f"Risk {n} ({data.get('title') or 'no title'})"
        try:
            rec = clean(data, cat=cat, system_ids=system_ids, crit=crit, label=label)
            rec.update({k: text(data.get(k), k, problems, limit=80) for k in ORIGIN})
            cleaned.append(rec)
        except ValidationError as exc:
            problems.extend(exc.problems)
    raise_if(problems)
    now, who = datetime.now(), db.author(who)
    ws, cols = int(workspace_id), list(FIELDS) + list(ORIGIN)
    with db.writing(con) as cur:
        # a contributor records risks they own
        members.require_each(cur, ws, {f"the new risk {r['title']!r}": r["owner"] for r in cleaned})
        first = _last_number(cur, ws) + 1
        ids = [f"R-{n:03d}" for n in range(first, first + len(cleaned))]
        cur.executemany("INSERT INTO risk (workspace_id, id, " + ", ".join(cols) + ", created_at, updated_at,"
                        " updated_by) VALUES (" + ", ".join(["?"] * (len(cols) + 5)) + ")",
                        [[ws, rid] + [rec[c] for c in cols] + [now, now, who] for rid, rec in zip(ids, cleaned)])
        for field in LINKS:
            links = [[ws, rid, v] for rid, rec in zip(ids, cleaned) for v in rec[field]]
            if links:
                cur.executemany(_LINK_SQL[field][1], links)
        for rid, rec in zip(ids, cleaned):
            db.log_diff(cur, ws, "risk", rid, {},
                        {k: _log_value(k, v) for k, v in rec.items() if v not in ("", [], None)}, who)
    return ids


def create(con, workspace_id: int, data: dict, who: str | None = None) -> str:
    """Create one risk; returns its ID ('R-001'). Raises ValidationError, nothing written."""
    return create_many(con, workspace_id, [data], who)[0]


def update(con, workspace_id: int, risk_id: str, data: dict, who: str | None = None,
           base: dict | None = None) -> int:
    """Change a risk's fields and links (only the keys given); returns the number of fields changed.
    `base` holds the stored values the user's form was opened on: fields left as shown are not
    written, and a field someone else changed since raises conflicts.EditConflict."""
    unknown = sorted(set(data) - set(FIELDS) - set(LINKS))
    if unknown:
        raise ValidationError(f"{risk_id}: {', '.join(unknown)} cannot be edited.")
    with db.transaction(con) as tx:
        old = get(tx, workspace_id, risk_id)
        if old is None:
            raise ValidationError(f"There is no risk {risk_id} in this workspace.")
        members.require(tx.cur, workspace_id, EDIT, owner=old["owner"], what=f"risk {risk_id}")
        stored = {k: old[k] for k in FIELDS + LINKS}
        context = {"cat": load(), "system_ids": set(systems(tx, workspace_id)["id"]),
                   "crit": criteria(tx, workspace_id), "label": risk_id}
        new = clean({**stored, **data}, **context)
        if base is not None:
            write, found = conflicts.settle(risk_id, stored, {k: new[k] for k in data}, base)
            conflicts.raise_if_conflicts(tx.cur, int(workspace_id), "risk", found)
            new = clean({**stored, **write}, **context)
        changed = [k for k in FIELDS + LINKS if db._text(_log_value(k, old[k])) != db._text(_log_value(k, new[k]))]
        if not changed:
            return 0
        return _write_update(tx.cur, int(workspace_id), risk_id, old, new, changed, db.author(who))


def _write_update(cur, workspace_id: int, risk_id: str, old: dict, new: dict, changed: list[str], who: str) -> int:
    """Write a risk's new values and links and log the changed fields; returns how many."""
    cur.execute("UPDATE risk SET " + ", ".join(f"{f} = ?" for f in FIELDS) + ", updated_at = ?, updated_by = ?"
                " WHERE workspace_id = ? AND id = ?",
                [new[f] for f in FIELDS] + [datetime.now(), who, workspace_id, risk_id])
    _write_links(cur, workspace_id, risk_id, "systems", old["systems"], new["systems"])
    _write_links(cur, workspace_id, risk_id, "controls", old["controls"], new["controls"])
    return db.log_diff(cur, workspace_id, "risk", risk_id, {k: _log_value(k, old[k]) for k in changed},
                       {k: _log_value(k, new[k]) for k in changed}, who)


# Other features' tables that point at a risk, each with its fixed count statement. A test checks
# that every table with a risk_id column (other than the risk's own link tables) is listed here.
REFERENCES = {
    "action_risk": "SELECT count(*) FROM action_risk WHERE workspace_id = ? AND risk_id = ?",
}


def references(con, workspace_id: int, risk_id: str) -> dict[str, int]:
    """Rows in other features' tables that point at this risk (REFERENCES, such as roadmap
    actions), as {table: count}."""
    found = {}
    with db.reading(con) as cur:
        for table, sql in REFERENCES.items():
            n = cur.execute(sql, [int(workspace_id), str(risk_id)]).fetchone()[0]
            if n:
                found[table] = n
    return found


_REFERENCE_NAMES = {"action_risk": ("roadmap action", "roadmap actions")}


def describe_references(refs: dict[str, int]) -> str:
    """'2 roadmap actions' for {'action_risk': 2}; unknown tables by name ('1 row in x link')."""
    parts = []
    for table_name, n in refs.items():
        one, many = _REFERENCE_NAMES.get(table_name, (f"row in {table_name.replace('_', ' ')}",
                                                      f"rows in {table_name.replace('_', ' ')}"))
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def delete(con, workspace_id: int, risk_id: str, who: str | None = None) -> None:
    """Delete a risk and its links. Refused while other records (e.g. roadmap actions) link to
    it: close the risk instead, which keeps the audit trail."""
    old = get(con, workspace_id, risk_id)
    if old is None:
        raise ValidationError(f"There is no risk {risk_id} in this workspace.")
    refs = references(con, workspace_id, risk_id)
    if refs:
        raise ValidationError(f"{risk_id} is still linked to other records ({describe_references(refs)}); "
                              "remove those links first, "
                              "or set its status to closed instead of deleting it.")
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT, what=f"deleting risk {risk_id}")
        cur.execute("DELETE FROM risk_system WHERE workspace_id = ? AND risk_id = ?", [int(workspace_id), risk_id])
        cur.execute("DELETE FROM risk_control WHERE workspace_id = ? AND risk_id = ?", [int(workspace_id), risk_id])
        cur.execute("DELETE FROM risk WHERE workspace_id = ? AND id = ?", [int(workspace_id), risk_id])
        db.log_change(cur, int(workspace_id), "risk", risk_id, "deleted", old["title"], None, who)


def to_csv(df: pd.DataFrame, crit: dict) -> bytes:
    """The register as CSV (UTF-8 with BOM for Excel); text cells that a spreadsheet would run as
    a formula get a leading single quote."""
    lik, imp = crit["likelihood_labels"], crit["impact_labels"]
    out = pd.DataFrame({
        "ID": df["id"], "Title": df["title"], "Description": df["description"],
        "AI systems": df["systems"].map("; ".join), "Life-cycle stage": df["lifecycle_stage"],
        "Risk source": df["risk_source"], "Objective": df["objective"], "Stakeholders": df["stakeholders"],
        "Inherent likelihood": df["inherent_likelihood"].map(lambda v: rs.scale_label(v, lik)),
        "Inherent impact": df["inherent_impact"].map(lambda v: rs.scale_label(v, imp)),
        "Inherent score": df["inherent_score"], "Inherent level": df["inherent_level"],
        "Existing controls": df["existing_controls"], "Treatment": df["treatment"],
        "Planned controls": df["controls"].map("; ".join),
        "Planned residual likelihood": df["residual_likelihood"].map(lambda v: rs.scale_label(v, lik)),
        "Planned residual impact": df["residual_impact"].map(lambda v: rs.scale_label(v, imp)),
        "Planned residual score": df["residual_score"], "Planned residual level": df["residual_level"],
        "Treatment implemented on": df["treatment_implemented_on"],
        "Current score": df["current_score"], "Current level": df["current_level"],
        "Current rating": df["current_basis"],
        "Above appetite": df["above_appetite"].map({True: "yes", False: "no"}),
        "Owner": df["owner"], "Due": df["due"], "Status": df["status"], "Accepted by": df["accepted_by"],
        "Accepted on": df["accepted_on"], "Acceptance expiry": df["acceptance_expiry"],
        "Next review": df["next_review"], "Checks": df["checks"].map("; ".join),
    })
    out = out.map(lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v)
    buf = io.StringIO()
    buf.write(f"AI risk register,appetite: score above {crit['appetite']} needs treatment or formal acceptance\n")
    out.to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
