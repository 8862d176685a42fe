"""The document register page's filter, as a pure function over documents.register()."""
from __future__ import annotations

import pandas as pd

from aims.common.frames import ANY_OWNER, containing, one_of, owned_by

SHOWS = ("All documents", "Required by the standard", "Added by the organisation", "Not required",
         "Review overdue", "Not in place yet")


def filter_documents(reg: pd.DataFrame, *, show: str = SHOWS[0], statuses=(), owner: str = ANY_OWNER,
                     search: str = "") -> pd.DataFrame:
    """The register rows that pass every filter given: `show` is one of SHOWS; `search` matches the
    document, its requirements, location and notes (trimmed, case-insensitive, literal)."""
    view = reg
    if show == "Required by the standard":
        view = view[view["required"]]
    elif show == "Added by the organisation":
        view = view[view["custom"]]
    elif show == "Not required":
        view = view[~view["required"] & ~view["custom"]]
    elif show == "Review overdue":
        view = view[view["review_overdue"]]
    elif show == "Not in place yet":     # documents not approved, records not available
        view = view[view["required"] & ~view["status"].isin(("approved", "available"))]
    view = one_of(view, "status", statuses)
    view = owned_by(view, owner)
    return view[containing(view, ["document", "requirements", "location", "notes"], search)]
