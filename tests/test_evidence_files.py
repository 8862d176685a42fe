"""Evidence files: the content-addressed store, uploads and their refusals, versions, links, expiry
flags, files missing on disk, and who may upload and link (figures worked out by hand)."""
import hashlib
from datetime import date

import pytest
from helpers import rows

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.assessment import requirements as assessments
from aims.audit import evidence_files as ev
from aims.audit import findings
from aims.common.validate import ValidationError
from aims.store import blobs, workspaces
from aims.store.conflicts import EditConflict

TODAY = date(2026, 3, 2)
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
ABC_SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"   # SHA-256 of b"abc" (FIPS 180-2)


@pytest.fixture
def folder(con, tmp_path, monkeypatch):
    """The evidence folder beside the test database (tmp_path/evidence)."""
    monkeypatch.delenv(blobs.ENV, raising=False)
    assert blobs.folder(con) == tmp_path / "evidence"
    return tmp_path / "evidence"


def stored(folder):
    """The names of the files in the evidence folder."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def counts(con):
    return {t: rows(con, f"SELECT count(*) FROM {t}")[0][0] for t in ("evidence_file", "evidence_link")} | {
        "log": rows(con, "SELECT count(*) FROM change_log WHERE entity = 'evidence'")[0][0]}


# ---- the store ---------------------------------------------------------------------------------

def test_the_same_content_twice_is_stored_once_with_two_rows_in_any_workspace(con, ws_id, folder):
    other = workspaces.create(con, {"name": "Beta"})
    assert ev.upload(con, ws_id, "abc.txt", b"abc") == ("EV-001", 1)
    assert ev.upload(con, ws_id, "copy of abc.txt", b"abc") == ("EV-002", 1)
    assert ev.upload(con, other, "abc.csv", b"abc") == ("EV-001", 1)
    assert stored(folder) == [ABC_SHA]                     # one file, named by its SHA-256, no temporary left
    assert (folder / ABC_SHA).read_bytes() == b"abc"
    assert rows(con, "SELECT workspace_id, id, name, sha256, size, media_type FROM evidence_file ORDER BY 1, 2") == [
        (ws_id, "EV-001", "abc.txt", ABC_SHA, 3, "text/plain"), (ws_id, "EV-002", "copy of abc.txt", ABC_SHA, 3,
                                                                 "text/plain"),
        (other, "EV-001", "abc.csv", ABC_SHA, 3, "text/csv")]


def test_the_folder_is_configurable_and_a_file_is_written_whole(con, ws_id, tmp_path, monkeypatch):
    monkeypatch.setenv(blobs.ENV, str(tmp_path / "vault"))
    ev.upload(con, ws_id, "abc.txt", b"abc")
    assert stored(tmp_path / "vault") == [ABC_SHA]
    assert not (tmp_path / "evidence").exists()
    # a leftover of an interrupted write never counts as the file; the next upload writes it whole
    (tmp_path / "vault" / ABC_SHA).write_bytes(b"ab")
    assert blobs.state(tmp_path / "vault", ABC_SHA, 3) == blobs.DAMAGED
    assert blobs.put(tmp_path / "vault", b"abc") == ABC_SHA
    assert (tmp_path / "vault" / ABC_SHA).read_bytes() == b"abc" and stored(tmp_path / "vault") == [ABC_SHA]


def test_only_sha256_names_become_paths():
    with pytest.raises(ValueError):
        blobs.path_of("/tmp", "../../etc/passwd")
    assert blobs.state("/tmp", "../x", 1) == blobs.DAMAGED and blobs.read("/tmp", "../x") is None


def test_an_unwritable_folder_is_a_clear_refusal_and_nothing_is_recorded(con, ws_id, tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("x")
    monkeypatch.setenv(blobs.ENV, str(tmp_path / "afile" / "evidence"))
    with pytest.raises(ValidationError, match="Cannot store the file in the evidence folder"):
        ev.upload(con, ws_id, "abc.txt", b"abc")
    assert counts(con) == {"evidence_file": 0, "evidence_link": 0, "log": 0}


# ---- uploads, versions -------------------------------------------------------------------------

def test_a_new_version_keeps_the_id_and_counts_up(con, ws_id, folder):
    monkey = ev.upload(con, ws_id, "policy.pdf", PDF, description="AI policy, signed", links=[("requirement", "5.2")])
    assert monkey == ("EV-001", 1)
    assert ev.upload(con, ws_id, "policy v2.pdf", PDF + b"v2", evidence_id="EV-001") == ("EV-001", 2)
    assert ev.upload(con, ws_id, "other.txt", b"x") == ("EV-002", 1)
    latest = ev.get(con, ws_id, "EV-001")
    assert (latest["version"], latest["name"], latest["description"]) == (2, "policy v2.pdf", "AI policy, signed")
    assert latest["links"] == [("requirement", "5.2")] and latest["uploaded_by"] == "tester"
    table = ev.files(con, ws_id, TODAY)
    assert list(table["id"]) == ["EV-001", "EV-002"] and list(table["version"]) == [2, 1]
    assert list(table["versions"]) == [2, 1]
    assert list(ev.versions(con, ws_id, "EV-001")["version"]) == [2, 1]
    assert len(stored(folder)) == 3
    with pytest.raises(ValidationError, match="identical to EV-001 version 2"):
        ev.upload(con, ws_id, "again.pdf", PDF + b"v2", evidence_id="EV-001")
    with pytest.raises(ValidationError, match="no evidence file EV-009"):
        ev.upload(con, ws_id, "x.pdf", PDF, evidence_id="EV-009")
    log = rows(con, "SELECT field, old_value, new_value FROM change_log WHERE entity = 'evidence' AND entity_id = "
                    "'EV-001' ORDER BY id")
    assert ("version", None, "1") in log and ("link", None, "requirement 5.2") in log
    assert ("version", "1", "2") in log and ("name", "policy.pdf", "policy v2.pdf") in log


def test_the_content_of_any_version_downloads(con, ws_id, folder):
    ev.upload(con, ws_id, "a.txt", b"first")
    ev.upload(con, ws_id, "a.txt", b"second", evidence_id="EV-001")
    assert ev.content(con, ws_id, "EV-001") == b"second"
    assert ev.content(con, ws_id, "EV-001", 1) == b"first"
    with pytest.raises(ValidationError, match="no evidence file EV-001 version 3"):
        ev.content(con, ws_id, "EV-001", 3)


MiB = 1024 * 1024


@pytest.mark.parametrize("name, data, said", [
    ("empty.pdf", b"", "is empty (0 bytes)"),
    ("tool.exe", b"MZ\x90\x00", "A .exe file cannot be uploaded"),
    ("README", b"text", "has no extension"),
    (".pdf", PDF, "no name before its extension"),
    ("   ", PDF, "The file has no name"),
    ("../policy.pdf", PDF, "contains a folder path"),
    ("docs/policy.pdf", PDF, "contains a folder path"),
    ("C:\\docs\\policy.pdf", PDF, "contains a folder path"),
    ("policy..pdf", PDF, "contains '..'"),
    ("policy\x00.pdf", PDF, "control characters"),
    ("line\nbreak.pdf", PDF, "control characters"),
    ("invoice\u202efdp.exe.pdf", PDF, "control characters"),
    ("x" * 201 + ".pdf", PDF, "the limit is 200"),
    ("policy.pdf", PNG, "a .pdf file must be a PDF document, but its content is a PNG image"),
    ("photo.png", PDF, "a .png file must be a PNG image, but its content is a PDF document"),
    ("photo.jpg", PNG, "must be a JPEG image"),
    ("notes.txt", PDF, "a .txt file must be text, but its content is a PDF document"),
    ("data.csv", b"a,b\x00\x01", "binary data, not text"),
    ("report.docx", b"not a zip at all", "must be a ZIP package"),
    ("report.doc", b"PK\x03\x04rest", "must be an OLE compound file"),
    ("sheet.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "its content is an OLE compound file"),
    ("anim.gif", b"GIF90a", "must be a GIF image"),
    ("pic.webp", b"RIFF\x00\x00\x00\x00WAVE", "must be a WebP image"),
])
def test_every_bad_file_is_refused_and_nothing_is_stored(con, ws_id, folder, name, data, said):
    with pytest.raises(ValidationError) as exc:
        ev.upload(con, ws_id, name, data)
    assert said in str(exc.value)
    assert counts(con) == {"evidence_file": 0, "evidence_link": 0, "log": 0} and stored(folder) == []


@pytest.mark.parametrize("name, data", [
    ("Policy.PDF", PDF), ("scan.png", PNG), ("photo.jpeg", b"\xff\xd8\xff\xe0JFIF"), ("photo.JPG", b"\xff\xd8\xff\xdb"),
    ("anim.gif", b"GIF89a.."), ("pic.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 "), ("report.docx", b"PK\x03\x04..."),
    ("sheet.xlsx", b"PK\x03\x04..."), ("deck.pptx", b"PK\x03\x04..."), ("text.odt", b"PK\x03\x04..."),
    ("calc.ods", b"PK\x03\x04..."), ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1..."),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1..."), ("old.ppt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1..."),
    ("log.csv", "date;caf\u00e9\n".encode("cp1252")), ("notes.md", "# Notes \u2713".encode()),
    ("utf16.txt", "hi".encode("utf-16")), ("  spaced name.txt  ", b"ok"),
])
def test_every_allowed_type_with_its_own_content_is_accepted(con, ws_id, folder, name, data):
    eid, _ = ev.upload(con, ws_id, name, data)
    assert ev.get(con, ws_id, eid)["name"] == name.strip()


def test_the_size_limit_is_configurable(con, ws_id, folder, monkeypatch):
    monkeypatch.setenv(ev.MAX_MB_ENV, "1")
    assert ev.upload(con, ws_id, "big.txt", b"a" * MiB) == ("EV-001", 1)            # exactly 1 MB: allowed
    with pytest.raises(ValidationError, match=r"big2.txt is 1.0 MB; the limit is 1 MB per file"):
        ev.upload(con, ws_id, "big2.txt", b"b" * (MiB + 1))
    monkeypatch.delenv(ev.MAX_MB_ENV)
    assert ev.max_mb() == 25
    assert ev.file_problems("big.pdf", PDF + b"x" * (25 * MiB)) == [
        "big.pdf is 25.0 MB; the limit is 25 MB per file (AIMS_EVIDENCE_MAX_MB)."]
    monkeypatch.setenv(ev.MAX_MB_ENV, "lots")
    with pytest.raises(ValidationError, match="AIMS_EVIDENCE_MAX_MB must be a positive number"):
        ev.upload(con, ws_id, "a.txt", b"a")


def test_several_problems_are_reported_together(con, ws_id, folder):
    with pytest.raises(ValidationError) as exc:
        ev.upload(con, ws_id, "a.txt", b"abc", expires_on="next year", links=[("requirement", "9.9"),
                                                                               ("finding", "F-001")])
    assert exc.value.problems == ["Expiry date must be a date like 2027-03-31, not 'next year'.",
                                  "Unknown requirement or control '9.9': use catalogue IDs such as 5.2 or A.6.2.4.",
                                  "There is no finding F-001 in this workspace."]


# ---- links -------------------------------------------------------------------------------------

def _audit(con, ws, aid, scope=(), items=()):
    from datetime import datetime

    from aims.store import db
    with db.writing(con) as cur:
        cur.execute("INSERT INTO audit (workspace_id, id, kind, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [ws, aid, "internal", f"Audit {aid}", datetime.now(), datetime.now()])
        for r in scope:
            cur.execute("INSERT INTO audit_scope VALUES (?, ?, ?)", [ws, aid, r])
        for r in items:
            cur.execute("INSERT INTO audit_item (workspace_id, audit_id, req_id) VALUES (?, ?, ?)", [ws, aid, r])


def test_links_to_each_kind_are_checked_against_the_workspace(con, cat, ws_id, folder):
    _audit(con, ws_id, "AU-001", scope=["5.2", "9.2.1"], items=["5.2"])     # a checklist: its items count
    _audit(con, ws_id, "AU-002", scope=["6.1.2"])                           # no checklist yet: its scope counts
    _audit(con, ws_id, "AU-003")                                            # neither: any requirement
    fid = findings.raise_finding(con, ws_id, {"source": "incident", "grade": "observation", "title": "Late review"})
    ev.upload(con, ws_id, "a.txt", b"a")
    good = [("requirement", "A.6.2.4 AI system documentation"), ("audit_item", "AU-001 / 5.2"), ("audit_item", "AU-002/6.1.2"),
            ("audit_item", "AU-003/8.1"), ("finding", fid), ("document", "AI policy"), "requirement:7.2"]
    assert ev.add_links(con, ws_id, "EV-001", good) == 7
    assert ev.get(con, ws_id, "EV-001")["links"] == [
        ("requirement", "7.2"), ("requirement", "A.6.2.4"), ("audit_item", "AU-001/5.2"), ("audit_item", "AU-002/6.1.2"),
        ("audit_item", "AU-003/8.1"), ("finding", "F-001"), ("document", "AI policy")]
    assert ev.add_links(con, ws_id, "EV-001", [("requirement", "7.2")]) == 0       # already there
    bad = [("audit_item", "AU-001/9.2.1"), ("audit_item", "AU-002/5.2"), ("audit_item", "AU-009/5.2"),
           ("audit_item", "AU-001"), ("audit_item", "AU-003/99"), ("document", "Nope"), ("finding", "F-002"),
           ("requirement", "A.99"), ("risk", "R-001"), ("requirement", "")]
    with pytest.raises(ValidationError) as exc:
        ev.add_links(con, ws_id, "EV-001", bad)
    assert exc.value.problems == [
        "A link is to one of: requirement, audit_item, finding, document; not 'risk'.",
        "A requirement link needs its target.",
        "Audit AU-001 has no checklist item for 9.2.1: it is not in the audit's scope.",
        "Audit AU-002 has no checklist item for 5.2: it is not in the audit's scope.",
        "There is no audit AU-009 in this workspace.",
        "An audit checklist item is written like AU-001/5.2 (the audit, then the requirement), not 'AU-001'.",
        "Unknown requirement or control '99' in the audit item AU-003/99.",
        "There is no document 'Nope' in the documented-information register.",
        "There is no finding F-002 in this workspace.",
        "Unknown requirement or control 'A.99': use catalogue IDs such as 5.2 or A.6.2.4."]
    assert len(ev.get(con, ws_id, "EV-001")["links"]) == 7
    assert ev.remove_links(con, ws_id, "EV-001", [("requirement", "7.2"), ("finding", "F-009")]) == 1
    with pytest.raises(ValidationError, match="no evidence file EV-404"):
        ev.add_links(con, ws_id, "EV-404", [("requirement", "5.2")])


def test_set_links_applies_only_the_users_own_changes(con, ws_id, folder):
    ev.upload(con, ws_id, "a.txt", b"a", links=[("requirement", "5.2"), ("requirement", "7.2")])
    shown = ev.get(con, ws_id, "EV-001")["links"]                   # the editor opens on 5.2 and 7.2
    ev.add_links(con, ws_id, "EV-001", [("requirement", "8.1")])     # meanwhile someone adds 8.1
    # the user drops 7.2 and adds A.6.2.4: 8.1, which their editor never showed, stays
    assert ev.set_links(con, ws_id, "EV-001", [("requirement", "5.2"), ("requirement", "A.6.2.4")], base=shown) == 2
    assert ev.get(con, ws_id, "EV-001")["links"] == [("requirement", "5.2"), ("requirement", "8.1"),
                                                     ("requirement", "A.6.2.4")]
    assert ev.set_links(con, ws_id, "EV-001", [("requirement", "5.2")]) == 2      # no base: exactly these
    assert ev.get(con, ws_id, "EV-001")["links"] == [("requirement", "5.2")]
    assert rows(con, "SELECT old_value, new_value FROM change_log WHERE field = 'link' ORDER BY id")[-2:] == [
        ("requirement 8.1", None), ("requirement A.6.2.4", None)]


def test_a_description_and_expiry_edit_detects_someone_elses_change(con, ws_id, folder):
    ev.upload(con, ws_id, "cert.pdf", PDF, description="ISO 27001 certificate", expires_on="2026-06-30")
    shown = {"description": "ISO 27001 certificate", "expires_on": date(2026, 6, 30)}
    assert ev.update(con, ws_id, "EV-001", {"expires_on": "2027-06-30"}, who="ann", base=shown) == 1
    with pytest.raises(EditConflict, match="Expiry date"):
        ev.update(con, ws_id, "EV-001", {"description": "x", "expires_on": date(2026, 12, 31)}, base=shown)
    assert ev.get(con, ws_id, "EV-001")["expires_on"] == date(2027, 6, 30)
    assert ev.update(con, ws_id, "EV-001", {"description": "Renewed certificate", "expires_on": date(2026, 6, 30)},
                     base=shown) == 1                                   # expiry left as shown: theirs stays
    assert ev.get(con, ws_id, "EV-001")["description"] == "Renewed certificate"
    assert ev.get(con, ws_id, "EV-001")["expires_on"] == date(2027, 6, 30)
    with pytest.raises(ValidationError, match="name cannot be edited"):
        ev.update(con, ws_id, "EV-001", {"name": "x.pdf"})


# ---- expiry and missing files --------------------------------------------------------------------

@pytest.mark.parametrize("expires, flag, note", [
    (None, "", ""),
    (date(2026, 2, 27), "expired", "expired on 2026-02-27 (3 days ago)"),
    (date(2026, 3, 1), "expired", "expired on 2026-03-01 (1 day ago)"),
    (date(2026, 3, 2), "expiring", "expires today"),
    (date(2026, 3, 3), "expiring", "expires in 1 day (2026-03-03)"),
    (date(2026, 4, 1), "expiring", "expires in 30 days (2026-04-01)"),      # March has 31 days: 29 + 1
    (date(2026, 4, 2), "", "expires in 31 days (2026-04-02)"),
])
def test_expiry_flags_by_hand(expires, flag, note):
    assert ev.expiry_flag(expires, TODAY) == flag
    assert ev.expiry_note(expires, TODAY) == note


def test_the_list_flags_expired_expiring_and_missing_files(con, ws_id, folder):
    ev.upload(con, ws_id, "old.pdf", PDF, expires_on="2026-03-01")
    ev.upload(con, ws_id, "soon.pdf", PDF + b"2", expires_on="2026-04-01")
    ev.upload(con, ws_id, "later.pdf", PDF + b"3", expires_on="2026-04-02")
    ev.upload(con, ws_id, "gone.txt", b"gone", expires_on="2026-03-01")
    (folder / hashlib.sha256(b"gone").hexdigest()).unlink()             # deleted by hand
    table = ev.files(con, ws_id, TODAY)
    assert list(table["status"]) == ["expired", "expiring", "ok", "missing"]
    assert list(table["disk"]) == ["present", "present", "present", "missing"]
    assert table["note"].iloc[3].startswith("the file is missing from the evidence folder")
    assert ev.summary(table, {"5.2"}, ["5.2", "7.2"]) == {"files": 4, "expired": 1, "expiring": 1, "missing": 1,
                                                          "covered": 1, "applicable": 2}
    assert ev.content(con, ws_id, "EV-004") is None                     # shown as missing, never a traceback


def test_an_altered_file_reads_as_missing_and_the_same_upload_restores_it(con, ws_id, folder):
    ev.upload(con, ws_id, "a.txt", b"original")
    path = folder / hashlib.sha256(b"original").hexdigest()
    path.write_bytes(b"tampered, longer")
    assert ev.files(con, ws_id)["disk"].tolist() == ["damaged"]
    assert ev.files(con, ws_id)["status"].tolist() == ["missing"]
    path.write_bytes(b"origina!")                                       # same size, other content
    assert ev.content(con, ws_id, "EV-001") is None
    path.unlink()
    assert ev.upload(con, ws_id, "a.txt", b"original", evidence_id="EV-001") == ("EV-001", 1)   # restored
    assert path.read_bytes() == b"original" and ev.files(con, ws_id)["status"].tolist() == ["ok"]
    assert rows(con, "SELECT count(*) FROM evidence_file")[0][0] == 1
    assert rows(con, "SELECT field, new_value FROM change_log ORDER BY id DESC LIMIT 1") == [("file", "restored")]


# ---- permissions -------------------------------------------------------------------------------

VIEWER, EDITOR, CONTRIB = "vic@firm.example", "eve@firm.example", "cora@firm.example"


@pytest.fixture
def team(con, cat, ws_id, folder):
    """Acme with a viewer, an editor and a contributor (Cora, who owns 5.2 and the AI policy), and
    EV-001 linked to 5.2 only, EV-002 linked to 5.2 and 7.2 (owned by someone else)."""
    for email, role in ((VIEWER, "viewer"), (EDITOR, "editor"), (CONTRIB, "contributor")):
        members.add(con, ws_id, email, role, email.split("@")[0].title())
    assessments.save(con, ws_id, cat, {"5.2": {"owner": "Cora"}, "7.2": {"owner": "Dan"}})
    from aims.governance import documents
    documents.save(con, ws_id, cat, {"AI policy": {"owner": CONTRIB}})
    ev.upload(con, ws_id, "mine.txt", b"mine", links=[("requirement", "5.2")])
    ev.upload(con, ws_id, "shared.txt", b"shared", links=[("requirement", "5.2"), ("requirement", "7.2")])
    return ws_id


WRITES = {
    "upload": lambda con, ws: ev.upload(con, ws, "new.txt", b"new", links=[("requirement", "5.2")]),
    "update": lambda con, ws: ev.update(con, ws, "EV-001", {"description": "changed"}),
    "add_links": lambda con, ws: ev.add_links(con, ws, "EV-001", [("requirement", "5.2"), ("document", "AI policy")]),
    "remove_links": lambda con, ws: ev.remove_links(con, ws, "EV-001", [("requirement", "5.2")]),
    "set_links": lambda con, ws: ev.set_links(con, ws, "EV-001", [("document", "AI policy")]),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_a_viewer_is_refused_every_write_and_an_editor_may(con, team, folder, name):
    before, files_before = counts(con), stored(folder)
    with identity.acting(identity.person(VIEWER)):
        with pytest.raises(AccessDenied, match="viewers read, they change nothing"):
            WRITES[name](con, team)
    assert counts(con) == before and stored(folder) == files_before
    with identity.acting(identity.person(EDITOR)):
        WRITES[name](con, team)
    assert counts(con) != before


def test_a_viewer_and_a_stranger_read_only_what_they_may(con, team):
    with identity.acting(identity.person(VIEWER)):
        assert ev.content(con, team, "EV-001") == b"mine"
    with identity.acting(identity.person("sam@elsewhere.example")):
        with pytest.raises(AccessDenied, match="not a member"):
            ev.content(con, team, "EV-001")


def test_contributors_upload_and_link_evidence_for_what_they_own(con, team):
    cora = identity.person(CONTRIB)
    findings.raise_finding(con, team, {"source": "incident", "grade": "observation", "title": "Late review"})
    with identity.acting(cora):
        assert ev.upload(con, team, "c.txt", b"c", links=[("requirement", "5.2 Leadership")]) == ("EV-003", 1)
        assert ev.upload(con, team, "d.txt", b"d", links=[("document", "AI policy")]) == ("EV-004", 1)
        assert ev.upload(con, team, "mine.txt", b"mine v2", evidence_id="EV-001")[1] == 2
        assert ev.add_links(con, team, "EV-002", [("document", "AI policy")]) == 1    # her document, on any file
        assert ev.update(con, team, "EV-001", {"description": "Signed"}) == 1
        refused = {
            "someone else's requirement": lambda: ev.upload(con, team, "e.txt", b"e", links=[("requirement", "7.2")]),
            "an unowned requirement": lambda: ev.add_links(con, team, "EV-001", [("requirement", "8.1")]),
            "no link": lambda: ev.upload(con, team, "f.txt", b"f"),
            "a finding link": lambda: ev.upload(con, team, "g.txt", b"g", links=[("requirement", "5.2"),
                                                                                 ("finding", "F-001")]),
            "a version of a file also for 7.2": lambda: ev.upload(con, team, "s.txt", b"s2", evidence_id="EV-002"),
            "removing 7.2": lambda: ev.remove_links(con, team, "EV-002", [("requirement", "7.2")]),
        }
        before = counts(con)
        for write in refused.values():
            with pytest.raises(AccessDenied):
                write()
        assert counts(con) == before
    with identity.acting(cora), pytest.raises(AccessDenied, match="requirement 7.2 is owned by 'Dan'"):
        ev.upload(con, team, "e.txt", b"e", links=[("requirement", "7.2")])
    _audit(con, team, "AU-001", items=["5.2"])
    with identity.acting(cora), pytest.raises(AccessDenied, match="not audit item AU-001/5.2"):
        ev.upload(con, team, "g.txt", b"g", links=[("requirement", "5.2"), ("audit_item", "AU-001/5.2")])
    assert rows(con, "SELECT uploaded_by FROM evidence_file WHERE id = 'EV-003'") == [(CONTRIB,)]
