"""The auditor's evidence pack and its command: the ZIP's files and the index rows worked out by
hand, each scope, missing and expired files, reading rights, and the command's exit codes."""
import hashlib
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from aims import cli
from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.assessment import requirements as assessments
from aims.audit import evidence_files as ev
from aims.audit import evidence_pack as pack
from aims.audit import findings
from aims.common.validate import ValidationError
from aims.store import blobs, db, workspaces

TODAY = date(2026, 3, 2)
PDF1, PDF2 = b"%PDF-1.7 policy v1", b"%PDF-1.7 policy v2 signed"
CSV = b"date,event\n2026-01-05,model retrained\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def evidence(con, cat, ws_id, tmp_path, monkeypatch):
    """Acme with A.10.4 excluded and four files:
    EV-001 policy.pdf v1 -> v2, linked to 5.2;      EV-002 log.csv (expired 2026-03-01), linked to A.6.2.4;
    EV-003 screen.png (deleted by hand), to 5.2;     EV-004 minutes.txt (expires 2026-03-20), to the AI policy
    document (5.2 and A.2.2) and to finding F-001 (against 9.2.1)."""
    monkeypatch.delenv(blobs.ENV, raising=False)
    assessments.save(con, ws_id, cat, {"A.10.4": {"applicable": False, "exclusion_reason": "No suppliers"}})
    ev.upload(con, ws_id, "policy.pdf", PDF1, links=[("requirement", "5.2")], description="=HYPERLINK(\"x\")")
    ev.upload(con, ws_id, "policy.pdf", PDF2, evidence_id="EV-001")
    ev.upload(con, ws_id, "log.csv", CSV, links=[("requirement", "A.6.2.4")], expires_on="2026-03-01")
    ev.upload(con, ws_id, "screen.png", b"\x89PNG\r\n\x1a\nscreen", links=[("requirement", "5.2")])
    fid = findings.raise_finding(con, ws_id, {"source": "incident", "grade": "minor nonconformity",
                                              "title": "Audit plan late", "requirements": ["9.2.1"]})
    ev.upload(con, ws_id, "minutes.txt", b"minutes", expires_on="2026-03-20",
              links=[("document", "AI policy"), ("finding", fid)])
    (tmp_path / "evidence" / sha(b"\x89PNG\r\n\x1a\nscreen")).unlink()
    return ws_id


def opened(data: bytes):
    z = zipfile.ZipFile(io.BytesIO(data))
    wb = load_workbook(io.BytesIO(z.read(pack.INDEX_NAME)))
    return z, wb


def sheet_rows(wb, name):
    return [list(r) for r in wb[name].iter_rows(values_only=True)]


def test_a_pack_for_chosen_requirements_by_hand(con, cat, evidence):
    data, p = pack.build(con, evidence, cat, requirements="5.2, A.6.2.4 ,9.2.1", today=TODAY)
    z, wb = opened(data)
    assert sorted(z.namelist()) == ["EV-001 v2 - policy.pdf", "EV-002 v1 - log.csv", "EV-004 v1 - minutes.txt",
                                    "Evidence index.xlsx"]
    assert z.read("EV-001 v2 - policy.pdf") == PDF2 and z.read("EV-002 v1 - log.csv") == CSV
    assert p.requirements == ["5.2", "9.2.1", "A.6.2.4"] and p.missing == ["EV-003"]
    assert p.included == ["EV-001", "EV-002", "EV-004"]
    index = sheet_rows(wb, "Index")
    assert index[0] == list(pack.INDEX_COLUMNS)
    got = [(r[0], r[2], r[3], r[4], r[5], r[6], r[9], r[10], r[12]) for r in index[1:]]
    assert got == [
        ("5.2", "EV-001", 2, "EV-001 v2 - policy.pdf", sha(PDF2), len(PDF2), None, "ok", "requirement"),
        ("5.2", "EV-003", 1, "(not in the pack)", sha(b"\x89PNG\r\n\x1a\nscreen"), 14, None, "missing", "requirement"),
        ("5.2", "EV-004", 1, "EV-004 v1 - minutes.txt", sha(b"minutes"), 7, datetime(2026, 3, 20), "ok",
         "document AI policy"),
        ("9.2.1", "EV-004", 1, "EV-004 v1 - minutes.txt", sha(b"minutes"), 7, datetime(2026, 3, 20), "ok",
         "finding F-001"),
        ("A.6.2.4", "EV-002", 1, "EV-002 v1 - log.csv", sha(CSV), len(CSV), datetime(2026, 3, 1), "expired",
         "requirement")]
    assert index[3][11] == "expires in 18 days (2026-03-20)"
    assert index[2][11].startswith("the file is missing from the evidence folder")
    assert index[1][7] == "tester" and index[1][1] == "AI policy"
    assert wb["Index"]["N2"].value == '=HYPERLINK("x")' and wb["Index"]["N2"].data_type == "s"   # never a formula
    files = sheet_rows(wb, "Files")
    assert [(r[0], r[1], r[8], r[10]) for r in files[1:]] == [
        ("EV-001", 2, "ok", "requirement 5.2"), ("EV-002", 1, "expired", "requirement A.6.2.4"),
        ("EV-003", 1, "missing", "requirement 5.2"), ("EV-004", 1, "ok", "finding F-001; document AI policy")]
    about = dict((r[0], r[1]) for r in sheet_rows(wb, "About")[1:])
    assert about["Scope"] == "requirements 5.2, 9.2.1, A.6.2.4" and about["Files in the pack"] == 3
    assert about["Files missing (not in the pack)"] == 1 and about["Requirements with evidence"] == 3


def test_the_default_scope_is_every_applicable_requirement(con, cat, evidence):
    p = pack.plan(con, evidence, cat, today=TODAY)
    assert len(p.requirements) == 32 + 38 - 1 and "A.10.4" not in p.requirements     # A.10.4 excluded
    assert p.scope == "every applicable requirement"
    by_req = {}
    for r in p.rows:
        by_req.setdefault(r["req_id"], []).append(r["id"])
    assert by_req["5.2"] == ["EV-001", "EV-003", "EV-004"] and by_req["A.2.2"] == ["EV-004"]
    assert by_req["4.1"] == [""] and len(p.rows) == 69 - 5 + 7     # 5 requirements with evidence, 7 rows for them
    assert [r["status"] for r in p.rows if r["req_id"] == "4.1"] == [pack.NO_EVIDENCE]


def test_an_audits_scope(con, cat, evidence):
    with db.writing(con) as cur:
        cur.execute("INSERT INTO audit (workspace_id, id, kind, title, created_at, updated_at) VALUES "
                    "(?, 'AU-001', 'internal', 'Leadership audit', ?, ?)", [evidence, datetime.now(), datetime.now()])
        cur.execute("INSERT INTO audit_scope VALUES (?, 'AU-001', 'A.6.2.4'), (?, 'AU-001', '7.2')", [evidence, evidence])
        cur.execute("INSERT INTO audit (workspace_id, id, kind, title, created_at, updated_at) VALUES "
                    "(?, 'AU-002', 'internal', 'Empty', ?, ?)", [evidence, datetime.now(), datetime.now()])
    ev.upload(con, evidence, "training.txt", b"training", links=[("audit_item", "AU-001/7.2")])
    data, p = pack.build(con, evidence, cat, audit_id="AU-001", today=TODAY)
    assert p.scope == "the scope of audit AU-001 (Leadership audit)" and p.requirements == ["7.2", "A.6.2.4"]
    assert [(r["req_id"], r["id"], r["linked_as"]) for r in p.rows] == [("7.2", "EV-005", "audit item AU-001/7.2"),
                                                                        ("A.6.2.4", "EV-002", "requirement")]
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == ["EV-002 v1 - log.csv", "EV-005 v1 - training.txt",
                                                                    "Evidence index.xlsx"]
    for kwargs, said in (({"audit_id": "AU-009"}, "no audit AU-009"), ({"audit_id": "AU-002"}, "has no scope yet"),
                         ({"requirements": "5.2,9.9,A.1"}, "Unknown requirement or control 9.9, A.1"),
                         ({"requirements": ["5.2"], "audit_id": "AU-001"}, "not both")):
        with pytest.raises(ValidationError, match=said):
            pack.plan(con, evidence, cat, **kwargs)


def test_a_file_that_disappears_while_the_pack_is_made_is_marked_missing(con, cat, evidence, tmp_path):
    p = pack.plan(con, evidence, cat, requirements=["A.6.2.4"], today=TODAY)
    assert [f["status"] for f in p.files] == ["expired"]
    (tmp_path / "evidence" / sha(CSV)).write_bytes(b"date,event\n2026-01-05,model retrained!\n"[:len(CSV)])
    data, p = pack.build(con, evidence, cat, requirements=["A.6.2.4"], today=TODAY)
    z, wb = opened(data)
    assert z.namelist() == ["Evidence index.xlsx"] and p.missing == ["EV-002"]
    assert sheet_rows(wb, "Index")[1][10] == "missing"


def test_reading_a_pack_needs_membership(con, cat, evidence):
    members.add(con, evidence, "vic@firm.example", "viewer")
    with identity.acting(identity.person("vic@firm.example")):
        assert pack.plan(con, evidence, cat).requirements
    with identity.acting(identity.person("sam@elsewhere.example")), pytest.raises(AccessDenied):
        pack.build(con, evidence, cat)


def test_zip_entry_names_never_hold_a_path():
    assert pack.entry_name("EV-001", 2, "a/b\\c\x07.pdf") == "EV-001 v2 - a_b_c_.pdf"


# ---- the command -------------------------------------------------------------------------------

@pytest.fixture
def db_file(tmp_path, monkeypatch, cat):
    """A database file with workspace 'Acme AI' holding EV-001 (5.2) and EV-002 (missing on disk)."""
    monkeypatch.delenv(blobs.ENV, raising=False)
    path = tmp_path / "cli.duckdb"
    con = db.open_database(path)
    ws = workspaces.create(con, {"name": "Acme AI"})
    ev.upload(con, ws, "policy.pdf", PDF1, links=[("requirement", "5.2")])
    ev.upload(con, ws, "gone.txt", b"gone", links=[("requirement", "7.2")])
    members.add(con, ws, "vic@firm.example", "viewer")
    con.close()
    (tmp_path / "evidence" / sha(b"gone")).unlink()
    return path


def run(db_file, *args):
    return cli.main(["--db", str(db_file), *args])


def test_the_command_writes_the_pack(db_file, tmp_path, capsys):
    out = tmp_path / "out" / "pack.zip"
    assert run(db_file, "evidence-pack", "--workspace", "acme ai", "--out", str(out), "--requirements", "5.2,7.2") == 0
    said = capsys.readouterr()
    assert f"Evidence pack written: {out} (1 files for 2 requirements" in said.out
    assert "EV-002" in said.err and "missing from the evidence folder" in said.err
    z = zipfile.ZipFile(out)
    assert sorted(z.namelist()) == ["EV-001 v1 - policy.pdf", "Evidence index.xlsx"]
    assert [p.name for p in out.parent.iterdir()] == ["pack.zip"]          # no temporary file left
    assert run(db_file, "--as", "vic@firm.example", "evidence-pack", "--workspace", "Acme AI", "--out",
               str(tmp_path / "viewer.zip")) == 0                          # a viewer reads: the pack is a read


@pytest.mark.parametrize("args, code, said", [
    (["--workspace", "Nope", "--out", "x.zip"], 1, "There is no workspace named 'Nope'"),
    (["--workspace", "Acme AI", "--out", "x.xlsx"], 1, "--out must name a .zip file"),
    (["--workspace", "Acme AI", "--out", "x.zip", "--requirements", "5.2,9.9"], 1, "Unknown requirement or control 9.9"),
    (["--workspace", "Acme AI", "--out", "x.zip", "--audit", "AU-001"], 1, "There is no audit AU-001"),
    (["--workspace", "Acme AI", "--out", "x.zip", "--audit", "AU-001", "--requirements", "5.2"], 2, "not allowed with"),
    (["--workspace", "Acme AI"], 2, "--out"),
])
def test_the_commands_refusals(db_file, tmp_path, monkeypatch, capsys, args, code, said):
    monkeypatch.chdir(tmp_path)
    if code == 2:
        with pytest.raises(SystemExit) as exc:
            run(db_file, "evidence-pack", *args)
        assert exc.value.code == 2
    else:
        assert run(db_file, "evidence-pack", *args) == 1
    assert said in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


def test_the_command_refuses_a_stranger_and_a_missing_database(db_file, tmp_path, capsys):
    assert run(db_file, "--as", "sam@elsewhere.example", "evidence-pack", "--workspace", "Acme AI", "--out",
               str(tmp_path / "x.zip")) == 1
    assert "There is no workspace named 'Acme AI'. Workspaces: none" in capsys.readouterr().err
    assert run(tmp_path / "none.duckdb", "evidence-pack", "--workspace", "Acme AI", "--out", str(tmp_path / "x.zip")) == 1
    assert "There is no database file" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists() and not (tmp_path / "none.duckdb").exists()
