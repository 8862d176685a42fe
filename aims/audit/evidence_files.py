"""Evidence files: the documents, records, screenshots and exports an auditor samples, uploaded
to the workspace and linked to what they prove.

An evidence file ('EV-001', local to the workspace) has one row per version: the file's name,
its SHA-256, size and media type, a description, an optional expiry date, who uploaded it and
when. The content lives outside the database (aims.store.blobs), named by its SHA-256: the same
content uploaded twice, in any workspace, is stored once (two rows, one file).

Rules:
- A file needs a name without path parts (no '/', '\\' or '..', no control characters), an
  allowed type (ALLOWED: PDF, Office, images, text), content that matches its extension where
  that is cheap to check (PDF '%PDF', PNG, JPEG, GIF and WebP signatures, a ZIP package for
  docx/xlsx/pptx/odt/ods, an OLE compound file for doc/xls/ppt, no NUL bytes in text), and a
  size from 1 byte up to the limit (AIMS_EVIDENCE_MAX_MB megabytes, 25 by default).
- Uploading to an existing evidence ID adds the next version (the ID stays; a blank description
  keeps the previous one). A version identical to the latest one is refused, unless the latest
  one's file is missing from the folder: then the upload restores it (no new version).
- Links (kind, target), per evidence ID and kept across versions: 'requirement' (a clause or an
  Annex A control of the catalogue), 'audit_item' ('AU-001/5.2': the audit must exist and, when
  it has checklist items, the item must be one of them), 'finding' ('F-001', in the register) and
  'document' (an ID of the documented-information register). Unknown targets are refused.
- Expiry: expired once the expiry date has passed (the date is the last day it is valid);
  expiring when it falls within EXPIRING_DAYS days from today (today included).
- A file missing from the evidence folder (deleted by hand) or altered there reads as missing:
  shown and listed, never an error.
- Permissions: uploading, editing and linking need the edit right. Contributors may do it for
  what they own: a link to a requirement whose gap-analysis row they own, or to a document of
  the register they own; a new file must carry at least one such link; a new version or a
  change to a file's description or expiry needs every link of the file to be theirs. Links to
  audit items and findings are for owners and editors.
- Every write validates all input first (ValidationError listing every problem, nothing
  written), checks the permission inside its one transaction, and logs each changed field under
  entity 'evidence' ('link' for a link added or removed).
"""
from __future__ import annotations

import os
import unicodedata
from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import READ
from aims.catalog.standard import Catalog, load
from aims.common import frames
from aims.common.text import BIDI_CONTROLS
from aims.common.validate import LONG_TEXT, ValidationError, blank, day, raise_if, text
from aims.governance import documents
from aims.store import blobs, conflicts, db

PREFIX = "EV"
MAX_MB_ENV = "AIMS_EVIDENCE_MAX_MB"
DEFAULT_MAX_MB = 25
MB = 1024 * 1024
EXPIRING_DAYS = 30
NAME_LIMIT = 200
KINDS = ("requirement", "audit_item", "finding", "document")
KIND_LABELS = {"requirement": "requirement", "audit_item": "audit item", "finding": "finding",
               "document": "document"}
# extension -> (media type, the content check)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "zip"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "zip"),
    "odt": ("application/vnd.oasis.opendocument.text", "zip"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "zip"),
    "doc": ("application/msword", "ole"),
    "xls": ("application/vnd.ms-excel", "ole"),
    "ppt": ("application/vnd.ms-powerpoint", "ole"),
    "png": ("image/png", "png"), "jpg": ("image/jpeg", "jpeg"), "jpeg": ("image/jpeg", "jpeg"),
    "gif": ("image/gif", "gif"), "webp": ("image/webp", "webp"),
    "txt": ("text/plain", "text"), "csv": ("text/csv", "text"), "md": ("text/markdown", "text"),
}
ALLOWED_TEXT = ("PDF; Office (docx, xlsx, pptx, doc, xls, ppt, odt, ods); images (png, jpg, jpeg, gif, webp); "
                "text (txt, csv, md)")
_CONTENT = {"pdf": "a PDF document", "zip": "a ZIP package (Office Open XML or OpenDocument)",
            "ole": "an OLE compound file (Office 97-2003)", "png": "a PNG image", "jpeg": "a JPEG image",
            "gif": "a GIF image", "webp": "a WebP image", "text": "text"}
_SIGNATURES = (("png", (b"\x89PNG\r\n\x1a\n",)), ("jpeg", (b"\xff\xd8\xff",)), ("gif", (b"GIF87a", b"GIF89a")),
               ("zip", (b"PK\x03\x04",)), ("ole", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)))
OK, EXPIRING, EXPIRED, MISSING = "ok", "expiring", "expired", "missing"
STATUS_LABELS = {OK: "ok", EXPIRING: "expiring soon", EXPIRED: "expired", MISSING: "missing on disk"}
EDITABLE = ("description", "expires_on")
FIELD_LABELS = {"description": "Description", "expires_on": "Expiry date"}
_ROW = ("id", "version", "name", "sha256", "size", "media_type", "description", "expires_on", "uploaded_at",
        "uploaded_by")


# ---- pure rules --------------------------------------------------------------------------------

def max_mb() -> float:
    """The upload limit in megabytes: AIMS_EVIDENCE_MAX_MB, else 25. ValidationError for a value
    that is not a positive number (the setting is the operator's to fix)."""
    raw = os.environ.get(MAX_MB_ENV, "").strip()
    if not raw:
        return float(DEFAULT_MAX_MB)
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0 or value != value or value == float("inf"):
        raise ValidationError(f"{MAX_MB_ENV} must be a positive number of megabytes (e.g. 25), not {raw!r}; "
                              "ask whoever runs the app to correct it.")
    return value


def size_label(n: int) -> str:
    """'0 bytes', '512 bytes', '12.5 KB', '3.4 MB' (1 KB = 1024 bytes)."""
    if n < 1024:
        return f"{n} byte{'' if n == 1 else 's'}"
    if n < MB:
        return f"{n / 1024:.1f} KB"
    return f"{n / MB:.1f} MB"


def extension(name: str) -> str:
    """The lower-case extension of a file name, without the dot ('' when it has none)."""
    stem, dot, ext = str(name).rpartition(".")
    return ext.lower() if dot and stem else ""


def name_problems(name) -> list[str]:
    """Why `name` cannot name an evidence file (empty: it can)."""
    raw = "" if blank(name) else str(name)
    shown = repr(raw[:80])
    if not raw.strip():
        return ["The file has no name."]
    p = []
    if len(raw.strip()) > NAME_LIMIT:
        p.append(f"The file name is {len(raw.strip())} characters long; the limit is {NAME_LIMIT}.")
    if "/" in raw or "\\" in raw:
        p.append(f"The file name {shown} contains a folder path ('/' or '\\'): give the file's own name only.")
    if ".." in raw:
        p.append(f"The file name {shown} contains '..': rename the file without it.")
    if any(unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS for c in raw):
        p.append(f"The file name {shown} contains control characters: rename the file with ordinary characters.")
    ext = extension(raw.strip())
    if raw.strip().startswith(".") and raw.strip().count(".") == 1:
        p.append(f"The file name {shown} has no name before its extension.")
    elif not ext:
        p.append(f"The file name {shown} has no extension, so its type is unknown. Allowed: {ALLOWED_TEXT}.")
    elif ext not in ALLOWED:
        p.append(f"A .{ext} file cannot be uploaded as evidence. Allowed: {ALLOWED_TEXT}.")
    return p


def sniff(data: bytes) -> str | None:
    """What the content's first bytes say it is (a key of _CONTENT but 'text'), or None."""
    head = bytes(data[:1024])
    if b"%PDF-" in head:
        return "pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for kind, marks in _SIGNATURES:
        if head.startswith(marks):
            return kind
    return None


def content_problem(name: str, data: bytes) -> str:
    """Why the content does not match the extension of `name` ('' when it does)."""
    ext = extension(name)
    if ext not in ALLOWED:
        return ""
    want = ALLOWED[ext][1]
    found = sniff(data)
    if want == "text":
        head = bytes(data[:8192])
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        if found is None and (utf16 or b"\x00" not in head):
            return ""
        actual = _CONTENT[found] if found else "binary data, not text"
    elif found == want:
        return ""
    else:
        actual = _CONTENT[found] if found else "not " + _CONTENT[want]
    return (f"{name}: a .{ext} file must be {_CONTENT[want]}, but its content is {actual}. Upload the original "
            "file, not a renamed one.")


def file_problems(name, data: bytes, limit_mb: float | None = None) -> list[str]:
    """Every reason the upload (`name`, `data`) is refused: name, type, size, content."""
    p = name_problems(name)
    if p:
        return p
    clean = str(name).strip()
    if not data:
        return [f"{clean} is empty (0 bytes): upload the file with its content."]
    try:
        limit = max_mb() if limit_mb is None else limit_mb
    except ValidationError as exc:
        return exc.problems
    if len(data) > limit * MB:
        return [f"{clean} is {size_label(len(data))}; the limit is {limit:g} MB per file ({MAX_MB_ENV})."]
    problem = content_problem(clean, data)
    return [problem] if problem else []


def days_left(expires_on: date | None, today: date) -> int | None:
    return None if expires_on is None else (expires_on - today).days


def expiry_flag(expires_on: date | None, today: date) -> str:
    """'expired' once the date has passed, 'expiring' within EXPIRING_DAYS days (today included),
    else ''."""
    left = days_left(expires_on, today)
    if left is None:
        return ""
    if left < 0:
        return EXPIRED
    return EXPIRING if left <= EXPIRING_DAYS else ""


def expiry_note(expires_on: date | None, today: date) -> str:
    """'expired on 2026-02-28 (2 days ago)', 'expires today', 'expires in 12 days (2026-03-14)'."""
    left = days_left(expires_on, today)
    if left is None:
        return ""
    if left < 0:
        return f"expired on {expires_on} ({-left} day{'' if left == -1 else 's'} ago)"
    if left == 0:
        return "expires today"
    return f"expires in {left} day{'' if left == 1 else 's'} ({expires_on})"


def status(disk: str, expires_on: date | None, today: date) -> str:
    """'missing' (not on disk, or altered), else 'expired', 'expiring' or 'ok'."""
    if disk != blobs.PRESENT:
        return MISSING
    return expiry_flag(expires_on, today) or OK


def number(eid: str) -> int:
    tail = str(eid).split("-")[-1]
    return int(tail) if tail.isdigit() else 0


def parse_links(links, problems: list[str]) -> list[tuple[str, str]]:
    """(kind, target) pairs from pairs or 'kind:target' texts, trimmed, duplicates dropped; a
    requirement target is its ID ('5.2 Leadership' reads as '5.2'), an audit item 'AU-001/5.2'."""
    out = []
    for item in links or ():
        if isinstance(item, str):
            kind, _, target = item.partition(":")
        else:
            kind, target = item
        kind, target = str(kind).strip(), "" if blank(target) else str(target).strip()
        if kind not in KINDS:
            problems.append(f"A link is to one of: {', '.join(KINDS)}; not {kind!r}.")
            continue
        if kind == "requirement":
            target = target.split(" ")[0]
        elif kind == "audit_item":
            target = "/".join(part.strip() for part in target.split("/", 1))
        if not target:
            problems.append(f"A {KIND_LABELS[kind]} link needs its target.")
            continue
        out.append((kind, target))
    return list(dict.fromkeys(out))


def link_label(kind: str, target: str) -> str:
    """'requirement 5.2', 'audit item AU-001/5.2', 'finding F-001', 'document D-001'."""
    return f"{KIND_LABELS.get(kind, kind)} {target}"


# ---- what links may point to ---------------------------------------------------------------------

def targets(con, workspace_id: int, cat: Catalog) -> dict[str, dict[str, str]]:
    """{kind: {target: label}} of everything a link may point to in the workspace (audit items:
    the checklist items, and the scope of audits that have no checklist yet), plus 'audit' (every
    audit) and 'audit_scoped' (audits with a checklist or a scope) for the messages about audit items."""
    ws = int(workspace_id)
    with db.reading(con) as cur:
        audits = [r[0] for r in cur.execute("SELECT id FROM audit WHERE workspace_id = ?", [ws]).fetchall()]
        items = cur.execute("SELECT audit_id, req_id FROM audit_item WHERE workspace_id = ?", [ws]).fetchall()
        scope = cur.execute("SELECT audit_id, req_id FROM audit_scope WHERE workspace_id = ?", [ws]).fetchall()
        found = cur.execute("SELECT id, title FROM finding WHERE workspace_id = ?", [ws]).fetchall()
    with_items = {a for a, _ in items}
    pairs = set(items) | {(a, r) for a, r in scope if a not in with_items}
    order = {r: i for i, r in enumerate(cat.requirements)}
    audit_items = {f"{a}/{r}": f"{a}/{r} {cat.requirements[r].title}" for a, r in
                   sorted(pairs, key=lambda p: (number(p[0]), order.get(p[1], len(order)))) if r in cat.requirements}
    reg = documents.register(con, ws, cat)
    return {"requirement": {r: f"{r} {q.title}" for r, q in cat.requirements.items()},
            "audit_item": audit_items, "audit": {a: a for a in audits},
            "audit_scoped": {a: a for a, _ in pairs},
            "finding": {i: f"{i} {t}" for i, t in sorted(found, key=lambda f: number(f[0]))},
            "document": {i: (i if i == d else f"{i} {d}") for i, d in zip(reg["id"], reg["document"])}}


def link_problems(links: list[tuple[str, str]], known: dict[str, dict[str, str]], cat: Catalog) -> list[str]:
    """Why each link's target is unknown (empty: every target exists)."""
    p = []
    for kind, target in links:
        if kind == "requirement" and target not in known["requirement"]:
            p.append(f"Unknown requirement or control {target!r}: use catalogue IDs such as 5.2 or A.6.2.4.")
        elif kind == "finding" and target not in known["finding"]:
            p.append(f"There is no finding {target} in this workspace.")
        elif kind == "document" and target not in known["document"]:
            p.append(f"There is no document {target!r} in the documented-information register.")
        elif kind == "audit_item" and target not in known["audit_item"]:
            audit, _, req = target.partition("/")
            if not req:
                p.append(f"An audit checklist item is written like AU-001/5.2 (the audit, then the requirement), "
                         f"not {target!r}.")
            elif audit not in known["audit"]:
                p.append(f"There is no audit {audit} in this workspace.")
            elif req not in cat.requirements:
                p.append(f"Unknown requirement or control {req!r} in the audit item {target}.")
            elif audit in known["audit_scoped"]:
                p.append(f"Audit {audit} has no checklist item for {req}: it is not in the audit's scope.")
    return p


def _owners(con, workspace_id: int, cat: Catalog) -> dict[str, dict[str, str]]:
    """{'requirement': {req: owner}, 'document': {id: owner}}: what contributors may own."""
    with db.reading(con) as cur:
        reqs = dict(cur.execute("SELECT req_id, owner FROM assessment WHERE workspace_id = ?",
                                [int(workspace_id)]).fetchall())
    reg = documents.register(con, workspace_id, cat)
    return {"requirement": {r: reqs.get(r) or "" for r in cat.requirements},
            "document": dict(zip(reg["id"], reg["owner"]))}


def _check_owned(tx, ws: int, cat: Catalog, links, nothing: str) -> None:
    """The edit check for a change touching `links` (see the module docstring); `nothing` names
    the change when it touches no link ('evidence EV-003')."""
    owners = _owners(tx, ws, cat)
    owned = {link_label(k, t): (owners[k].get(t, "") if k in owners else None) for k, t in links}
    members.require_each(tx.cur, ws, owned or {nothing: None})


# ---- reads ------------------------------------------------------------------------------------

def _plain(value):
    if blank(value) and not isinstance(value, str):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def _versions(con, ws: int, evidence_id: str | None = None) -> pd.DataFrame:
    where = " AND id = ?" if evidence_id is not None else ""
    with db.reading(con) as cur:
        return cur.execute("SELECT " + ", ".join(_ROW) + " FROM evidence_file WHERE workspace_id = ?" + where,
                           [ws] + ([str(evidence_id)] if evidence_id is not None else [])).df()


def links_of(con, workspace_id: int, evidence_id: str | None = None) -> list[tuple[str, str, str]]:
    """(evidence ID, kind, target) of the workspace's links (or one file's), in a stable order."""
    where = " AND evidence_id = ?" if evidence_id is not None else ""
    with db.reading(con) as cur:
        rows = cur.execute("SELECT evidence_id, kind, target FROM evidence_link WHERE workspace_id = ?" + where,
                           [int(workspace_id)] + ([str(evidence_id)] if evidence_id is not None else [])).fetchall()
    return sorted(rows, key=lambda r: (number(r[0]), KINDS.index(r[1]) if r[1] in KINDS else 9, r[2]))


def _with_state(df: pd.DataFrame, where, today: date) -> pd.DataFrame:
    df["expires_on"] = pd.Series(frames.dates(df["expires_on"]), index=df.index, dtype=object)
    df["disk"] = pd.Series([blobs.state(where, s, n) for s, n in zip(df["sha256"], df["size"])], index=df.index,
                           dtype=object)
    df["status"] = pd.Series([status(d, e, today) for d, e in zip(df["disk"], df["expires_on"])], index=df.index,
                             dtype=object)
    df["note"] = pd.Series([_note(d, e, today) for d, e in zip(df["disk"], df["expires_on"])], index=df.index,
                           dtype=object)
    return df


def _note(disk: str, expires_on, today: date) -> str:
    if disk == blobs.MISSING:
        return ("the file is missing from the evidence folder (deleted or moved by hand): upload it again as a "
                "new version of this file")
    if disk == blobs.DAMAGED:
        return "the file in the evidence folder was altered: upload it again as a new version of this file"
    return expiry_note(expires_on, today)


def files(con, workspace_id: int, today: date | None = None) -> pd.DataFrame:
    """The latest version of every evidence file of the workspace, by ID number.

    Columns: id, version, name, sha256, size, media_type, description, expires_on (date or None),
    uploaded_at, uploaded_by, versions (how many), links (list of (kind, target)), links_text
    ('requirement 5.2; finding F-001'), disk ('present', 'missing' or 'damaged': looked up on
    every call, never cached), status ('ok', 'expiring', 'expired', 'missing') and note.
    """
    today, ws = today or date.today(), int(workspace_id)
    allv = _versions(con, ws)
    where = blobs.folder(con)
    counts = allv.groupby("id")["version"].count().to_dict() if not allv.empty else {}
    df = allv.sort_values("version").drop_duplicates("id", keep="last") if not allv.empty else allv
    df = df.iloc[sorted(range(len(df)), key=lambda i: number(df["id"].iloc[i]))].reset_index(drop=True)
    every = links_of(con, ws)
    grouped = frames.group_lists([r[0] for r in every], [(r[1], r[2]) for r in every])
    df["versions"] = pd.Series([int(counts.get(i, 0)) for i in df["id"]], index=df.index, dtype="int64")
    df["links"] = pd.Series([grouped.get(i, []) for i in df["id"]], index=df.index, dtype=object)
    df["links_text"] = pd.Series(["; ".join(link_label(k, t) for k, t in v) for v in df["links"]], index=df.index,
                                 dtype=object)
    return _with_state(df, where, today)


def versions(con, workspace_id: int, evidence_id: str, today: date | None = None) -> pd.DataFrame:
    """Every version of one evidence file, newest first, with disk, status and note as in `files`."""
    df = _versions(con, int(workspace_id), evidence_id).sort_values("version", ascending=False).reset_index(drop=True)
    return _with_state(df, blobs.folder(con), today or date.today())


def get(con, workspace_id: int, evidence_id: str) -> dict | None:
    """The latest version of one evidence file as a dict (the stored columns and its links), or None."""
    df = _versions(con, int(workspace_id), evidence_id)
    if df.empty:
        return None
    row = {k: _plain(v) for k, v in df.sort_values("version").iloc[-1].to_dict().items()}
    row["expires_on"] = None if row["expires_on"] is None else pd.Timestamp(row["expires_on"]).date()
    row["links"] = [(k, t) for _, k, t in links_of(con, workspace_id, evidence_id)]
    return row


def content(con, workspace_id: int, evidence_id: str, version: int | None = None) -> bytes | None:
    """The file's content (the latest version unless `version`), or None when it is missing from
    the evidence folder or altered there. AccessDenied unless the acting person may read the
    workspace; ValidationError for an unknown file or version."""
    ws = int(workspace_id)
    with db.reading(con) as cur:
        members.require(cur, ws, READ)
        row = cur.execute("SELECT sha256 FROM evidence_file WHERE workspace_id = ? AND id = ? AND version = "
                          "coalesce(?, (SELECT max(version) FROM evidence_file WHERE workspace_id = ? AND id = ?))",
                          [ws, str(evidence_id), version, ws, str(evidence_id)]).fetchone()
    if row is None:
        raise ValidationError(f"There is no evidence file {evidence_id}" + (f" version {version}" if version else "")
                              + " in this workspace.")
    return blobs.read(blobs.folder(con), row[0])


def by_requirement(con, workspace_id: int, cat: Catalog) -> dict[str, dict[str, list[str]]]:
    """{requirement ID: {evidence ID: [how it is linked]}}: a file is evidence for a requirement
    when it is linked to the requirement itself, to an audit checklist item of it, to a finding
    against it, or to a document the register links to it. 'How' reads 'requirement',
    'audit item AU-001/5.2', 'finding F-001', 'document D-001'."""
    ws = int(workspace_id)
    with db.reading(con) as cur:
        pairs = cur.execute("SELECT finding_id, req_id FROM finding_requirement WHERE workspace_id = ?",
                            [ws]).fetchall()
    found = frames.group_lists([f for f, _ in pairs], [r for _, r in pairs])
    reg = documents.register(con, ws, cat)
    docs = dict(zip(reg["id"], reg["req_ids"]))
    out: dict[str, dict[str, list[str]]] = {}
    for eid, kind, target in links_of(con, ws):
        if kind == "requirement":
            reqs, how = [target], "requirement"
        elif kind == "audit_item":
            reqs, how = [target.partition("/")[2]], link_label(kind, target)
        elif kind == "finding":
            reqs, how = found.get(target, []), link_label(kind, target)
        else:
            reqs, how = docs.get(target, []), link_label(kind, target)
        for r in reqs:
            out.setdefault(r, {}).setdefault(eid, []).append(how)
    return out


def summary(df: pd.DataFrame, covered: set[str], applicable: list[str]) -> dict:
    """Page figures from a `files` frame: files, expired, expiring, missing, and the applicable
    requirements with at least one file (`covered`: the keys of by_requirement)."""
    return {"files": len(df), "expired": int((df["status"] == EXPIRED).sum()),
            "expiring": int((df["status"] == EXPIRING).sum()), "missing": int((df["status"] == MISSING).sum()),
            "covered": len([r for r in applicable if r in covered]), "applicable": len(applicable)}


def history(con, workspace_id: int, evidence_id: str, limit: int = 200) -> pd.DataFrame:
    """The change-log rows of one evidence file, newest first."""
    with db.reading(con) as cur:
        return cur.execute("SELECT changed_at, changed_by, field, old_value, new_value FROM change_log"
                           " WHERE workspace_id = ? AND entity = 'evidence' AND entity_id = ? ORDER BY id DESC"
                           " LIMIT ?", [int(workspace_id), str(evidence_id), int(limit)]).df()


# ---- writes ------------------------------------------------------------------------------------

def _latest(tx, ws: int, evidence_id: str) -> dict:
    row = get(tx, ws, evidence_id)
    if row is None:
        raise ValidationError(f"There is no evidence file {evidence_id} in this workspace.")
    return row


def _store(where, data: bytes) -> None:
    try:
        blobs.put(where, data)
    except blobs.BlobError as exc:
        raise ValidationError(str(exc)) from None


def upload(con, workspace_id: int, name, data: bytes, *, description="", expires_on=None, links=(),
           evidence_id: str | None = None, who: str | None = None) -> tuple[str, int]:
    """Store an uploaded file as new evidence, or as the next version of `evidence_id`; returns
    (evidence ID, version). `links` ((kind, target) pairs, see parse_links) are added to the
    file's links. ValidationError listing every problem (nothing stored); AccessDenied (a
    ValidationError) unless the acting person may do it (see the module docstring)."""
    ws, data = int(workspace_id), bytes(data or b"")
    p = file_problems(name, data)
    clean_name = str(name).strip() if not p else ""
    desc = text(description, "Description", p, limit=LONG_TEXT)
    expires = day(expires_on, "Expiry date", p)
    wanted = parse_links(links, p)
    cat = load()
    with db.transaction(con) as tx:
        db.require_workspace(tx.cur, ws)
        p += link_problems(wanted, targets(tx, ws, cat), cat)
        old = get(tx, ws, str(evidence_id).strip()) if not blank(evidence_id) else None
        if not blank(evidence_id) and old is None:
            p.append(f"There is no evidence file {str(evidence_id).strip()} in this workspace to add a version to.")
        raise_if(p)
        kept = old["links"] if old else []
        _check_owned(tx, ws, cat, list(dict.fromkeys(kept + wanted)),
                     f"evidence {old['id']}" if old else "a new evidence file not linked to anything")
        sha, where = blobs.digest(data), blobs.folder(tx)
        if old and old["sha256"] == sha:
            if blobs.state(where, sha, len(data)) == blobs.PRESENT:
                raise ValidationError(f"{clean_name} is identical to {old['id']} version {old['version']}: "
                                      "nothing to add.")
            _store(where, data)     # the same content again restores a file deleted from the folder
            db.log_change(tx.cur, ws, "evidence", old["id"], "file", blobs.MISSING, "restored", who)
            return old["id"], old["version"]
        eid = old["id"] if old else db.next_local_id(tx.cur, "evidence_file", ws, PREFIX)
        rec = {"version": old["version"] + 1 if old else 1, "name": clean_name, "sha256": sha, "size": len(data),
               "media_type": ALLOWED[extension(clean_name)][0],
               "description": desc or (old["description"] if old else ""), "expires_on": expires}
        _store(where, data)
        now, by = datetime.now(), db.author(who)
        tx.cur.execute("INSERT INTO evidence_file (workspace_id, id, " + ", ".join(rec) + ", uploaded_at, uploaded_by)"
                       " VALUES (" + ", ".join(["?"] * (len(rec) + 4)) + ")", [ws, eid, *rec.values(), now, by])
        before = {k: old[k] for k in rec} if old else {}
        db.log_diff(tx.cur, ws, "evidence", eid, before, {k: v for k, v in rec.items() if old or v not in ("", None)},
                    who)
        _write_links(tx.cur, ws, eid, [lk for lk in wanted if lk not in kept], [], who)
    return eid, rec["version"]


def update(con, workspace_id: int, evidence_id: str, data: dict, who: str | None = None,
           base: dict | None = None) -> int:
    """Change the description or expiry date (EDITABLE) of a file's latest version; returns the
    number of fields changed. `base` holds what the user's form showed: fields left as shown are
    not written, a field someone else changed since raises conflicts.EditConflict."""
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationError(f"{evidence_id}: {', '.join(unknown)} cannot be edited here.")
    p: list[str] = []
    new = {}
    if "description" in data:
        new["description"] = text(data["description"], "Description", p, limit=LONG_TEXT)
    if "expires_on" in data:
        new["expires_on"] = day(data["expires_on"], "Expiry date", p)
    raise_if(p)
    ws, cat = int(workspace_id), load()
    with db.transaction(con) as tx:
        old = _latest(tx, ws, str(evidence_id))
        _check_owned(tx, ws, cat, old["links"], f"evidence {old['id']}")
        stored = {k: old[k] for k in EDITABLE}
        write, found = conflicts.settle(old["id"], stored, new, base)
        conflicts.raise_if_conflicts(tx.cur, ws, "evidence", found, fields=FIELD_LABELS)
        changed = {k: v for k, v in write.items() if not conflicts.same(stored[k], v)}
        if not changed:
            return 0
        tx.cur.execute("UPDATE evidence_file SET " + ", ".join(f"{k} = ?" for k in changed)
                       + " WHERE workspace_id = ? AND id = ? AND version = ?",
                       [*changed.values(), ws, old["id"], old["version"]])
        return db.log_diff(tx.cur, ws, "evidence", old["id"], {k: stored[k] for k in changed}, changed, who)


def _write_links(cur, ws: int, eid: str, add, remove, who) -> int:
    for kind, target in remove:
        cur.execute("DELETE FROM evidence_link WHERE workspace_id = ? AND evidence_id = ? AND kind = ? AND target = ?",
                    [ws, eid, kind, target])
        db.log_change(cur, ws, "evidence", eid, "link", link_label(kind, target), None, who)
    for kind, target in add:
        cur.execute("INSERT INTO evidence_link (workspace_id, evidence_id, kind, target) VALUES (?, ?, ?, ?)",
                    [ws, eid, kind, target])
        db.log_change(cur, ws, "evidence", eid, "link", None, link_label(kind, target), who)
    return len(add) + len(remove)


def _change_links(con, workspace_id: int, evidence_id: str, add, remove, who) -> int:
    p: list[str] = []
    add, remove = parse_links(add, p), parse_links(remove, p)
    ws, cat = int(workspace_id), load()
    with db.transaction(con) as tx:
        old = _latest(tx, ws, str(evidence_id).strip())
        p += link_problems([lk for lk in add if lk not in old["links"]], targets(tx, ws, cat), cat)
        raise_if(p)
        _check_owned(tx, ws, cat, list(dict.fromkeys(add + remove)), f"evidence {old['id']}")
        add = [lk for lk in add if lk not in old["links"]]
        remove = [lk for lk in remove if lk in old["links"] and lk not in add]
        return _write_links(tx.cur, ws, old["id"], add, remove, who)


def add_links(con, workspace_id: int, evidence_id: str, links, who: str | None = None) -> int:
    """Link a file to more targets ((kind, target) pairs); returns how many links were added (a
    link already there is no change). Unknown targets are refused, nothing written."""
    return _change_links(con, workspace_id, evidence_id, links, (), who)


def remove_links(con, workspace_id: int, evidence_id: str, links, who: str | None = None) -> int:
    """Take links off a file; returns how many were removed (one not there is no change)."""
    return _change_links(con, workspace_id, evidence_id, (), links, who)


def set_links(con, workspace_id: int, evidence_id: str, links, who: str | None = None, base=None) -> int:
    """Make the file's links `links`; returns how many were added or removed. With `base` (the
    links the user's editor showed) only the user's own changes are applied: links in `links`
    but not in `base` are added, links in `base` but not in `links` removed, and a link someone
    else added or removed meanwhile stays as they left it (so no save ever undoes theirs)."""
    p: list[str] = []
    wanted = parse_links(links, p)
    raise_if(p)
    if base is None:
        current = get(con, workspace_id, evidence_id)
        if current is None:
            raise ValidationError(f"There is no evidence file {evidence_id} in this workspace.")
        seen = current["links"]
    else:
        seen = parse_links(base, p)
    return _change_links(con, workspace_id, evidence_id, [lk for lk in wanted if lk not in seen],
                         [lk for lk in seen if lk not in wanted], who)
