"""CSV download of any table, safe to open in a spreadsheet.

A cell that a spreadsheet would run as a formula (text starting with =, +, -, @, tab or carriage
return) is prefixed with a single quote, as OWASP recommends; `unquote` strips it again.
The file is UTF-8 with a byte-order mark so that Excel shows accents correctly.
"""
from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd

from .engine import TRIGGERS


def safe_cell(value):
    """The value, with a leading quote added when it is text that would run as a formula."""
    if isinstance(value, str) and value[:1] in TRIGGERS:
        return "'" + value
    return value


def unquote(value):
    """Inverse of safe_cell for text read back from such a CSV."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in TRIGGERS and value[1:2] != "":
        return value[1:]
    return value


def _plain(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.isoformat(sep=" ", timespec="minutes") if not pd.isna(value) else None
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(frame: pd.DataFrame, title: str | None = None) -> bytes:
    """The frame as CSV bytes (index dropped); an optional first line names what it is."""
    out = frame.copy()
    out.columns = [safe_cell(str(c)) for c in out.columns]
    out = out.astype(object).map(lambda v: safe_cell(_plain(v)))
    buf = io.StringIO()
    if title:
        buf.write(str(safe_cell(title)).replace("\n", " ") + "\n")
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
