"""Input checks used by every write path."""
from datetime import date

import pytest

from aims.common import validate as v


def test_integer_range_and_types():
    p = []
    assert v.integer("3", "M", p, low=0, high=5) == 3
    assert v.integer(4.0, "M", p, low=0, high=5) == 4
    assert v.integer(None, "M", p, low=0, high=5) is None
    assert p == []
    for bad in (6, -1, 2.5, "three", True):
        p = []
        assert v.integer(bad, "M", p, low=0, high=5) is None
        assert p and "whole number from 0 to 5" in p[0]


def test_text_limits_and_required():
    p = []
    assert v.text("  hi ", "T", p) == "hi"
    v.text("", "T", p, required=True)
    v.text("x" * 201, "T", p)
    assert p == ["T is required.", "T is 201 characters long; the limit is 200."]


def test_day_accepts_dates_and_iso_text_only():
    p = []
    assert v.day("2027-01-31", "D", p) == date(2027, 1, 31)
    assert v.day(date(2027, 1, 31), "D", p) == date(2027, 1, 31)
    assert v.day("", "D", p) is None
    v.day("31.01.2027", "D", p)
    assert len(p) == 1 and "must be a date" in p[0]


def test_validation_error_lists_all_problems():
    with pytest.raises(v.ValidationError) as info:
        v.raise_if(["a", "b"])
    assert info.value.problems == ["a", "b"]
