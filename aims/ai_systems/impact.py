"""AI system impact assessments (ISO/IEC 42001 6.1.4, 8.4, A.5; ISO/IEC 42005 style).

Scoring rule (levels low < medium < high < critical, ranked 1-4):
- Section level: critical when any answer in it is critical; otherwise the rounded-up mean of
  its answered severities, but never lower than one level below its worst answer. So a critical
  answer is never averaged away and a single high answer lifts a section to at least medium.
- Overall level: critical or high when any section is; otherwise the rounded-up mean of the
  section levels. Unanswered questions are left out; with no answers there is no level (None).
Life cycle: draft -> in review -> approved (approver, date, every question answered); an
approved version is read-only. A re-assessment is a new version, pre-filled with the last
answers and context; earlier versions stay viewable. High and critical answers become proposed risks.
Context (ISO/IEC 42005 clause 6): descriptive fields of each version, not scored (the assessment's
own scope, deployment environment, model, interested parties, failures and fallback, and what a
fundamental-rights impact assessment needs); listed in the questionnaire file under "context".
"""
from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.ai_systems import inventory
from aims.catalog.standard import CONTROL_IDS, CatalogError, load_json
from aims.common.validate import LONG_TEXT, ValidationError, day, raise_if, text
from aims.store import conflicts, db

LEVELS = ("low", "medium", "high", "critical")
RANK = {lvl: i + 1 for i, lvl in enumerate(LEVELS)}
STATUSES = ("draft", "in review", "approved")
CONTEXT_KINDS = ("short", "long", "choice")     # a line of text, a paragraph, one of the field's options
LINE_LIMIT = 500     # a short context field: one line
TRANSITIONS = {"draft": ("in review",), "in review": ("draft", "approved"), "approved": ()}


@lru_cache(maxsize=1)
def questionnaire() -> dict:
    """The validated questionnaire: sections with questions, options and risk hints."""
    data = load_json("impact_questionnaire.json")
    problems, seen = [], set()
    for s in data["sections"]:
        if s["id"] == "context":         # the page shows the context under this name beside the sections
            problems.append("no section may be called context")
        if not s["questions"]:
            problems.append(f"section {s['id']} has no questions")
        for q in s["questions"]:
            if q["id"] in seen:
                problems.append(f"duplicate question {q['id']}")
            seen.add(q["id"])
            values = [o["value"] for o in q["options"]]
            if len(set(values)) != len(values) or any(o["severity"] not in LEVELS for o in q["options"]):
                problems.append(f"{q['id']}: duplicate option values or unknown severity")
            risk = q.get("risk")
            if any(o["severity"] in ("high", "critical") for o in q["options"]) and not risk:
                problems.append(f"{q['id']}: a question with high or critical answers needs a risk hint")
            if risk and any(c not in CONTROL_IDS for c in risk["controls"]):
                problems.append(f"{q['id']}: unknown Annex A control in its risk hint")
    problems += _context_problems(data.get("context", {}))
    if problems:
        raise CatalogError("impact_questionnaire.json: " + "; ".join(problems))
    return data


def _context_problems(context: dict) -> list[str]:
    problems, seen = [], set()
    for g in context.get("groups", []):
        if not g.get("fields"):
            problems.append(f"context group {g.get('id')} has no fields")
        for f in g.get("fields", []):
            if f["id"] in seen:
                problems.append(f"duplicate context field {f['id']}")
            seen.add(f["id"])
            if f.get("kind") not in CONTEXT_KINDS:
                problems.append(f"context field {f['id']}: kind must be one of {', '.join(CONTEXT_KINDS)}")
            elif (f["kind"] == "choice") != bool(f.get("options")):
                problems.append(f"context field {f['id']}: a choice needs options, and only a choice has them")
            if not f.get("label"):
                problems.append(f"context field {f['id']} has no label")
    if not seen:
        problems.append("the context lists no fields")
    return problems


def context_fields() -> dict[str, dict]:
    """Context field id -> field (id, label, kind, help, options; with its group id and title), in order."""
    return {f["id"]: {**f, "group": g["id"], "group_title": g["title"]}
            for g in questionnaire()["context"]["groups"] for f in g["fields"]}


def questions() -> dict[str, dict]:
    """question id -> question (with its section id and title added)."""
    out = {}
    for s in questionnaire()["sections"]:
        for q in s["questions"]:
            out[q["id"]] = {**q, "section": s["id"], "section_title": s["title"]}
    return out


def level_of(severities: list[str]) -> str | None:
    """Section level from answered severities (see the module docstring)."""
    ranks = [RANK[s] for s in severities]
    if not ranks:
        return None
    if max(ranks) == RANK["critical"]:
        return "critical"
    return LEVELS[max(math.ceil(sum(ranks) / len(ranks) - 1e-9), max(ranks) - 1) - 1]


def overall_level(section_levels: list[str | None]) -> str | None:
    """Overall level from section levels (None sections are left out)."""
    ranks = [RANK[s] for s in section_levels if s]
    if not ranks:
        return None
    if max(ranks) >= RANK["high"]:
        return LEVELS[max(ranks) - 1]
    return LEVELS[math.ceil(sum(ranks) / len(ranks) - 1e-9) - 1]


def score(answers: dict[str, str]) -> dict:
    """Levels and progress for {question_id: option value}: {'sections': {id: level},
    'overall': level, 'answered': n, 'total': n}."""
    qs = questions()
    sections: dict[str, list[str]] = {s["id"]: [] for s in questionnaire()["sections"]}
    for qid, value in answers.items():
        if qid in qs and value:
            sev = next((o["severity"] for o in qs[qid]["options"] if o["value"] == value), None)
            if sev:
                sections[qs[qid]["section"]].append(sev)
    levels = {sid: level_of(sevs) for sid, sevs in sections.items()}
    return {"sections": levels, "overall": overall_level(list(levels.values())),
            "answered": sum(len(v) for v in sections.values()), "total": len(qs)}


# ---- storage -------------------------------------------------------------------------------------

def list_all(con, workspace_id: int) -> pd.DataFrame:
    """Every assessment with its system name, newest version first per system."""
    with db.reading(con) as cur:
        df = cur.execute(
            "SELECT a.*, s.name AS system_name, s.ai_act_category, s.status AS system_status,"
            " (SELECT count(*) FROM impact_answer x WHERE x.workspace_id = a.workspace_id"
            "  AND x.assessment_id = a.id AND x.option_value IS NOT NULL) AS answered"
            " FROM impact_assessment a LEFT JOIN ai_system s ON s.workspace_id = a.workspace_id AND s.id = a.system_id"
            " WHERE a.workspace_id = ? ORDER BY a.system_id, a.version DESC", [int(workspace_id)]).df()
    df["total"] = len(questions())
    return df


def get(con, workspace_id: int, assessment_id: str) -> dict | None:
    with db.reading(con) as cur:
        df = cur.execute("SELECT * FROM impact_assessment WHERE workspace_id = ? AND id = ?",
                         [int(workspace_id), assessment_id]).df()
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    for f in ("approved_on", "next_review"):
        row[f] = None if pd.isna(row[f]) else pd.Timestamp(row[f]).date()
    return row


def answers(con, workspace_id: int, assessment_id: str) -> dict[str, dict]:
    """{question_id: {'value': option value or None, 'note': text}}."""
    with db.reading(con) as cur:
        rows = cur.execute("SELECT question_id, option_value, note FROM impact_answer"
                           " WHERE workspace_id = ? AND assessment_id = ?", [int(workspace_id), assessment_id]).fetchall()
    return {q: {"value": v, "note": n} for q, v, n in rows}


def all_answers(con, workspace_id: int) -> dict[str, dict[str, dict]]:
    """Every answer of a workspace in one read: {assessment_id: {question_id: {'value', 'note'}}}."""
    with db.reading(con) as cur:
        rows = cur.execute("SELECT assessment_id, question_id, option_value, note FROM impact_answer"
                           " WHERE workspace_id = ?", [int(workspace_id)]).fetchall()
    out: dict[str, dict[str, dict]] = {}
    for aid, q, v, n in rows:
        out.setdefault(aid, {})[q] = {"value": v, "note": n}
    return out


def start(con, workspace_id: int, system_id: str, assessor: str = "", who: str | None = None) -> str:
    """Start a new version for a system (pre-filled with the latest version's answers).
    Refused while a draft or in-review version is open. Returns the new assessment ID."""
    system = inventory.get(con, workspace_id, system_id)
    if system is None:
        raise ValidationError(f"There is no AI system {system_id!r} in this workspace.")
    p: list[str] = []
    assessor = text(assessor, "Assessor", p)
    raise_if(p)
    existing = list_all(con, workspace_id)
    mine = existing[existing["system_id"] == system_id]
    if (mine["status"] != "approved").any():
        open_id = mine[mine["status"] != "approved"].iloc[0]["id"]
        raise ValidationError(f"{system['name']} already has an open assessment ({open_id}); finish or approve it first.")
    previous = mine.iloc[0]["id"] if not mine.empty else None
    now = datetime.now()
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        new_id = db.next_local_id(cur, "impact_assessment", workspace_id, "IA")
        version = int(mine["version"].max()) + 1 if not mine.empty else 1
        cur.execute("INSERT INTO impact_assessment (workspace_id, id, system_id, version, status, assessor,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?)",
                    [int(workspace_id), new_id, system_id, version, assessor, now, now])
        if previous:
            cur.execute("INSERT INTO impact_answer SELECT workspace_id, ?, question_id, option_value, note"
                        " FROM impact_answer WHERE workspace_id = ? AND assessment_id = ?",
                        [new_id, int(workspace_id), previous])
            cur.execute("INSERT INTO impact_context (workspace_id, assessment_id, field, value)"
                        " SELECT workspace_id, ?, field, value FROM impact_context"
                        " WHERE workspace_id = ? AND assessment_id = ?", [new_id, int(workspace_id), previous])
        db.log_change(cur, int(workspace_id), "impact_assessment", new_id, "created", None,
                      f"{system_id} version {version}", who)
    _refresh_level(con, workspace_id, new_id)
    return new_id


def save_answers(con, workspace_id: int, assessment_id: str, changes: dict[str, dict], who: str | None = None,
                 base: dict[str, dict] | None = None) -> int:
    """Save answers {question_id: {'value': option value or None, 'note': text}} to a draft or
    in-review version; approved versions are read-only. Returns the number of fields changed.
    `base` holds the answers the user's form showed: answers left as shown are not written, and
    one someone else changed since raises conflicts.EditConflict (record: the question)."""
    with db.transaction(con) as tx:
        return _save_answers(tx, workspace_id, assessment_id, changes, who, base)


def _save_answers(con, workspace_id: int, assessment_id: str, changes: dict[str, dict], who: str | None,
                  base: dict[str, dict] | None) -> int:
    with db.reading(con) as cur:
        members.require(cur, workspace_id, EDIT)
    a = get(con, workspace_id, assessment_id)
    if a is None:
        raise ValidationError(f"There is no impact assessment {assessment_id!r} in this workspace.")
    if a["status"] == "approved":
        raise ValidationError(f"{assessment_id} is approved and read-only; start a re-assessment to change it.")
    qs = questions()
    p: list[str] = []
    cleaned = {}
    for qid, ans in changes.items():
        if qid not in qs:
            p.append(f"Unknown question {qid!r}.")
            continue
        value = ans.get("value") or None
        if value is not None and value not in {o["value"] for o in qs[qid]["options"]}:
            p.append(f"{qid}: {value!r} is not one of its answer options.")
        cleaned[qid] = {"value": value, "note": text(ans.get("note"), f"{qid} note", p, limit=LONG_TEXT)}
    old = answers(con, workspace_id, assessment_id)
    if base is not None:
        found = []
        for qid in list(cleaned):
            before = old.get(qid, {"value": None, "note": ""})
            seen = {"value": (base.get(qid) or {}).get("value") or None, "note": (base.get(qid) or {}).get("note") or ""}
            cleaned[qid], clash = conflicts.settle(qid, before, cleaned[qid], seen)
            cleaned[qid] = {**before, **cleaned[qid]}
            found += clash
        conflicts.raise_if_conflicts(con.cur, int(workspace_id), "impact_answer", found,
                                     {"value": "answer", "note": "note"}, lambda q: f"{assessment_id}/{q}")
    raise_if(p)
    n = 0
    with db.writing(con) as cur:
        for qid, new in cleaned.items():
            before = old.get(qid, {"value": None, "note": ""})
            k = db.log_diff(cur, int(workspace_id), "impact_answer", f"{assessment_id}/{qid}",
                            {"value": before["value"], "note": before["note"]}, new, who)
            if k:
                n += k
                cur.execute("INSERT INTO impact_answer VALUES (?, ?, ?, ?, ?)"
                            " ON CONFLICT (workspace_id, assessment_id, question_id) DO UPDATE SET"
                            " option_value = excluded.option_value, note = excluded.note",
                            [int(workspace_id), assessment_id, qid, new["value"], new["note"]])
        cur.execute("UPDATE impact_assessment SET updated_at = ? WHERE workspace_id = ? AND id = ?",
                    [datetime.now(), int(workspace_id), assessment_id])
    _refresh_level(con, workspace_id, assessment_id)
    return n


def context(con, workspace_id: int, assessment_id: str) -> dict[str, str]:
    """The context of one version: {field id: text} for every context field ('' when not filled)."""
    with db.reading(con) as cur:
        rows = dict(cur.execute("SELECT field, value FROM impact_context WHERE workspace_id = ? AND assessment_id = ?",
                                [int(workspace_id), assessment_id]).fetchall())
    return {f: rows.get(f) or "" for f in context_fields()}


def clean_context(data: dict, problems: list[str]) -> dict[str, str]:
    """Validated context values {field id: text}: known fields only, short fields up to 500
    characters, long ones up to 5000, a choice one of its options or empty."""
    fields = context_fields()
    out = {}
    for fid, value in data.items():
        f = fields.get(fid)
        if f is None:
            problems.append(f"Unknown context field {fid!r}.")
            continue
        v = text(value, f["label"], problems, limit=LONG_TEXT if f["kind"] == "long" else LINE_LIMIT)
        if f["kind"] == "choice" and v and v not in f["options"]:
            problems.append(f"{f['label']} must be one of: {', '.join(f['options'])} (or empty), not {v!r}.")
        out[fid] = v
    return out


def save_context(con, workspace_id: int, assessment_id: str, data: dict, who: str | None = None,
                 base: dict | None = None) -> int:
    """Save context fields {field id: text} of a draft or in-review version (approved versions are
    read-only); returns the number of fields changed, each logged. `base` holds the values the
    user's form showed: fields left as shown are not written, and one someone else changed since
    raises conflicts.EditConflict. Read, check and write share one transaction."""
    p: list[str] = []
    row = clean_context(data, p)
    raise_if(p)
    with db.transaction(con) as tx:
        members.require(tx.cur, workspace_id, EDIT)
        a = get(tx, workspace_id, assessment_id)
        if a is None:
            raise ValidationError(f"There is no impact assessment {assessment_id!r} in this workspace.")
        if a["status"] == "approved":
            raise ValidationError(f"{assessment_id} is approved and read-only; start a re-assessment to change it.")
        old = context(tx, workspace_id, assessment_id)
        if base is not None:
            seen = clean_context({f: v for f, v in base.items() if f in row}, [])
            row, found = conflicts.settle(assessment_id, old, row, seen)
            conflicts.raise_if_conflicts(tx.cur, int(workspace_id), "impact_assessment", found,
                                         {f: x["label"] for f, x in context_fields().items()})
        changed = {f: v for f, v in row.items() if v != old[f]}
        if not changed:
            return 0
        cur = tx.cur
        for f, v in changed.items():
            cur.execute("INSERT INTO impact_context (workspace_id, assessment_id, field, value) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (workspace_id, assessment_id, field) DO UPDATE SET value = excluded.value",
                        [int(workspace_id), assessment_id, f, v])
        cur.execute("UPDATE impact_assessment SET updated_at = ? WHERE workspace_id = ? AND id = ?",
                    [datetime.now(), int(workspace_id), assessment_id])
        return db.log_diff(cur, int(workspace_id), "impact_assessment", assessment_id, old, changed, who)


def _refresh_level(con, workspace_id: int, assessment_id: str) -> None:
    s = score({q: a["value"] for q, a in answers(con, workspace_id, assessment_id).items()})
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        cur.execute("UPDATE impact_assessment SET overall_level = ? WHERE workspace_id = ? AND id = ?",
                    [s["overall"] or "", int(workspace_id), assessment_id])


def set_status(con, workspace_id: int, assessment_id: str, status: str, approver: str = "",
               approved_on=None, next_review=None, who: str | None = None) -> None:
    """Move along draft -> in review -> approved (or back to draft from review).
    Approval needs the approver's name, a date not in the future, a next re-assessment date
    after it, and every question answered."""
    a = get(con, workspace_id, assessment_id)
    if a is None:
        raise ValidationError(f"There is no impact assessment {assessment_id!r} in this workspace.")
    p: list[str] = []
    if status not in STATUSES:
        p.append(f"Status must be one of: {', '.join(STATUSES)}.")
    elif status not in TRANSITIONS[a["status"]]:
        p.append(f"An assessment that is {a['status']} cannot move to {status}.")
    new = {"status": status}
    if status == "approved":
        new["approver"] = text(approver, "Approver", p, required=True)
        new["approved_on"] = day(approved_on, "Approval date", p)
        new["next_review"] = day(next_review, "Next re-assessment date", p)
        if new["approved_on"] is None:
            p.append("Approval date is required.")
        elif new["approved_on"] > date.today():
            p.append("The approval date cannot be in the future.")
        if new["next_review"] is None:
            p.append("Next re-assessment date is required.")
        elif new["approved_on"] and new["next_review"] <= new["approved_on"]:
            p.append("The next re-assessment must come after the approval date.")
        s = score({q: x["value"] for q, x in answers(con, workspace_id, assessment_id).items()})
        if s["answered"] < s["total"]:
            p.append(f"Only {s['answered']} of {s['total']} questions are answered; answer them all before approval.")
    raise_if(p)
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        cur.execute("UPDATE impact_assessment SET " + ", ".join(f"{k} = ?" for k in new) + ", updated_at = ?"
                    " WHERE workspace_id = ? AND id = ?", list(new.values()) + [datetime.now(), int(workspace_id), assessment_id])
        db.log_diff(cur, int(workspace_id), "impact_assessment", assessment_id, {k: a[k] for k in new}, new, who)


def proposed_risks(con, workspace_id: int) -> pd.DataFrame:
    """High and critical answers of each system's latest version, as proposed risks.

    Columns: assessment_id, system_id, question_id, question, answer, level, title, objective,
    risk_source, controls (list of Annex A IDs), note.
    """
    cols = ["assessment_id", "system_id", "question_id", "question", "answer", "level", "title", "objective",
            "risk_source", "controls", "note"]
    with db.reading(con) as cur:
        rows = cur.execute(
            "SELECT a.id, a.system_id, x.question_id, x.option_value, x.note FROM impact_assessment a"
            " JOIN impact_answer x ON x.workspace_id = a.workspace_id AND x.assessment_id = a.id"
            " WHERE a.workspace_id = ? AND a.version = (SELECT max(version) FROM impact_assessment b"
            "  WHERE b.workspace_id = a.workspace_id AND b.system_id = a.system_id)"
            " ORDER BY a.system_id, x.question_id", [int(workspace_id)]).fetchall()
    flagged = {(qid, o["value"]): (q, o) for qid, q in questions().items() for o in q["options"]
               if o["severity"] in ("high", "critical")}
    out = []
    for aid, sid, qid, value, note in rows:
        hit = flagged.get((qid, value))
        if hit:
            q, opt = hit
            risk = q["risk"]
            out.append((aid, sid, qid, q["text"], opt["label"], opt["severity"], risk["title"], risk["objective"],
                        risk["risk_source"], list(risk["controls"]), note))
    return pd.DataFrame.from_records(out, columns=cols)


def overdue(df: pd.DataFrame, today: date | None = None) -> pd.DataFrame:
    """Approved latest versions whose next re-assessment date has passed."""
    today = today or date.today()
    latest = df.drop_duplicates("system_id")
    nr = pd.to_datetime(latest["next_review"])
    return latest[(latest["status"] == "approved") & nr.notna() & (nr < pd.Timestamp(today))]
