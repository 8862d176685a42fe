"""The documented-information register (ISO/IEC 42001 7.5): every document and record the
standard requires, pre-filled from the catalogue, plus documents the organisation adds.

Rules:
- The catalogue decides what is required: one register entry per distinct document named in a
  requirement's `documents`, linked to every requirement naming it (so the register always
  matches the catalogue; no total is hard-coded). Until someone edits it, an entry reads as
  status "missing" with no owner.
- A document is required while at least one linked requirement applies. Clauses always apply;
  a document linked only to Annex A controls excluded in the SoA is "not required".
- An entry is a document (maintained: missing, draft or approved; approved needs a version and
  where it lives) or a record (retained: missing, partial or available; available needs the date
  of the latest record and where it lives). The catalogue names the records (event logs,
  monitoring results, evidence of competence, audit and review results ...); everything else,
  and every document the organisation adds, is a document. A record date cannot be in the
  future. A last review cannot be in the future and the next review must come after it.
- The record of nonconformities also says how many major nonconformities are open (0-999).
- Documentation in place = required documents approved + required records available, over the
  required entries (None when nothing is required). Documents the organisation adds are tracked
  but do not change it.
- Stage 1 readiness is a gate (`stage1_gate`), met when all four conditions are: (1) every
  required document approved and every required record available; (2) an internal audit of the
  full scope done; (3) a management review held, on or after the internal audit finished (the
  review considers the audit's results, 9.3.2); (4) no open major nonconformity.
- Conditions 2-4 read the app's own audit records when the workspace has them, else the register
  (consultants who run audits outside the app), each on its own; every condition says which
  (`source`: 'records' or 'register'), and its status text names it:
  (2) records, when the app holds an internal audit (table audit, kind 'internal'): the completed
      internal audits' scopes (audit_scope) together cover every applicable requirement (clauses
      always, Annex A controls unless excluded in the SoA); the audit finished on the latest
      finish date among them (a completed audit without one: the day it was last updated).
      Register: the internal audit results available (partial = not the full scope yet).
  (3) records, when the app holds a review: the latest review held with top management present,
      on or after the last completed internal audit finished (by the records, else the register's
      audit results date). A review held without top management never counts (9.3.1 makes the
      review top management's). Register: the management review results available, dated on or
      after the internal audit results.
  (4) records, when the app holds a finding: no finding graded 'major nonconformity' is open.
      Register: the record of nonconformities available and stating 0 open major ones.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.catalog.standard import Catalog
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, integer, raise_if, text
from aims.store import conflicts, db

DOCUMENT_STATUSES = ("missing", "draft", "approved")
RECORD_STATUSES = ("missing", "partial", "available")
STATUSES = ("missing", "draft", "approved", "partial", "available")
IN_PLACE = ("approved", "available")
KINDS = ("document", "record")
EDITABLE = ("status", "owner", "version", "location", "record_date", "last_review", "next_review", "due", "notes",
            "open_major")
MAX_OPEN_MAJOR = 999
CUSTOM_ONLY = ("title", "requirements")
_STORED = ("title", "custom", "requirements") + EDITABLE
_BLANK = {"status": "missing", "owner": "", "version": "", "location": "", "record_date": None, "last_review": None,
          "next_review": None, "due": None, "notes": "", "open_major": None}
_DATES = ("record_date", "last_review", "next_review", "due")


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

    Columns: id, document, custom, kind ('document' or 'record'), req_ids (list), requirements
    ('5.2, A.2.2'), required, applies (why it is or is not required), status, owner, version,
    location, record_date, last_review, next_review, due, notes, open_major (the nonconformity
    record's count of open major nonconformities, else None), in_place (approved or available),
    review_overdue, updated_at, updated_by.
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
        rows.append({"id": name, "document": name, "custom": False,
                     "kind": "record" if name in catalog.records else "document", "req_ids": req_ids,
                     "required": bool(applicable),
                     "applies": "required" if applicable else
                     "not required: " + ", ".join(req_ids) + (" is" if len(req_ids) == 1 else " are")
                     + " excluded in the SoA",
                     **_values(rec)})
    for rid, rec in sorted(stored.items()):
        if rid in names:
            continue
        req_ids = [r for r in str(rec["requirements"]).split(", ") if r]
        rows.append({"id": rid, "document": rec["title"], "custom": True, "kind": "document", "req_ids": req_ids,
                     "required": False,
                     "applies": "added by the organisation" if rec["custom"] else "no longer in the catalogue",
                     **_values(rec)})
    df = pd.DataFrame(rows)
    df["requirements"] = df["req_ids"].map(", ".join)
    df["open_major"] = pd.Series([None if blank(v) else int(v) for v in df["open_major"]], index=df.index,
                                 dtype=object)
    df["in_place"] = df["status"].isin(IN_PLACE)
    df["review_overdue"] = [bool(n and n < today) for n in df["next_review"]]
    cols = ["id", "document", "custom", "kind", "req_ids", "requirements", "required", "applies"] + list(EDITABLE) + [
        "in_place", "review_overdue", "updated_at", "updated_by"]
    return df[cols]


def _values(rec: dict) -> dict:
    out = {}
    for field, default in _BLANK.items():
        value = rec.get(field, default)
        if field in _DATES:
            value = None if blank(value) else pd.Timestamp(value).date()
        elif blank(value):
            value = default
        out[field] = value
    out["updated_at"] = rec.get("updated_at")
    out["updated_by"] = rec.get("updated_by") or ""
    return out


def _in_place(reg: pd.DataFrame) -> dict:
    req = reg[reg["required"]]
    docs, recs = req[req["kind"] == "document"], req[req["kind"] == "record"]
    approved, available = int((docs["status"] == "approved").sum()), int((recs["status"] == "available").sum())
    return {"pct": None if req.empty else round(100.0 * (approved + available) / len(req), 1),
            "in_place": approved + available, "required": len(req),
            "documents": len(docs), "approved": approved, "draft": int((docs["status"] == "draft").sum()),
            "records": len(recs), "available": available, "partial": int((recs["status"] == "partial").sum()),
            "missing": int((req["status"] == "missing").sum()),
            "not_required": int((~reg["required"] & ~reg["custom"]).sum())}


def stage1_readiness(con, workspace_id: int, catalog: Catalog) -> dict:
    """Documentation in place for Stage 1, from the register: pct (None when nothing is
    required), in_place and required; documents, approved, draft (required documents); records,
    available, partial (required records); missing (both); not_required (catalogue entries
    asked for only by excluded controls)."""
    return _in_place(register(con, workspace_id, catalog))


GATE_LABELS = {
    "documents": "Mandatory documents approved, records available",
    "internal_audit": "Internal audit of the full scope done",
    "management_review": "Management review held",
    "nonconformities": "No open major nonconformity",
}


def _dated(value) -> str:
    return value.isoformat() if value else "no date"


def stage1_gate(con, workspace_id: int, catalog: Catalog, today: date | None = None) -> dict:
    """Stage 1 readiness as a gate (see the module rules): ready (all conditions met), met (how
    many), total, conditions (one dict per condition, in order: key, label, met, status in
    words, source ('records', 'register', or 'register' for the documents condition), entry: the
    register entry it reads or None; the nonconformities condition also has open_major, the
    number of open major nonconformities or None when not stated) and share (stage1_readiness
    figures)."""
    reg = register(con, workspace_id, catalog, today)
    share = _in_place(reg)
    entries = reg.set_index("id")
    records = _audit_records(con, workspace_id, catalog)

    def entry(key: str) -> dict:
        name = catalog.stage1_record(key)
        return {"name": name, **entries.loc[name, ["status", "record_date", "open_major", "required"]].to_dict()}

    conditions = []
    met = share["required"] > 0 and share["in_place"] == share["required"]
    conditions.append({"key": "documents", "met": met, "entry": None, "source": "register", "status": (
        f"{share['in_place']} of {share['required']} in place: {share['approved']} of {share['documents']} documents "
        f"approved, {share['available']} of {share['records']} records available")})

    audit = entry("internal_audit")
    if records["audits"]:
        audit_cond, audit_date = _audit_condition(records)
    else:
        audit_done = audit["status"] == "available" and audit["record_date"] is not None
        audit_date = audit["record_date"] if audit_done else None
        audit_cond = {"met": audit_done, "entry": audit["name"], "source": "register", "status": (
            f"{audit['name']} available, dated {_dated(audit['record_date'])}" if audit_done else
            f"{audit['name']}: partial, the audit has not covered the full scope yet" if audit["status"] == "partial"
            else f"{audit['name']}: {audit['status']}")}
    conditions.append({"key": "internal_audit", **audit_cond})

    if records["reviews"]:
        conditions.append({"key": "management_review", **_review_condition(records["reviews"], audit_date)})
    else:
        review = entry("management_review")
        held = review["status"] == "available" and review["record_date"] is not None
        early = held and audit_date is not None and review["record_date"] < audit_date
        what = "the internal audit" if audit_cond["source"] == "register" else "the last internal audit finished"
        conditions.append({"key": "management_review", "met": held and not early, "entry": review["name"],
                           "source": "register", "status": (
            f"{review['name']} dated {_dated(review['record_date'])}, before {what} "
            f"({_dated(audit_date)}): hold a review that considers the audit's results" if early else
            f"{review['name']} available, dated {_dated(review['record_date'])}" if held else
            f"{review['name']}: {review['status']}")})

    if records["findings"]:
        majors = records["open_majors"]
        n = len(majors)
        conditions.append({"key": "nonconformities", "met": n == 0, "entry": None, "source": "records",
                           "open_major": n, "status": (
            "Findings register: no major nonconformity open" if n == 0 else
            f"Findings register: {n} major nonconformit{'y' if n == 1 else 'ies'} open ({_listed(majors)})")})
    else:
        nc = entry("nonconformities")
        open_major = nc["open_major"]
        on_file = nc["status"] == "available"
        conditions.append({"key": "nonconformities", "met": on_file and open_major == 0, "entry": nc["name"],
                           "source": "register", "open_major": open_major,
                           "status": (f"{nc['name']}: {nc['status']}" if not on_file else
                                      "the number of open major nonconformities is not stated" if open_major is None
                                      else "none open" + (f" (record dated {_dated(nc['record_date'])})"
                                                          if nc["record_date"] else "") if open_major == 0 else
                                      f"{open_major} major nonconformit{'y' if open_major == 1 else 'ies'} open")})
    for c in conditions:
        c["label"] = GATE_LABELS[c["key"]]
    n = sum(c["met"] for c in conditions)
    return {"ready": n == len(conditions), "met": n, "total": len(conditions), "conditions": conditions,
            "share": share}


def _listed(ids: list[str], shown: int = 8) -> str:
    """'4.1, 4.2, 5.1' or '4.1, 4.2, ... and 12 more'."""
    head = ", ".join(ids[:shown])
    return head + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def _as_day(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _audit_records(con, workspace_id: int, catalog: Catalog) -> dict:
    """What the app's audit records say for the gate (no rows at all: empty lists): audits
    (internal: id, status, finished), covered (requirement IDs in the completed internal audits'
    scopes), applicable (the workspace's applicable requirements, catalogue order), reviews (id,
    status, held_on, top_management_present) and findings (how many) with open_majors (IDs)."""
    ws = int(workspace_id)
    with db.reading(con) as cur:
        audits = cur.execute("SELECT id, status, coalesce(finish, CAST(updated_at AS DATE)) FROM audit"
                             " WHERE workspace_id = ? AND kind = 'internal' ORDER BY id", [ws]).fetchall()
        covered = {r[0] for r in cur.execute(
            "SELECT DISTINCT s.req_id FROM audit_scope s JOIN audit a ON a.workspace_id = s.workspace_id"
            " AND a.id = s.audit_id WHERE s.workspace_id = ? AND a.kind = 'internal' AND a.status = 'completed'",
            [ws]).fetchall()}
        reviews = cur.execute("SELECT id, status, held_on, top_management_present FROM review WHERE workspace_id = ?"
                              " ORDER BY id", [ws]).fetchall()
        findings = cur.execute("SELECT count(*) FROM finding WHERE workspace_id = ?", [ws]).fetchone()[0]
        majors = [r[0] for r in cur.execute("SELECT id FROM finding WHERE workspace_id = ? AND grade = 'major nonconformity'"
                                            " AND status = 'open' ORDER BY id", [ws]).fetchall()]
    excluded = _excluded(con, ws)
    applicable = [r for r, req in catalog.requirements.items() if req.kind == "clause" or r not in excluded]
    return {"audits": [(i, s, _as_day(d)) for i, s, d in audits], "covered": covered, "applicable": applicable,
            "reviews": [(i, s, _as_day(d), bool(t)) for i, s, d, t in reviews], "findings": findings,
            "open_majors": majors}


def _audit_condition(records: dict) -> tuple[dict, date | None]:
    """The internal audit condition from the app's audits, and the day the last completed one finished."""
    done = [(i, d) for i, s, d in records["audits"] if s == "completed"]
    applicable = records["applicable"]
    missing = [r for r in applicable if r not in records["covered"]]
    last = max((d for _, d in done if d is not None), default=None)
    if not done:
        n = len(records["audits"])
        status = f"Internal audits in the app: none completed yet ({n} planned or in progress)"
    elif missing:
        status = (f"Internal audits in the app: {len(done)} completed, covering {len(applicable) - len(missing)} of "
                  f"{len(applicable)} applicable requirements; not covered yet: {_listed(missing)}")
    else:
        status = (f"Internal audits in the app: {len(done)} completed, covering all {len(applicable)} applicable "
                  f"requirements (the last finished {_dated(last)})")
    return {"met": bool(done) and not missing, "entry": None, "source": "records", "status": status}, last


def _review_condition(reviews: list[tuple], audit_date: date | None) -> dict:
    """The management review condition from the app's reviews (see the module rules)."""
    held = [r for r in reviews if r[1] == "held" and r[2] is not None]
    counting = [r for r in held if r[3]]
    out = {"met": False, "entry": None, "source": "records"}
    if not counting:
        if held:
            rid, _, when, _ = max(held, key=lambda r: r[2])
            return {**out, "status": f"Management review {rid} held on {when} without top management: it does not "
                                     "count (9.3); hold one with top management present"}
        planned = sorted((r for r in reviews if r[1] == "planned" and r[2] is not None), key=lambda r: r[2])
        return {**out, "status": "Management reviews in the app: none held yet"
                + (f" ({planned[0][0]} planned for {planned[0][2]})" if planned else "")}
    rid, _, when, _ = max(counting, key=lambda r: r[2])
    if audit_date is not None and when < audit_date:
        return {**out, "status": f"Management review {rid} held on {when}, before the last internal audit finished "
                                 f"({audit_date}): hold a review that considers the audit's results"}
    return {**out, "met": True, "status": f"Management review {rid} held on {when} with top management"}


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

def _clean_fields(doc_label: str, fields: dict, custom: bool, catalog: Catalog, p: list[str],
                  kind: str = "document", counts_nonconformities: bool = False) -> dict:
    row = {}
    for field, value in fields.items():
        label = f"{doc_label}: {field.replace('_', ' ')}"
        if field == "status":
            if kind == "record" and str(value).strip() == "approved":
                p.append(f"{doc_label} is a record: records are not approved with a version; set it to available "
                         "with the date of the latest record.")
            elif kind == "document" and str(value).strip() in ("available", "partial"):
                p.append(f"{doc_label} is a document: its status is missing, draft or approved (available and "
                         "partial are for records).")
            row[field] = choice(value, label, RECORD_STATUSES if kind == "record" else DOCUMENT_STATUSES,
                                [] if str(value).strip() in STATUSES else p, default="missing")
        elif field in ("owner", "version"):
            row[field] = text(value, label, p, limit=200 if field == "owner" else 40)
        elif field in ("location", "notes"):
            row[field] = text(value, label, p, limit=LONG_TEXT)
        elif field == "record_date" and kind == "record":
            row[field] = day(value, label, p)
        elif field == "record_date" and blank(value):
            row[field] = None
        elif field == "record_date":
            p.append(f"{doc_label} is a document: it has a version, not a record date.")
        elif field == "open_major" and counts_nonconformities:
            row[field] = integer(value, f"{doc_label}: open major nonconformities", p, low=0, high=MAX_OPEN_MAJOR)
        elif field == "open_major" and blank(value):
            row[field] = None
        elif field == "open_major":
            p.append(f"{doc_label}: open major nonconformities are stated on the record of nonconformities only.")
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
    if new["status"] == "available":
        missing = [what for what, f in (("the date of the latest record (record date)", "record_date"),
                                        ("where it lives", "location")) if not new[f]]
        if missing:
            p.append(f"{doc_label}: an available record needs " + " and ".join(missing) + ".")
    if new.get("record_date") and new["record_date"] > today:
        p.append(f"{doc_label}: the record date cannot be in the future.")
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
        members.require_each(tx.cur, workspace_id, {f"document {reg.at[d, 'document']!r}": reg.at[d, "owner"]
                                                    for d in changes if d in reg.index})
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
            kind = {"kind": r["kind"], "counts_nonconformities": doc_id == catalog.stage1_record("nonconformities")}
            change = _clean_fields(str(r["document"]), fields, custom, catalog, p, **kind)
            if base is not None:
                seen = _clean_fields(str(r["document"]), base.get(doc_id, {}), custom, catalog, [], **kind)
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
        now, who = datetime.now(), db.author(who)
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
    now, who = datetime.now(), db.author(who)
    with db.writing(con) as cur:
        db.require_workspace(cur, workspace_id)
        members.require(cur, workspace_id, EDIT, owner=new["owner"], what="a new document")
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
        members.require(cur, workspace_id, EDIT, what=f"removing document {doc_id}")
        cur.execute("DELETE FROM document_register WHERE workspace_id = ? AND id = ?", [int(workspace_id), doc_id])
        db.log_change(cur, int(workspace_id), "document", doc_id, "deleted", reg.at[doc_id, "document"], None, who)
