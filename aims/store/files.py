"""The files the store opens and writes, checked before DuckDB touches them.

A database path can be a folder, an empty or text file, a SQLite or other program's database, a
copy cut short, a read-only file or a file in a read-only folder; a backup can point where no
file can be written. Each problem is one FileProblem naming the file, what is wrong and what to
do, so the app and the command line show the same sentence. A check never writes to the file.
"""
from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

HEADER_SIZE = 3 * 4096          # a DuckDB file starts with a main header and two database headers
_DUCKDB_MAGIC = b"DUCK"         # at offset 8 of the main header
_SQLITE_MAGIC = b"SQLite format 3\x00"
_ZIP_MAGIC = b"PK\x03\x04"


class FileProblem(RuntimeError):
    """A file the store cannot use: `path`, what is wrong (`problem`) and what to do (`advice`)."""

    doing = "Cannot use"

    def __init__(self, path: str | os.PathLike, problem: str, advice: str):
        self.path, self.problem, self.advice = str(path), problem, advice
        super().__init__(f"{self.doing} {self.path}: {problem}. {advice}")


class DatabaseFileError(FileProblem):
    """The database file (AIMS_DB or --db) cannot be opened; nothing was written to it."""

    doing = "Cannot open the database file"


class BackupError(FileProblem):
    """The backup cannot be written where asked; no backup file was left behind."""

    doing = "Cannot write the backup"


_ELSEWHERE = "Set AIMS_DB (or --db) to your AIMS Workbench database, or to a new file name to start one"
_LEFT_ALONE = "this file was left unchanged"


def _restore(path: Path) -> str:
    backups = path.parent / "backups"
    where = f" (dated copies are in {backups})" if backups.is_dir() else ""
    return (f"Keep it for inspection and restore the database from a backup{where}: stop the app, then set "
            f"AIMS_DB (or --db) to the backup or copy it over this file; {_LEFT_ALONE}")


def check_database_file(path: str | os.PathLike) -> None:
    """Raise DatabaseFileError unless `path` is a DuckDB file this user can read and write, or
    names no file yet (its folder is then created, and must be writable). Only reads the file."""
    p = Path(path)
    if p.is_dir():
        raise DatabaseFileError(p, "it is a folder, not a file",
                                f"Set AIMS_DB (or --db) to a database file, e.g. {p / 'aims.duckdb'}")
    if not p.exists():
        _make_folder(p)
        return
    if not stat.S_ISREG(p.stat().st_mode):
        raise DatabaseFileError(p, "it is a device, pipe or socket, not a regular file", _ELSEWHERE)
    try:
        with open(p, "rb") as f:
            head = f.read(HEADER_SIZE)
    except PermissionError:
        raise DatabaseFileError(p, "this user may not read it",
                                f"Give this user read and write permission on it (e.g. chmod u+rw \"{p}\"), "
                                f"or run the app as its owner; {_LEFT_ALONE}") from None
    size = p.stat().st_size
    if size == 0:
        raise DatabaseFileError(p, "the file is empty (0 bytes), so it holds no database",
                                "Delete the empty file to start a new database under that name, or set AIMS_DB "
                                f"(or --db) to your database file; {_LEFT_ALONE}")
    if head.startswith(_SQLITE_MAGIC):
        raise DatabaseFileError(p, "it is a SQLite database, not a DuckDB database",
                                f"AIMS Workbench keeps its data in DuckDB files. {_ELSEWHERE}; {_LEFT_ALONE}")
    if head[8:12] != _DUCKDB_MAGIC:
        raise DatabaseFileError(p, f"it is {_kind(head)}, not a DuckDB database", f"{_ELSEWHERE}; {_LEFT_ALONE}")
    cut = _cut_short(head, size)
    if cut:
        raise DatabaseFileError(p, f"the file is incomplete ({cut}); it was probably cut short by an interrupted "
                                "copy or a full disk", _restore(p))
    _check_writable(p)


def _kind(head: bytes) -> str:
    """What a file that is not a DuckDB database seems to be, for the message."""
    if head.startswith(_ZIP_MAGIC):
        return "a ZIP file (an Excel workbook, perhaps)"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            return "a text file"
        except UnicodeDecodeError as exc:   # a multi-byte character cut at the end still counts
            if exc.start >= len(head) - 3:
                return "a text file"
    return "not a DuckDB database file"


def _cut_short(head: bytes, size: int) -> str:
    """How the file shows it was cut short, or '' when it looks whole. DuckDB writes whole blocks
    after its three 4 KB headers, so a complete file is the headers plus a whole number of blocks
    of the size its newest database header records."""
    if size < HEADER_SIZE:
        return f"{size:,} bytes, less than the {HEADER_SIZE:,} bytes of a DuckDB file's headers"
    # database header: checksum, iteration, meta block, free list, block count, block size, ...
    headers = [struct.unpack_from("<6Q", head, offset) for offset in (4096, 8192)]
    block = max(headers, key=lambda h: h[1])[5]
    if block < 4096 or block > 1 << 30 or block & (block - 1):
        return ""    # an older file layout: leave the judgement to DuckDB
    if (size - HEADER_SIZE) % block:
        return f"{size:,} bytes, not a whole number of its {block:,}-byte blocks"
    return ""


def _check_writable(p: Path) -> None:
    """The app writes every change to the file, and DuckDB a journal (name.wal) beside it."""
    try:
        os.close(os.open(p, os.O_RDWR))     # opened and closed: nothing written, times unchanged
    except OSError as exc:
        raise DatabaseFileError(
            p, f"the file is read-only for this user ({exc.strerror})",
            f"AIMS Workbench saves every change to it: allow writing (e.g. chmod u+w \"{p}\", or copy it to a "
            f"writable folder and set AIMS_DB to the copy); {_LEFT_ALONE}") from None
    folder = p.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseFileError(
            p, f"its folder {folder} is read-only for this user, and DuckDB writes a journal file ({p.name}.wal) "
            "beside the database", f"Allow writing in that folder, or move the database to a writable one; "
            f"{_LEFT_ALONE}")


def _make_folder(p: Path) -> None:
    """Create the folder of a new database file, or say why it cannot be."""
    folder = p.parent
    blocker = next((a for a in [folder, *folder.parents] if a.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise DatabaseFileError(p, f"{blocker} is a file, so it cannot hold a folder for the database",
                                "Set AIMS_DB (or --db) to a path inside a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseFileError(p, f"its folder {folder} cannot be created ({exc.strerror})",
                                "Set AIMS_DB (or --db) to a path in a folder this user can write to") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseFileError(p, f"its folder {folder} is read-only for this user",
                                "Set AIMS_DB (or --db) to a path in a folder this user can write to")


def unreadable(path: str | os.PathLike, exc: Exception) -> DatabaseFileError:
    """The error for a file that passed the checks above but that DuckDB still refuses (a damaged
    block, an unreadable journal, a file of an incompatible DuckDB version)."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    reason = reason.removeprefix("IO Error: ").rstrip(".!")
    return DatabaseFileError(path, f"DuckDB cannot read it ({reason}); the file is damaged or from an "
                             "incompatible DuckDB version", _restore(Path(path)))


def check_opened(cur, path: str | os.PathLike) -> None:
    """Raise DatabaseFileError when the DuckDB file just opened at `path` holds fewer blocks than
    its catalogue uses (cut short at a block boundary) or another program's tables (and no AIMS
    Workbench migrations), before any migration adds ours to it. Reads the migrations table, so
    a damaged one raises duckdb.Error here (see unreadable)."""
    p = Path(path)
    if not Path(f"{p}.wal").exists():    # a journal not yet replayed can hold blocks the file lacks
        block, used = cur.execute("SELECT block_size, used_blocks FROM pragma_database_size() "
                                  "WHERE database_name = current_database()").fetchone()
        held = (p.stat().st_size - HEADER_SIZE) // block if block else used
        if held < used:
            raise DatabaseFileError(p, f"the file is incomplete (it holds {held:,} of the {used:,} blocks its "
                                    "catalogue uses); it was probably cut short by an interrupted copy or a full "
                                    "disk", _restore(p))
    names = [r[0] for r in cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "ORDER BY table_name").fetchall()]
    if names and "schema_migrations" not in names:
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        raise DatabaseFileError(p, f"it is a DuckDB database of another program (tables: {shown}), not an "
                                "AIMS Workbench database", f"{_ELSEWHERE}; {_LEFT_ALONE}")
    if names:
        cur.execute("SELECT * FROM schema_migrations").fetchall()
