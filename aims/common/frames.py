"""Small, fast conversions of query results that several registers share.

Registers of thousands of rows are read on every page run after a change; per-row pandas calls
(pd.isna, pd.Timestamp, groupby-apply) cost more there than the query itself.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from aims.common.validate import blank


def dates(values) -> list[date | None]:
    """Dates, timestamps or ISO strings as datetime.date values; missing ones (None, NaT) as None."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return pd.to_datetime(series).to_numpy("datetime64[D]").astype(object).tolist()


def group_lists(keys, values) -> dict[str, list]:
    """{key: [values in the given order]} from two equally long columns."""
    out: dict = {}
    for k, v in zip(keys.tolist() if hasattr(keys, "tolist") else keys,
                    values.tolist() if hasattr(values, "tolist") else values):
        out.setdefault(k, []).append(v)
    return out


ANY_OWNER, NO_OWNER = "Any owner", "(no owner)"


def one_of(frame: pd.DataFrame, column: str, values) -> pd.DataFrame:
    """Rows whose `column` is one of `values`; all rows when no value is chosen."""
    return frame[frame[column].isin(list(values))] if values else frame


def owned_by(frame: pd.DataFrame, owner: str) -> pd.DataFrame:
    """Rows of `owner` (an 'owner' column): all for ANY_OWNER, those without one for NO_OWNER."""
    if owner == ANY_OWNER:
        return frame
    return frame[frame["owner"] == ("" if owner == NO_OWNER else owner)]


def containing(frame: pd.DataFrame, columns: list[str], search: str) -> pd.Series:
    """A mask of the rows whose text columns, joined, contain `search` (trimmed, case-insensitive,
    literal); all True for an empty search."""
    needle = search.strip().lower()
    if not needle:
        return pd.Series(True, index=frame.index)
    hay = frame[columns[0]].astype(str)
    for c in columns[1:]:
        hay = hay + " " + frame[c].astype(str)
    return hay.str.lower().str.contains(needle, regex=False)


def id_number(local_id) -> int:
    """The number of a workspace-local ID ('F-012' -> 12; 0 when it has none), for sorting."""
    tail = str(local_id).split("-")[-1]
    return int(tail) if tail.isdigit() else 0


def plain(value):
    """A stored value as plain Python: NaN/NaT/None to None, Timestamps to datetimes, numpy
    scalars to Python ones; text and lists as they are."""
    if isinstance(value, (list, str)) or value is None:
        return value
    if blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value
