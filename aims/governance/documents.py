"""The documented-information register (ISO/IEC 42001 7.5): every document and record the
standard requires, pre-filled from the catalogue, plus documents the organisation adds.

Rules:
- The catalogue decides what is required: one register entry per distinct document named in a
  requirement's `documents`, linked to every requirement naming it (so the register always
  matches the catalogue; no total is hard-coded). Until someone edits it, an entry reads as
  status "missing" with no owner.
- A document is required while at least one linked requirement applies. Clauses always apply;
  a document linked only to Annex A controls excluded in the SoA is "not required".
- Status is missing, draft or approved. Approved needs a version and where the document lives.
  A last review cannot be in the future and the next review must come after it.
- Stage 1 readiness = required documents approved / required documents (None when nothing is
  required). Documents the organisation adds are tracked but do not change this figure.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from aims.catalog.standard import Catalog
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, raise_if, text
from aims.store import conflicts, db

STATUSES = ("missing", "draft", "approved")
EDITABLE = ("status", "owner", "version", "location", "last_review", "next_review", "due", "notes")
CUSTOM_ONLY = ("title", "requirements")
_STORED = ("title", "custom", "requirements") + EDITABLE
_BLANK = {"status": "missing", "owner": "", "version": "", "location": "", "last_review": None,
          "next_review": None, "due": None, "notes": ""}


def required_documents(catalog: Catalog) -> pd.DataFrame:
    """The documents the catalogue requires (pure): document, req_ids (list), in catalogue order."""
    links: dict[str, list[str]] = {}
    for req in catalog.requirements.values():
        for name in req.documents:
            links.setdefault(name, [])
            if req.id not in links[name]:
                links[name].append(req.id)
    return pd.DataFrame({"document": list(links), "req_ids": list(links.values())})


def _excluded(con, workspace_id: int) -> set[str]:
    with db.reading(con) as cur:
        return {r[0] for r in cur.execute("SELECT req_id FROM assessment WHERE workspace_id = ? AND NOT applicable",
                                          [int(workspace_id)]).fetchall()}


def _stored(con, workspace_id: int) -> pd.DataFrame:
    with db.reading(con) as cur:
        return cur.execute("SELECT * FROM document_register WHERE workspace_id = ?", [int(workspace_id)]).df()


def register(con, workspace_id: int, catalog: Catalog, today: date | None = None) -> pd.DataFrame:
    """The register: catalogue documents first (catalogue order), then added ones (by ID).

    Columns: id, document, custom, req_ids (list), requirements ('5.2, A.2.2'), required, applies
    (why it is or is not required), status, owner, version, location, last_review, next_review,
    due, notes, review_overdue, updated_at, updated_by.
    """
    today = today or date.today()
    excluded = _excluded(con, workspace_id)
    stored = {r["id"]: r for r in _stored(con, workspace_id).to_dict("records")}
    rows = []
    required = required_documents(catalog)
    names = set(required["document"])
    for name, req_ids in zip(required["document"], required["req_ids"]):
        applicable = [r for r in req_ids if r not in excluded]
        rec = stored.get(name, {})
        rows.append({"id": name, "document": name, "custom": False, "req_ids": req_ids,
                     "required": bool(applicable),
                     "applies": "required" if applicable else
                     "not required: " + ", ".join(req_ids) + (" is" if len(req_ids) == 1 else " are")
                     + " excluded in the SoA",
                     **_values(rec)})
    for rid, rec in sorted(stored.items()):
        if rid in names:
            continue
        req_ids = [r for r in str(rec["requirements"]).split(", ") if r]
        rows.append({"id": rid, "document": rec["title"], "custom": True, "req_ids": req_ids, "required": False,
                     "applies": "added by the organisation" if rec["custom"] else "no longer in the catalogue",
                     **_values(rec)})
    df = pd.DataFrame(rows)
    df["requirements"] = df["req_ids"].map(", ".join)
    df["review_overdue"] = [bool(n and n < today) for n in df["next_review"]]
    cols = ["id", "document", "custom", "req_ids", "requirements", "required", "applies"] + list(EDITABLE) + [
        "review_overdue", "updated_at", "updated_by"]
    return df[cols]


def _values(rec: dict) -> dict:
    out = {}
    for field, default in _BLANK.items():
        value = rec.get(field, default)
        if field in ("last_review", "next_review", "due"):
            value = None if blank(value) else pd.Timestamp(value).date()
        elif blank(value):
            value = default
        out[field] = value
    out["updated_at"] = rec.get("updated_at")
    out["updated_by"] = rec.get("updated_by") or ""
    return out


def stage1_readiness(con, workspace_id: int, catalog: Catalog) -> dict:
    """Stage 1 documentation readiness from the register: pct (None when nothing is required),
    approved, draft and missing counts over the required documents, required, not_required."""
    reg = register(con, workspace_id, catalog)
    req = reg[reg["required"]]
    approved = int((req["status"] == "approved").sum())
    return {"pct": None if req.empty else round(100.0 * approved / len(req), 1),
            "approved": approved, "draft": int((req["status"] == "draft").sum()),
            "missing": int((req["status"] == "missing").sum()), "required": len(req),
            "not_required": int((~reg["required"] & ~reg["custom"]).sum())}


def for_requirements(con, workspace_id: int, catalog: Catalog) -> pd.DataFrame:
    """One row per requirement x linked document: req_id, document, status (for the gap analysis).
    Requirements without documents have no rows; catalogue order, then added documents."""
    reg = register(con, workspace_id, catalog)
    order = {rid: i for i, rid in enumerate(catalog.requirements)}
    rows = [(rid, doc, status) for doc, ids, status in zip(reg["document"], reg["req_ids"], reg["status"])
            for rid in ids]
    df = pd.DataFrame(rows, columns=["req_id", "document", "status"])
    return df.sort_values("req_id", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


# ---- writes -----------------------------------------------------------------------------------

def _clean_fields(doc_label: str, fields: dict, custom: bool, catalog: Catalog, p: list[str]) -> dict:
    row = {}
    for field, value in fields.items():
        label = f"{doc_label}: {field.replace('_', ' ')}"
        if field == "status":
            row[field] = choice(value, label, STATUSES, p, default="missing")
        elif field in ("owner", "version"):
            row[field] = text(value, label, p, limit=200 if field == "owner" else 40)
        elif field in ("location", "notes"):
            row[field] = text(value, label, p, limit=LONG_TEXT)
        elif field in ("last_review", "next_review", "due"):
            row[field] = day(value, label, p)
        elif field == "title" and custom:
            row[field] = text(value, f"{doc_label}: document name", p, required=True)
        elif field == "requirements" and custom:
            items = value.tolist() if hasattr(value, "tolist") else value
            items = items if isinstance(items, (list, tuple)) else [
                r.strip() for r in str(items or "").replace(";", ",").split(",")]
            ids = [str(r).strip() for r in items if not blank(r)]
            bad = [r for r in ids if r not in catalog.requirements]
            if bad:
                p.append(f"{label}: unknown requirement ID(s) {', '.join(bad)}; use IDs like 7.5.1 or A.6.2.7.")
            row[field] = ", ".join(r for r in catalog.requirements if r in ids)
        else:
            p.append(f"{doc_label}: {field!r} is not an editable field"
                     + (" of a document the catalogue requires." if field in CUSTOM_ONLY else "."))
    return row


def _check_rules(doc_label: str, new: dict, p: list[str], today: date) -> None:
    if new["status"] == "approved":
        missing = [what for what, f in (("a version", "version"), ("where it lives", "location")) if not new[f]]
        if missing:
            p.append(f"{doc_label}: an approved document needs " + " and ".join(missing) + ".")
    if new["last_review"] and new["last_review"] > today:
        p.append(f"{doc_label}: the last review date cannot be in the future.")
    if new["last_review"] and new["next_review"] and new["next_review"] <= new["last_review"]:
        p.append(f"{doc_label}: the next review must come after the last review.")


def save(con, workspace_id: int, catalog: Catalog, changes: dict[str, dict], who: str | None = None,
         today: date | None = None, base: dict[str, dict] | None = None) -> int:
    """Apply {document id: {field: value}}; returns the number of fields changed.

    A catalogue document's id is its name; an added one's is like 'D-001'. Validates everything
    first and writes nothing when any change is invalid. `base` holds the values the user's
    screen showed: fields left as shown are not written, and a field someone else changed since
    raises conflicts.EditConflict (see aims.store.conflicts); None writes every change.
    """
    today = today or date.today()
    with db.transaction(con) as tx:        # the read, the checks and the write see one state
        reg = register(tx, workspace_id, catalog, today).set_index("id")
        stored = set(_stored(tx, workspace_id)["id"])
        p: list[str] = []
        merged, found = {}, []
        for doc_id, fields in changes.items():
            if doc_id not in reg.index:
                p.append(f"There is no document {doc_id!r} in the register.")
                continue
            r = reg.loc[doc_id]
            custom = bool(r["custom"])
            old = {f: r[f] for f in EDITABLE}
            if custom:
                old.update(title=r["document"], requirements=r["requirements"])
            change = _clean_fields(str(r["document"]), fields, custom, catalog, p)
            if base is not None:
                seen = _clean_fields(str(r["document"]), base.get(doc_id, {}), custom, catalog, [])
                change, clash = conflicts.settle(doc_id, old, change, seen)
                found += clash
            new = {**old, **change}
            _check_rules(str(new.get("title") or r["document"]), new, p, today)
            merged[doc_id] = (old, new, custom)
        conflicts.raise_if_conflicts(tx.cur, int(workspace_id), "document", found)
        titles = {i: str(t).lower() for i, t in zip(reg.index, reg["document"])}
        titles.update({i: new["title"].lower() for i, (_, new, c) in merged.items() if c and new.get("title")})
        if len(set(titles.values())) != len(titles):
            p.append("Two documents would have the same name; document names must be unique.")
        raise_if(p)
        now, who = datetime.now(), who or db.current_user()
        n = 0
        cur = tx.cur
        for doc_id, (old, new, custom) in merged.items():
            changed = db.log_diff(cur, int(workspace_id), "document", doc_id, old, new, who)
            if not changed:
                continue
            n += changed
            title = new.get("title", doc_id)
            values = [title, custom, new.get("requirements", "")] + [new[f] for f in EDITABLE]
            if doc_id in stored:
                cur.execute("UPDATE document_register SET " + ", ".join(f"{f} = ?" for f in _STORED)
                            + ", updated_at = ?, updated_by = ? WHERE workspace_id = ? AND id = ?",
                            values + [now, who, int(workspace_id), doc_id])
            else:
                cur.execute("INSERT INTO document_register (workspace_id, id, " + ", ".join(_STORED)
                            + ", updated_at, updated_by) VALUES (" + ", ".join(["?"] * (len(_STORED) + 4)) + ")",
                            [int(workspace_id), doc_id] + values + [now, who])
    return n


def add(con, workspace_id: int, catalog: Catalog, data: dict, who: str | None = None,
        today: date | None = None) -> str:
    """Add a document the organisation decided it needs (7.5.1); returns an ID like 'D-001'."""
    today = today or date.today()
    p: list[str] = []
    label = str(data.get("title") or "New document").strip()[:80]
    new = {**_BLANK, "title": "", "requirements": ""}
    new.update(_clean_fields(label, {"title": data.get("title"), **{k: v for k, v in data.items() if k != "title"}},
                             True, catalog, p))
    _check_rules(label, new, p, today)
    taken = {str(t).lower() for t in register(con, workspace_id, catalog, today)["document"]}
    if new["title"] and new["title"].lower() in taken:
        p.append(f"A document named {new['title']!r} is already in the register.")
    raise_if(p)
    now, who = datetime.now(), who or db.current_user()
    with db.writing(con) as cur:
        db.require_workspace(cur, workspace_id)
        doc_id = db.next_local_id(cur, "document_register", int(workspace_id), "D")
        cur.execute("INSERT INTO document_register (workspace_id, id, " + ", ".join(_STORED)
                    + ", updated_at, updated_by) VALUES (" + ", ".join(["?"] * (len(_STORED) + 4)) + ")",
                    [int(workspace_id), doc_id, new["title"], True, new["requirements"]]
                    + [new[f] for f in EDITABLE] + [now, who])
        db.log_diff(cur, int(workspace_id), "document", doc_id, {}, new, who)
    return doc_id


def delete(con, workspace_id: int, catalog: Catalog, doc_id: str, who: str | None = None) -> None:
    """Remove a document the organisation added; catalogue documents cannot be removed."""
    reg = register(con, workspace_id, catalog).set_index("id")
    if doc_id not in reg.index:
        raise ValidationError(f"There is no document {doc_id!r} in the register.")
    if not reg.at[doc_id, "custom"]:
        raise ValidationError(f"{doc_id} is required by the catalogue and cannot be removed; set its status instead.")
    with db.writing(con) as cur:
        cur.execute("DELETE FROM document_register WHERE workspace_id = ? AND id = ?", [int(workspace_id), doc_id])
        db.log_change(cur, int(workspace_id), "document", doc_id, "deleted", reg.at[doc_id, "document"], None, who)
