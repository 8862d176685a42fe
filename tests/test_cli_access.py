"""The command line respects sign-in: --as EMAIL acts as that person (their workspaces, their
role); with sign-in configured it is required, and backups are for administrators."""
import pytest
from wbtools import demo_copy

from aims import cli
from aims.access import members
from aims.store import db, workspaces

NAME = "Northwind Lending (demo)"


@pytest.fixture
def team(tmp_path, tmp_path_factory, monkeypatch):
    """A demo database with Vera as viewer and Ed as editor, and an installation with sign-in
    configured (secrets in the working folder) and Root as administrator."""
    con, ws_id, path = demo_copy(tmp_path, tmp_path_factory)
    members.add(con, ws_id, "vera@firm.example", "viewer")
    members.add(con, ws_id, "ed@firm.example", "editor")
    workspaces.create(con, {"name": "Secret client"})
    con.close()
    home = tmp_path / "project"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "secrets.toml").write_text(
        '[auth]\nclient_id = "aims"\n\n[aims]\nadmins = ["root@firm.example"]\n')
    monkeypatch.chdir(home)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return path


def test_without_as_a_team_installation_refuses(team, tmp_path, capsys):
    assert cli.main(["--db", team, "export", "--workspace", NAME, "--out", str(tmp_path / "w.xlsx")]) == 1
    assert "say who you are with --as EMAIL" in capsys.readouterr().err
    assert not (tmp_path / "w.xlsx").exists()


def test_a_viewer_exports_their_workspace_but_cannot_import_or_see_others(team, tmp_path, capsys):
    out = tmp_path / "w.xlsx"
    assert cli.main(["--db", team, "--as", "Vera@Firm.Example", "export", "--workspace", NAME, "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert cli.main(["--db", team, "--as", "vera@firm.example", "export", "--workspace", "Secret client",
                     "--out", str(tmp_path / "s.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "There is no workspace named 'Secret client'. Workspaces: 'Northwind Lending (demo)'" in err
    before = db.open_database(team).execute("SELECT count(*) FROM change_log").fetchone()
    assert cli.main(["--db", team, "--as", "vera@firm.example", "import", str(out), "--workspace", NAME]) == 1
    assert "vera@firm.example is a viewer of workspace 'Northwind Lending (demo)'" in capsys.readouterr().err
    assert db.open_database(team).execute("SELECT count(*) FROM change_log").fetchone() == before


def test_an_editor_imports(team, tmp_path, capsys):
    out = tmp_path / "w.xlsx"
    assert cli.main(["--db", team, "--as", "ed@firm.example", "export", "--workspace", NAME, "--out", str(out)]) == 0
    assert cli.main(["--db", team, "--as", "ed@firm.example", "import", str(out), "--workspace", NAME,
                     "--dry-run"]) == 0


def test_backups_and_the_demo_are_for_administrators(team, tmp_path, capsys):
    assert cli.main(["--db", team, "--as", "ed@firm.example", "backup", "--out", str(tmp_path / "b.duckdb")]) == 1
    assert "ed@firm.example may not back up the database" in capsys.readouterr().err
    assert not (tmp_path / "b.duckdb").exists()
    assert cli.main(["--db", team, "--as", "root@firm.example", "backup", "--out", str(tmp_path / "b.duckdb")]) == 0
    assert cli.main(["--db", team, "--as", "ed@firm.example", "demo"]) == 1
    assert "only its owners and the app administrators" in capsys.readouterr().err


def test_as_needs_an_email(team, capsys):
    assert cli.main(["--db", team, "--as", "vera", "check"]) == 1
    assert "--as needs the email address" in capsys.readouterr().err
