"""The roadmap page's action filters, paging and the manager's overdue-and-blocked list."""
from datetime import date

import pandas as pd

from aims.common.frames import NO_OWNER
from aims.roadmap import filters

TODAY = date(2026, 3, 2)


def acts():
    return pd.DataFrame({
        "id": ["ACT-001", "ACT-002", "ACT-003", "ACT-004"],
        "title": ["Write the AI policy", "Train staff", "Impact assessment", "Internal audit"],
        "notes": ["", "e-learning", "", "before Stage 1"],
        "owner": ["Priya Shah", "", "Sam Lee", "Priya Shah"],
        "phase_id": ["PH-1", "PH-2", "PH-2", "PH-3"],
        "status": ["in progress", "blocked", "not started", "not started"],
        "priority": ["high", "low", "critical", "medium"],
        "overdue": [True, False, True, False],
        "due": [date(2026, 2, 20), date(2026, 4, 1), date(2026, 2, 27), date(2026, 6, 1)],
        "requirements": [["5.2"], ["7.2"], ["6.1.4"], ["9.2.1"]],
        "risks": [[], [], ["R-002"], []],
    })


def ids(frame):
    return list(frame["id"])


def test_filters_combine_and_search_covers_links():
    assert ids(filters.filter_actions(acts())) == ["ACT-001", "ACT-002", "ACT-003", "ACT-004"]
    assert ids(filters.filter_actions(acts(), phases=["PH-2"], statuses=["blocked"])) == ["ACT-002"]
    assert ids(filters.filter_actions(acts(), owner=NO_OWNER)) == ["ACT-002"]
    assert ids(filters.filter_actions(acts(), owner="Priya Shah", priorities=["high", "medium"])) == ["ACT-001", "ACT-004"]
    assert ids(filters.filter_actions(acts(), overdue_only=True)) == ["ACT-001", "ACT-003"]
    assert ids(filters.filter_actions(acts(), search="r-002")) == ["ACT-003"]       # a linked risk
    assert ids(filters.filter_actions(acts(), search="9.2.1")) == ["ACT-004"]       # a linked requirement
    assert ids(filters.filter_actions(acts(), search="STAGE 1")) == ["ACT-004"]     # the notes


def test_paging_clamps_to_the_pages_there_are():
    frame = pd.DataFrame({"id": [f"A{i}" for i in range(7)]})
    part, page_no, pages = filters.page_of(frame, 2, 3)
    assert (list(part["id"]), page_no, pages) == (["A3", "A4", "A5"], 2, 3)
    part, page_no, pages = filters.page_of(frame, 9, 3)        # a filter left fewer pages
    assert (list(part["id"]), page_no, pages) == (["A6"], 3, 3)
    assert filters.page_of(frame.iloc[0:0], 1, 3)[1:] == (1, 1)


def test_overdue_and_blocked_most_urgent_first_with_days_late():
    late = filters.overdue_and_blocked(acts(), TODAY)
    assert ids(late) == ["ACT-003", "ACT-001", "ACT-002"]        # critical, high, low
    assert [None if pd.isna(v) else int(v) for v in late["days_late"]] == [3, 10, None]
    assert list(late["flags"]) == ["⚠ overdue", "⚠ overdue", "blocked"]
