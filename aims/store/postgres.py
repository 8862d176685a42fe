"""The PostgreSQL engine: the same connection contract as DuckDB's, for a team's server database.

`AIMS_DB` set to a `postgresql://` URL opens this engine (aims.store.db.open_database); the rest
of aims never checks which engine it runs on. Contract, as DuckDB's connection gives it:
- `Database.cursor()` yields a `Cursor` holding one pooled connection until `close()`; its
  `execute(sql, params)` takes the app's `?` placeholders and returns the cursor, which offers
  `fetchone`, `fetchall`, `df()` (a DataFrame) and `begin`/`commit`/`rollback`.
- Migrations are the same files; the few type names DuckDB spells differently (BLOB, DOUBLE) are
  translated when applied (MIGRATION_TYPES).
- A password in the URL is never shown: `Database.label` is the URL without it. Give the
  password through the environment (PGPASSWORD) or ~/.pgpass, as PostgreSQL's own tools read.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import pandas as pd

URL = re.compile(r"^postgres(ql)?://", re.IGNORECASE)
MIGRATION_TYPES = ((re.compile(r"\bBLOB\b"), "BYTEA"), (re.compile(r"\bDOUBLE\b(?! PRECISION)"), "DOUBLE PRECISION"))
# PostgreSQL type OIDs -> the pandas type DuckDB's .df() gives the same SQL type
DTYPES = {16: "boolean", 20: "Int64", 21: "Int32", 23: "Int32", 700: "float64", 701: "float64",
          1082: "datetime", 1114: "datetime"}
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%")


def is_url(path: str) -> bool:
    return bool(URL.match(str(path)))


def without_password(url: str) -> str:
    """The URL as it may be shown or logged: any password replaced by '***'."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def placeholders(sql: str) -> str:
    """The app's SQL with `?` placeholders as psycopg takes it: `%s` for each `?` outside
    quotes, and every literal `%` doubled."""
    return _TOKENS.sub(lambda m: "%s" if m.group(0) == "?" else "%%" if m.group(0) == "%"
                       else m.group(0).replace("%", "%%"), sql)


def migration_sql(statement: str) -> str:
    for pattern, name in MIGRATION_TYPES:
        statement = pattern.sub(name, statement)
    return statement


LOCK_WAIT_MS = 5000      # a write waiting longer for rows another transaction holds gives up (a conflict)


def is_conflict(exc: BaseException) -> bool:
    """Whether PostgreSQL refused a transaction for a concurrent change (serialization failure,
    deadlock, or rows held by another transaction for longer than LOCK_WAIT_MS): the write may
    be retried (aims.store.db.retrying)."""
    module = type(exc).__module__ or ""
    return module.startswith("psycopg") and getattr(exc, "sqlstate", None) in ("40001", "40P01", "55P03")


def _value(v: Any) -> Any:
    return bytes(v) if isinstance(v, memoryview) else v


class Cursor:
    """One pooled connection with the DuckDB cursor's methods (see the module contract)."""

    def __init__(self, pool):
        self._pool = pool
        self._conn = pool.getconn()
        self._cur = self._conn.cursor()

    def execute(self, sql: str, params: Iterable | None = None) -> "Cursor":
        self._cur.execute(placeholders(sql), list(params or ()))
        return self

    def executemany(self, sql: str, rows: Iterable[Iterable]) -> "Cursor":
        self._cur.executemany(placeholders(sql), [list(r) for r in rows])
        return self

    def fetchone(self):
        row = self._cur.fetchone()
        return None if row is None else tuple(_value(v) for v in row)

    def fetchall(self) -> list[tuple]:
        return [tuple(_value(v) for v in row) for row in self._cur.fetchall()]

    def df(self) -> pd.DataFrame:
        """The result as a DataFrame with the column types DuckDB's `.df()` gives (DTYPES)."""
        described = list(self._cur.description or ())
        frame = pd.DataFrame(self.fetchall(), columns=[d.name for d in described])
        for d in described:
            kind = DTYPES.get(d.type_code)
            if kind == "datetime":
                frame[d.name] = pd.to_datetime(frame[d.name]).astype("datetime64[us]")
            elif kind:
                frame[d.name] = frame[d.name].astype(kind)
        return frame

    # Connections run in autocommit, as a DuckDB cursor does: each statement commits on its own
    # unless begin() opened a transaction. Repeatable read, as DuckDB's snapshot isolation: a
    # transaction that changes a row another committed meanwhile fails (is_conflict) instead of
    # overwriting it, so a save's read-check-write holds across processes.
    def begin(self) -> None:
        self._cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")

    def commit(self) -> None:
        self._cur.execute("COMMIT")

    def rollback(self) -> None:
        self._cur.execute("ROLLBACK")

    def close(self) -> None:
        if self._conn is not None:
            from psycopg.pq import TransactionStatus
            if self._conn.info.transaction_status != TransactionStatus.IDLE:
                self._conn.rollback()        # an abandoned transaction is never left open
            self._cur.close()
            self._pool.putconn(self._conn)
            self._conn = None


class Database:
    """A PostgreSQL database as the app's connection: `cursor()` per operation, `close()`."""

    def __init__(self, url: str, max_size: int = 8):
        from psycopg_pool import ConnectionPool
        self.label = without_password(url)
        self._pool = ConnectionPool(url, min_size=1, max_size=max_size, open=True, timeout=30,
                                    kwargs={"autocommit": True, "options": f"-c lock_timeout={LOCK_WAIT_MS}"})

    def cursor(self) -> Cursor:
        return Cursor(self._pool)

    def execute(self, sql: str, params: Iterable | None = None) -> Cursor:
        cur = self.cursor()
        cur.execute(sql, params)
        return cur

    def close(self) -> None:
        self._pool.close()
