"""Backups of the database file: a consistent copy taken through DuckDB itself, written under a
temporary name beside the target and renamed when complete, so a backup file is never partial."""
from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import duckdb

from aims.store import db
from aims.store.files import BackupError, DatabaseFileError

_WRITABLE = "Choose a folder this user can write to (--out on the command line)"


def default_backup_path(path: str) -> Path:
    """data/backups/<name>-YYYYmmdd-HHMMSS.duckdb beside the database file."""
    p = Path(path)
    return p.parent / "backups" / f"{p.stem}-{datetime.now():%Y%m%d-%H%M%S}.duckdb"


def backup_target(path: str, out: str | os.PathLike | None = None) -> Path:
    """The backup file for `out`: the file named; inside it, under the usual dated name, when
    `out` is an existing folder or ends with a slash; default_backup_path without `out`."""
    if not out:
        return default_backup_path(path)
    text = str(out)
    if text.endswith(("/", os.sep)) or Path(text).is_dir():
        return Path(text) / default_backup_path(path).name
    return Path(text)


def _check_target(target: Path) -> None:
    """Raise BackupError (FileExistsError for an existing file) unless a new file can be made at
    `target`; writes nothing."""
    if target.exists():
        if not stat.S_ISREG(target.stat().st_mode):
            raise BackupError(target, "it is a device or special file, not a regular file",
                              "Choose a new file name or a folder (--out on the command line)")
        raise FileExistsError(f"Cannot write the backup {target}: a file of that name already exists and backups "
                              "never overwrite. Choose another name or a folder (--out on the command line)")
    blocker = next((a for a in target.parents if a.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise BackupError(target, f"{blocker} is a file, not a folder",
                          "Choose a path inside a folder (--out on the command line)")


def _make_folder(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(target, f"its folder {target.parent} cannot be created ({exc.strerror})",
                          _WRITABLE) from None
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise BackupError(target, f"the folder {target.parent} is read-only for this user",
                          _WRITABLE)


def _remove(partial: Path) -> None:
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass


def backup_file(path: str, out: str | os.PathLike | None = None, con=None) -> Path:
    """Copy the database at `path` to `out` (see backup_target) and return the file written.

    With `con` (an open connection to that database, e.g. the app's) the copy is made through it;
    otherwise the file is opened, which fails with DatabaseLockedError while an app holds it and
    DatabaseFileError when it is no usable database. Raises FileExistsError for an existing
    target and BackupError where no file can be written; no partial backup is ever left under
    the target's name (the copy is written as .NAME.PID.incomplete and renamed when complete).
    """
    if not Path(path).exists():
        raise DatabaseFileError(path, "there is no database file at this path",
                                "Set AIMS_DB (or --db) to the database to back up")
    target = backup_target(path, out)
    _check_target(target)
    own = con is None
    con = con or db.open_database(path)
    partial = target.with_name(f".{target.name}.{os.getpid()}.incomplete")
    try:
        _make_folder(target)
        _remove(partial)     # a leftover of an interrupted backup by a process of the same id
        try:
            _copy(con, partial)
        except (duckdb.Error, OSError) as exc:
            reason = _reason(exc).replace(str(partial), str(target))     # the name the user gave
            raise BackupError(target, f"it could not be written ({reason})",
                              _WRITABLE + ", with room for a copy of the database") from exc
        if target.exists():     # made by someone else meanwhile: still never overwritten
            raise FileExistsError(f"Cannot write the backup {target}: a file of that name appeared meanwhile. "
                                  "Choose another name or a folder (--out on the command line)")
        os.replace(partial, target)
    finally:
        _remove(partial)     # nothing left when the copy failed (after the rename, nothing is)
        if own:
            con.close()
    return target


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first.removeprefix("IO Error: ").rstrip(".!")


def _copy(con, target: Path) -> None:
    """Copy every table of the open database into a new DuckDB file at `target`."""
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
