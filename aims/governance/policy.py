"""The AI policy record (ISO/IEC 42001 5.2, A.2.2-A.2.4): versions with status, endorsement by
top management, review dates, the document's location and the ethical principles it commits to.

Rules:
- A version number looks like 1.0 or 2.1.3; a new version must be higher than every earlier one.
- Status moves draft -> in review -> approved -> retired (in review can go back to draft; a draft
  or a version in review can be withdrawn as retired). Nothing goes back to draft after approval.
- Only one working version (draft or in review) at a time, and only one approved version: approving
  a version retires the previously approved one in the same transaction.
- Approval needs the endorser's name and role, an approval date that is not in the future, a next
  review date after it, where the document lives, and at least one ethical principle.
- Approved and retired versions are frozen, so older versions stay viewable as they were. On an
  approved version only the next review date (after a review that changed nothing) and retiring
  it can change.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.catalog.standard import Catalog
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, raise_if, text
from aims.governance.content import load as load_content
from aims.store import conflicts, db

STATUSES = ("draft", "in review", "approved", "retired")
WORKING = ("draft", "in review")
TRANSITIONS = {
    "draft": ("draft", "in review", "approved", "retired"),
    "in review": ("in review", "draft", "approved", "retired"),
    "approved": ("approved", "retired"),
    "retired": ("retired",),
}
CONTENT_FIELDS = ("title", "endorsed_by", "endorser_role", "approved_on", "next_review", "location",
                  "principles", "change_summary")
FIELDS = ("version", "status") + CONTENT_FIELDS
MAX_PRINCIPLES = 20
_VERSION = re.compile(r"^\d{1,3}(\.\d{1,3}){0,2}$")


def version_key(version: str) -> tuple[int, ...]:
    """'1.10' -> (1, 10): versions compare numerically, so 1.10 comes after 1.9."""
    return tuple(int(p) for p in str(version).split("."))


def evidenced_requirements(catalog: Catalog) -> list[tuple[str, str]]:
    """The requirements the AI policy record evidences, as (id, short title)."""
    return [(rid, catalog.requirements[rid].title) for rid in load_content().policy_requirements]


def starting_principles() -> dict[str, str]:
    """The starting set of ethical principles offered for a new policy: name -> meaning."""
    return dict(load_content().principles)


def versions(con, workspace_id: int) -> pd.DataFrame:
    """Every version of the workspace's AI policy, newest version first; `principles` is a list."""
    with db.reading(con) as cur:
        df = cur.execute("SELECT * FROM policy_version WHERE workspace_id = ?", [int(workspace_id)]).df()
    if df.empty:
        return df.assign(principles=pd.Series(dtype=object))
    df["principles"] = df["principles"].map(_principles_from_text)
    for col in ("approved_on", "next_review"):
        df[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in df[col]]
    df["_key"] = df["version"].map(version_key)
    return df.sort_values("_key", ascending=False).drop(columns="_key").reset_index(drop=True)


def get(con, workspace_id: int, policy_id: str) -> dict | None:
    """One version as a dict, or None when unknown."""
    df = versions(con, workspace_id)
    hit = df[df["id"] == policy_id] if not df.empty else df
    return None if hit.empty else hit.iloc[0].to_dict()


def current(con, workspace_id: int) -> dict | None:
    """The approved version in force, or None."""
    df = versions(con, workspace_id)
    hit = df[df["status"] == "approved"] if not df.empty else df
    return None if hit.empty else hit.iloc[0].to_dict()


def working(con, workspace_id: int) -> dict | None:
    """The version being worked on (draft or in review), or None."""
    df = versions(con, workspace_id)
    hit = df[df["status"].isin(WORKING)] if not df.empty else df
    return None if hit.empty else hit.iloc[0].to_dict()


def _principles_from_text(value) -> list[str]:
    if blank(value):
        return []
    return list(json.loads(value))


def _clean_principles(value, problems: list[str]) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else [
        p for p in re.split(r"[;\n]", str(value or ""))]
    out: list[str] = []
    for item in items:
        name = text(item, "An ethical principle", problems, limit=80)
        if not name:
            continue
        if name.lower() in (o.lower() for o in out):
            problems.append(f"The ethical principle {name!r} is listed twice.")
            continue
        out.append(name)
    if len(out) > MAX_PRINCIPLES:
        problems.append(f"List at most {MAX_PRINCIPLES} ethical principles; there are {len(out)}.")
    return out


def _clean(data: dict, problems: list[str]) -> dict:
    """Typed values for the fields present in `data` (problems recorded, nothing raised)."""
    row: dict = {}
    for field, value in data.items():
        if field == "version":
            v = text(value, "Version", problems, limit=12, required=True).lstrip("vV")
            if v and not _VERSION.match(v):
                problems.append(f"Version must look like 1.0 or 2.1.3 (numbers separated by dots), not {value!r}.")
            row[field] = v
        elif field == "status":
            row[field] = choice(value, "Status", STATUSES, problems, default="draft")
        elif field == "title":
            row[field] = text(value, "Policy title", problems, required=True)
        elif field in ("endorsed_by", "endorser_role", "location"):
            label = {"endorsed_by": "Endorsed by (name)", "endorser_role": "Endorser's role",
                     "location": "Where the document lives"}[field]
            row[field] = text(value, label, problems, limit=LONG_TEXT if field == "location" else 200)
        elif field in ("approved_on", "next_review"):
            row[field] = day(value, "Approval date" if field == "approved_on" else "Next review date", problems)
        elif field == "principles":
            row[field] = _clean_principles(value, problems)
        elif field == "change_summary":
            row[field] = text(value, "What changed in this version", problems, limit=LONG_TEXT)
        else:
            problems.append(f"{field!r} is not a field of the AI policy record.")
    return row


def _check_approval(new: dict, problems: list[str], today: date) -> None:
    if new["status"] != "approved":
        return
    missing = [label for field, label in (("endorsed_by", "the endorser's name"),
                                          ("endorser_role", "the endorser's role"),
                                          ("approved_on", "the approval date"),
                                          ("next_review", "the next review date"),
                                          ("location", "where the document lives")) if not new.get(field)]
    if missing:
        problems.append(f"To approve version {new['version']}, fill in " + ", ".join(missing) + ".")
    if not new.get("principles"):
        problems.append(f"To approve version {new['version']}, list at least one ethical principle it commits to.")
    if new.get("approved_on") and new["approved_on"] > today:
        problems.append("The approval date cannot be in the future.")
    if new.get("approved_on") and new.get("next_review") and new["next_review"] <= new["approved_on"]:
        problems.append("The next review date must be after the approval date.")


def _stored(row: dict) -> list:
    values = dict(row)
    values["principles"] = json.dumps(list(values.get("principles") or []))
    return [values[f] for f in FIELDS]


def create(con, workspace_id: int, data: dict, who: str | None = None, today: date | None = None) -> str:
    """Add a new version (status draft unless given); returns its ID like 'P-002'."""
    today = today or date.today()
    p: list[str] = []
    new = {"status": "draft", "title": "AI policy", "endorsed_by": "", "endorser_role": "", "approved_on": None,
           "next_review": None, "location": "", "principles": [], "change_summary": ""}
    new.update(_clean({"version": data.get("version"), **{k: v for k, v in data.items() if k != "version"}}, p))
    if new["status"] == "retired":
        p.append("A new version cannot start as retired; create it as a draft, in review or approved.")
    _check_approval(new, p, today)
    existing = versions(con, workspace_id)
    if new.get("version") and _VERSION.match(new["version"]) and not existing.empty:
        if new["version"] in set(existing["version"]):
            p.append(f"Version {new['version']} already exists; give the new version a higher number.")
        else:
            highest = max(existing["version"], key=version_key)
            if version_key(new["version"]) < version_key(highest):
                p.append(f"Version {new['version']} is lower than the latest version {highest}; "
                         "a new version must have a higher number.")
        open_ = existing[existing["status"].isin(WORKING)]
        if new["status"] in WORKING and not open_.empty:
            p.append(f"Version {open_.iloc[0]['version']} is still {open_.iloc[0]['status']}: approve or "
                     "retire it before starting another version.")
    raise_if(p)
    now, who = datetime.now(), db.author(who)
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        db.require_workspace(cur, workspace_id)
        new_id = db.next_local_id(cur, "policy_version", int(workspace_id), "P")
        if new["status"] == "approved":
            _retire_approved(cur, int(workspace_id), who, now)
        cur.execute("INSERT INTO policy_version (workspace_id, id, " + ", ".join(FIELDS)
                    + ", created_at, updated_at, updated_by) VALUES (" + ", ".join(["?"] * (len(FIELDS) + 5)) + ")",
                    [int(workspace_id), new_id] + _stored(new) + [now, now, who])
        db.log_diff(cur, int(workspace_id), "policy", new_id, {}, {**new, "principles": "; ".join(new["principles"])}, who)
    return new_id


def _retire_approved(cur, workspace_id: int, who: str, now: datetime) -> None:
    for (pid,) in cur.execute("SELECT id FROM policy_version WHERE workspace_id = ? AND status = 'approved'",
                              [workspace_id]).fetchall():
        cur.execute("UPDATE policy_version SET status = 'retired', updated_at = ?, updated_by = ?"
                    " WHERE workspace_id = ? AND id = ?", [now, who, workspace_id, pid])
        db.log_change(cur, workspace_id, "policy", pid, "status", "approved", "retired", who)


def update(con, workspace_id: int, policy_id: str, data: dict, who: str | None = None,
           today: date | None = None, base: dict | None = None) -> int:
    """Change a version's fields or status; returns the number of fields changed.

    Approving retires the previously approved version. Raises ValidationError (nothing written)
    for a forbidden status change, an edit to a frozen version or an incomplete approval. `base`
    holds the stored values the user's form was opened on: fields left as shown are not written,
    and a field someone else changed since raises conflicts.EditConflict.
    """
    with db.transaction(con) as tx:
        return _update(tx, workspace_id, policy_id, data, who, today or date.today(), base)


def _update(tx, workspace_id: int, policy_id: str, data: dict, who: str | None, today: date,
            base: dict | None) -> int:
    old = get(tx, workspace_id, policy_id)
    if old is None:
        raise ValidationError(f"There is no AI policy version {policy_id!r} in this workspace.")
    p: list[str] = []
    if "version" in data and str(data["version"]).strip().lstrip("vV") != old["version"]:
        p.append("The version number cannot change; start a new version instead.")
    changes = _clean({k: v for k, v in data.items() if k != "version"}, p)
    if base is not None:
        changes, found = conflicts.settle(policy_id, old, changes, base)
        conflicts.raise_if_conflicts(tx.cur, int(workspace_id), "policy", found)
    new = {**{f: old[f] for f in FIELDS}, **changes}
    allowed = [s for s in TRANSITIONS[old["status"]] if s != old["status"]]
    if new["status"] not in TRANSITIONS[old["status"]]:
        p.append(f"Version {old['version']} is {old['status']}; it can only become {' or '.join(allowed)}."
                 if allowed else f"Version {old['version']} is {old['status']} and can no longer change.")
    elif old["status"] in ("approved", "retired"):
        # An approved version may still get a new review date (a review that changed nothing).
        editable = ("next_review",) if old["status"] == "approved" else ()
        frozen = [f for f in CONTENT_FIELDS if f not in editable and _differs(old[f], new[f])]
        if frozen:
            p.append(f"Version {old['version']} is {old['status']} and frozen: "
                     + ", ".join(f.replace("_", " ") for f in frozen)
                     + " cannot change. Start a new version to revise the policy.")
    _check_approval(new, p, today)
    raise_if(p)
    now, who = datetime.now(), db.author(who)
    logged_old = {**old, "principles": "; ".join(old["principles"])}
    logged_new = {**new, "principles": "; ".join(new["principles"])}
    with db.writing(tx) as cur:
        members.require(cur, workspace_id, EDIT)
        if new["status"] == "approved" and old["status"] != "approved":
            _retire_approved(cur, int(workspace_id), who, now)
        n = db.log_diff(cur, int(workspace_id), "policy", policy_id,
                        {f: logged_old[f] for f in FIELDS}, {f: logged_new[f] for f in FIELDS}, who)
        if n:
            cur.execute("UPDATE policy_version SET " + ", ".join(f"{f} = ?" for f in FIELDS)
                        + ", updated_at = ?, updated_by = ? WHERE workspace_id = ? AND id = ?",
                        _stored(new) + [now, who, int(workspace_id), policy_id])
    return n


def _differs(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return list(a or []) != list(b or [])
    return (a or None) != (b or None)


def start_revision(con, workspace_id: int, version, change_summary: str = "", who: str | None = None) -> str:
    """Start a new draft version that copies the latest version's content (not its approval)."""
    df = versions(con, workspace_id)
    base = {} if df.empty else df.iloc[0].to_dict()
    data = {"version": version, "status": "draft", "title": base.get("title") or "AI policy",
            "location": base.get("location", ""), "principles": base.get("principles", []),
            "next_review": None, "change_summary": change_summary}
    return create(con, workspace_id, data, who)


def delete_draft(con, workspace_id: int, policy_id: str, who: str | None = None) -> None:
    """Delete a version that was never approved (draft or in review); approved history stays."""
    old = get(con, workspace_id, policy_id)
    if old is None:
        raise ValidationError(f"There is no AI policy version {policy_id!r} in this workspace.")
    if old["status"] not in WORKING:
        raise ValidationError(f"Version {old['version']} is {old['status']}: only a draft or a version in "
                              "review can be deleted; retire it instead.")
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        cur.execute("DELETE FROM policy_version WHERE workspace_id = ? AND id = ?", [int(workspace_id), policy_id])
        db.log_change(cur, int(workspace_id), "policy", policy_id, "deleted", old["version"], None, who)


def status(con, workspace_id: int, today: date | None = None) -> dict:
    """Overview figures: the approved version (or None), its dates, whether its review is overdue,
    and the version being worked on. `label` is one short line for a KPI card."""
    today = today or date.today()
    cur_v, work = current(con, workspace_id), working(con, workspace_id)
    overdue = bool(cur_v and cur_v["next_review"] and cur_v["next_review"] < today)
    if cur_v:
        label = f"v{cur_v['version']} approved"
    elif work:
        label = f"v{work['version']} {work['status']}"
    else:
        label = "no policy"
    return {"approved_version": cur_v["version"] if cur_v else None,
            "approved_on": cur_v["approved_on"] if cur_v else None,
            "endorsed_by": (f"{cur_v['endorsed_by']}, {cur_v['endorser_role']}" if cur_v else ""),
            "next_review": cur_v["next_review"] if cur_v else None, "review_overdue": overdue,
            "working_version": work["version"] if work else None,
            "working_status": work["status"] if work else None, "label": label}
