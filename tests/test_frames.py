"""Shared conversions of query results: dates and grouped lists."""
from datetime import date, datetime

import pandas as pd

from aims.common import frames


def test_dates_turn_every_form_into_a_date_or_none():
    mixed = pd.Series([date(2027, 3, 31), None, pd.Timestamp("2026-01-02 13:45"), pd.NaT], dtype=object)
    assert frames.dates(mixed) == [date(2027, 3, 31), None, date(2026, 1, 2), None]
    assert frames.dates(pd.Series(pd.to_datetime(["2026-05-01", None]))) == [date(2026, 5, 1), None]
    assert frames.dates(["2027-03-31", datetime(2026, 12, 1, 8, 0)]) == [date(2027, 3, 31), date(2026, 12, 1)]
    assert frames.dates(pd.Series([None, None])) == [None, None]
    assert frames.dates([]) == []


def test_group_lists_keeps_the_order_of_values_within_each_key():
    keys = pd.Series(["R-2", "R-1", "R-2", "R-3"])
    values = pd.Series(["A.6.2.4", "A.2.2", "A.5.2", "A.9.2"])
    assert frames.group_lists(keys, values) == {"R-2": ["A.6.2.4", "A.5.2"], "R-1": ["A.2.2"], "R-3": ["A.9.2"]}
    assert frames.group_lists([], []) == {}
