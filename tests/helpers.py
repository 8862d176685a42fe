"""Small helpers shared by tests (fixtures live in conftest.py)."""
from aims import db


def rows(con, sql, params=()):
    """All rows of a query, fetched through a fresh cursor."""
    with db.reading(con) as cur:
        return cur.execute(sql, list(params)).fetchall()
