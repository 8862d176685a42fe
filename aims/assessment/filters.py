"""The gap analysis page's filters, as a pure function over the assessment table
(requirements.table with scoring.with_status)."""
from __future__ import annotations

import pandas as pd

from aims.catalog.standard import Catalog
from aims.common.frames import ANY_OWNER, containing, one_of, owned_by

ALL = "All requirements"


def areas(table: pd.DataFrame) -> dict[str, str | None]:
    """The 'Clause or objective' choices: label -> None (all), 'clause', 'control' or a group title."""
    out: dict[str, str | None] = {ALL: None, "Clauses 4-10": "clause", "Annex A controls": "control"}
    out.update({g: g for g in table["group_title"].unique()})
    return out


def filter_requirements(table: pd.DataFrame, cat: Catalog, *, area: str | None = None, statuses=(),
                        owner: str = ANY_OWNER, gaps_only: bool = False, mandatory_only: bool = False,
                        search: str = "") -> pd.DataFrame:
    """The requirements that pass every filter given. `area` is None, 'clause', 'control' or a group
    title; `search` matches ID, title, notes and evidence, and the catalogue's own guidance and
    workshop questions (trimmed, case-insensitive, literal)."""
    view = table
    if area in ("clause", "control"):
        view = view[view["kind"] == area]
    elif area:
        view = view[view["group_title"] == area]
    view = one_of(view, "status", statuses)
    view = owned_by(view, owner)
    if gaps_only:
        view = view[view["status"] == "gap"]
    if mandatory_only:
        view = view[view["mandatory_doc"]]
    needle = search.strip().lower()
    if needle:
        guidance = {r.id: (r.guidance + " " + " ".join(r.questions)).lower() for r in cat.requirements.values()}
        in_guidance = view["req_id"].map(guidance).fillna("").str.contains(needle, regex=False)
        view = view[containing(view, ["req_id", "title", "notes", "evidence"], search) | in_guidance]
    return view
