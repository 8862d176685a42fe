"""The findings register (ISO/IEC 42001 10.2): findings from internal audits, certification
audits, management reviews and incidents, and the nonconformity and corrective action workflow.

A finding ('F-001', local to the workspace) has a source, a grade, a title, a description, the
evidence seen, the requirements it is against (catalogue IDs), an owner, a due date, the day it
was raised and a status (open or closed). Nonconformities (major or minor) then go through
correction -> root cause (the cause in words; optionally five whys, one 'why' per line) ->
corrective action (a roadmap action, created here or linked) -> verification of effectiveness
(who, when, effective or not effective) -> closure (who and when).

Rules (the minimum an auditor expects of 10.2, also shown on the Findings page):
- A nonconformity names at least one requirement (it is the non-fulfilment of one).
- Dates: raised_on is not in the future; the due date is not before raised_on; a verification
  or a closure is not dated in the future nor before raised_on; a verification is not after the
  closure.
- A verification records all three of who, when and the result, and needs a corrective action
  linked (it judges that action). 'Effective' needs the action done: effectiveness cannot be
  judged before the action is implemented. Linking another action clears the verification (the
  new action needs its own).
- Closing always needs a name and a date. An observation or an opportunity for improvement
  closes with those only. Every nonconformity needs the correction, the root cause and a
  corrective action that is done (10.2 a-c), and cannot close while its verification says 'not
  effective'. A major nonconformity also needs a verification whose result is 'effective' (10.2
  d), on or before the closure date. A minor one may close before the verification (the
  certification body reviews it at the next audit); when recorded, it must be effective.
- A closed finding is not edited: reopen it first (with a reason; logged). A finding is never
  deleted: the register is the audit trail.
- Every write validates all input first (ValidationError listing every problem, nothing
  written), checks the acting person's permission (edit) inside its one transaction, and logs
  each changed field in the change log under entity 'finding'.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.catalog.standard import Catalog, load
from aims.common import frames
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, raise_if, text
from aims.common.validate import id_list as requirement_ids
from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases
from aims.store import conflicts, db, workspaces

SOURCES = ("internal audit", "certification audit", "management review", "incident")
GRADES = ("major nonconformity", "minor nonconformity", "observation", "opportunity for improvement")
NONCONFORMITIES = GRADES[:2]
RESULTS = ("effective", "not effective")
STATUSES = ("open", "closed")
# what raise_finding takes and update may change (status and closure go through close/reopen)
FIELDS = ("source", "audit_id", "review_id", "grade", "title", "description", "evidence", "owner", "due",
          "raised_on")
WORKFLOW = ("correction", "root_cause", "five_whys", "action_id", "verified_by", "verified_on", "verification")
EDITABLE = FIELDS + ("requirements",) + WORKFLOW
CLOSURE = ("status", "closed_by", "closed_on")
_DATES = ("due", "raised_on", "verified_on", "closed_on")
LABELS = {"source": "Source", "audit_id": "Audit", "review_id": "Management review", "grade": "Grade",
          "title": "Title", "description": "Description", "evidence": "Evidence", "owner": "Owner",
          "due": "Due date", "raised_on": "Raised on", "requirements": "Requirements",
          "correction": "Correction", "root_cause": "Root cause", "five_whys": "Five whys",
          "action_id": "Corrective action", "verified_by": "Verified by", "verified_on": "Verified on",
          "verification": "Verification result", "closed_by": "Closed by", "closed_on": "Closed on"}
_BLANK = {"audit_id": "", "review_id": "", "description": "", "evidence": "", "owner": "", "due": None,
          "correction": "", "root_cause": "", "five_whys": "", "action_id": "", "verified_by": "",
          "verified_on": None, "verification": "", "requirements": []}


# ---- pure rules --------------------------------------------------------------------------------

def is_nonconformity(grade: str) -> bool:
    return grade in NONCONFORMITIES


def whys(five_whys: str) -> list[str]:
    """The 'why' lines of a five-whys analysis, blank lines dropped."""
    return [ln.strip() for ln in str(five_whys or "").splitlines() if ln.strip()]


def date_problems(f: dict, today: date) -> list[str]:
    """The date rules of a finding record (see the module docstring)."""
    p = []
    raised = f.get("raised_on")
    if raised and raised > today:
        p.append(f"Raised on {raised} is in the future; use the day the finding was raised.")
    if raised and f.get("due") and f["due"] < raised:
        p.append(f"The due date {f['due']} is before the day the finding was raised ({raised}).")
    for key, what in (("verified_on", "The verification"), ("closed_on", "The closure")):
        when = f.get(key)
        if when and when > today:
            p.append(f"{what} date {when} is in the future; record it on the day it happens.")
        if when and raised and when < raised:
            p.append(f"{what} date {when} is before the day the finding was raised ({raised}).")
    if f.get("verified_on") and f.get("closed_on") and f["verified_on"] > f["closed_on"]:
        p.append(f"The verification ({f['verified_on']}) is after the closure ({f['closed_on']}).")
    return p


def verification_problems(f: dict, action_status: str | None) -> list[str]:
    """The verification rules: all of who, when and result, or none; a corrective action to
    judge; 'effective' only once that action is done. `action_status` is the linked action's
    status (None when no action is linked or it no longer exists)."""
    parts = [f.get("verified_by"), f.get("verified_on"), f.get("verification")]
    if all(blank(v) for v in parts):
        return []
    p = []
    missing = [LABELS[k].lower() for k, v in zip(("verified_by", "verified_on", "verification"), parts) if blank(v)]
    if missing:
        p.append(f"A verification of effectiveness records who, when and the result: add the {', '.join(missing)}.")
    if not f.get("action_id"):
        p.append("A verification judges a corrective action: create or link the corrective action first.")
    elif f.get("verification") == "effective" and action_status != "done":
        p.append(f"The corrective action {f['action_id']} is not done yet ({action_status or 'missing'}): "
                 "effectiveness can be judged only once it is implemented. Mark it done on the roadmap first.")
    return p


def closure_problems(f: dict, action_status: str | None, closed_by, closed_on: date | None,
                     today: date) -> list[str]:
    """Why finding `f` cannot be closed by `closed_by` on `closed_on` (empty: it can). The rules
    of the module docstring; `action_status` as in verification_problems."""
    p = []
    if f.get("status") == "closed":
        return [f"{f.get('id', 'The finding')} is already closed."]
    if blank(closed_by):
        p.append("Closing needs the name of the person who closes the finding.")
    if closed_on is None:
        p.append("Closing needs the closure date.")
    p += date_problems({**f, "closed_on": closed_on}, today)
    if not is_nonconformity(f.get("grade", "")):
        return p
    grade = f["grade"]
    if blank(f.get("correction")):
        p.append(f"A {grade} needs its correction recorded (what was done to contain and correct it).")
    if blank(f.get("root_cause")):
        p.append(f"A {grade} needs its root cause recorded.")
    if not f.get("action_id"):
        p.append(f"A {grade} needs a corrective action: create or link one.")
    elif action_status != "done":
        p.append(f"The corrective action {f['action_id']} is not done yet ({action_status or 'missing'}).")
    if f.get("verification") == "not effective":
        p.append("The verification found the corrective action not effective: take a new corrective action "
                 "and verify it before closing.")
    if grade == "major nonconformity" and f.get("verification") != "effective":
        p.append("A major nonconformity cannot be closed until its corrective action is verified effective "
                 "(who, when, result 'effective').")
    return p


def next_step(f: dict, action_status: str | None) -> str:
    """What the finding needs next, in workflow order ('' when closed)."""
    if f.get("status") == "closed":
        return ""
    if not is_nonconformity(f.get("grade", "")):
        return "close"
    if blank(f.get("correction")):
        return "correction"
    if blank(f.get("root_cause")):
        return "root cause"
    if not f.get("action_id") or action_status is None:      # none yet, or deleted from the roadmap
        return "corrective action"
    if action_status != "done":
        return "implement action"
    if f.get("verification") != "effective" and (f["grade"] == "major nonconformity"
                                                   or f.get("verification") == "not effective"):
        return "verification"
    return "close"


def closure_checklist(f: dict, action_status: str | None) -> list[tuple[str, bool]]:
    """What closing the finding needs besides a name and a date, as (condition, met) in workflow
    order (empty for observations and opportunities for improvement). Shown before the closure
    form; `closure_problems` is the rule itself."""
    grade = f.get("grade", "")
    if not is_nonconformity(grade):
        return []
    action = f.get("action_id") or ""
    items = [("Correction recorded", not blank(f.get("correction"))),
             ("Root cause recorded", not blank(f.get("root_cause"))),
             (f"Corrective action {action or 'created or linked'} done" if action else
              "Corrective action created or linked, and done", bool(action) and action_status == "done")]
    if grade == "major nonconformity":
        items.append(("Corrective action verified effective", f.get("verification") == "effective"))
    else:
        items.append(("Verification not 'not effective' (optional for a minor nonconformity)",
                      f.get("verification") != "not effective"))
    return items


# ---- validation --------------------------------------------------------------------------------

_ID_SQL = {"review": "SELECT id FROM review WHERE workspace_id = ?",
           "action": "SELECT id FROM action WHERE workspace_id = ?"}


def _ids(cur, table: str, ws: int) -> set[str]:
    return {r[0] for r in cur.execute(_ID_SQL[table], [ws]).fetchall()}


def _audit_kinds(cur, ws: int) -> dict[str, str]:
    return dict(cur.execute("SELECT id, kind FROM audit WHERE workspace_id = ?", [ws]).fetchall())


def clean(data: dict, *, cat: Catalog, audits: dict[str, str], reviews: set[str], actions: set[str],
          today: date, label: str = "") -> dict:
    """A validated, typed finding record (FIELDS + requirements + WORKFLOW) from a full set of
    values; raises ValidationError naming every problem."""
    p: list[str] = []
    out = {
        "source": choice(data.get("source"), "Source", SOURCES, p),
        "audit_id": text(data.get("audit_id"), "Audit", p, limit=40).split(" ")[0],
        "review_id": text(data.get("review_id"), "Management review", p, limit=40).split(" ")[0],
        "grade": choice(data.get("grade"), "Grade", GRADES, p),
        "title": text(data.get("title"), "Title", p, required=True),
        "description": text(data.get("description"), "Description", p, limit=LONG_TEXT),
        "evidence": text(data.get("evidence"), "Evidence", p, limit=LONG_TEXT),
        "owner": text(data.get("owner"), "Owner", p),
        "due": day(data.get("due"), "Due date", p),
        "raised_on": day(data.get("raised_on"), "Raised on", p) or today,
        "requirements": requirement_ids(data.get("requirements")),
        "correction": text(data.get("correction"), "Correction", p, limit=LONG_TEXT),
        "root_cause": text(data.get("root_cause"), "Root cause", p, limit=LONG_TEXT),
        "five_whys": text(data.get("five_whys"), "Five whys", p, limit=LONG_TEXT),
        "action_id": text(data.get("action_id"), "Corrective action", p, limit=40).split(" ")[0],
        "verified_by": text(data.get("verified_by"), "Verified by", p),
        "verified_on": day(data.get("verified_on"), "Verified on", p),
        "verification": choice(data.get("verification"), "Verification result", RESULTS, p, default=""),
    }
    problem = roadmap.owner_problem(out["owner"], "Owner")
    if problem:
        p.append(problem)
    unknown = [r for r in out["requirements"] if r not in cat.requirements]
    if unknown:
        p.append(f"Unknown requirement or control {', '.join(unknown)}: use catalogue IDs such as 6.1.2 or A.6.2.4.")
    order = {r: i for i, r in enumerate(cat.requirements)}
    out["requirements"] = sorted((r for r in out["requirements"] if r in order), key=order.get)
    if out["grade"] in NONCONFORMITIES and not out["requirements"] and not unknown:
        p.append("A nonconformity is against at least one requirement: name the clause or control it does not meet.")
    if out["audit_id"] and out["audit_id"] not in audits:
        p.append(f"There is no audit {out['audit_id']} in this workspace.")
    elif out["audit_id"] and out["source"]:
        expected = "internal audit" if audits[out["audit_id"]] == "internal" else "certification audit"
        if out["source"] != expected:
            p.append(f"Audit {out['audit_id']} is a{'n' if expected[0] == 'i' else ''} {expected}: "
                     f"the source must be {expected!r}.")
    if out["review_id"] and out["review_id"] not in reviews:
        p.append(f"There is no management review {out['review_id']} in this workspace.")
    if out["action_id"] and out["action_id"] not in actions:
        p.append(f"There is no roadmap action {out['action_id']} in this workspace.")
    p += date_problems(out, today)
    if label:  # name the finding when an existing one is edited
        p = [f"{label}: {m}" for m in p]
    raise_if(p)
    return out


def _context(cur, ws: int, today: date) -> dict:
    return {"cat": load(), "audits": _audit_kinds(cur, ws), "reviews": _ids(cur, "review", ws),
            "actions": _ids(cur, "action", ws), "today": today}


# ---- reads ------------------------------------------------------------------------------------

def table(con, workspace_id: int, today: date | None = None) -> pd.DataFrame:
    """One row per finding of the workspace, by ID number.

    Columns: every stored column but workspace_id; requirements (a list, catalogue order);
    action_title and action_status (the linked roadmap action's, '' when none); overdue (open
    and due before today); next_step (see `next_step`). Dates are datetime.date or None.
    """
    today = today or date.today()
    ws = int(workspace_id)
    with db.reading(con) as cur:
        df = cur.execute("SELECT f.*, coalesce(a.title, '') AS action_title, coalesce(a.status, '') AS action_status"
                         " FROM finding f LEFT JOIN action a ON a.workspace_id = f.workspace_id AND a.id = f.action_id"
                         " WHERE f.workspace_id = ?", [ws]).df().drop(columns=["workspace_id"])
        links = cur.execute("SELECT finding_id, req_id FROM finding_requirement WHERE workspace_id = ?", [ws]).df()
    order = {r: i for i, r in enumerate(load().requirements)}
    grouped = frames.group_lists(links["finding_id"], links["req_id"])
    if not df.empty:
        df = df.iloc[sorted(range(len(df)), key=lambda i: frames.id_number(df["id"].iloc[i]))].reset_index(drop=True)
    df["requirements"] = pd.Series([sorted(grouped.get(i, []), key=lambda r: order.get(r, len(order)))
                                    for i in df["id"]], index=df.index, dtype=object)
    for col in _DATES:
        df[col] = pd.Series(frames.dates(df[col]), index=df.index, dtype=object)
    df["overdue"] = pd.Series([s == "open" and d is not None and d < today for s, d in zip(df["status"], df["due"])],
                              index=df.index, dtype=bool)
    records = df.to_dict("records")
    df["next_step"] = pd.Series([next_step(r, r["action_status"] or None) for r in records], index=df.index,
                                dtype=object)
    return df


def get(con, workspace_id: int, finding_id: str) -> dict | None:
    """One finding as a plain dict (stored columns, requirements list, action_status), or None."""
    ws = int(workspace_id)
    with db.reading(con) as cur:
        df = cur.execute("SELECT f.*, a.status AS action_status FROM finding f LEFT JOIN action a"
                         " ON a.workspace_id = f.workspace_id AND a.id = f.action_id"
                         " WHERE f.workspace_id = ? AND f.id = ?", [ws, str(finding_id)]).df()
        if df.empty:
            return None
        reqs = [r[0] for r in cur.execute("SELECT req_id FROM finding_requirement WHERE workspace_id = ?"
                                          " AND finding_id = ?", [ws, str(finding_id)]).fetchall()]
    row = {k: frames.plain(v) for k, v in df.iloc[0].to_dict().items()}
    for col in _DATES:
        row[col] = None if row[col] is None else pd.Timestamp(row[col]).date()
    order = {r: i for i, r in enumerate(load().requirements)}
    row["requirements"] = sorted(reqs, key=lambda r: order.get(r, len(order)))
    return row


def history(con, workspace_id: int, finding_id: str, limit: int = 200) -> pd.DataFrame:
    """The change-log rows of one finding, newest first (changed_at, changed_by, field, old, new)."""
    with db.reading(con) as cur:
        return cur.execute("SELECT changed_at, changed_by, field, old_value, new_value FROM change_log"
                           " WHERE workspace_id = ? AND entity = 'finding' AND entity_id = ? ORDER BY id DESC LIMIT ?",
                           [int(workspace_id), str(finding_id), int(limit)]).df()


def audit_options(con, workspace_id: int) -> dict[str, str]:
    """{audit ID: 'AU-001 · title (kind)'} of the workspace's audits, by ID."""
    with db.reading(con) as cur:
        rows = cur.execute("SELECT id, title, kind FROM audit WHERE workspace_id = ? ORDER BY id",
                           [int(workspace_id)]).fetchall()
    return {i: f"{i} · {t} ({k})" for i, t, k in rows}


def review_options(con, workspace_id: int) -> dict[str, str]:
    """{review ID: 'MR-001 · held on 2026-05-04 (held)'} of the workspace's management reviews."""
    with db.reading(con) as cur:
        rows = cur.execute("SELECT id, held_on, status FROM review WHERE workspace_id = ? ORDER BY id",
                           [int(workspace_id)]).fetchall()
    return {i: f"{i} · {'held on ' + str(d)[:10] if d is not None else 'no date'} ({s})" for i, d, s in rows}


def action_options(con, workspace_id: int) -> dict[str, str]:
    """{action ID: 'ACT-003 · title (status)'} of the workspace's roadmap actions, by ID number."""
    with db.reading(con) as cur:
        rows = cur.execute("SELECT id, title, status FROM action WHERE workspace_id = ?", [int(workspace_id)]).fetchall()
    return {i: f"{i} · {t} ({s})" for i, t, s in sorted(rows, key=lambda r: frames.id_number(r[0]))}


def open_findings_by_requirement(con, workspace_id: int, today: date | None = None) -> dict[str, list[dict]]:
    """{requirement ID: [open finding, ...]} for the requirements that have open findings; each
    finding a dict with id, grade, title, owner, due, overdue; by ID within a requirement."""
    df = table(con, workspace_id, today)
    out: dict[str, list[dict]] = {}
    for r in df[df["status"] == "open"].to_dict("records"):
        item = {k: r[k] for k in ("id", "grade", "title", "owner", "due", "overdue")}
        for req in r["requirements"]:
            out.setdefault(req, []).append(item)
    return out


def summary(con, workspace_id: int, today: date | None = None) -> dict:
    """Register figures: total, open, closed, open_by_grade {grade: n} (every grade),
    open_nonconformities, majors_open, minors_open, overdue (open and past due), and
    overdue_nonconformities."""
    return summarise(table(con, workspace_id, today))


def summarise(df: pd.DataFrame) -> dict:
    """`summary` from a `table` frame (pages that already hold the table)."""
    live = df[df["status"] == "open"]
    by_grade = {g: int((live["grade"] == g).sum()) for g in GRADES}
    ncs = live["grade"].isin(NONCONFORMITIES)
    return {"total": len(df), "open": len(live), "closed": len(df) - len(live), "open_by_grade": by_grade,
            "open_nonconformities": int(ncs.sum()), "majors_open": by_grade["major nonconformity"],
            "minors_open": by_grade["minor nonconformity"], "overdue": int(live["overdue"].sum()),
            "overdue_nonconformities": int((live["overdue"] & ncs).sum())}


def select(df: pd.DataFrame, *, status=None, grade=None, source=None, owner: str = "") -> pd.DataFrame:
    """The findings matching every filter given: status, grade and source are lists of allowed
    values (empty or None: all); owner is text found in the owner (case-insensitive)."""
    out = df
    for col, allowed in (("status", status), ("grade", grade), ("source", source)):
        if allowed:
            out = frames.one_of(out, col, allowed)
    if owner and owner.strip():
        out = out[out["owner"].str.contains(owner.strip(), case=False, regex=False)]
    return out


# ---- writes ------------------------------------------------------------------------------------

def _write_requirements(cur, ws: int, fid: str, old: list[str], new: list[str]) -> None:
    for r in [r for r in old if r not in new]:
        cur.execute("DELETE FROM finding_requirement WHERE workspace_id = ? AND finding_id = ? AND req_id = ?",
                    [ws, fid, r])
    for r in [r for r in new if r not in old]:
        cur.execute("INSERT INTO finding_requirement (workspace_id, finding_id, req_id) VALUES (?, ?, ?)", [ws, fid, r])


def _logged(rec: dict) -> dict:
    return {k: ("; ".join(v) if isinstance(v, list) else v) for k, v in rec.items()}


def raise_finding(con, workspace_id: int, data: dict, who: str | None = None, *, today: date | None = None) -> str:
    """Record a new finding; returns its ID ('F-001'). Status open.

    `data` keys (all but source, grade and title optional):
      source        'internal audit', 'certification audit', 'management review' or 'incident'
      audit_id      the audit it came from ('AU-001'; must exist; its kind must match the source:
                    an internal audit -> 'internal audit', any other -> 'certification audit')
      review_id     the management review it came from ('MR-001'; must exist)
      grade         'major nonconformity', 'minor nonconformity', 'observation' or
                    'opportunity for improvement'
      title, description, evidence   text (title required)
      requirements  catalogue IDs (list, or text separated by ';'); a nonconformity needs one
      owner         one person or team (a name, optionally '(role)', or an e-mail)
      due           date or 'YYYY-MM-DD' (not before raised_on)
      raised_on     date (default today; not in the future)
    Workflow keys of `update` (correction, root_cause, ...) are accepted too. Raises
    ValidationError listing every problem (nothing written) and AccessDenied (a ValidationError)
    unless the acting person may edit the workspace. Joins the caller's transaction when `con` is a
    db.Transaction (so an audit item and its finding can be saved together). Logged field by
    field under entity 'finding'. `today` (default: the real date) is for tests.
    """
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationError(f"A finding has no field {', '.join(unknown)}.")
    ws, today = int(workspace_id), today or date.today()
    with db.transaction(con) as tx:
        db.require_workspace(tx.cur, ws)
        members.require(tx.cur, ws, EDIT, what="a new finding")
        rec = clean(data, **_context(tx.cur, ws, today))
        cur, now = tx.cur, datetime.now()
        fid = db.next_local_id(cur, "finding", ws, "F")
        cols = list(FIELDS) + list(WORKFLOW)
        cur.execute("INSERT INTO finding (workspace_id, id, " + ", ".join(cols) + ", status, created_at, updated_at)"
                    " VALUES (" + ", ".join(["?"] * (len(cols) + 5)) + ")",
                    [ws, fid] + [rec[c] for c in cols] + ["open", now, now])
        _write_requirements(cur, ws, fid, [], rec["requirements"])
        db.log_diff(cur, ws, "finding", fid, {}, _logged({k: v for k, v in {**rec, "status": "open"}.items()
                                                           if v not in ("", [], None)}), who)
    return fid


def _open_finding(tx, ws: int, fid: str) -> dict:
    """The stored finding, after the edit permission check; refused when missing or closed."""
    old = get(tx, ws, fid)
    if old is None:
        raise ValidationError(f"There is no finding {fid} in this workspace.")
    members.require(tx.cur, ws, EDIT, what=f"finding {fid}")
    if old["status"] == "closed":
        raise ValidationError(f"{fid} is closed: reopen it to change it.")
    return old


def _action_status(cur, ws: int, action_id: str) -> str | None:
    if not action_id:
        return None
    row = cur.execute("SELECT status FROM action WHERE workspace_id = ? AND id = ?", [ws, action_id]).fetchone()
    return row[0] if row else None


_VERIFICATION = ("verified_by", "verified_on", "verification")


def _write(cur, ws: int, fid: str, old: dict, new: dict, who: str | None) -> int:
    """Store the changed fields of a finding and log them; returns how many changed."""
    keys = [k for k in new if db._text(_logged({k: old.get(k)})[k]) != db._text(_logged({k: new[k]})[k])]
    if not keys:
        return 0
    cols = [k for k in keys if k != "requirements"]
    if cols:
        cur.execute("UPDATE finding SET " + ", ".join(f"{k} = ?" for k in cols) + ", updated_at = ?"
                    " WHERE workspace_id = ? AND id = ?", [new[k] for k in cols] + [datetime.now(), ws, fid])
    if "requirements" in keys:
        _write_requirements(cur, ws, fid, old["requirements"], new["requirements"])
    return db.log_diff(cur, ws, "finding", fid, _logged({k: old.get(k) for k in keys}),
                       _logged({k: new[k] for k in keys}), who)


def update(con, workspace_id: int, finding_id: str, data: dict, who: str | None = None,
           base: dict | None = None, *, today: date | None = None) -> int:
    """Change an open finding's fields (EDITABLE: the description, the workflow's correction,
    root cause, five whys, corrective action ID, verification); returns the number of fields
    changed. Linking another action (or none) clears the verification. `base` holds the values
    the user's form showed: fields left as shown are not written, and a field someone else
    changed since raises conflicts.EditConflict. ValidationError with every problem, nothing
    written; a closed finding is refused (reopen it first)."""
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationError(f"{finding_id}: {', '.join(unknown)} cannot be edited here.")
    ws, fid, today = int(workspace_id), str(finding_id), today or date.today()
    with db.transaction(con) as tx:
        old = _open_finding(tx, ws, fid)
        stored = {k: old[k] for k in EDITABLE}
        ctx = _context(tx.cur, ws, today)
        new = clean({**stored, **data}, **ctx, label=fid)
        if base is not None:
            write, found = conflicts.settle(fid, stored, {k: new[k] for k in data}, base)
            conflicts.raise_if_conflicts(tx.cur, ws, "finding", found, fields=LABELS)
            new = clean({**stored, **write}, **ctx, label=fid)
        if new["action_id"] != old["action_id"] and old["action_id"]:
            new.update({"verified_by": "", "verified_on": None, "verification": ""})
        raise_if([f"{fid}: {m}" for m in verification_problems(new, _action_status(tx.cur, ws, new["action_id"]))])
        return _write(tx.cur, ws, fid, stored, new, who)


def corrective_phase(current: pd.DataFrame, cat: Catalog, requirements: list[str], source: str,
                     when: date) -> pd.Series | None:
    """The roadmap phase a finding's corrective action goes in (None: the roadmap has no phase).

    As generated actions do, the phase of the first requirement's nature (or the one roadmap.json
    names for the requirement) is preferred, and for a certification audit's finding the closure
    of findings phase; but the action is due on `when` (the finding's due date, else today), so
    the phase must be running then: the preferred phase whose window holds `when`, else the first
    phase (in order) whose window holds it. When none does: the last phase if `when` is after
    every phase, else the preferred phase, else the first phase."""
    if current.empty:
        return None
    tpl = roadmap_phases.template()
    keys: list[str] = []
    for rid in requirements:
        req = cat.requirements.get(rid)
        if req is not None:
            keys += [tpl.requirement_phases[rid]] if rid in tpl.requirement_phases else []
            keys += [p.key for p in tpl.phases if req.nature in p.natures]
    if source == "certification audit":
        keys.append("certification")
    within = current[(current["start"] <= when) & (current["finish"] >= when)]
    for key in keys:
        hit = within[within["template"] == key]
        if not hit.empty:
            return hit.iloc[0]
    if not within.empty:
        return within.iloc[0]
    if (current["finish"] < when).all():
        return current.iloc[-1]
    for key in keys:
        hit = current[current["template"] == key]
        if not hit.empty:
            return hit.iloc[0]
    return current.iloc[0]


def create_corrective_action(con, workspace_id: int, finding_id: str, who: str | None = None, *,
                             today: date | None = None) -> str:
    """Create the finding's corrective action on the roadmap and link it; returns the action ID.

    The action: title 'Corrective action F-001: <finding title>', the finding's requirements,
    owner and due date, effort M, source 'finding' with source_ref the finding ID, in the phase
    `corrective_phase` picks (the workspace's default phases are created first if it has none).
    Refused for a closed finding, and while the finding has a corrective action on the roadmap not
    verified as 'not effective' (one finding, one current corrective action; a linked action
    deleted from the roadmap since can be replaced). Linking clears an earlier
    verification. One transaction: the action and the link are written together or not at all."""
    ws, fid, today = int(workspace_id), str(finding_id), today or date.today()
    cat = load()
    with db.transaction(con) as tx:
        old = _open_finding(tx, ws, fid)
        if old["action_id"] and old["action_status"] is not None and old["verification"] != "not effective":
            raise ValidationError(f"{fid} already has the corrective action {old['action_id']}; a new one is "
                                  "created only when a verification found it not effective.")
        problem = roadmap.owner_problem(old["owner"], "The finding's owner")
        raise_if([problem] if problem else [])
        target = (workspaces.get(tx, ws) or {}).get("target_date")
        roadmap_phases.ensure_phases(tx, ws, target, today, who)
        phase = corrective_phase(roadmap_phases.phases(tx, ws), cat, old["requirements"], old["source"],
                                 old["due"] or today)
        if phase is None:
            raise ValidationError("The roadmap has no phase to put the corrective action in: add a phase first.")
        title = f"Corrective action {fid}: {old['title']}"
        aid = roadmap.create_action(tx, ws, cat, {
            "title": title if len(title) <= 200 else title[:199] + "…", "phase_id": phase["id"],
            "owner": old["owner"], "due": old["due"], "requirements": old["requirements"],
            "notes": f"Corrective action for {fid} ({old['grade']}), raised on {old['raised_on']}.",
            "source": "finding", "source_ref": fid}, today=today, who=who)
        stored = {k: old[k] for k in EDITABLE}
        new = {**stored, "action_id": aid, "verified_by": "", "verified_on": None, "verification": ""}
        _write(tx.cur, ws, fid, stored, new, who)
    return aid


def close(con, workspace_id: int, finding_id: str, closed_by, closed_on, who: str | None = None, *,
          today: date | None = None) -> None:
    """Close a finding: `closed_by` (the name of who closes it) and `closed_on` (a date, not in
    the future nor before it was raised) are required, and a nonconformity must meet the rules
    of `closure_problems`. ValidationError listing every unmet rule, nothing written."""
    ws, fid, today = int(workspace_id), str(finding_id), today or date.today()
    p: list[str] = []
    by = text(closed_by, "Closed by", p)
    on = day(closed_on, "Closed on", p)
    with db.transaction(con) as tx:
        old = get(tx, ws, fid)
        if old is None:
            raise ValidationError(f"There is no finding {fid} in this workspace.")
        members.require(tx.cur, ws, EDIT, what=f"finding {fid}")
        p += closure_problems(old, _action_status(tx.cur, ws, old["action_id"]), by, on, today)
        raise_if([f"{fid} cannot be closed: {m}" for m in p])
        _write(tx.cur, ws, fid, old, {"status": "closed", "closed_by": by, "closed_on": on}, who)


def reopen(con, workspace_id: int, finding_id: str, reason, who: str | None = None) -> None:
    """Reopen a closed finding (a reason is required): status open, the closure cleared, the
    reason logged beside the changed fields (field 'reopened')."""
    ws, fid = int(workspace_id), str(finding_id)
    p: list[str] = []
    why = text(reason, "The reason for reopening", p, required=True, limit=LONG_TEXT)
    with db.transaction(con) as tx:
        old = get(tx, ws, fid)
        if old is None:
            raise ValidationError(f"There is no finding {fid} in this workspace.")
        members.require(tx.cur, ws, EDIT, what=f"finding {fid}")
        if old["status"] != "closed":
            p.append(f"{fid} is open already.")
        raise_if(p)
        _write(tx.cur, ws, fid, old, {"status": "open", "closed_by": "", "closed_on": None}, who)
        db.log_change(tx.cur, ws, "finding", fid, "reopened", None, why, who)
