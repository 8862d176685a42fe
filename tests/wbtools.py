"""Helpers for the workbook tests: a demo database built once per session and copied per test,
and small functions to edit an exported workbook the way a client would in Excel."""
import io
import shutil

import openpyxl

from aims.catalog import standard as catalog
from aims.demo import client as demo
from aims.store import db

_DEMO = {}


def demo_copy(tmp_path, tmp_path_factory) -> tuple:
    """(connection, workspace id, database path) on a fresh copy of the demo database."""
    if "path" not in _DEMO:
        base = tmp_path_factory.mktemp("demo") / "demo.duckdb"
        con = db.open_database(base)
        _DEMO["ws"] = demo.create(con, catalog.load())
        con.close()
        _DEMO["path"] = base
    path = tmp_path / "work.duckdb"
    shutil.copy(_DEMO["path"], path)
    return db.open_database(path), _DEMO["ws"], str(path)


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def header(ws, row: int = 1) -> list:
    return [c.value for c in ws[row] if c.value is not None]


def col_of(ws, name: str, row: int = 1) -> int:
    return [c.value for c in ws[row]].index(name) + 1


def row_of(ws, key: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == key:
            return r
    raise KeyError(key)


def edit(data: bytes, sheet: str, key: str, column: str, value) -> bytes:
    """The workbook with one cell changed (the row found by its ID, the column by its heading)."""
    wb = load(data)
    ws = wb[sheet]
    ws.cell(row=row_of(ws, key), column=col_of(ws, column)).value = value
    return save(wb)


def edits(data: bytes, changes: list[tuple]) -> bytes:
    wb = load(data)
    for sheet, key, column, value in changes:
        ws = wb[sheet]
        ws.cell(row=row_of(ws, key), column=col_of(ws, column)).value = value   # value=None in cell() is a no-op
    return save(wb)


def count(con, sql: str, params=()) -> int:
    with db.reading(con) as cur:
        return cur.execute(sql, list(params)).fetchone()[0]


def append(data: bytes, sheet: str, values: dict) -> bytes:
    """The workbook with one row added at the bottom of a sheet ({heading: value})."""
    wb = load(data)
    ws = wb[sheet]
    r = ws.max_row + 1
    for heading, value in values.items():
        ws.cell(row=r, column=col_of(ws, heading)).value = value
    return save(wb)


def delete_row(data: bytes, sheet: str, key: str) -> bytes:
    wb = load(data)
    ws = wb[sheet]
    ws.delete_rows(row_of(ws, key))
    return save(wb)
