"""Backups: a consistent copy of the database, whatever the file is called."""
import pytest
from helpers import rows

from aims.store import backup, db, workspaces


@pytest.mark.parametrize("name", ["aims.duckdb", 'Client "A" and B.duckdb', "o'neil 2027.duckdb"])
def test_a_backup_holds_every_workspace_even_with_quotes_in_the_file_name(tmp_path, name):
    path = tmp_path / name
    con = db.open_database(path)
    ws_id = workspaces.create(con, {"name": "Backed-up client"})
    out = backup.backup_file(str(path), str(tmp_path / "copies" / "copy.duckdb"), con=con)
    con.close()
    copy = db.open_database(out)
    try:
        assert rows(copy, "SELECT name FROM workspace WHERE id = ?", [ws_id]) == [("Backed-up client",)]
    finally:
        copy.close()


def test_an_existing_backup_file_is_never_overwritten(tmp_path):
    path = tmp_path / "aims.duckdb"
    db.open_database(path).close()
    (tmp_path / "taken.duckdb").write_text("keep me")
    with pytest.raises(FileExistsError):
        backup.backup_file(str(path), str(tmp_path / "taken.duckdb"))
    assert (tmp_path / "taken.duckdb").read_text() == "keep me"
