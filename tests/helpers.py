"""Small helpers shared by tests (fixtures live in conftest.py)."""
from datetime import date

from aims.store import db

TODAY = date(2026, 3, 2)   # the fixed day of the roadmap tests


def rows(con, sql, params=()):
    """All rows of a query, fetched through a fresh cursor."""
    with db.reading(con) as cur:
        return cur.execute(sql, list(params)).fetchall()


def start_app(db_path, monkeypatch, timeout: int = 60):
    """The app through its entry point (as `streamlit run` runs it) on `db_path`, caches cleared."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("AIMS_DB", str(db_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=timeout)
    at.run()
    assert not at.exception, at.exception
    return at


# Sign-in configured as a team installation has it (the provider is never reached in AppTest).
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "aims",
        "client_secret": "secret", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def start_as(db_path, monkeypatch, email: str | None, name: str = "", admins=(), timeout: int = 60, page: str | None = None):
    """The app with sign-in configured, signed in as `email` (None: nobody signed in yet), on
    `db_path`; `admins` are the app administrators; `page` (a pages/ script) is opened first."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("AIMS_DB", str(db_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=timeout)
    at.secrets["auth"] = AUTH
    at.secrets["aims"] = {"admins": list(admins)}
    if email is not None:
        at.user = {"is_logged_in": True, "email": email, "name": name}
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at



def log_count(con):
    """Rows in the change log."""
    return rows(con, "SELECT count(*) FROM change_log")[0][0]


def action_rows(con, ws_id):
    """The stored roadmap actions of a workspace, by ID."""
    return rows(con, "SELECT * FROM action WHERE workspace_id = ? ORDER BY id", [ws_id])


def generated(con, cat, ws_id, **kw):
    """Roadmap actions generated from the gaps on TODAY."""
    from aims.roadmap import generation as roadmap_generation
    return roadmap_generation.generate_from_gaps(con, ws_id, cat, today=TODAY, **kw)


def by_ref(con, cat, ws_id):
    """The workspace's actions (default target 3) indexed by the requirement or risk they came from."""
    from aims.roadmap import actions as roadmap
    return roadmap.actions(con, ws_id, cat, 3, TODAY).set_index("source_ref")


def make_risk(**kw):
    """A valid new risk, with `kw` fields set."""
    base = {"title": "Model drift", "lifecycle_stage": "deployed", "inherent_likelihood": 4, "inherent_impact": 3}
    return {**base, **kw}


def risk_counts(con):
    """Rows of the risk tables and the risks' change-log rows."""
    return {t: rows(con, f"SELECT count(*) FROM {t}")[0][0] for t in ("risk", "risk_system", "risk_control")} | {
        "log": rows(con, "SELECT count(*) FROM change_log WHERE entity = 'risk'")[0][0]}
