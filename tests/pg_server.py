"""A throwaway PostgreSQL server for tests: initdb and pg_ctl from Debian's postgresql package, in
a temporary folder, on a free loopback port, stopped (and its folder removed) afterwards.

The server runs as the `postgres` system user when the tests run as root (PostgreSQL refuses to
run as root). Without the server binaries the PostgreSQL tests skip, except where
AIMS_REQUIRE_POSTGRES is set (CI), where they fail."""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile

import pytest

_names = itertools.count(1)


def binaries() -> str | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return os.path.dirname(os.path.realpath(found))
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    return next((f for f in folders if os.path.exists(os.path.join(f, "initdb"))), None)


def missing(reason: str) -> None:
    if os.environ.get("AIMS_REQUIRE_POSTGRES"):
        pytest.fail(f"{reason} (AIMS_REQUIRE_POSTGRES is set: CI installs Debian's postgresql package)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running server; `url(name)` a database on it, created on first use."""

    def __init__(self):
        folder = binaries()
        if folder is None:
            missing("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            missing("psycopg is not installed (pip install -r requirements.txt)")
        self.bin, self.port = folder, _free_port()
        self.root = tempfile.mkdtemp(prefix="aims-pg-")
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
        data = os.path.join(self.root, "data")
        self._run([os.path.join(folder, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                   "--no-sync"])
        self._run([os.path.join(folder, "pg_ctl"), "-D", data, "-l", os.path.join(self.root, "server.log"), "-w",
                   "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                         "-c full_page_writes=off -c synchronous_commit=off", "start"])
        self.data = data

    def _run(self, cmd: list[str]) -> None:
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stdout}{done.stderr}")

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg
        name = f"aims_test_{os.getpid()}_{next(_names)}"
        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
