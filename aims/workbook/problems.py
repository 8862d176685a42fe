"""Long lists of problems, shown in part: the first SHOWN, then how many more.

A workbook with 49,000 bad rows has 49,000 problems; listed in full they are megabytes of text
that take half a minute to draw and nobody reads. Show `first(problems)` and offer
`to_csv(problems)` (every problem, one a row) as a download.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .csv import to_csv as _table_csv

SHOWN = 100


def first(problems: Iterable[str], limit: int = SHOWN, noun: str = "problem") -> list[str]:
    """The first `limit` problems, then '... and 48,900 more problems' when there are more."""
    items = list(problems)
    if len(items) <= limit:
        return items
    rest = len(items) - limit
    return items[:limit] + [f"... and {rest:,} more {noun}{'s' if rest != 1 else ''}"]


def more(problems: Iterable[str], limit: int = SHOWN) -> int:
    """How many problems `first` leaves out."""
    return max(len(list(problems)) - limit, 0)


def to_csv(problems: Iterable[str]) -> bytes:
    """Every problem as CSV, one per row (formula-looking text quoted, as every download)."""
    return _table_csv(pd.DataFrame({"Problem": list(problems)}))
