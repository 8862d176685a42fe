"""Bad database files and backup targets: a clear message naming the file, in the app and on the
command line, and nothing written. The corpus of bad files is built here on tmp_path."""
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from aims import cli
from aims.store import backup, db, files, workspaces

ROOT = Path(__file__).resolve().parent.parent


# ---- the corpus ---------------------------------------------------------------------------------

def good_database(folder: Path, name: str = "good.duckdb") -> Path:
    """A real AIMS Workbench database with one workspace, closed."""
    path = folder / name
    con = db.open_database(path)
    workspaces.create(con, {"name": "Client A"})
    con.close()
    return path


def _folder(tmp_path):
    (tmp_path / "aims.duckdb").mkdir()
    return tmp_path / "aims.duckdb"


def _text(tmp_path):
    (tmp_path / "aims.duckdb").write_text("name,owner\nA,B\n")
    return tmp_path / "aims.duckdb"


def _empty(tmp_path):
    (tmp_path / "aims.duckdb").write_bytes(b"")
    return tmp_path / "aims.duckdb"


def _below_a_file(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    return tmp_path / "notes.txt" / "aims.duckdb"


def _truncated(tmp_path):
    """A copy cut off mid-block, as an interrupted copy leaves it."""
    data = good_database(tmp_path / "src").read_bytes()
    path = tmp_path / "aims.duckdb"
    path.write_bytes(data[:len(data) // 2 + 1000])
    return path


def _headers_cut(tmp_path):
    data = good_database(tmp_path / "src").read_bytes()
    path = tmp_path / "aims.duckdb"
    path.write_bytes(data[:6000])
    return path


def _block_cut(tmp_path):
    """Cut at a block boundary after the headers and first block: a whole-looking file missing
    the blocks its catalogue uses."""
    data = good_database(tmp_path / "src").read_bytes()
    path = tmp_path / "aims.duckdb"
    path.write_bytes(data[:files.HEADER_SIZE + 262144])
    return path


def _corrupt(tmp_path):
    """Valid headers, then random bytes where the blocks were."""
    data = good_database(tmp_path / "src").read_bytes()
    noise = bytes(hashlib.sha256(str(i).encode()).digest()[0] for i in range(len(data) - files.HEADER_SIZE))
    path = tmp_path / "aims.duckdb"
    path.write_bytes(data[:files.HEADER_SIZE] + noise)
    return path


def _sqlite(tmp_path):
    path = tmp_path / "aims.duckdb"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE client (name TEXT)")
    con.execute("INSERT INTO client VALUES ('kept')")
    con.commit()
    con.close()
    return path


def _other_programs_duckdb(tmp_path):
    path = tmp_path / "sales.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales AS SELECT 1 AS amount")
    con.close()
    return path


def _excel(tmp_path):
    path = tmp_path / "aims.duckdb"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    return path


CORPUS = {   # name: (build(tmp_path) -> path, words the message must hold)
    "folder": (_folder, "it is a folder, not a file"),
    "text file": (_text, "it is a text file, not a DuckDB database"),
    "empty file": (_empty, "the file is empty (0 bytes)"),
    "truncated copy": (_truncated, "the file is incomplete"),
    "headers cut": (_headers_cut, "the file is incomplete"),
    "cut at a block boundary": (_block_cut, "the file is incomplete"),
    "random bytes after the header": (_corrupt, "DuckDB cannot read it"),
    "SQLite database": (_sqlite, "it is a SQLite database, not a DuckDB database"),
    "another program's DuckDB file": (_other_programs_duckdb, "a DuckDB database of another program"),
    "Excel workbook": (_excel, "a ZIP file"),
    "path below a file": (_below_a_file, "notes.txt is a file"),
}


def snapshot(folder: Path) -> dict:
    """Every file and folder under `folder` with its bytes' digest and modification time."""
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir",
                                         p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(params=sorted(CORPUS))
def bad(request, tmp_path):
    """(path, expected words, the folder snapshot before) for one bad database file."""
    build, words = CORPUS[request.param]
    folder = tmp_path / "case"
    folder.mkdir()
    path = build(folder)
    shutil.rmtree(folder / "src", ignore_errors=True)
    return path, words, snapshot(folder), folder


# ---- the store ----------------------------------------------------------------------------------

def test_a_bad_database_file_raises_one_clear_error_and_stays_unchanged(bad):
    path, words, before, folder = bad
    with pytest.raises(db.DatabaseFileError) as info:
        db.open_database(path)
    message = str(info.value)
    assert info.value.path == str(path)
    assert message.startswith(f"Cannot open the database file {path}: ")
    assert words in message and info.value.advice in message
    assert "\n" not in message
    assert snapshot(folder) == before          # no byte, no journal file, no folder written


def test_the_checks_let_good_and_new_databases_through(tmp_path):
    path = good_database(tmp_path)
    con = db.open_database(path)                # an existing database opens as before
    assert workspaces.list_all(con)["name"].tolist() == ["Client A"]
    con.close()
    con = db.open_database(tmp_path / "new" / "deeper" / "aims.duckdb")   # a new one with its folders
    con.close()
    db.open_database(":memory:").close()


def test_a_database_just_backed_up_and_a_compacted_one_open(tmp_path):
    """Files DuckDB shrank (trailing free blocks dropped) are whole, not cut short."""
    path = good_database(tmp_path)
    con = db.open_database(path)
    with db.writing(con) as cur:
        cur.execute("CREATE TABLE scratch AS SELECT range AS x, repeat('y', 60) AS y FROM range(100000)")
    con.close()
    con = db.open_database(path)
    with db.writing(con) as cur:
        cur.execute("DROP TABLE scratch")
    con.execute("CHECKPOINT")
    con.close()
    db.open_database(path).close()
    copy = backup.backup_file(str(path), str(tmp_path / "copy.duckdb"))
    db.open_database(copy).close()


def test_a_device_is_not_a_database():
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null on this system")
    with pytest.raises(db.DatabaseFileError, match="device, pipe or socket"):
        db.open_database("/dev/null")


class ReadOnly:
    """Makes a file or folder read-only for this process: chmod for an ordinary user; as root
    (whom permissions do not stop) the immutable attribute, where the file system has one."""

    def __init__(self, path: Path):
        self.path, self.mode, self.immutable = path, path.stat().st_mode, False

    def __enter__(self):
        if os.name == "posix" and os.geteuid() == 0:
            done = shutil.which("chattr") and subprocess.run(["chattr", "+i", str(self.path)],
                                                             capture_output=True, check=False).returncode == 0
            if not done:
                pytest.skip("running as root, where chmod does not stop writes, and chattr +i is unavailable")
            self.immutable = True
        else:
            self.path.chmod(0o555 if self.path.is_dir() else 0o444)
        return self

    def __exit__(self, *exc):
        if self.immutable:
            subprocess.run(["chattr", "-i", str(self.path)], check=True)
        else:
            self.path.chmod(self.mode)


def test_a_read_only_database_is_refused_with_how_to_allow_writing(tmp_path):
    path = good_database(tmp_path)
    before = snapshot(tmp_path)
    with ReadOnly(path):
        with pytest.raises(db.DatabaseFileError) as info:
            db.open_database(path)
        assert "read-only for this user" in str(info.value) and "chmod u+w" in str(info.value)
        r = run_cli("--db", str(path), "demo")
    assert r.returncode == 1 and "read-only" in r.stderr and "Traceback" not in r.stderr
    assert snapshot(tmp_path) == before


def test_a_database_in_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = good_database(folder)
    before = snapshot(folder)
    with ReadOnly(folder), pytest.raises(db.DatabaseFileError, match=r"its folder .* is read-only .*good\.duckdb\.wal"):
        db.open_database(path)
    assert snapshot(folder) == before


# ---- the command line ---------------------------------------------------------------------------

def run_cli(*args, env_db=None):
    env = dict(os.environ, **({"AIMS_DB": str(env_db)} if env_db else {}))
    return subprocess.run([sys.executable, "-m", "aims", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env, check=False)


def test_the_command_line_says_what_is_wrong_in_one_line_and_exits_1(bad, monkeypatch, capsys):
    path, words, before, folder = bad
    r = run_cli("--db", str(path), "demo")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith(f"error: Cannot open the database file {path}: ") and words in r.stderr
    assert r.stderr.count("\n") == 1 and r.stdout == ""
    monkeypatch.setenv("AIMS_DB", str(path))          # the same through AIMS_DB
    assert cli.main(["demo"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: Cannot open the database file {path}: ") and words in err
    assert snapshot(folder) == before


@pytest.mark.parametrize("command", [["demo"], ["backup"], ["backup", "--out", "copy.duckdb"],
                                     ["export", "--workspace", "Client A", "--out", "w.xlsx"],
                                     ["import", "w.xlsx", "--workspace", "Client A", "--dry-run"]])
def test_every_command_that_opens_the_database_reports_a_bad_file(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.xlsx").write_bytes(b"PK\x03\x04")
    path = tmp_path / "aims.duckdb"
    path.write_text("not a database")
    before = snapshot(tmp_path)
    assert cli.main(["--db", str(path), *command]) == 1
    err = capsys.readouterr().err
    assert f"Cannot open the database file {path}: it is a text file" in err
    assert snapshot(tmp_path) == before


# ---- backups ------------------------------------------------------------------------------------

def test_a_backup_into_a_folder_keeps_its_usual_name(tmp_path):
    path = good_database(tmp_path)
    existing = tmp_path / "existing"
    existing.mkdir()
    into_existing = backup.backup_file(str(path), str(existing))
    with_slash = backup.backup_file(str(path), str(tmp_path / "newdir") + "/")
    for out, folder in ((into_existing, existing), (with_slash, tmp_path / "newdir")):
        assert out.parent == folder and out.name.startswith("good-") and out.suffix == ".duckdb"
        assert [p.name for p in folder.iterdir()] == [out.name]
        con = db.open_database(out)
        assert workspaces.list_all(con)["name"].tolist() == ["Client A"]
        con.close()
    assert not (tmp_path / "newdir").is_file()


def test_a_backup_is_written_under_a_temporary_name_and_renamed_when_complete(tmp_path, monkeypatch):
    path = good_database(tmp_path)
    target = tmp_path / "backups" / "copy.duckdb"
    seen = []
    copy = backup._copy

    def watched(con, partial):
        copy(con, partial)
        seen.append((partial, partial.exists(), target.exists()))

    monkeypatch.setattr(backup, "_copy", watched)
    assert backup.backup_file(str(path), str(target)) == target
    (partial, written, visible), = seen
    assert written and not visible                  # complete before the backup's name appears
    assert partial.parent == target.parent and partial.name.startswith(".") and partial.suffix != ".duckdb"
    assert [p.name for p in target.parent.iterdir()] == ["copy.duckdb"]


def test_a_backup_that_fails_halfway_leaves_nothing_named_like_a_backup(tmp_path, monkeypatch):
    path = good_database(tmp_path)
    target = tmp_path / "backups" / "copy.duckdb"

    def full_disk(con, partial):
        partial.write_bytes(b"\0" * 12288)        # the 12 KB an interrupted copy leaves
        raise duckdb.IOException("IO Error: Could not write file: No space left on device")

    monkeypatch.setattr(backup, "_copy", full_disk)
    with pytest.raises(files.BackupError) as info:
        backup.backup_file(str(path), str(target))
    assert str(target) in str(info.value) and "No space left on device" in str(info.value)
    assert list(target.parent.iterdir()) == []


def backup_targets(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    cases = {"under a file": (tmp_path / "notes.txt" / "copy.duckdb", "notes.txt is a file, not a folder")}
    if Path("/dev/null").exists():
        cases["/dev/null"] = (Path("/dev/null"), "device or special file")
    if Path("/proc/self").exists():
        cases["a folder no file can be made in"] = (Path("/proc/copy.duckdb"), "it could not be written")
    return cases


def test_a_backup_where_no_file_can_be_written_says_so(tmp_path):
    path = good_database(tmp_path / "db")
    for name, (out, words) in backup_targets(tmp_path).items():
        before = snapshot(tmp_path)
        with pytest.raises(files.BackupError) as info:
            backup.backup_file(str(path), str(out))
        assert str(info.value).startswith(f"Cannot write the backup {out}: ") and words in str(info.value), name
        assert snapshot(tmp_path) == before, name


def test_backup_on_the_command_line_exits_1_with_one_line(tmp_path):
    path = good_database(tmp_path / "db")
    outs = [(out, words) for out, words in backup_targets(tmp_path).values()]
    outs.append((path, "already exists"))                    # never over the database itself
    (tmp_path / "taken.duckdb").write_text("keep me")
    outs.append((tmp_path / "taken.duckdb", "already exists and backups never overwrite"))
    before = snapshot(tmp_path)
    for out, words in outs:
        r = run_cli("--db", str(path), "backup", "--out", str(out))
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert r.stderr.startswith("error: Cannot write the backup ") and words in r.stderr, r.stderr
        assert r.stderr.count("\n") == 1
    assert snapshot(tmp_path) == before
    r = run_cli("--db", str(path), "backup", "--out", str(tmp_path / "newdir") + os.sep)
    assert r.returncode == 0 and (tmp_path / "newdir").is_dir(), r.stderr
    assert [p.suffix for p in (tmp_path / "newdir").iterdir()] == [".duckdb"]


def test_a_backup_of_a_bad_database_names_the_database(tmp_path):
    path = tmp_path / "aims.duckdb"
    path.write_bytes(b"")
    with pytest.raises(db.DatabaseFileError, match="empty"):
        backup.backup_file(str(path))
    assert not (tmp_path / "backups").exists()


# ---- the workbook export's target ---------------------------------------------------------------

def test_an_export_to_a_folder_or_below_a_file_says_so_before_the_work(tmp_path, capsys):
    path = good_database(tmp_path)
    (tmp_path / "out.xlsx").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    for out, words in ((tmp_path / "out.xlsx", "it is a folder or a device"),
                       (tmp_path / "notes.txt" / "w.xlsx", "notes.txt is a file, not a folder")):
        assert cli.main(["--db", str(path), "export", "--workspace", "Client A", "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert f"Cannot write {out}: " in err and words in err


# ---- the app ------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["text file", "folder", "SQLite database"])
def test_the_app_shows_the_message_for_a_bad_database_file_and_no_traceback(tmp_path, monkeypatch, case):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    build, words = CORPUS[case]
    folder = tmp_path / "case"
    folder.mkdir()
    path = build(folder)
    before = snapshot(folder)
    monkeypatch.setenv("AIMS_DB", str(path))
    st.cache_resource.clear()
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert any("The database cannot be opened" in e and str(path) in e.replace("\\", "") and words in e
               for e in shown), shown
    assert snapshot(folder) == before
