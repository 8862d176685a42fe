"""Management reviews (ISO/IEC 42001 9.3): the meetings, the inputs they work through, their
outputs and the roadmap actions they decide.

Rules:
- A review ('MR-001', local to the workspace) is planned or held. Its date is the meeting's: the
  planned date while planned, the day it was held once held. Planning needs the date; marking a
  review held needs the date (not in the future) and the attendees.
- Top management: 9.3.1 makes the review top management's own. A review held without top
  management is recorded as it happened, but flagged ("held without top management") in its
  status and on the page, and it does not count as the management review anywhere: not in the
  'held' figures, not for the Stage 1 gate (aims.governance.documents). Hold another one with
  top management present.
- Inputs (9.3.2): one per entry of the input catalogue (data/catalog/management_review.json,
  validated at load), created with the review. Each has its content (the text the meeting works
  from) and a comment. `compiled` keeps the text the app last compiled from its own records
  (aims.reports.review_inputs); content that is empty or equal to it is the app's, content that
  differs is the user's own edit.
- Re-compiling (`refresh_inputs`) is for planned reviews: every input's compiled text is
  refreshed, content the app wrote follows it, and content the user edited is kept unless the
  caller names the input in `overwrite` (the page shows the new text beside the user's and asks
  first). A held review keeps the inputs it considered: re-compiling it is refused (its texts
  stay editable, to correct the minutes).
- Outputs (9.3.3): decisions, improvement opportunities, changes to the AIMS, resources (text),
  and actions. An action is an output of the meeting, so only a held review gets actions: each is
  created on the roadmap (roadmap.actions.create_action, source 'management review', source_ref
  the review's ID) and linked in review_action, in one transaction. Its phase is the one the
  user picks, else the phase running on the action's due date (else today), chosen as the
  findings' corrective actions choose theirs (findings.corrective_phase); the workspace's default
  phases are created first when it has none.
- Only a planned review can be deleted (with its inputs and links; linked actions stay on the
  roadmap). A held review is a record: correct it instead.
- Every write validates all input first (ValidationError listing every problem, nothing
  written), checks the acting person's permission (edit) inside its one transaction and logs each
  changed field: entity 'review' (ID 'MR-001') and 'review_input' (ID 'MR-001/issues').
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.audit import findings
from aims.catalog.standard import Catalog, CatalogError, load_json
from aims.common import frames
from aims.common.validate import LONG_TEXT, ValidationError, blank, day, raise_if, text
from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases
from aims.store import conflicts, db, workspaces

STATUSES = ("planned", "held")
OUTPUTS = ("decisions", "improvements", "changes", "resources")
FIELDS = ("held_on", "status", "attendees", "top_management_present") + OUTPUTS
INPUT_FIELDS = ("content", "comment")
LABELS = {"held_on": "Date", "status": "Status", "attendees": "Attendees",
          "top_management_present": "Top management present", "decisions": "Decisions",
          "improvements": "Improvement opportunities", "changes": "Changes to the AIMS", "resources": "Resources",
          "content": "text", "comment": "comment"}
ATTENDEES_TEXT = 1000
INPUT_TEXT = 4 * LONG_TEXT          # a compiled input lists records; the user may write as much
SOURCE_NAME = "management review"   # the roadmap action's source
# What the app compiles an input from (see aims.reports.review_inputs); '' = the user writes it.
INPUT_SOURCES = ("review_actions", "context_issues", "context_parties", "readiness", "nonconformities", "monitoring",
                 "audits", "risks", "impact", "objectives", "opportunities", "")
WITHOUT_TOP = "held without top management"


# ---- the input catalogue ------------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewInput:
    key: str
    clause: str       # '9.3.2 a', '6.2'
    title: str
    prompt: str       # our own words: what the meeting asks about this input
    source: str       # one of INPUT_SOURCES


_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_CLAUSE = re.compile(r"^\d+(\.\d+)*( [a-z0-9]+)*$")


def parse_inputs(data: dict) -> tuple[ReviewInput, ...]:
    """Validate the input catalogue; a bad or duplicate key, a missing title or prompt, an
    unknown source or one compiled twice is a CatalogError naming every problem."""
    problems: list[str] = []
    out: list[ReviewInput] = []
    seen_keys: set[str] = set()
    seen_sources: set[str] = set()
    items = data.get("inputs")
    if not isinstance(items, list) or not items:
        raise CatalogError("catalogue error: management_review.json: the list of inputs is missing or empty")
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"input {n} is not an object")
            continue
        key = str(item.get("key", ""))
        name = key or f"input {n}"
        if not _KEY.match(key):
            problems.append(f"{name}: keys are lower-case words joined by '_' (2 to 40 characters)")
        elif key in seen_keys:
            problems.append(f"duplicate input {key}")
        seen_keys.add(key)
        for f, limit in (("title", 80), ("prompt", 400), ("clause", 20)):
            value = str(item.get(f, "")).strip()
            if not value:
                problems.append(f"{name}: {f} is required")
            elif len(value) > limit:
                problems.append(f"{name}: {f} is longer than {limit} characters")
        if item.get("clause") and not _CLAUSE.match(str(item["clause"]).strip()):
            problems.append(f"{name}: clause {item['clause']!r} is not a clause ID such as '9.3.2 a'")
        source = item.get("source", "")
        if source not in INPUT_SOURCES:
            problems.append(f"{name}: unknown source {source!r} (one of: {', '.join(s for s in INPUT_SOURCES if s)}, "
                            "or '' for an input the user writes)")
        elif source and source in seen_sources:
            problems.append(f"{name}: the source {source!r} is compiled into another input already")
        seen_sources.add(source)
        out.append(ReviewInput(key, str(item.get("clause", "")).strip(), str(item.get("title", "")).strip(),
                               str(item.get("prompt", "")).strip(), str(source)))
    if problems:
        raise CatalogError("catalogue error: management_review.json: " + "; ".join(problems))
    return tuple(out)


@lru_cache(maxsize=4)
def input_catalogue(directory: str | None = None) -> tuple[ReviewInput, ...]:
    """The validated input catalogue (cached; the file does not change while the app runs)."""
    return parse_inputs(load_json("management_review.json", Path(directory) if directory else None))


# ---- pure rules ---------------------------------------------------------------------------------

def counts(review: dict) -> bool:
    """Whether a review counts as the management review of 9.3: held, dated, top management present."""
    return review.get("status") == "held" and review.get("held_on") is not None and bool(
        review.get("top_management_present"))


def state(review: dict, today: date | None = None) -> str:
    """The review's status in words, flagging a held review without top management and a planned
    one whose date has passed."""
    today = today or date.today()
    when = review.get("held_on")
    if review.get("status") == "held":
        if review.get("top_management_present"):
            return f"held on {when} with top management"
        return f"{WITHOUT_TOP} on {when}: it does not count as the management review (9.3)"
    if when is None:
        return "planned, no date"
    if when < today:
        return f"planned for {when}: the date has passed, mark it held or move it"
    return f"planned for {when}"


def edited(content: str, compiled: str) -> bool:
    """True when an input's content is the user's own text (not empty, and not what the app compiled)."""
    return not blank(content) and (content or "").strip() != (compiled or "").strip()


def rule_problems(rec: dict, today: date) -> list[str]:
    """The rules a review record must meet (see the module docstring)."""
    p = []
    if rec["held_on"] is None:
        p.append("The review's date is required (the planned date, or the day it was held).")
    if rec["status"] == "held":
        if rec["held_on"] is not None and rec["held_on"] > today:
            p.append(f"A review is marked held on the day it took place: {rec['held_on']} is in the future.")
        if blank(rec["attendees"]):
            p.append("A held review records who attended: add the attendees.")
    return p


# ---- validation ---------------------------------------------------------------------------------

def _flag(value, label: str, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    if blank(value):
        return False
    v = str(value).strip().lower()
    if v in ("true", "yes", "1"):
        return True
    if v in ("false", "no", "0"):
        return False
    problems.append(f"{label} is yes or no, not {value!r}.")
    return False


def clean(data: dict, today: date, label: str = "") -> dict:
    """A validated, typed review record (FIELDS) from a full set of values; raises
    ValidationError naming every problem."""
    p: list[str] = []
    status = str(data.get("status") or "planned").strip()
    if status not in STATUSES:
        p.append(f"Status must be one of: {', '.join(STATUSES)}; got {data.get('status')!r}.")
        status = "planned"
    rec = {"held_on": day(data.get("held_on"), LABELS["held_on"], p), "status": status,
           "attendees": text(data.get("attendees"), LABELS["attendees"], p, limit=ATTENDEES_TEXT),
           "top_management_present": _flag(data.get("top_management_present"), LABELS["top_management_present"], p),
           **{k: text(data.get(k), LABELS[k], p, limit=LONG_TEXT) for k in OUTPUTS}}
    p += rule_problems(rec, today)
    if label:
        p = [f"{label}: {m}" for m in p]
    raise_if(p)
    return rec


def _clean_texts(values: dict, keys: set[str], label: str, p: list[str]) -> dict[str, str]:
    """{input key: text} checked against the catalogue keys and the length limit."""
    out = {}
    for key, value in values.items():
        if key not in keys:
            p.append(f"{label}: there is no review input {key!r}.")
            continue
        out[key] = text(value, f"{label} {key}", p, limit=INPUT_TEXT)
    return out


# ---- reads --------------------------------------------------------------------------------------

def _date(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def get(con, workspace_id: int, review_id: str) -> dict | None:
    """One review as a plain dict (FIELDS, id, created_at, updated_at), or None."""
    with db.reading(con) as cur:
        cur.execute("SELECT id, " + ", ".join(FIELDS) + ", created_at, updated_at FROM review"
                    " WHERE workspace_id = ? AND id = ?", [int(workspace_id), str(review_id)])
        row = cur.fetchone()
        names = [d[0] for d in cur.description]
    if row is None:
        return None
    out = dict(zip(names, row))
    out["held_on"] = _date(out["held_on"])
    out["top_management_present"] = bool(out["top_management_present"])
    return out


LISTING_COLUMNS = ["id", *FIELDS, "counts", "state", "flag", "inputs", "inputs_written", "actions", "actions_open"]


def listing(con, workspace_id: int, today: date | None = None) -> pd.DataFrame:
    """One row per review, newest date first (undated last): FIELDS, counts (see `counts`),
    state (see `state`), flag ('held without top management', 'date passed' or ''), inputs and
    inputs_written (inputs with some content), actions and actions_open (linked roadmap actions,
    all and not done)."""
    today = today or date.today()
    ws = int(workspace_id)
    with db.reading(con) as cur:
        df = cur.execute("SELECT id, " + ", ".join(FIELDS) + " FROM review WHERE workspace_id = ?", [ws]).df()
        inputs = dict(cur.execute("SELECT review_id, count(*) FROM review_input WHERE workspace_id = ? GROUP BY review_id",
                                  [ws]).fetchall())
        written = dict(cur.execute("SELECT review_id, count(*) FROM review_input WHERE workspace_id = ? AND trim(content) <> ''"
                                   " GROUP BY review_id", [ws]).fetchall())
        acts = cur.execute("SELECT l.review_id, a.status FROM review_action l JOIN action a ON a.workspace_id = l.workspace_id"
                           " AND a.id = l.action_id WHERE l.workspace_id = ?", [ws]).fetchall()
    if df.empty:
        return pd.DataFrame(columns=LISTING_COLUMNS)
    df["held_on"] = pd.Series([_date(v) for v in df["held_on"]], index=df.index, dtype=object)
    df["top_management_present"] = df["top_management_present"].astype(bool)
    records = df.to_dict("records")
    df["counts"] = pd.Series([counts(r) for r in records], index=df.index, dtype=bool)
    df["state"] = pd.Series([state(r, today) for r in records], index=df.index, dtype=object)
    df["flag"] = pd.Series([WITHOUT_TOP if r["status"] == "held" and not r["top_management_present"] else
                            "date passed" if r["status"] == "planned" and r["held_on"] and r["held_on"] < today else ""
                            for r in records], index=df.index, dtype=object)
    df["inputs"] = [int(inputs.get(i, 0)) for i in df["id"]]
    df["inputs_written"] = [int(written.get(i, 0)) for i in df["id"]]
    df["actions"] = [sum(1 for r, _ in acts if r == i) for i in df["id"]]
    df["actions_open"] = [sum(1 for r, s in acts if r == i and s != "done") for i in df["id"]]
    order = sorted(range(len(df)), key=lambda i: (df["held_on"].iloc[i] is None,
                                                  -(df["held_on"].iloc[i] or date.min).toordinal(),
                                                  -frames.id_number(df["id"].iloc[i])))
    return df.iloc[order].reset_index(drop=True)[LISTING_COLUMNS]


def summary(df: pd.DataFrame, today: date | None = None) -> dict:
    """Figures from `listing`: held (reviews that count), held_without_top, planned, next_planned
    (the earliest planned date from today on, or None), overdue_planned (planned, date passed),
    last_held (the latest date of a review that counts, or None), actions, actions_open."""
    today = today or date.today()
    planned = df[df["status"] == "planned"]
    upcoming = [d for d in planned["held_on"] if d is not None and d >= today]
    counting = [d for d, c in zip(df["held_on"], df["counts"]) if c]
    return {"held": int(df["counts"].sum()), "held_without_top": int((df["flag"] == WITHOUT_TOP).sum()),
            "planned": len(planned), "next_planned": min(upcoming) if upcoming else None,
            "overdue_planned": int((df["flag"] == "date passed").sum()),
            "last_held": max(counting) if counting else None,
            "actions": int(df["actions"].sum()), "actions_open": int(df["actions_open"].sum())}


INPUT_COLUMNS = ["key", "clause", "title", "prompt", "source", "content", "comment", "compiled", "compiled_at", "edited"]


def inputs(con, workspace_id: int, review_id: str) -> pd.DataFrame:
    """The review's inputs in catalogue order (an input the catalogue gained later reads as
    empty): key, clause, title, prompt, source, content, comment, compiled, compiled_at, edited."""
    with db.reading(con) as cur:
        stored = {r[0]: r[1:] for r in cur.execute(
            "SELECT input_key, content, comment, compiled, compiled_at FROM review_input WHERE workspace_id = ?"
            " AND review_id = ?", [int(workspace_id), str(review_id)]).fetchall()}
    rows = []
    for item in input_catalogue():
        content, comment, compiled, at = stored.get(item.key, ("", "", "", None))
        rows.append({"key": item.key, "clause": item.clause, "title": item.title, "prompt": item.prompt,
                     "source": item.source, "content": content, "comment": comment, "compiled": compiled,
                     "compiled_at": None if at is None or pd.isna(at) else pd.Timestamp(at).to_pydatetime(),
                     "edited": edited(content, compiled)})
    return pd.DataFrame(rows, columns=INPUT_COLUMNS)


ACTION_COLUMNS = ["review_id", "id", "title", "owner", "phase_id", "due", "status", "percent", "done_at", "overdue"]


def review_actions(con, workspace_id: int, review_ids: list[str] | None = None,
                   today: date | None = None) -> pd.DataFrame:
    """The roadmap actions reviews decided (all reviews, or those in `review_ids`), by review and
    action number: review_id, id, title, owner, phase_id, due, status, percent, done_at, overdue
    (not done and due before today)."""
    today = today or date.today()
    with db.reading(con) as cur:
        df = cur.execute("SELECT l.review_id, a.id, a.title, a.owner, a.phase_id, a.due, a.status, a.percent, a.done_at"
                         " FROM review_action l JOIN action a ON a.workspace_id = l.workspace_id AND a.id = l.action_id"
                         " WHERE l.workspace_id = ?", [int(workspace_id)]).df()
    if review_ids is not None:
        df = df[df["review_id"].isin(list(review_ids))]
    if df.empty:
        return pd.DataFrame(columns=ACTION_COLUMNS)
    for col in ("due", "done_at"):
        df[col] = pd.Series([_date(v) for v in df[col]], index=df.index, dtype=object)
    df["overdue"] = [s != "done" and d is not None and d < today for s, d in zip(df["status"], df["due"])]
    order = sorted(range(len(df)), key=lambda i: (frames.id_number(df["review_id"].iloc[i]), frames.id_number(df["id"].iloc[i])))
    return df.iloc[order].reset_index(drop=True)[ACTION_COLUMNS]


def earlier(con, workspace_id: int, review_id: str | None) -> list[dict]:
    """The held reviews before this one (all held reviews when `review_id` is None or undated),
    latest first: those held on or before its date, other than itself."""
    df = listing(con, workspace_id)
    me = get(con, workspace_id, review_id) if review_id else None
    when = me["held_on"] if me else None
    held = df[(df["status"] == "held") & (df["id"] != (review_id or ""))]
    out = [r for r in held.to_dict("records") if r["held_on"] is not None and (when is None or r["held_on"] <= when)]
    return sorted(out, key=lambda r: (r["held_on"], frames.id_number(r["id"])), reverse=True)


def history(con, workspace_id: int, review_id: str, limit: int = 200) -> pd.DataFrame:
    """The change-log rows of one review and its inputs, newest first."""
    with db.reading(con) as cur:
        return cur.execute("SELECT changed_at, changed_by, entity_id, field, old_value, new_value FROM change_log"
                           " WHERE workspace_id = ? AND ((entity = 'review' AND entity_id = ?) OR"
                           " (entity = 'review_input' AND entity_id LIKE ?)) ORDER BY id DESC LIMIT ?",
                           [int(workspace_id), str(review_id), f"{review_id}/%", int(limit)]).df()


# ---- writes -------------------------------------------------------------------------------------

def _stored(cur, ws: int, rid: str) -> dict | None:
    cur.execute("SELECT " + ", ".join(FIELDS) + " FROM review WHERE workspace_id = ? AND id = ?", [ws, rid])
    row = cur.fetchone()
    if row is None:
        return None
    out = dict(zip(FIELDS, row))
    out["held_on"] = _date(out["held_on"])
    out["top_management_present"] = bool(out["top_management_present"])
    return out


def _open_review(tx, ws: int, rid: str) -> dict:
    """The stored review after the edit permission check; refused when missing."""
    members.require(tx.cur, ws, EDIT, what=f"management review {rid}")
    old = _stored(tx.cur, ws, rid)
    if old is None:
        raise ValidationError(f"There is no management review {rid} in this workspace.")
    return old


def _linked(cur, ws: int, rid: str) -> int:
    return cur.execute("SELECT count(*) FROM review_action WHERE workspace_id = ? AND review_id = ?",
                       [ws, rid]).fetchone()[0]


def _stored_inputs(cur, ws: int, rid: str) -> dict[str, dict]:
    return {r[0]: {"content": r[1], "comment": r[2], "compiled": r[3]} for r in cur.execute(
        "SELECT input_key, content, comment, compiled FROM review_input WHERE workspace_id = ? AND review_id = ?",
        [ws, rid]).fetchall()}


def _next_id(cur, ws: int) -> str:
    """The next review ID: above every number the workspace ever used (a deleted review's ID stays
    in the change log and is never handed out again)."""
    first = frames.id_number(db.next_local_id(cur, "review", ws, "MR"))
    logged = cur.execute("SELECT DISTINCT entity_id FROM change_log WHERE workspace_id = ? AND entity = 'review'",
                         [ws]).fetchall()
    return f"MR-{max([first] + [frames.id_number(r[0]) + 1 for r in logged]):03d}"


def plan(con, workspace_id: int, data: dict, compiled: dict[str, str] | None = None, who: str | None = None, *,
         today: date | None = None) -> str:
    """Plan a review; returns its ID ('MR-001'). `data`: held_on (the planned date, required) and
    attendees (those invited, optional). The review gets one input per catalogue entry, with the
    texts in `compiled` ({input key: text}, from aims.reports.review_inputs) as their content.
    ValidationError listing every problem, nothing written; AccessDenied unless the acting person
    may edit the workspace."""
    unknown = sorted(set(data) - {"held_on", "attendees"})
    if unknown:
        raise ValidationError(f"A new review has no field {', '.join(unknown)}: plan it, then mark it held.")
    today = today or date.today()
    p: list[str] = []
    try:
        rec = clean({"held_on": data.get("held_on"), "attendees": data.get("attendees"), "status": "planned"}, today)
    except ValidationError as exc:
        p += exc.problems
        rec = {}
    keys = {i.key for i in input_catalogue()}
    texts = _clean_texts(compiled or {}, keys, "Compiled input", p)
    raise_if(p)
    ws, now = int(workspace_id), datetime.now()
    with db.transaction(con) as tx:
        cur = tx.cur
        db.require_workspace(cur, ws)
        members.require(cur, ws, EDIT, what="a new management review")
        rid = _next_id(cur, ws)
        cur.execute("INSERT INTO review (workspace_id, id, " + ", ".join(FIELDS) + ", created_at, updated_at) VALUES ("
                    + ", ".join(["?"] * (len(FIELDS) + 4)) + ")", [ws, rid] + [rec[f] for f in FIELDS] + [now, now])
        db.log_diff(cur, ws, "review", rid, {}, {k: v for k, v in rec.items() if v not in ("", None, False)}, who)
        for item in input_catalogue():
            body = texts.get(item.key, "")
            cur.execute("INSERT INTO review_input (workspace_id, review_id, input_key, content, comment, compiled,"
                        " compiled_at) VALUES (?, ?, ?, ?, '', ?, ?)",
                        [ws, rid, item.key, body, body, now if compiled is not None else None])
            if body:
                db.log_change(cur, ws, "review_input", f"{rid}/{item.key}", "content", None, body, who)
    return rid


def update(con, workspace_id: int, review_id: str, data: dict, who: str | None = None, base: dict | None = None, *,
           today: date | None = None) -> int:
    """Change a review's fields (FIELDS: date, status, attendees, top management present, the
    outputs); returns the number of fields changed. `base` holds the values the user's form
    showed: fields left as shown are not written, and a field someone else changed since raises
    conflicts.EditConflict. ValidationError with every problem, nothing written."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValidationError(f"{review_id}: {', '.join(unknown)} cannot be edited.")
    ws, rid, today = int(workspace_id), str(review_id), today or date.today()
    with db.transaction(con) as tx:
        old = _open_review(tx, ws, rid)
        new = clean({**old, **data}, today, label=rid)
        if base is not None:
            write, found = conflicts.settle(rid, old, {k: new[k] for k in data}, base)
            conflicts.raise_if_conflicts(tx.cur, ws, "review", found, fields=LABELS)
            new = clean({**old, **write}, today, label=rid)
        if new["status"] == "planned" and old["status"] == "held" and _linked(tx.cur, ws, rid):
            raise ValidationError(f"{rid} decided actions on the roadmap: it stays held.")
        changed = [k for k in FIELDS if db._text(old[k]) != db._text(new[k])]
        if not changed:
            return 0
        tx.cur.execute("UPDATE review SET " + ", ".join(f"{k} = ?" for k in changed) + ", updated_at = ?"
                       " WHERE workspace_id = ? AND id = ?", [new[k] for k in changed] + [datetime.now(), ws, rid])
        return db.log_diff(tx.cur, ws, "review", rid, {k: old[k] for k in changed}, {k: new[k] for k in changed}, who)


def hold(con, workspace_id: int, review_id: str, held_on, attendees, top_management_present: bool,
         who: str | None = None, base: dict | None = None, *, today: date | None = None) -> int:
    """Mark a review held on `held_on` (not in the future) with its attendees (required) and
    whether top management was present (see the module rules); returns the fields changed."""
    return update(con, workspace_id, review_id, {"status": "held", "held_on": held_on, "attendees": attendees,
                                                 "top_management_present": top_management_present},
                  who, base, today=today)


def save_inputs(con, workspace_id: int, review_id: str, changes: dict[str, dict], who: str | None = None,
                base: dict[str, dict] | None = None) -> int:
    """Save the user's text and comment of inputs: {input key: {'content': ..., 'comment': ...}};
    returns the number of fields changed. `base` ({input key: {field: value shown}}) as in
    `update`: a field someone else changed since the form was loaded raises EditConflict."""
    ws, rid = int(workspace_id), str(review_id)
    titles = {i.key: i.title for i in input_catalogue()}
    p: list[str] = []
    clean_changes: dict[str, dict] = {}
    for key, values in changes.items():
        if key not in titles:
            p.append(f"{rid}: there is no review input {key!r}.")
            continue
        bad = sorted(set(values) - set(INPUT_FIELDS))
        if bad:
            p.append(f"{rid} {titles[key]}: {', '.join(bad)} cannot be edited.")
        clean_changes[key] = {f: text(v, f"{rid} {titles[key]} {LABELS[f]}", p, limit=INPUT_TEXT)
                              for f, v in values.items() if f in INPUT_FIELDS}
    raise_if(p)
    with db.transaction(con) as tx:
        _open_review(tx, ws, rid)
        stored = _stored_inputs(tx.cur, ws, rid)
        found, writes = [], {}
        for key, values in clean_changes.items():
            old = stored.get(key, {"content": "", "comment": "", "compiled": ""})
            write, clash = conflicts.settle(f"{rid} {titles[key]}", old, values,
                                            None if base is None else base.get(key, {}))
            found += clash
            writes[key] = (old, {f: v for f, v in write.items() if db._text(old.get(f)) != db._text(v)})
        logged = {f"{rid} {titles[k]}": f"{rid}/{k}" for k in clean_changes}
        conflicts.raise_if_conflicts(tx.cur, ws, "review_input", found, fields=LABELS,
                                     logged_as=lambda record: logged.get(record, record))
        n = 0
        for key, (old, write) in writes.items():
            if not write:
                continue
            if key in stored:
                tx.cur.execute("UPDATE review_input SET " + ", ".join(f"{f} = ?" for f in write)
                               + " WHERE workspace_id = ? AND review_id = ? AND input_key = ?",
                               list(write.values()) + [ws, rid, key])
            else:
                tx.cur.execute("INSERT INTO review_input (workspace_id, review_id, input_key, content, comment)"
                               " VALUES (?, ?, ?, ?, ?)", [ws, rid, key, write.get("content", ""), write.get("comment", "")])
            n += db.log_diff(tx.cur, ws, "review_input", f"{rid}/{key}", {f: old.get(f) for f in write}, write, who)
        if n:
            tx.cur.execute("UPDATE review SET updated_at = ? WHERE workspace_id = ? AND id = ?", [datetime.now(), ws, rid])
        return n


@dataclass
class Refresh:
    """What a re-compile did: inputs whose content took the new text, inputs whose edited content
    was kept (their new compiled text is stored beside it), and inputs whose text had not changed."""
    refreshed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def refresh_inputs(con, workspace_id: int, review_id: str, compiled: dict[str, str], overwrite=(),
                   who: str | None = None) -> Refresh:
    """Re-compile a planned review's inputs from `compiled` ({input key: text}; see the module
    rules): content the app wrote takes the new text, content the user edited is kept unless its
    key is in `overwrite`. Refused for a held review."""
    ws, rid = int(workspace_id), str(review_id)
    keys = {i.key for i in input_catalogue()}
    p: list[str] = []
    texts = _clean_texts(compiled, keys, "Compiled input", p)
    unknown = sorted(set(overwrite) - keys)
    if unknown:
        p.append(f"There is no review input {', '.join(unknown)} to overwrite.")
    raise_if(p)
    result, now = Refresh(), datetime.now()
    with db.transaction(con) as tx:
        old_review = _open_review(tx, ws, rid)
        if old_review["status"] == "held":
            raise ValidationError(f"{rid} was held: it keeps the inputs it considered. Re-compiling is for planned "
                                  "reviews; edit the texts to correct the minutes.")
        stored = _stored_inputs(tx.cur, ws, rid)
        for item in input_catalogue():
            if item.key not in texts:
                continue
            new = texts[item.key]
            old = stored.get(item.key)
            if old is None:
                tx.cur.execute("INSERT INTO review_input (workspace_id, review_id, input_key, content, comment, compiled,"
                               " compiled_at) VALUES (?, ?, ?, ?, '', ?, ?)", [ws, rid, item.key, new, new, now])
                old = {"content": "", "comment": "", "compiled": ""}
                content = new
            else:
                mine = edited(old["content"], old["compiled"])
                content = old["content"] if mine and item.key not in overwrite else new
                tx.cur.execute("UPDATE review_input SET content = ?, compiled = ?, compiled_at = ? WHERE workspace_id = ?"
                               " AND review_id = ? AND input_key = ?", [content, new, now, ws, rid, item.key])
            if db._text(content) != db._text(old["content"]):
                db.log_change(tx.cur, ws, "review_input", f"{rid}/{item.key}", "content", old["content"], content, who)
                result.refreshed.append(item.key)
            elif edited(content, new):
                result.kept.append(item.key)
            else:
                result.unchanged.append(item.key)
    return result


def _default_phase(tx, ws: int, cat: Catalog, requirements: list[str], when: date, today: date, who) -> str:
    target = (workspaces.get(tx, ws) or {}).get("target_date")
    roadmap_phases.ensure_phases(tx, ws, target, today, who)
    phase = findings.corrective_phase(roadmap_phases.phases(tx, ws), cat, requirements, SOURCE_NAME, when)
    if phase is None:
        raise ValidationError("The roadmap has no phase to put the action in: add a phase first.")
    return str(phase["id"])


ACTION_KEYS = ("title", "owner", "due", "effort", "phase_id", "requirements", "notes")


def add_action(con, workspace_id: int, catalog: Catalog, review_id: str, data: dict, who: str | None = None, *,
               today: date | None = None) -> str:
    """Create an action the (held) review decided on the roadmap and link it to the review;
    returns the action's ID ('ACT-012'). `data`: title (required), owner, due, effort, phase_id
    (default: see the module rules), requirements, notes. One transaction: the action and its
    link are written together or not at all."""
    unknown = sorted(set(data) - set(ACTION_KEYS))
    if unknown:
        raise ValidationError(f"A review's action has no field {', '.join(unknown)}.")
    ws, rid, today = int(workspace_id), str(review_id), today or date.today()
    p: list[str] = []
    due = day(data.get("due"), "Due date", p)
    raise_if(p)
    with db.transaction(con) as tx:
        old = _open_review(tx, ws, rid)
        if old["status"] != "held":
            raise ValidationError(f"{rid} is planned: actions are outputs of the meeting. Mark the review held first.")
        reqs = findings.requirement_ids(data.get("requirements"))
        phase = data.get("phase_id") or _default_phase(tx, ws, catalog, reqs, due or today, today, who)
        notes = data.get("notes") or f"Decided by management review {rid} held on {old['held_on']}."
        aid = roadmap.create_action(tx, ws, catalog, {
            **{k: data[k] for k in ("title", "owner", "effort") if not blank(data.get(k))},
            "due": due, "phase_id": phase, "requirements": reqs, "notes": notes,
            "source": SOURCE_NAME, "source_ref": rid}, today=today, who=who)
        tx.cur.execute("INSERT INTO review_action (workspace_id, review_id, action_id) VALUES (?, ?, ?)", [ws, rid, aid])
        db.log_change(tx.cur, ws, "review", rid, "action", None, aid, who)
    return aid


def delete(con, workspace_id: int, review_id: str, who: str | None = None) -> None:
    """Delete a planned review with its inputs and action links (the actions stay on the
    roadmap). A held review is refused: it is a record."""
    ws, rid = int(workspace_id), str(review_id)
    with db.transaction(con) as tx:
        old = _open_review(tx, ws, rid)
        if old["status"] == "held":
            raise ValidationError(f"{rid} was held: a held review is a record and is not deleted. Correct it instead.")
        tx.cur.execute("DELETE FROM review_input WHERE workspace_id = ? AND review_id = ?", [ws, rid])
        tx.cur.execute("DELETE FROM review_action WHERE workspace_id = ? AND review_id = ?", [ws, rid])
        tx.cur.execute("DELETE FROM review WHERE workspace_id = ? AND id = ?", [ws, rid])
        db.log_change(tx.cur, ws, "review", rid, "deleted", old["held_on"], None, who)
