"""Filters and lists the roadmap page shows, as pure functions over the frame of
actions.actions(): the action filters, paging, and the manager's overdue-and-blocked list."""
from __future__ import annotations

from datetime import date

import pandas as pd

from aims.common.frames import ANY_OWNER, one_of, owned_by
from aims.roadmap.actions import PRIORITIES


def filter_actions(acts: pd.DataFrame, *, phases=(), statuses=(), owner: str = ANY_OWNER, priorities=(),
                   overdue_only: bool = False, search: str = "") -> pd.DataFrame:
    """The actions that pass every filter given: empty `phases`, `statuses` or `priorities` mean any;
    `owner` is ANY_OWNER, NO_OWNER or a name; `search` matches ID, title, notes, owner, linked
    requirements and risks (case-insensitive, literal)."""
    out = acts
    out = one_of(out, "phase_id", phases)
    out = one_of(out, "status", statuses)
    out = owned_by(out, owner)
    out = one_of(out, "priority", priorities)
    if overdue_only:
        out = out[out["overdue"]]
    needle = search.strip().lower()
    if needle:
        hay = (out["id"] + " " + out["title"] + " " + out["notes"] + " " + out["owner"] + " "
               + out["requirements"].map(" ".join) + " " + out["risks"].map(" ".join)).str.lower()
        out = out[hay.str.contains(needle, regex=False)]
    return out


def page_of(frame: pd.DataFrame, page_no: int, page_size: int) -> tuple[pd.DataFrame, int, int]:
    """(the rows of page `page_no`, the page number actually shown, the number of pages). A page
    number past the end (a filter left fewer rows) shows the last page; there is always one page."""
    pages = max(1, -(-len(frame) // page_size))
    page_no = min(max(1, int(page_no)), pages)
    return frame.iloc[(page_no - 1) * page_size: page_no * page_size], page_no, pages


def overdue_and_blocked(acts: pd.DataFrame, today: date) -> pd.DataFrame:
    """Actions that are overdue or blocked, most urgent priority first, then by due date, with the
    days late (overdue ones only) and their flags in words."""
    late = acts[acts["overdue"] | (acts["status"] == "blocked")].copy()
    late["_p"] = late["priority"].map({p: i for i, p in enumerate(PRIORITIES)})
    late = late.sort_values(["_p", "due"]).drop(columns="_p")
    late["days_late"] = [(today - d).days if d and o else None for d, o in zip(late["due"], late["overdue"])]
    late["flags"] = [", ".join(f for f, on in (("⚠ overdue", o), ("blocked", s == "blocked")) if on)
                     for o, s in zip(late["overdue"], late["status"])]
    return late
