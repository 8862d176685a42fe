"""Shared fixtures: every test builds its own database on tmp_path; nothing touches data/."""
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aims.access import identity  # noqa: E402
from aims.catalog import standard as catalog_mod  # noqa: E402
from aims.store import db, workspaces  # noqa: E402
from aims.ui import chrome  # noqa: E402

chrome.serve_like_a_running_server()   # AppTest runs pages as a running server does


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """Point AIMS_DB at a temp file so nothing can reach data/aims.duckdb."""
    monkeypatch.setenv("AIMS_DB", str(tmp_path / "app.duckdb"))
    monkeypatch.setenv("AIMS_USER", "tester")
    yield
    identity.set_default(identity.LOCAL)   # a signed-in app run sets the process default to NOBODY


@pytest.fixture
def cat():
    return catalog_mod.load()


@pytest.fixture
def con(tmp_path):
    c = db.open_database(tmp_path / "test.duckdb")
    yield c
    c.close()


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for the session (see pg_server.py)."""
    from pg_server import Server
    server = Server()
    yield server
    server.stop()


@pytest.fixture(params=["duckdb", "postgresql"])
def engine_con(request, tmp_path):
    """A fresh database on each engine: a DuckDB file, then a PostgreSQL database. A test module
    runs its tests on both by naming its `con` fixture after this one (con = engine_con)."""
    if request.param == "duckdb":
        c = db.open_database(tmp_path / "test.duckdb")
    else:
        c = db.open_database(request.getfixturevalue("pg_server").new_database())
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


@pytest.fixture
def rated(con, cat, ws_id):
    """A workspace (default target 3) with a target date and four ratings, for the roadmap tests:
    5.2 at 1 (gap 2, mandatory doc), 7.3 at 2 (gap 1), A.7.4 at 0 (gap 3), 4.1 at 3 (at target)."""
    from aims.assessment import requirements as assessments

    workspaces.update(con, ws_id, {"target_date": date(2027, 3, 1)})
    assessments.save(con, ws_id, cat, {"5.2": {"maturity": 1, "owner": "Priya Shah (CRO)"},
                                       "7.3": {"maturity": 2, "owner": "not; an owner"},
                                       "A.7.4": {"maturity": 0}, "4.1": {"maturity": 3}})
    return ws_id


@pytest.fixture
def systems(con, ws_id):
    """Two AI systems for the risk tests: AIS-001 (business owner Head of Credit) and AIS-002."""
    from aims.ai_systems import inventory

    return inventory.create_many(con, ws_id, [
        {"name": "Credit scoring model", "business_owner": "Head of Credit", "lifecycle_stage": "deployed"},
        {"name": "Support chatbot", "lifecycle_stage": "validation"}])
