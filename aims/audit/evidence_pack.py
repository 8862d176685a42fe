"""The auditor's evidence pack: one ZIP with the latest version of every evidence file for a
scope of requirements and an index workbook (requirement -> evidence files with SHA-256).

Scope, one of: every applicable requirement (clauses 4-10 and the Annex A controls not excluded
in the SoA; the default), a list of requirement IDs, or one audit's scope (its scope rows and
checklist items). A file is evidence for a requirement as aims.audit.evidence_files.by_requirement
says (linked to it directly, or through an audit item, a finding or a document).

The ZIP holds 'Evidence index.xlsx' and each file once, named 'EV-001 v2 - <name>'. The index's
sheets: 'Index' (one row per requirement and file; a requirement without evidence gets one row
saying so), 'Files' (each file once, with its links) and 'About' (workspace, scope, when, who).
A file missing from the evidence folder, or altered there, is listed with status 'missing' and
left out of the ZIP; an expired file is in the ZIP with status 'expired'.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from aims.access import members
from aims.access.rules import READ
from aims.audit import evidence_files as ev
from aims.catalog.standard import Catalog, load
from aims.common.validate import ValidationError, raise_if
from aims.store import blobs, db, workspaces

INDEX_NAME = "Evidence index.xlsx"
NO_EVIDENCE = "no evidence"
# already-compressed formats are stored as they are; the rest is deflated
_STORED = {"png", "jpg", "jpeg", "gif", "webp", "docx", "xlsx", "pptx", "odt", "ods"}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
INDEX_COLUMNS = ("Requirement", "Title", "Evidence", "Version", "File in pack", "SHA-256", "Size (bytes)",
                 "Uploaded by", "Uploaded at", "Expires on", "Status", "Note", "Linked as", "Description")


@dataclass
class Pack:
    """What a pack holds: `scope` (what was asked, in words), `requirements` (IDs in catalogue
    order), `rows` (the index rows), `files` (the files, latest versions, as dicts with
    entry, status and note), `missing` (IDs left out of the ZIP)."""
    scope: str
    requirements: list[str]
    rows: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [f["id"] for f in self.files if f["status"] == ev.MISSING]

    @property
    def included(self) -> list[str]:
        return [f["id"] for f in self.files if f["status"] != ev.MISSING]


def entry_name(eid: str, version: int, name: str) -> str:
    """The file's name in the ZIP: 'EV-001 v2 - policy.pdf' (path and control characters made '_')."""
    return _UNSAFE.sub("_", f"{eid} v{int(version)} - {name}")


def applicable(con, workspace_id: int, cat: Catalog) -> list[str]:
    """Clauses and the Annex A controls not excluded in the SoA, in catalogue order."""
    with db.reading(con) as cur:
        excluded = {r[0] for r in cur.execute("SELECT req_id FROM assessment WHERE workspace_id = ? AND NOT applicable",
                                              [int(workspace_id)]).fetchall()}
    return [r for r, q in cat.requirements.items() if q.kind == "clause" or r not in excluded]


def scope(con, workspace_id: int, cat: Catalog, requirements=None, audit_id: str | None = None
          ) -> tuple[list[str], str]:
    """(requirement IDs in catalogue order, the scope in words). `requirements`: a list, or text
    separated by ',' or ';'. ValidationError for unknown IDs, an unknown audit, an audit without
    a scope, or both a list and an audit."""
    ws, order = int(workspace_id), list(cat.requirements)
    wanted = [r.strip().split(" ")[0] for r in (re.split(r"[;,]", requirements) if isinstance(requirements, str)
                                                  else list(requirements or [])) if str(r).strip()]
    audit = str(audit_id or "").strip()
    if wanted and audit:
        raise ValidationError("Choose either a list of requirements or an audit's scope, not both.")
    if wanted:
        unknown = [r for r in wanted if r not in cat.requirements]
        raise_if([f"Unknown requirement or control {', '.join(unknown)}: use catalogue IDs such as 5.2 or "
                  "A.6.2.4."] if unknown else [])
        return [r for r in order if r in set(wanted)], "requirements " + ", ".join(r for r in order if r in set(wanted))
    if audit:
        with db.reading(con) as cur:
            row = cur.execute("SELECT title FROM audit WHERE workspace_id = ? AND id = ?", [ws, audit]).fetchone()
            if row is None:
                raise ValidationError(f"There is no audit {audit} in this workspace.")
            reqs = {r[0] for r in cur.execute("SELECT req_id FROM audit_scope WHERE workspace_id = ? AND audit_id = ?"
                                              " UNION SELECT req_id FROM audit_item WHERE workspace_id = ? AND"
                                              " audit_id = ?", [ws, audit, ws, audit]).fetchall()}
        if not reqs:
            raise ValidationError(f"Audit {audit} has no scope yet: add the clauses and controls it covers first.")
        return [r for r in order if r in reqs], f"the scope of audit {audit} ({row[0]})"
    return applicable(con, ws, cat), "every applicable requirement"


def plan(con, workspace_id: int, cat: Catalog | None = None, requirements=None, audit_id: str | None = None,
         today: date | None = None) -> Pack:
    """The pack's contents without reading any file: the index rows and the files, with the
    status the evidence folder shows now (missing files are found by looking, not reading)."""
    cat, today, ws = cat or load(), today or date.today(), int(workspace_id)
    with db.reading(con) as cur:
        members.require(cur, ws, READ)
    reqs, words = scope(con, ws, cat, requirements, audit_id)
    latest = ev.files(con, ws, today)
    info = {r["id"]: r for r in latest.to_dict("records")}
    linked = ev.by_requirement(con, ws, cat)
    pack = Pack(words, reqs)
    used: list[str] = []
    for r in reqs:
        found = sorted((e for e in linked.get(r, {}) if e in info), key=ev.number)
        if not found:
            pack.rows.append({"req_id": r, "title": cat.requirements[r].title, "id": "", "status": NO_EVIDENCE,
                              "note": "", "linked_as": ""})
        for eid in found:
            f = info[eid]
            pack.rows.append({"req_id": r, "title": cat.requirements[r].title, **_file(f),
                              "linked_as": "; ".join(linked[r][eid])})
            used += [eid] if eid not in used else []
    pack.files = [_file(info[e]) | {"links_text": info[e]["links_text"]} for e in sorted(used, key=ev.number)]
    return pack


def _file(f: dict) -> dict:
    return {"id": f["id"], "version": int(f["version"]), "name": f["name"], "entry": entry_name(f["id"], f["version"],
            f["name"]), "sha256": f["sha256"], "size": int(f["size"]), "uploaded_by": f["uploaded_by"],
            "uploaded_at": f["uploaded_at"], "expires_on": f["expires_on"], "description": f["description"],
            "status": ev.OK if f["status"] == ev.EXPIRING else f["status"], "note": f["note"]}


def write(con, workspace_id: int, out: BinaryIO, cat: Catalog | None = None, requirements=None,
          audit_id: str | None = None, today: date | None = None) -> Pack:
    """Write the pack as a ZIP to the binary file `out`; returns what it holds. Each file is read
    and checked against its SHA-256 as it goes in: one found missing or altered only now is
    marked missing in the index too. AccessDenied unless the acting person may read the
    workspace; ValidationError for a bad scope (see `scope`)."""
    cat, today = cat or load(), today or date.today()
    pack = plan(con, workspace_id, cat, requirements, audit_id, today)
    where = blobs.folder(con)
    ws = workspaces.get(con, workspace_id) or {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for f in pack.files:
            if f["status"] == ev.MISSING:
                continue
            data = blobs.read(where, f["sha256"])
            if data is None:
                f.update(status=ev.MISSING, note="the file in the evidence folder is missing or was altered: "
                                                 "upload it again")
                continue
            kind = zipfile.ZIP_STORED if ev.extension(f["name"]) in _STORED else zipfile.ZIP_DEFLATED
            z.writestr(zipfile.ZipInfo(f["entry"], date_time=_stamp(f["uploaded_at"])), data, compress_type=kind)
        gone = {f["id"]: f for f in pack.files if f["status"] == ev.MISSING}
        for r in pack.rows:
            if r["id"] in gone:
                r.update(status=ev.MISSING, note=gone[r["id"]]["note"])
        z.writestr(INDEX_NAME, index_workbook(pack, ws, today))
    return pack


def build(con, workspace_id: int, cat: Catalog | None = None, requirements=None, audit_id: str | None = None,
          today: date | None = None) -> tuple[bytes, Pack]:
    """The pack as bytes (for a download), and what it holds."""
    buf = io.BytesIO()
    pack = write(con, workspace_id, buf, cat, requirements, audit_id, today)
    return buf.getvalue(), pack


def _stamp(when) -> tuple:
    t = pd.Timestamp(when) if when is not None else pd.Timestamp(datetime.now())
    return (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)


# ---- the index workbook -------------------------------------------------------------------------

_HEAD = PatternFill("solid", fgColor="1F4E79")
_FLAGS = {ev.EXPIRED: "F8CBAD", ev.MISSING: "F4B6B6", NO_EVIDENCE: "FFF2CC"}


def _put(cell, value) -> None:
    """A value that user text can never turn into a formula."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"


def _sheet(wb: Workbook, title: str, head: tuple, rows: list[tuple], widths: dict[int, int], status_col: int | None):
    ws = wb.create_sheet(title)
    ws.append(list(head))
    for c in ws[1]:
        c.font, c.fill = Font(bold=True, color="FFFFFF"), _HEAD
        c.alignment = Alignment(vertical="center", wrap_text=True)
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            _put(ws.cell(i, j), value)
        flag = _FLAGS.get(row[status_col - 1]) if status_col else None
        if flag:
            ws.cell(i, status_col).fill = PatternFill("solid", fgColor=flag)
    for j in range(1, len(head) + 1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(j, 16)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(len(rows) + 1, 1)}"
    return ws


def _when(value):
    return None if value is None or value != value else pd.Timestamp(value).to_pydatetime().replace(microsecond=0)


def index_workbook(pack: Pack, ws: dict, today: date) -> bytes:
    """The index workbook of a pack (see the module docstring) as .xlsx bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    rows = [(r["req_id"], r["title"], r["id"], r.get("version"), r.get("entry", "") if r["status"] != ev.MISSING
             else "(not in the pack)" if r["id"] else "", r.get("sha256", ""), r.get("size"), r.get("uploaded_by", ""),
             _when(r.get("uploaded_at")), r.get("expires_on"), r["status"], r["note"], r["linked_as"],
             r.get("description", "")) for r in pack.rows]
    _sheet(wb, "Index", INDEX_COLUMNS, rows, {1: 12, 2: 36, 3: 10, 4: 8, 5: 40, 6: 68, 9: 18, 11: 12, 12: 44, 13: 30,
                                              14: 40}, status_col=11)
    files = [(f["id"], f["version"], f["entry"] if f["status"] != ev.MISSING else "(not in the pack)", f["sha256"],
              f["size"], f["uploaded_by"], _when(f["uploaded_at"]), f["expires_on"], f["status"], f["note"],
              f["links_text"], f["description"]) for f in pack.files]
    _sheet(wb, "Files", ("Evidence", "Version", "File in pack", "SHA-256", "Size (bytes)", "Uploaded by",
                         "Uploaded at", "Expires on", "Status", "Note", "Linked to", "Description"), files,
           {3: 40, 4: 68, 7: 18, 10: 44, 11: 40, 12: 40}, status_col=9)
    about = [("Workspace", ws.get("name", "")), ("Organisation", ws.get("organisation") or ""),
             ("Scope", pack.scope), ("Requirements in scope", len(pack.requirements)),
             ("Requirements with evidence", len({r["req_id"] for r in pack.rows if r["id"]})),
             ("Files in the pack", len(pack.included)), ("Files missing (not in the pack)", len(pack.missing)),
             ("Status as of", today), ("Generated at", datetime.now().replace(microsecond=0)),
             ("Generated by", db.current_user()),
             ("How to check a file", "Compare the SHA-256 of a file in the pack with the index (e.g. "
                                     "'certutil -hashfile FILE SHA256' on Windows, 'shasum -a 256 FILE' elsewhere).")]
    _sheet(wb, "About", ("Item", "Value"), about, {1: 30, 2: 90}, status_col=None)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
