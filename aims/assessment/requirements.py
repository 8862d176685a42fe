"""Per-requirement assessment records: gap-analysis ratings and Statement of Applicability fields.

A workspace has one record per requirement; a missing row reads as "not assessed", applicable,
with the workspace's default target. `save` validates every change first, then writes all of
them in one transaction with a change-log row per changed field.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.catalog.standard import Catalog
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, integer, raise_if, text
from aims.store import conflicts, db

MATURITY_LABELS = {0: "None", 1: "Initial", 2: "Repeatable", 3: "Defined", 4: "Measured", 5: "Optimising"}
NOT_ASSESSED = "Not assessed"
MATURITY_HINTS = {None: "not discussed yet", 0: "nothing in place", 1: "ad hoc, depends on individuals",
                  2: "done consistently, not yet documented", 3: "documented, approved and followed",
                  4: "monitored with measures and reviewed", 5: "continually improved from the measures"}
EVIDENCE_STRENGTHS = ("none", "claimed", "documented", "verified")
EVIDENCE_HELP = ("none: nothing to show; claimed: people say it is done; documented: written down and approved, "
                 "which counts toward Stage 1; verified: records show it operates, which is what Stage 2 readiness "
                 "counts")
IMPLEMENTATION = ("not started", "planned", "partial", "implemented")
INCLUSION_REASONS = ("risk treatment", "legal or regulatory", "contractual", "best practice")

GAP_FIELDS = ("maturity", "target", "evidence_strength", "evidence", "owner", "due", "notes")
SOA_FIELDS = ("applicable", "inclusion_reasons", "exclusion_reason", "implementation", "owner", "evidence_ref")
ALL_FIELDS = tuple(dict.fromkeys(GAP_FIELDS + SOA_FIELDS))
APPLICABILITY = {"applicable", "inclusion_reasons", "exclusion_reason"}   # contributors never change these
_DEFAULTS = {"maturity": None, "target": None, "applicable": True, "inclusion_reasons": "",
             "exclusion_reason": "", "implementation": "not started", "evidence_strength": "none",
             "evidence": "", "evidence_ref": "", "owner": "", "due": None, "notes": ""}


def maturity_label(value) -> str:
    """'3 Defined' for 3, 'Not assessed' for None/NaN."""
    if blank(value):
        return NOT_ASSESSED
    return f"{int(value)} {MATURITY_LABELS[int(value)]}"


def parse_maturity_label(label) -> int | None:
    """Inverse of maturity_label; accepts '3 Defined', '3' or 3; 'Not assessed'/blank is None."""
    if blank(label) or str(label).strip() == NOT_ASSESSED:
        return None
    return str(label).strip().split(" ")[0]  # validated as an integer by the caller


def table(con, workspace_id: int, catalog: Catalog, default_target: int) -> pd.DataFrame:
    """Every requirement of the catalogue with this workspace's record (defaults where none).

    Columns: catalogue columns (req_id, kind, group, top_group, titles, mandatory_doc, nature)
    plus ALL_FIELDS, `target` resolved to the default where unset, and updated_at/updated_by.
    """
    with db.reading(con) as cur:
        rec = cur.execute("SELECT * FROM assessment WHERE workspace_id = ?", [int(workspace_id)]).df()
    df = catalog.frame().merge(rec.drop(columns=["workspace_id"]), on="req_id", how="left")
    for field, default in _DEFAULTS.items():
        if default is not None:
            df[field] = df[field].where(df[field].notna(), default)
    df["applicable"] = df["applicable"].astype(bool)
    df["maturity"] = df["maturity"].astype("Int64")
    df["target"] = df["target"].fillna(default_target).astype("Int64")
    due = pd.to_datetime(df["due"])
    df["due"] = [d.date() if pd.notna(d) else None for d in due]
    return df


def clean_changes(catalog: Catalog, changes: dict[str, dict]) -> dict[str, dict]:
    """Validate {req_id: {field: value}}; returns typed values or raises ValidationError."""
    problems: list[str] = []
    out: dict[str, dict] = {}
    for req_id, fields in changes.items():
        req = catalog.requirements.get(req_id)
        if req is None:
            problems.append(f"Unknown requirement {req_id!r}.")
            continue
        p: list[str] = []
        row: dict = {}
        for field, value in fields.items():
            label = f"{req_id} {field.replace('_', ' ')}"
            if field == "maturity":
                row[field] = integer(parse_maturity_label(value), label, p, low=0, high=5)
            elif field == "target":
                row[field] = integer(value, label, p, low=1, high=5)
            elif field == "evidence_strength":
                row[field] = choice(value, label, EVIDENCE_STRENGTHS, p, default="none")
            elif field == "implementation":
                row[field] = choice(value, label, IMPLEMENTATION, p, default="not started")
            elif field in ("evidence", "notes", "exclusion_reason", "evidence_ref"):
                row[field] = text(value, label, p, limit=LONG_TEXT)
            elif field == "owner":
                row[field] = text(value, label, p)
            elif field == "due":
                row[field] = day(value, label, p)
            elif field == "applicable":
                if not isinstance(value, (bool,)) and str(value).lower() not in ("true", "false", "1", "0"):
                    p.append(f"{label} must be yes or no.")
                row[field] = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
                if req.kind == "clause" and not row[field]:
                    p.append(f"{req_id} is a clause requirement: clauses 4 to 10 always apply and cannot be excluded.")
            elif field == "inclusion_reasons":
                reasons = value if isinstance(value, (list, tuple)) else [
                    r.strip() for r in str(value or "").split(";") if r.strip()]
                bad = [r for r in reasons if r not in INCLUSION_REASONS]
                if bad:
                    p.append(f"{label}: unknown reason(s) {', '.join(bad)}; allowed: {', '.join(INCLUSION_REASONS)}.")
                row[field] = "; ".join(r for r in INCLUSION_REASONS if r in reasons)
            else:
                p.append(f"{req_id}: {field!r} is not an editable field.")
        problems.extend(p)
        out[req_id] = row
    raise_if(problems)
    return out


def save(con, workspace_id: int, catalog: Catalog, changes: dict[str, dict], who: str | None = None,
         base: dict[str, dict] | None = None) -> int:
    """Apply validated changes for one workspace in one transaction; returns fields changed.

    `base` ({req_id: {field: value}}, display forms accepted as in `changes`) holds the values the
    user's screen showed: a field left as shown is not written, and a field someone else changed
    since raises conflicts.EditConflict (see aims.store.conflicts). None writes every change.
    Rules enforced on the merged record: clauses stay applicable, an excluded control needs an
    exclusion justification. Nothing is written when any change is invalid or in conflict.
    """
    cleaned = clean_changes(catalog, changes)
    if not cleaned:
        return 0
    seen = None if base is None else {r: _clean_seen(catalog, r, f) for r, f in base.items()}
    now, who = datetime.now(), db.author(who)
    changed = 0
    with db.writing(con) as cur:
        db.require_workspace(cur, workspace_id)
        default_target = cur.execute("SELECT default_target FROM workspace WHERE id = ?",
                                     [int(workspace_id)]).fetchone()[0]
        current = cur.execute("SELECT * FROM assessment WHERE workspace_id = ? AND req_id IN (SELECT unnest(CAST(? AS VARCHAR[])))",
                              [int(workspace_id), list(cleaned)]).df()
        existing = {r["req_id"]: r for r in current.to_dict("records")}
        # contributors change the gap-analysis rows they own, never a row's SoA applicability
        members.require_each(cur, workspace_id, {
            f"requirement {r}": None if set(row) & APPLICABILITY else (existing[r]["owner"] if r in existing else "")
            for r, row in cleaned.items()})
        problems, merged, found = [], {}, []
        for req_id, row in cleaned.items():
            old = {f: _plain(existing[req_id][f]) for f in ALL_FIELDS} if req_id in existing else dict(_DEFAULTS)
            shown = {f: _DEFAULTS[f] if blank(v) and _DEFAULTS[f] is not None else v for f, v in old.items()}
            if shown["target"] is None:
                shown["target"] = default_target
            write, clash = conflicts.settle(req_id, shown, row, None if seen is None else seen.get(req_id, {}))
            found += clash
            new = {**old, **write}
            if not new["applicable"] and not new["exclusion_reason"]:
                problems.append(f"{req_id} is excluded: give a justification for the exclusion.")
            merged[req_id] = (old, new, write)
        conflicts.raise_if_conflicts(cur, int(workspace_id), "assessment", found)
        raise_if(problems)
        for req_id, (old, new, write) in merged.items():
            n = db.log_diff(cur, int(workspace_id), "assessment", req_id, {f: old[f] for f in write}, write, who)
            if not n:
                continue
            changed += n
            cur.execute(
                "INSERT INTO assessment (workspace_id, req_id, " + ", ".join(ALL_FIELDS) + ", updated_at, updated_by)"
                " VALUES (" + ", ".join(["?"] * (len(ALL_FIELDS) + 4)) + ") ON CONFLICT (workspace_id, req_id) DO UPDATE SET "
                + ", ".join(f"{f} = excluded.{f}" for f in ALL_FIELDS) + ", updated_at = excluded.updated_at,"
                " updated_by = excluded.updated_by",
                [int(workspace_id), req_id] + [new[f] for f in ALL_FIELDS] + [now, who])
    return changed


def _clean_seen(catalog: Catalog, req_id: str, fields: dict) -> dict:
    """The values a screen showed, typed like cleaned changes (a value that does not validate is
    kept as shown: it only serves for comparison)."""
    out = {}
    for field, value in fields.items():
        try:
            out[field] = clean_changes(catalog, {req_id: {field: value}}).get(req_id, {}).get(field, value)
        except ValidationError:
            out[field] = value
    return out


def _plain(value):
    """DB values to plain Python (NaN/NaT to None, Timestamps to dates, numpy ints to int)."""
    if blank(value) and not isinstance(value, str):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value


def soa_approval(con, workspace_id: int) -> dict:
    """The SoA version and approval for a workspace (empty values when never set)."""
    with db.reading(con) as cur:
        row = cur.execute("SELECT version, approved_by, approved_on, updated_at FROM soa_approval"
                          " WHERE workspace_id = ?", [int(workspace_id)]).fetchone()
    if not row:
        return {"version": "", "approved_by": "", "approved_on": None, "updated_at": None}
    return dict(zip(("version", "approved_by", "approved_on", "updated_at"), row))


def set_soa_approval(con, workspace_id: int, version, approved_by, approved_on, who: str | None = None,
                     base: dict | None = None) -> None:
    """Record the SoA version and its approval; an approval needs both a name and a date.
    `base` ({version, approved_by, approved_on}) holds what the user's form showed: fields left as
    shown keep their stored value, one someone else changed since raises EditConflict."""
    with db.transaction(con) as tx:
        _set_soa_approval(tx, workspace_id, {"version": version, "approved_by": approved_by,
                                             "approved_on": approved_on}, who, base)


def _set_soa_approval(tx, workspace_id: int, data: dict, who: str | None, base: dict | None) -> None:
    p: list[str] = []
    old = soa_approval(tx, workspace_id)
    new = {"version": text(data["version"], "SoA version", p, limit=40, required=True),
           "approved_by": text(data["approved_by"], "Approved by", p),
           "approved_on": day(data["approved_on"], "Approval date", p)}
    if base is not None and not p:
        stored = {k: old[k] for k in new}
        write, found = conflicts.settle("SoA", stored, new, base)
        conflicts.raise_if_conflicts(tx.cur, int(workspace_id), "soa", found, logged_as=lambda r: "approval")
        new = {**stored, **write}
    if bool(new["approved_by"]) != bool(new["approved_on"]):
        p.append("An approval needs both the approver's name and the approval date.")
    if new["approved_on"] and new["approved_on"] > date.today():
        p.append("The approval date cannot be in the future.")
    raise_if(p)
    with db.writing(tx) as cur:
        members.require(cur, workspace_id, EDIT)
        cur.execute("INSERT INTO soa_approval VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace_id) DO UPDATE SET"
                    " version = excluded.version, approved_by = excluded.approved_by,"
                    " approved_on = excluded.approved_on, updated_at = excluded.updated_at",
                    [int(workspace_id), new["version"], new["approved_by"], new["approved_on"], datetime.now()])
        db.log_diff(cur, int(workspace_id), "soa", "approval", old, new, who)


def history(con, workspace_id: int, limit: int = 200) -> pd.DataFrame:
    """The most recent change-log rows of a workspace, newest first."""
    with db.reading(con) as cur:
        return cur.execute("SELECT changed_at, changed_by, entity, entity_id, field, old_value, new_value"
                           " FROM change_log WHERE workspace_id = ? ORDER BY id DESC LIMIT ?",
                           [int(workspace_id), int(limit)]).df()
