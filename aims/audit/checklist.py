"""Audit checklists (ISO/IEC 42001 9.2): one item per requirement in an audit's scope, with our own
audit questions and the evidence to sample (data/catalog/audit_questions.json), the auditor, the
result, the evidence sampled and notes; impartiality per item; progress; findings raised from an
item into the findings register.

Rules:
- The checklist is drawn from the audit's scope when the audit moves into progress, or on demand
  (`generate`): one item per requirement in scope, Annex A controls the SoA excludes left out.
  Bringing an existing checklist in line with its scope adds the missing items and removes the
  items no longer in scope (or now excluded) that hold nothing yet; an item with a result,
  evidence, notes, an auditor or an override reason is kept (nothing recorded is lost).
  A completed audit's checklist is closed: no generation, no result changes (set the audit back
  to in progress first).
- Results (RESULTS): conforming, major nonconformity, minor nonconformity, observation,
  opportunity for improvement, or '' (not audited). Results may be recorded while the audit is
  planned or in progress.
- Impartiality (9.2.2: auditors do not audit their own work): an item's auditor is its own
  `auditor`, else the audit's lead auditor. The item is flagged when that person owns the
  requirement: the owner of its gap-analysis / SoA row, or the owner of a document the register
  links to it. Names are free text, compared ignoring case and every space, and ignoring a
  trailing role in brackets ('Priya Shah (CRO)' is 'priya shah'); an e-mail address only
  matches the same address. Saving a result for a flagged item (a save that sets its result,
  its auditor or its override reason while it has a result) needs an override reason
  (ValidationError otherwise).
- Progress: audited items (a result other than '') over items; results counted by grade.
- A result that is a nonconformity, an observation or an opportunity for improvement can be raised
  as a finding (`raise_finding`): the findings register's entry with the item's requirement,
  grade, notes and evidence, source 'internal audit' (an internal audit) or 'certification
  audit' (any other kind), in the same transaction.
- Every write validates first (ValidationError listing every problem, nothing written), checks the
  edit permission inside its one transaction and logs each changed field under entity
  'audit_item', ID 'AU-001/5.2'.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.audit import findings
from aims.catalog.standard import Catalog, CatalogError, load, load_json
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, raise_if, text
from aims.governance import documents
from aims.store import conflicts, db

RESULTS = ("conforming",) + findings.GRADES
FINDING_RESULTS = findings.GRADES          # the results that lead to a finding
NONCONFORMITIES = findings.NONCONFORMITIES
ITEM_FIELDS = ("auditor", "result", "evidence_sampled", "notes", "override_reason")
LABELS = {"auditor": "Auditor", "result": "Result", "evidence_sampled": "Evidence sampled", "notes": "Notes",
          "override_reason": "Override reason"}
FINDING_FIELDS = ("title", "description", "evidence", "owner", "due", "raised_on")


# ---- the audit content ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Content:
    version: str
    questions: dict[str, tuple[str, ...]]     # requirement ID -> the auditor's questions
    evidence: dict[str, tuple[str, ...]]      # requirement ID -> the evidence to sample


def parse(data: dict, catalog: Catalog) -> Content:
    """Build and validate the audit content: every catalogue requirement present, no unknown ID,
    non-empty lists of non-empty, distinct texts. A broken file is a CatalogError."""
    problems: list[str] = []
    reqs = data.get("requirements")
    if not isinstance(reqs, dict):
        raise CatalogError("catalogue error: audit_questions.json: 'requirements' must map IDs to questions and evidence")
    unknown = [r for r in reqs if r not in catalog.requirements]
    missing = [r for r in catalog.requirements if r not in reqs]
    if unknown:
        problems.append(f"unknown requirement IDs {unknown}")
    if missing:
        problems.append(f"missing requirement IDs {missing}")
    questions, evidence = {}, {}
    for rid, entry in reqs.items():
        for key, out in (("questions", questions), ("evidence", evidence)):
            items = entry.get(key) if isinstance(entry, dict) else None
            if not isinstance(items, list) or not items:
                problems.append(f"{rid}: '{key}' must be a non-empty list")
                continue
            if any(not isinstance(i, str) or not i.strip() for i in items):
                problems.append(f"{rid}: every item of '{key}' must be non-empty text")
            elif len({i.strip().casefold() for i in items}) != len(items):
                problems.append(f"{rid}: '{key}' repeats an item")
            out[rid] = tuple(str(i).strip() for i in items)
    if problems:
        raise CatalogError("catalogue error: audit_questions.json: " + "; ".join(problems))
    order = list(catalog.requirements)
    return Content(str(data.get("version", "")), {r: questions[r] for r in order}, {r: evidence[r] for r in order})


@lru_cache(maxsize=1)
def content() -> Content:
    """The validated audit content (cached; the file does not change while the app runs)."""
    return parse(load_json("audit_questions.json"), load())


# ---- impartiality (pure) ----------------------------------------------------------------------------

_ROLE = re.compile(r"\s*\([^()]*\)\s*$")


def person_key(name) -> str:
    """A name as compared for impartiality: a trailing '(role)' dropped, every space removed,
    case folded ('' for a blank name)."""
    if blank(name):
        return ""
    return "".join(_ROLE.sub("", str(name)).split()).casefold()


def same_person(a, b) -> bool:
    ka, kb = person_key(a), person_key(b)
    return bool(ka) and ka == kb


def conflicts_of(auditor, owned: list[tuple[str, str]]) -> list[str]:
    """What `auditor` owns among `owned` ([(owner name, what it is)]): the reasons of a flag."""
    return list(dict.fromkeys(what for owner, what in owned if same_person(auditor, owner)))


def owners(con, workspace_id: int, cat: Catalog) -> dict[str, list[tuple[str, str]]]:
    """{requirement ID: [(owner, what they own)]}: the owner of the requirement's gap-analysis /
    SoA row, and the owners of the documents the register links to it."""
    out: dict[str, list[tuple[str, str]]] = {}
    with db.reading(con) as cur:
        for rid, owner in cur.execute("SELECT req_id, owner FROM assessment WHERE workspace_id = ? AND owner <> ''",
                                      [int(workspace_id)]).fetchall():
            out.setdefault(rid, []).append((owner, f"the gap-analysis row {rid}"))
    reg = documents.register(con, workspace_id, cat)
    for doc, owner, ids in zip(reg["document"], reg["owner"], reg["req_ids"]):
        if not blank(owner):
            for rid in ids:
                out.setdefault(rid, []).append((owner, f"the document '{doc}'"))
    return out


# ---- reads ----------------------------------------------------------------------------------------

def _audit_row(cur, ws: int, aid: str) -> dict | None:
    row = cur.execute("SELECT kind, status, lead_auditor FROM audit WHERE workspace_id = ? AND id = ?",
                      [ws, aid]).fetchone()
    return None if row is None else {"kind": row[0], "status": row[1], "lead_auditor": row[2]}


def _excluded(cur, ws: int) -> set[str]:
    return {r[0] for r in cur.execute("SELECT req_id FROM assessment WHERE workspace_id = ? AND NOT applicable",
                                      [ws]).fetchall()}


def items(con, workspace_id: int, audit_id: str, cat: Catalog | None = None) -> pd.DataFrame:
    """The checklist of one audit, in catalogue order.

    Columns: req_id, title, kind ('clause' or 'control'), questions and evidence_hints (lists, from
    the audit content), auditor (as stored; '' = the lead auditor), auditor_shown (who audits it),
    result, evidence_sampled, notes, override_reason, conflicts (what the auditor owns), flagged,
    excluded (the SoA excludes it now), in_scope, findings (IDs of findings raised from this
    audit against the requirement), updated_at, updated_by."""
    cat = cat or load()
    ws, aid = int(workspace_id), str(audit_id)
    with db.reading(con) as cur:
        audit = _audit_row(cur, ws, aid) or {"lead_auditor": ""}
        df = cur.execute("SELECT req_id, auditor, result, evidence_sampled, notes, override_reason, updated_at,"
                         " updated_by FROM audit_item WHERE workspace_id = ? AND audit_id = ?", [ws, aid]).df()
        scope = {r[0] for r in cur.execute("SELECT req_id FROM audit_scope WHERE workspace_id = ? AND audit_id = ?",
                                           [ws, aid]).fetchall()}
        excluded = _excluded(cur, ws)
        raised = cur.execute("SELECT fr.req_id, f.id FROM finding f JOIN finding_requirement fr ON"
                             " fr.workspace_id = f.workspace_id AND fr.finding_id = f.id"
                             " WHERE f.workspace_id = ? AND f.audit_id = ? ORDER BY f.id", [ws, aid]).fetchall()
    order = {r: i for i, r in enumerate(cat.requirements)}
    df = df.iloc[sorted(range(len(df)), key=lambda i: order.get(df["req_id"].iloc[i], len(order)))].reset_index(drop=True)
    text_of = content()
    owned = owners(con, ws, cat) if not df.empty else {}
    by_req: dict[str, list[str]] = {}
    for rid, fid in raised:
        by_req.setdefault(rid, []).append(fid)
    lead = audit["lead_auditor"] or ""
    shown = [a if not blank(a) else lead for a in df["auditor"]]
    found = [conflicts_of(a, owned.get(r, [])) for a, r in zip(shown, df["req_id"])]
    out = pd.DataFrame({
        "req_id": df["req_id"],
        "title": [cat.requirements[r].title if r in cat.requirements else r for r in df["req_id"]],
        "kind": [cat.requirements[r].kind if r in cat.requirements else "" for r in df["req_id"]],
        "questions": pd.Series([list(text_of.questions.get(r, ())) for r in df["req_id"]], dtype=object),
        "evidence_hints": pd.Series([list(text_of.evidence.get(r, ())) for r in df["req_id"]], dtype=object),
        "auditor": df["auditor"], "auditor_shown": pd.Series(shown, dtype=object), "result": df["result"],
        "evidence_sampled": df["evidence_sampled"], "notes": df["notes"], "override_reason": df["override_reason"],
        "conflicts": pd.Series(found, dtype=object), "flagged": pd.Series([bool(c) for c in found], dtype=bool),
        "excluded": pd.Series([r in excluded for r in df["req_id"]], dtype=bool),
        "in_scope": pd.Series([r in scope for r in df["req_id"]], dtype=bool),
        "findings": pd.Series([by_req.get(r, []) for r in df["req_id"]], dtype=object),
        "updated_at": df["updated_at"], "updated_by": df["updated_by"].fillna(""),
    })
    return out


def progress(checklist: pd.DataFrame) -> dict:
    """Progress of one checklist (an `items` frame): items, audited, pct (None without items),
    by_result {result: n} for every result, findings (nonconformities, observations and
    opportunities), nonconformities, flagged (impartiality flags) and flagged_open (flagged and
    still without an override reason)."""
    n = len(checklist)
    results = checklist["result"] if n else pd.Series([], dtype=object)
    by_result = {r: int((results == r).sum()) for r in RESULTS}
    audited = int((results != "").sum())
    flagged = checklist["flagged"] if n else pd.Series([], dtype=bool)
    reasons = checklist["override_reason"] if n else pd.Series([], dtype=object)
    return {"items": n, "audited": audited, "pct": None if not n else round(100.0 * audited / n, 1),
            "by_result": by_result, "findings": sum(by_result[g] for g in FINDING_RESULTS),
            "nonconformities": sum(by_result[g] for g in NONCONFORMITIES), "flagged": int(flagged.sum()),
            "flagged_open": int((flagged & reasons.map(blank)).sum()) if n else 0}


# ---- writes ----------------------------------------------------------------------------------------

def _open_audit(tx, ws: int, aid: str, what: str, closed_ok: bool = False) -> dict:
    audit = _audit_row(tx.cur, ws, aid)
    if audit is None:
        raise ValidationError(f"There is no audit {aid} in this workspace.")
    members.require(tx.cur, ws, EDIT, what=what)
    if audit["status"] == "completed" and not closed_ok:
        raise ValidationError(f"{aid} is completed: its checklist is closed. Set the audit back to in progress "
                              "to change it.")
    return audit


def _has_content(row) -> bool:
    return any(not blank(row[f]) for f in ITEM_FIELDS)


def sync(con, workspace_id: int, audit_id: str, who: str | None = None, *, closed_ok: bool = False) -> dict:
    """Bring the audit's checklist in line with its scope (see the module rules); returns
    {'added': [IDs], 'removed': [IDs], 'kept': [IDs kept out of scope because they hold
    something]}. Refused for a completed audit, unless `closed_ok` (the audit's own update, which
    completes it in the same transaction and checks the checklist then)."""
    ws, aid = int(workspace_id), str(audit_id)
    order = {r: i for i, r in enumerate(load().requirements)}
    with db.transaction(con) as tx:
        cur = tx.cur
        _open_audit(tx, ws, aid, f"the checklist of audit {aid}", closed_ok)
        excluded = _excluded(cur, ws)
        scope = [r[0] for r in cur.execute("SELECT req_id FROM audit_scope WHERE workspace_id = ? AND audit_id = ?",
                                           [ws, aid]).fetchall()]
        wanted = sorted((r for r in scope if r not in excluded), key=lambda r: order.get(r, len(order)))
        current = cur.execute("SELECT req_id, " + ", ".join(ITEM_FIELDS) + " FROM audit_item WHERE workspace_id = ?"
                              " AND audit_id = ?", [ws, aid]).df()
        have = {r["req_id"]: _has_content(r) for r in current.to_dict("records")}
        added = [r for r in wanted if r not in have]
        stale = sorted((r for r in have if r not in wanted), key=lambda r: order.get(r, len(order)))
        removed = [r for r in stale if not have[r]]
        kept = [r for r in stale if have[r]]
        if added:
            cur.executemany("INSERT INTO audit_item (workspace_id, audit_id, req_id) VALUES (?, ?, ?)",
                            [[ws, aid, r] for r in added])
        for r in removed:
            cur.execute("DELETE FROM audit_item WHERE workspace_id = ? AND audit_id = ? AND req_id = ?", [ws, aid, r])
        for r in added:
            db.log_change(cur, ws, "audit_item", f"{aid}/{r}", "checklist", None, "added", who)
        for r in removed:
            db.log_change(cur, ws, "audit_item", f"{aid}/{r}", "checklist", "added", None, who)
    return {"added": added, "removed": removed, "kept": kept}


def generate(con, workspace_id: int, audit_id: str, who: str | None = None) -> dict:
    """Generate (or bring up to date) the audit's checklist on demand: `sync`, refused when the
    scope names no requirement that applies."""
    ws, aid = int(workspace_id), str(audit_id)
    with db.transaction(con) as tx:
        _open_audit(tx, ws, aid, f"the checklist of audit {aid}")
        scope = {r[0] for r in tx.cur.execute("SELECT req_id FROM audit_scope WHERE workspace_id = ? AND audit_id = ?",
                                              [ws, aid]).fetchall()}
        if not scope - _excluded(tx.cur, ws):
            raise ValidationError(f"{aid} has no applicable requirement in its scope: add clauses or Annex A "
                                  "controls to the audit's scope first (controls the SoA excludes are left out).")
        return sync(tx, ws, aid, who)


def clean_item(req_id: str, fields: dict, p: list[str]) -> dict:
    """Typed values of one item's changed fields; problems (named with the requirement) into `p`."""
    out = {}
    for field, value in fields.items():
        label = f"{req_id} {LABELS.get(field, field).lower()}"
        if field == "auditor":
            out[field] = text(value, label, p)
        elif field == "result":
            out[field] = choice(value, label, RESULTS, p, default="")
        elif field in ("evidence_sampled", "notes", "override_reason"):
            out[field] = text(value, label, p, limit=LONG_TEXT)
        else:
            p.append(f"{req_id}: {field!r} cannot be changed on a checklist item.")
    return out


def save_results(con, workspace_id: int, audit_id: str, changes: dict[str, dict], who: str | None = None,
                 base: dict[str, dict] | None = None) -> int:
    """Record checklist results: `changes` is {requirement ID: {field: value}} over ITEM_FIELDS;
    returns the number of fields changed. `base` ({requirement ID: {field: shown value}}) holds
    what the user's table or form showed: fields left as shown are not written, a field someone
    else changed since raises conflicts.EditConflict. A result on a flagged item (the auditor owns
    the requirement) needs an override reason. ValidationError listing every problem, nothing
    written; refused for a completed audit."""
    ws, aid = int(workspace_id), str(audit_id)
    p: list[str] = []
    cleaned = {str(r): clean_item(str(r), f, p) for r, f in changes.items()}
    cat = load()
    with db.transaction(con) as tx:
        cur = tx.cur
        audit = _open_audit(tx, ws, aid, f"the checklist of audit {aid}")
        stored = {r["req_id"]: r for r in cur.execute(
            "SELECT req_id, " + ", ".join(ITEM_FIELDS) + " FROM audit_item WHERE workspace_id = ? AND audit_id = ?",
            [ws, aid]).df().to_dict("records")}
        unknown = [r for r in cleaned if r not in stored]
        if unknown:
            p.append(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not on the checklist of {aid}.")
        raise_if(p)
        owned = owners(tx, ws, cat)
        found, merged = [], {}
        for rid, row in cleaned.items():
            old = {f: stored[rid][f] or "" for f in ITEM_FIELDS}
            seen = None if base is None else base.get(rid, {})
            write, clash = conflicts.settle(rid, old, row, seen)
            found += clash
            merged[rid] = (old, {**old, **write})
        conflicts.raise_if_conflicts(cur, ws, "audit_item", found, fields=LABELS, logged_as=lambda r: f"{aid}/{r}")
        for rid, (old, new) in merged.items():
            touched = {f for f in ITEM_FIELDS if new[f] != old[f]} & {"result", "auditor", "override_reason"}
            if not touched or not new["result"] or not blank(new["override_reason"]):
                continue
            auditor = new["auditor"] or audit["lead_auditor"]
            owns = conflicts_of(auditor, owned.get(rid, []))
            if owns:
                p.append(f"{rid}: the auditor {auditor} owns {' and '.join(owns)}, so auditing it is not impartial "
                         "(9.2.2). Give the reason for the override, or assign another auditor, to record a result.")
        raise_if(p)
        n, now = 0, datetime.now()
        for rid, (old, new) in merged.items():
            if new == old:
                continue
            cur.execute("UPDATE audit_item SET " + ", ".join(f"{f} = ?" for f in ITEM_FIELDS) + ", updated_at = ?,"
                        " updated_by = ? WHERE workspace_id = ? AND audit_id = ? AND req_id = ?",
                        [new[f] for f in ITEM_FIELDS] + [now, db.author(who), ws, aid, rid])
            n += db.log_diff(cur, ws, "audit_item", f"{aid}/{rid}", old, new, who)
        return n


def raise_finding(con, workspace_id: int, audit_id: str, req_id: str, data: dict | None = None,
                  who: str | None = None, *, today: date | None = None) -> str:
    """Raise the checklist item's result as a finding in the findings register; returns its ID.

    The item's result must be a nonconformity, an observation or an opportunity for improvement.
    The finding: grade = the result, requirements = [req_id], source 'internal audit' for an
    internal audit and 'certification audit' for any other, audit_id = the audit; `data` may set
    FINDING_FIELDS (title: default '<req_id> <title>: <result>'; description: default the item's
    notes; evidence: default the evidence sampled; owner, due, raised_on as the register takes
    them). Validated by the register (aims.audit.findings.raise_finding), in one transaction."""
    data = dict(data or {})
    unknown = sorted(set(data) - set(FINDING_FIELDS))
    if unknown:
        raise ValidationError(f"A finding raised from a checklist item has no field {', '.join(unknown)}.")
    ws, aid, rid = int(workspace_id), str(audit_id), str(req_id)
    cat = load()
    with db.transaction(con) as tx:
        audit = _audit_row(tx.cur, ws, aid)
        if audit is None:
            raise ValidationError(f"There is no audit {aid} in this workspace.")
        members.require(tx.cur, ws, EDIT, what=f"a finding from audit {aid}")
        row = tx.cur.execute("SELECT result, evidence_sampled, notes FROM audit_item WHERE workspace_id = ?"
                             " AND audit_id = ? AND req_id = ?", [ws, aid, rid]).fetchone()
        if row is None:
            raise ValidationError(f"{rid} is not on the checklist of {aid}.")
        result, sampled, notes = row
        if result not in FINDING_RESULTS:
            raise ValidationError(f"{aid} {rid}: only a nonconformity, an observation or an opportunity for "
                                  f"improvement is raised as a finding; the result is {result or 'not recorded yet'}.")
        title = cat.requirements[rid].title if rid in cat.requirements else rid
        record = {"source": "internal audit" if audit["kind"] == "internal" else "certification audit",
                  "audit_id": aid, "grade": result, "requirements": [rid],
                  "title": f"{rid} {title}: {result}", "description": notes, "evidence": sampled}
        record.update({k: v for k, v in data.items() if not (k in ("title", "description", "evidence") and blank(v))})
        return findings.raise_finding(tx, ws, record, who, today=today)
