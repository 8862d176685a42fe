"""Backups of the database file: a consistent copy taken through DuckDB itself."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from aims.store import db


def default_backup_path(path: str) -> Path:
    """data/backups/<name>-YYYYmmdd-HHMMSS.duckdb beside the database file."""
    p = Path(path)
    return p.parent / "backups" / f"{p.stem}-{datetime.now():%Y%m%d-%H%M%S}.duckdb"


def backup_file(path: str, out: str | None = None, con=None) -> Path:
    """Copy the database at `path` to `out` (default: default_backup_path) and return it.

    With `con` (an open connection to that database, e.g. the app's) the copy is made through it;
    otherwise the file is opened, which fails with DatabaseLockedError while an app holds it.
    """
    if not Path(path).exists():
        raise FileNotFoundError(f"no database file at {path}")
    target = Path(out) if out else default_backup_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(f"{target} already exists; choose another name")
    own = con is None
    con = con or db.open_database(path)
    try:
        with db.reading(con) as cur:
            cur.execute("ATTACH ? AS backup_target", [str(target)])
            try:
                name = cur.execute("SELECT current_database()").fetchone()[0]
                attached = {r[0] for r in cur.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
                if name not in attached:    # only a name DuckDB lists can reach the statement below
                    raise RuntimeError(f"DuckDB reports no attached database named {name!r}")
                # COPY takes no bound identifiers: the whitelisted name is quoted by DuckDB's rule
                cur.execute('COPY FROM DATABASE "' + name.replace('"', '""') + '" TO backup_target')
            finally:
                cur.execute("DETACH backup_target")
    finally:
        if own:
            con.close()
    return target
