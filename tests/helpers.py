"""Small helpers shared by tests (fixtures live in conftest.py)."""
from aims import db


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

