"""The evidence file store: uploaded files kept outside the database, in a folder beside it,
each named by the SHA-256 of its content.

Contract:
- `folder(con)` is where the files live: AIMS_EVIDENCE_DIR when set, else the folder `evidence`
  beside the database file the connection has open (beside AIMS_DB for an in-memory database).
- `put(where, data)` stores bytes and returns their SHA-256 (lower-case hex). The same content is
  stored once, whichever workspace uploads it. A file is written under a temporary name in the
  same folder and renamed when complete, so a stored file is never partial; a file already there
  with the right size is left as it is.
- `state(where, sha, size)` says, without reading the content, whether a stored file is there:
  'present', 'missing' (someone deleted it by hand) or 'damaged' (another size, or not a file).
- `read(where, sha)` returns the content, or None when the file is missing or no longer matches
  its SHA-256 (altered on disk): callers show it as missing, never a traceback.
- `write_whole(path, fill)` writes any output file (an evidence pack) the same way: complete or
  untouched.
Only SHA-256 hex names ever become paths, so a damaged database row cannot point elsewhere.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import BinaryIO, Callable

from aims.store import db

ENV = "AIMS_EVIDENCE_DIR"
_SHA = re.compile(r"^[0-9a-f]{64}$")
PRESENT, MISSING, DAMAGED = "present", "missing", "damaged"


class BlobError(OSError):
    """The evidence folder cannot be written; the message says where and why."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder(con=None) -> Path:
    """The evidence folder for the database `con` has open (see the module docstring)."""
    configured = os.environ.get(ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    path = ""
    if con is not None:
        with db.reading(con) as cur:
            row = cur.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                              ).fetchone()
        path = (row[0] or "") if row else ""
    if not path or path == ":memory:":
        path = db.database_path()
    return Path(path).parent / "evidence"


def path_of(where: Path, sha: str) -> Path:
    """The file of content `sha` in the evidence folder `where`; ValueError for anything but a
    SHA-256 in hex."""
    if not _SHA.match(str(sha)):
        raise ValueError(f"not a SHA-256 digest: {sha!r}")
    return Path(where) / str(sha)


def state(where: Path, sha: str, size: int) -> str:
    """'present', 'missing' or 'damaged' (see the module docstring); only looks at the file."""
    try:
        p = path_of(where, sha)
    except ValueError:
        return DAMAGED
    try:
        st = p.stat()
    except FileNotFoundError:
        return MISSING
    except OSError:
        return DAMAGED
    if not p.is_file() or st.st_size != int(size):
        return DAMAGED
    return PRESENT


def put(where: Path, data: bytes) -> str:
    """Store `data` (see the module docstring); returns its SHA-256. Raises BlobError when the
    folder cannot be created or written."""
    sha = digest(data)
    target = path_of(where, sha)
    if state(where, sha, len(data)) == PRESENT:
        return sha
    partial = target.with_name(f".{sha}.{os.getpid()}.incomplete")
    try:
        Path(where).mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, target)
    except OSError as exc:
        raise BlobError(f"Cannot store the file in the evidence folder {where}: {exc.strerror or exc}. Give "
                        f"{ENV} a folder this user can write to, with room for the file.") from None
    finally:
        _remove(partial)
    return sha


def read(where: Path, sha: str) -> bytes | None:
    """The content stored under `sha`, or None when it is missing or altered."""
    try:
        data = path_of(where, sha).read_bytes()
    except (OSError, ValueError):
        return None
    return data if digest(data) == sha else None


def write_whole(path: str | os.PathLike, fill: Callable[[BinaryIO], object]):
    """Call fill(file) on a temporary file beside `path`, then rename it to `path`: the file is
    complete or untouched. Returns what `fill` returned; OSError when it cannot be written."""
    out = Path(path)
    partial = out.with_name(f".{out.name}.{os.getpid()}.incomplete")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as f:
            result = fill(f)
        os.replace(partial, out)
        return result
    finally:
        _remove(partial)


def _remove(partial: Path) -> None:
    try:
        partial.unlink(missing_ok=True)
    except OSError:         # its folder could not be made: there is nothing to remove
        pass
