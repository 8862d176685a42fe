"""The command line: python -m aims export / import, and their exit statuses."""
import subprocess
import sys
from pathlib import Path

import pytest
from wbtools import demo_copy, edit

from aims import cli
from aims.assessment import requirements as assessments
from aims.catalog import standard as catalog
from aims.store import db

ROOT = Path(__file__).resolve().parent.parent
NAME = "Northwind Lending (demo)"


@pytest.fixture
def demo_db(tmp_path, tmp_path_factory):
    con, ws_id, path = demo_copy(tmp_path, tmp_path_factory)
    con.close()     # the command opens the file itself
    return path


def run(*args):
    return cli.main(list(args))


def test_export_writes_a_workbook_and_exits_0(demo_db, tmp_path, capsys):
    out = tmp_path / "out" / "w.xlsx"
    assert run("--db", demo_db, "export", "--workspace", NAME, "--out", str(out)) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert "Workbook written" in capsys.readouterr().out


def test_workspace_names_match_without_case(demo_db, tmp_path):
    assert run("--db", demo_db, "export", "--workspace", NAME.upper(), "--out", str(tmp_path / "w.xlsx")) == 0


def test_soa_only_export(demo_db, tmp_path):
    out = tmp_path / "soa.xlsx"
    assert run("--db", demo_db, "export", "--workspace", NAME, "--out", str(out), "--soa-only") == 0
    import openpyxl
    assert openpyxl.load_workbook(out).sheetnames == ["Statement of Applicability"]


@pytest.mark.parametrize("args, message", [
    (["export", "--workspace", "Nobody", "--out", "x.xlsx"], "There is no workspace named 'Nobody'. Workspaces: 'Northwind"),
    (["export", "--workspace", NAME, "--out", "x.csv"], "--out must name an .xlsx file"),
    (["import", "missing.xlsx", "--workspace", NAME], "There is no file missing.xlsx"),
])
def test_failures_exit_1_with_a_clear_message(demo_db, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert run("--db", demo_db, *args) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_missing_database_exits_1(tmp_path, capsys):
    assert run("--db", str(tmp_path / "none.duckdb"), "export", "--workspace", NAME, "--out", str(tmp_path / "w.xlsx")) == 1
    assert "There is no database file" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()


def test_missing_arguments_exit_2(demo_db):
    with pytest.raises(SystemExit) as err:
        run("--db", demo_db, "export", "--out", "w.xlsx")
    assert err.value.code == 2


def _export(demo_db, tmp_path) -> bytes:
    out = tmp_path / "w.xlsx"
    assert run("--db", demo_db, "export", "--workspace", NAME, "--out", str(out)) == 0
    return out.read_bytes()


def _owner(path, req="4.1"):
    con = db.open_database(path)
    try:
        return assessments.table(con, 1, catalog.load(), 3).set_index("req_id").loc[req, "owner"]
    finally:
        con.close()


def test_import_dry_run_shows_the_changes_and_writes_nothing(demo_db, tmp_path, capsys):
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(edit(_export(demo_db, tmp_path), "Gap Analysis", "4.1", "Owner", "Dry Run"))
    capsys.readouterr()
    assert run("--db", demo_db, "import", str(edited), "--workspace", NAME, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Gap Analysis: 0 added, 1 changed, 69 unchanged" in out
    assert "4.1 Owner:" in out and "-> 'Dry Run'" in out and "Dry run: nothing written" in out
    assert _owner(demo_db) != "Dry Run"
    assert not (Path(demo_db).parent / "backups").exists()


def test_import_applies_with_a_backup_and_exits_0(demo_db, tmp_path, capsys):
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(edit(_export(demo_db, tmp_path), "Gap Analysis", "4.1", "Owner", "Applied"))
    assert run("--db", demo_db, "import", str(edited), "--workspace", NAME) == 0
    out = capsys.readouterr().out
    assert "Imported: 0 added, 1 changed (1 fields), 0 deleted. Backup:" in out
    assert _owner(demo_db) == "Applied"
    assert list((Path(demo_db).parent / "backups").glob("*.duckdb"))


def test_import_with_problems_exits_1_listing_each_and_writes_nothing(demo_db, tmp_path, capsys):
    data = edit(_export(demo_db, tmp_path), "Gap Analysis", "4.1", "Maturity", "9 Superb")
    edited = tmp_path / "bad.xlsx"
    edited.write_bytes(edit(data, "Gap Analysis", "4.2", "Owner", "Not written"))
    assert run("--db", demo_db, "import", str(edited), "--workspace", NAME) == 1
    err = capsys.readouterr().err
    assert "error: nothing was imported:" in err
    assert "  - Sheet 'Gap Analysis', row 2, column 'Maturity': must be one of" in err
    assert _owner(demo_db, "4.2") != "Not written"


def test_import_of_a_file_that_is_not_a_workbook_exits_1(demo_db, tmp_path, capsys):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("just text")
    assert run("--db", demo_db, "import", str(bad), "--workspace", NAME) == 1
    assert "not an Excel .xlsx workbook" in capsys.readouterr().err


def test_python_dash_m_aims_exit_statuses(demo_db, tmp_path):
    ok = subprocess.run([sys.executable, "-m", "aims", "--db", demo_db, "export", "--workspace", NAME,
                         "--out", str(tmp_path / "w.xlsx")], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([sys.executable, "-m", "aims", "--db", demo_db, "import", str(tmp_path / "nope.xlsx"),
                          "--workspace", NAME], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1 and "There is no file" in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "aims", "import"], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode == 2


def test_import_while_the_app_holds_the_database_exits_1(demo_db, tmp_path):
    data = _export(demo_db, tmp_path)
    (tmp_path / "w2.xlsx").write_bytes(data)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]);"
                               " print('ready', flush=True); time.sleep(30)", demo_db],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        r = subprocess.run([sys.executable, "-m", "aims", "--db", demo_db, "import", str(tmp_path / "w2.xlsx"),
                            "--workspace", NAME], cwd=ROOT, capture_output=True, text=True)
        assert r.returncode == 1 and "in use by another program" in r.stderr
    finally:
        holder.kill()
        holder.wait()


def test_another_workspaces_workbook_needs_the_mapping_option(demo_db, tmp_path, capsys):
    from aims.store import workspaces
    con = db.open_database(demo_db)
    workspaces.duplicate(con, int(workspaces.list_all(con).iloc[0]["id"]), "Acme AI")    # the same IDs
    con.close()
    wb = tmp_path / "northwind.xlsx"
    assert run("--db", demo_db, "export", "--workspace", NAME, "--out", str(wb)) == 0
    capsys.readouterr()
    assert run("--db", demo_db, "import", str(wb), "--workspace", "Acme AI", "--dry-run") == 1
    err = capsys.readouterr().err
    assert "exported from the workspace 'Northwind Lending (demo)', not from 'Acme AI'" in err
    assert "--map-other-workspace" in err and "Traceback" not in err
    assert run("--db", demo_db, "import", str(wb), "--workspace", "Acme AI", "--dry-run",
               "--map-other-workspace") == 0


def test_a_long_list_of_problems_is_cut_to_the_first_hundred(demo_db, tmp_path, capsys):
    import openpyxl
    wb_path = tmp_path / "w.xlsx"
    assert run("--db", demo_db, "export", "--workspace", NAME, "--out", str(wb_path)) == 0
    wb = openpyxl.load_workbook(wb_path)
    sheet = wb["Gap Analysis"]
    col = [c.value for c in sheet[1]].index("Maturity") + 1
    target = [c.value for c in sheet[1]].index("Target") + 1
    for row in range(2, sheet.max_row + 1):         # 70 requirements, two bad cells each
        sheet.cell(row, col).value = "nine"
        sheet.cell(row, target).value = "ten"
    wb.save(wb_path)
    capsys.readouterr()
    assert run("--db", demo_db, "import", str(wb_path), "--workspace", NAME, "--dry-run") == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 102 and lines[-1].strip().startswith("- ... and ") and "more problems" in lines[-1]
