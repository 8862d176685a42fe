"""Storage: the one place that opens DuckDB, applies migrations and runs transactions.

Contract:
- `open_database(path)` returns a root connection with every migration applied. The app caches
  it once per process; every operation then takes its own `cursor()` (DuckDB 2.0 refuses to
  share one connection between threads).
- `reading(con)` yields a cursor for reads; `writing(con)` yields a cursor inside one
  transaction that commits on success and rolls back on any exception.
- `log_change(...)` records one change-log row per changed field; every write path calls it.
"""
from __future__ import annotations

import getpass
import os
import re
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import duckdb

from aims.common.validate import raise_if, text
from aims.store import files, postgres
from aims.store.conflicts import WriteConflict

T = TypeVar("T")

DEFAULT_DB = Path("data") / "aims.duckdb"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseLockedError(RuntimeError):
    """Another process holds the database file; `path` names it, `holder` describes it."""

    def __init__(self, path: str, holder: str):
        self.path, self.holder = path, holder
        super().__init__(
            f"The database file {path} is in use by another program ({holder}). "
            "Close the other AIMS Workbench window or command, or set AIMS_DB to another file.")


# A path that is no usable database (a folder; an empty, text, SQLite or other program's file; a
# file cut short, damaged or read-only): raised by open_database, checked in aims.store.files.
DatabaseFileError = files.DatabaseFileError


def database_path() -> str:
    """The database file: AIMS_DB if set, else data/aims.duckdb."""
    return os.environ.get("AIMS_DB") or str(DEFAULT_DB)


_local_name: str | None = None     # the name this installation's user gave (see set_local_user)
# The signed-in person acting in this context (set by aims.access.identity), or None.
acting_as: ContextVar[str | None] = ContextVar("aims_acting_as", default=None)


def current_user() -> str:
    """Who a change is attributed to: the signed-in person's email when someone is signed in,
    else AIMS_USER if set, else the name the local user gave, else the operating-system login."""
    try:
        return acting_as.get() or os.environ.get("AIMS_USER") or _local_name or getpass.getuser()
    except Exception:  # no login name (some containers)
        return "local user"


def author(who: str | None = None) -> str:
    """Whom a write records as its author: the signed-in person whenever someone is signed in
    (a caller's `who` never overrides that), else `who`, else current_user()."""
    return acting_as.get() or who or current_user()


def local_user(con) -> str | None:
    """The name the local user gave (read from the database, and used by current_user), or None."""
    global _local_name
    with reading(con) as cur:
        row = cur.execute("SELECT value FROM app_setting WHERE key = 'local_user'").fetchone()
    _local_name = row[0] if row else None
    return _local_name


def set_local_user(con, name: Any) -> str:
    """Record the name changes are attributed to when the app runs without sign-in; returns it.
    Raises ValidationError for a blank or over-long name."""
    global _local_name
    problems: list[str] = []
    clean = text(name, "Your name", problems, required=True, limit=80)
    raise_if(problems)
    with writing(con) as cur:
        cur.execute("INSERT INTO app_setting VALUES ('local_user', ?, ?) ON CONFLICT (key) DO UPDATE "
                    "SET value = excluded.value, updated_at = excluded.updated_at", [clean, datetime.now()])
    _local_name = clean
    return clean


def migrations() -> list[tuple[int, str, str]]:
    """The numbered migrations as (version, name, sql), in order. Names are 0001_name.sql."""
    found = []
    for f in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = _MIGRATION_NAME.match(f.name)
        if not m:
            raise ValueError(f"badly named migration file: {f.name}")
        found.append((int(m.group(1)), f.stem, f.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"two migration files share a number: {versions}")
    return found


def open_database(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file and apply pending migrations.

    Raises DatabaseLockedError when another process holds the file, and DatabaseFileError (see
    aims.store.files) when the path is no usable AIMS Workbench database: a folder, an empty,
    text, SQLite or other program's file, a file cut short or damaged, a read-only file. Then
    nothing was written to it.
    """
    path = str(path or database_path())
    if postgres.is_url(path):                # a team's PostgreSQL database (see aims.store.postgres)
        con = postgres.Database(path)
        migrate(con)
        return con
    on_disk = path != ":memory:"
    if on_disk:
        files.check_database_file(path)     # also creates a new file's folder
    try:
        con = duckdb.connect(path, config={"autoinstall_known_extensions": False,
                                           "autoload_known_extensions": False})
    except duckdb.Error as exc:
        text = str(exc)
        if re.search(r"\block\b", text, re.IGNORECASE):    # "Could not set lock on file" (not "block")
            holder = re.search(r"held in (.+?)(?:\)|$)", text)
            raise DatabaseLockedError(path, holder.group(1) + ")" if holder else "another process") from exc
        if on_disk:
            raise files.unreadable(path, exc) from exc
        raise
    if on_disk:
        try:
            with reading(con) as cur:
                files.check_opened(cur, path)     # reads the catalogue: a damaged file fails here
        except duckdb.Error as exc:
            con.close()
            raise files.unreadable(path, exc) from exc
        except BaseException:
            con.close()
            raise
    migrate(con)
    return con


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    with reading(con) as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)")
        return [r[0] for r in cur.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet recorded, all in one transaction. Returns the versions applied."""
    done = set(applied_versions(con))
    pending = [m for m in migrations() if m[0] not in done]
    if not pending:
        return []
    with writing(con) as cur:
        for version, name, sql in pending:
            for statement in _statements(sql):
                cur.execute(postgres.migration_sql(statement) if isinstance(con, postgres.Database) else statement)
            cur.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, datetime.now()])
    return [v for v, _, _ in pending]


def _statements(sql: str) -> list[str]:
    """Split a migration file on semicolons at line ends (migrations hold no procedural code)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";").strip()]


class Transaction:
    """An open transaction. Pass it where a function takes `con`: its reads and writes then
    join this transaction (and see its uncommitted rows) instead of starting their own, which
    makes several write functions all-or-nothing together (the workbook import uses this)."""

    def __init__(self, cur):
        self.cur = cur


@contextmanager
def transaction(con) -> Iterator[Transaction]:
    """Run several write functions in one transaction: `with db.transaction(con) as tx: f(tx)`."""
    if isinstance(con, Transaction):
        yield con
        return
    with writing(con) as cur:
        yield Transaction(cur)


@contextmanager
def reading(con) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh cursor for reads, closed afterwards. Fetch results fully inside the block."""
    if isinstance(con, Transaction):
        yield con.cur
        return
    cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()


# Sessions of one app process share the database; DuckDB refuses the second of two transactions
# that change the same row ("Conflict on update"). Writes in one process therefore take turns:
# each is short, and a save's read-check-write (see conflicts.settle) then sees every earlier save.
_WRITE_TURN = threading.RLock()


@contextmanager
def writing(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside one transaction: commit when the block ends, roll back on any error.
    Inside an outer `transaction`, joins it (the outer block commits or rolls back).
    Writes of one process run one at a time; a write the database still refuses for a
    concurrent change raises conflicts.WriteConflict (nothing written; see `retrying`)."""
    if isinstance(con, Transaction):
        yield con.cur
        return
    with _WRITE_TURN:
        cur = con.cursor()
        cur.begin()
        try:
            yield cur
            cur.commit()
        except duckdb.TransactionException as exc:
            cur.rollback()
            if "conflict" in str(exc).lower():
                raise WriteConflict() from exc
            raise
        except BaseException as exc:
            cur.rollback()
            if postgres.is_conflict(exc):          # another process changed the same rows meanwhile
                raise WriteConflict() from exc
            raise
        finally:
            cur.close()


def retrying(write: Callable[[], T], attempts: int = 3) -> T:
    """Run `write` (which opens its own transaction) again when the database refused it for a
    concurrent change, up to `attempts` times; the last refusal is raised as WriteConflict."""
    for attempt in range(attempts):
        try:
            return write()
        except WriteConflict:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def require_workspace(cur, workspace_id: int) -> None:
    """Raise ValidationError unless the workspace exists (checked on the caller's cursor, so it
    can run inside the write that needs it)."""
    from aims.common.validate import ValidationError

    if cur.execute("SELECT 1 FROM workspace WHERE id = ?", [int(workspace_id)]).fetchone() is None:
        raise ValidationError(f"There is no workspace with id {workspace_id}.")


def next_local_id(cur, table: str, workspace_id: int, prefix: str, width: int = 3) -> str:
    """The next free ID like 'R-007' for rows of `table` in one workspace.

    Workspace-owned rows are keyed by (workspace_id, id) with IDs local to the workspace, so a
    workspace copies or exports without remapping links. `table` must be a trusted identifier.
    """
    rows = cur.execute(f"SELECT id FROM {table} WHERE workspace_id = ? AND id LIKE ?",  # trusted identifier
                       [int(workspace_id), prefix + "-%"]).fetchall()
    numbers = [int(r[0][len(prefix) + 1:]) for r in rows if r[0][len(prefix) + 1:].isdigit()]
    return f"{prefix}-{(max(numbers, default=0) + 1):0{width}d}"


def workspace_tables(cur) -> list[str]:
    """Every table holding rows owned by a workspace (a workspace_id column), except the
    workspace table itself and the change log."""
    return [r[0] for r in cur.execute(
        "SELECT DISTINCT table_name FROM information_schema.columns WHERE column_name = 'workspace_id'"
        " AND table_name NOT IN ('workspace', 'change_log') ORDER BY table_name").fetchall()]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def log_change(cur, workspace_id: int | None, entity: str, entity_id: str, field: str,
               old: Any, new: Any, who: str | None = None) -> None:
    """Write one change-log row (values stored as text; None stays NULL). `who` is recorded
    only when nobody is signed in: a signed-in person's changes always carry their email."""
    cur.execute(
        "INSERT INTO change_log (workspace_id, entity, entity_id, field, old_value, new_value, changed_at, changed_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [workspace_id, entity, str(entity_id), field, _text(old), _text(new), datetime.now(),
         author(who)])


def log_diff(cur, workspace_id: int | None, entity: str, entity_id: str, old: dict, new: dict,
             who: str | None = None) -> int:
    """Log every field whose text form differs between `old` and `new`; returns how many."""
    n = 0
    for field, value in new.items():
        before = old.get(field)
        if _text(before) != _text(value):
            log_change(cur, workspace_id, entity, entity_id, field, before, value, who)
            n += 1
    return n
