"""Storage: migrations, transactions, change log, the lock message."""
import subprocess
import sys

import pytest
from helpers import rows

from aims.common.validate import ValidationError
from aims.store import db


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "m.duckdb"
    con = db.open_database(path)
    versions = [v for v, _, _ in db.migrations()]
    assert db.applied_versions(con) == versions
    assert db.migrate(con) == []          # idempotent: nothing pending the second time
    con.close()
    con = db.open_database(path)          # an existing file opens without re-applying
    assert db.applied_versions(con) == versions
    con.close()


def test_migration_numbers_are_unique_and_ordered():
    versions = [v for v, _, _ in db.migrations()]
    assert versions == sorted(set(versions)) and versions[0] == 1


def test_failed_write_leaves_nothing_behind(con):
    with pytest.raises(RuntimeError):
        with db.writing(con) as cur:
            cur.execute("INSERT INTO workspace (name, created_at, updated_at) VALUES ('x', now(), now())")
            db.log_change(cur, 1, "workspace", 1, "name", None, "x")
            raise RuntimeError("boom")
    assert rows(con, "SELECT count(*) FROM workspace") == [(0,)]
    assert rows(con, "SELECT count(*) FROM change_log") == [(0,)]


def test_log_diff_writes_one_row_per_changed_field(con):
    with db.writing(con) as cur:
        n = db.log_diff(cur, 7, "assessment", "4.1", {"maturity": 1, "owner": "A"}, {"maturity": 2, "owner": "A"}, "ann")
    assert n == 1
    assert rows(con, "SELECT workspace_id, entity, entity_id, field, old_value, new_value, changed_by FROM change_log") == [
        (7, "assessment", "4.1", "maturity", "1", "2", "ann")]


def test_a_file_held_by_another_process_gives_a_clear_message(tmp_path):
    path = tmp_path / "locked.duckdb"
    db.open_database(path).close()
    holder = subprocess.Popen([sys.executable, "-c",
                               f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(db.DatabaseLockedError) as info:
            db.open_database(path)
        assert str(path) in str(info.value)
        assert "in use by another program" in str(info.value)
    finally:
        holder.kill()
        holder.wait()


def test_database_path_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("AIMS_DB", "/somewhere/else.duckdb")
    assert db.database_path() == "/somewhere/else.duckdb"
    monkeypatch.delenv("AIMS_DB")
    assert db.database_path().endswith("aims.duckdb")


def test_write_functions_can_share_one_transaction(con):
    from aims.store import workspaces
    with pytest.raises(RuntimeError):
        with db.transaction(con) as tx:
            workspaces.create(tx, {"name": "One"})
            assert len(workspaces.list_all(tx)) == 1   # reads inside see the uncommitted row
            workspaces.create(tx, {"name": "Two"})
            raise RuntimeError("the second step failed")
    assert workspaces.list_all(con).empty            # neither was kept
    with db.transaction(con) as tx:
        workspaces.create(tx, {"name": "One"})
        workspaces.create(tx, {"name": "Two"})
    assert len(workspaces.list_all(con)) == 2


def test_require_workspace_names_an_unknown_workspace(con, ws_id):
    with db.reading(con) as cur:
        db.require_workspace(cur, ws_id)                       # no error
        with pytest.raises(ValidationError, match="There is no workspace with id 999"):
            db.require_workspace(cur, 999)


def test_the_local_user_name_is_asked_once_and_attributes_changes(con, monkeypatch):
    """Without AIMS_USER, changes go to the name the local user gave (kept in the database), not
    to the machine's login; AIMS_USER, when the operator sets it, wins; a blank name is refused."""
    monkeypatch.delenv("AIMS_USER", raising=False)
    monkeypatch.setattr(db, "_local_name", None)
    assert db.local_user(con) is None
    with pytest.raises(ValidationError, match="Your name is required"):
        db.set_local_user(con, "   ")
    with pytest.raises(ValidationError, match="the limit is 80"):
        db.set_local_user(con, "x" * 81)
    assert db.set_local_user(con, "  Jane Doe ") == "Jane Doe"
    assert db.current_user() == "Jane Doe"
    with db.writing(con) as cur:
        db.log_change(cur, None, "test", "1", "field", "a", "b")
    assert rows(con, "SELECT changed_by FROM change_log ORDER BY id DESC LIMIT 1")[0][0] == "Jane Doe"
    monkeypatch.setattr(db, "_local_name", None)
    assert db.local_user(con) == "Jane Doe"                  # remembered across restarts
    db.set_local_user(con, "Jane Smith")
    assert rows(con, "SELECT count(*) FROM app_setting")[0][0] == 1
    monkeypatch.setenv("AIMS_USER", "operator")
    assert db.current_user() == "operator"


@pytest.fixture
def con(engine_con):          # the storage tests run on both engines
    return engine_con


def test_postgres_placeholders_and_password_are_handled():
    from aims.store import postgres
    assert postgres.placeholders("SELECT '?%' AS a, x FROM t WHERE a = ? AND b LIKE '%' || ?") == \
        "SELECT '?%%' AS a, x FROM t WHERE a = %s AND b LIKE '%%' || %s"
    assert postgres.without_password("postgresql://aims:s3cret@db.example:5432/aims") == \
        "postgresql://aims:***@db.example:5432/aims"
    assert postgres.migration_sql("x DOUBLE, y BLOB, z DOUBLE PRECISION") == "x DOUBLE PRECISION, y BYTEA, z DOUBLE PRECISION"
    assert postgres.is_url("postgresql://h/db") and postgres.is_url("postgres://h/db") and not postgres.is_url("data/a.duckdb")


def test_two_processes_on_one_postgres_database_never_overwrite_each_other(pg_server):
    """Another app process's save between this transaction's read and its write makes the write
    fail as a WriteConflict (retried by db.retrying, then settled field by field), never overwrite."""
    from aims.store import workspaces
    from aims.store.conflicts import WriteConflict
    url = pg_server.new_database()
    one, other = db.open_database(url), db.open_database(url)
    try:
        ws = workspaces.create(one, {"name": "Acme"})
        with pytest.raises(WriteConflict):
            with db.writing(one) as cur:
                assert cur.execute("SELECT organisation FROM workspace WHERE id = ?", [ws]).fetchone() == ("",)
                workspaces.update(other, ws, {"organisation": "Saved by the other process"})
                cur.execute("UPDATE workspace SET organisation = ? WHERE id = ?", ["Overwritten", ws])
        assert workspaces.get(one, ws)["organisation"] == "Saved by the other process"
        assert workspaces.get(other, ws)["organisation"] == "Saved by the other process"   # seen by both
    finally:
        one.close()
        other.close()
