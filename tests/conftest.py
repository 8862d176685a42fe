"""Shared fixtures: every test builds its own database on tmp_path; nothing touches data/."""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aims import catalog as catalog_mod  # noqa: E402
from aims import db, workspaces  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """Point AIMS_DB at a temp file so nothing can reach data/aims.duckdb."""
    monkeypatch.setenv("AIMS_DB", str(tmp_path / "app.duckdb"))
    monkeypatch.setenv("AIMS_USER", "tester")


@pytest.fixture
def cat():
    return catalog_mod.load()


@pytest.fixture
def con(tmp_path):
    c = db.open_database(tmp_path / "test.duckdb")
    yield c
    c.close()


@pytest.fixture
def ws_id(con):
    return workspaces.create(con, {"name": "Acme AI", "organisation": "Acme Ltd", "default_target": 3})


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The app on a fresh database (the demo workspace is created on first start)."""
    from helpers import start_app
    return start_app(tmp_path / "pages.duckdb", monkeypatch)
