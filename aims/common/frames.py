"""Small, fast conversions of query results that several registers share.

Registers of thousands of rows are read on every page run after a change; per-row pandas calls
(pd.isna, pd.Timestamp, groupby-apply) cost more there than the query itself.
"""
from __future__ import annotations

from datetime import date

import pandas as pd


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
