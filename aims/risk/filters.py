"""Filters and summaries the risk register page shows, as pure functions over the register's
frames: register and library filters, the notes under the figures, the traceability flags and the
band table of the risk criteria. Inputs are the frames of register.table, library.frame and
trace.controls_trace; nothing here reads the database."""
from __future__ import annotations

import pandas as pd

from aims.common.frames import ANY_OWNER, containing, one_of, owned_by
from aims.risk import scoring as rs

ALL_RISKS, ORGANISATION_LEVEL = "All risks", "Organisation-level"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def filter_register(table: pd.DataFrame, *, search: str = "", scope: str = ALL_RISKS, statuses=(), levels=(),
                    owner: str = ANY_OWNER, above_only: bool = False, attention_only: bool = False) -> pd.DataFrame:
    """The register rows that pass every filter given. `search` matches ID, title, description and
    owner (case-insensitive, literal); `scope` is ALL_RISKS, ORGANISATION_LEVEL or an AI system ID;
    empty `statuses` or `levels` mean any."""
    view = table[containing(table, ["id", "title", "description", "owner"], search)]
    if scope == ORGANISATION_LEVEL:
        view = view[view["organisation_level"]]
    elif scope != ALL_RISKS:
        view = view[view["systems"].map(lambda s: scope in s)]
    view = one_of(view, "status", statuses)
    view = one_of(view, "current_level", levels)
    view = owned_by(view, owner)
    if above_only:
        view = view[view["above_appetite"]]
    if attention_only:
        view = view[view["checks"].map(len) > 0]
    return view


def attention_notes(stats: dict, new_proposals: int) -> list[str]:
    """The short notes under the register's figures (register.summary stats), most urgent first."""
    notes = []
    n = stats["needs_attention"]
    if n:
        notes.append(f"{n} open risk{_plural(n, ' needs', 's need')} attention (see the Checks column)")
    n = stats["reviews_overdue"]
    if n:
        notes.append(f"{n} review{_plural(n, ' is', 's are')} overdue")
    n = stats["acceptances_expired"]
    if n:
        notes.append(f"{n} acceptance{_plural(n, ' has', 's have')} expired")
    if new_proposals:
        notes.append(f"{new_proposals} risk{_plural(new_proposals, '', 's')} proposed by impact assessments "
                     "not in the register yet")
    return notes


def filter_library(lib: pd.DataFrame, *, search: str = "", objective: str | None = None,
                   source: str | None = None) -> pd.DataFrame:
    """Library entries whose title or description contains `search`, of the given objective and risk source."""
    out = lib[containing(lib, ["title", "description"], search)]
    if objective:
        out = out[out["objective"] == objective]
    if source:
        out = out[out["risk_source"] == source]
    return out


def library_in_use(table: pd.DataFrame) -> dict[str, list[str]]:
    """{library entry ID: [register risk IDs created from it]}."""
    used = table[table["library_id"] != ""]
    return used.groupby("library_id")["id"].apply(list).to_dict()


def trace_flag(conflict: bool, reason_missing: bool, unsupported_claim: bool) -> str:
    """What is wrong between a control's SoA entry and the risks that need it, in words ('' when nothing)."""
    if conflict:
        return "conflict: excluded in the SoA"
    if reason_missing:
        return "add 'risk treatment' to the SoA reasons"
    if unsupported_claim:
        return "SoA cites risk treatment, no risk needs it"
    return ""


def system_controls(risks_of_system: pd.DataFrame, control_order: list[str]) -> list[tuple[str, list[str]]]:
    """The Annex A controls planned for one system's risks, in catalogue order, each with the IDs of
    the risks that plan it."""
    needed: dict[str, list[str]] = {}
    for rid, controls in zip(risks_of_system["id"], risks_of_system["controls"]):
        for c in controls:
            needed.setdefault(c, []).append(rid)
    rank = {c: i for i, c in enumerate(control_order)}
    return sorted(needed.items(), key=lambda kv: rank.get(kv[0], len(rank)))


def band_table(crit: dict) -> pd.DataFrame:
    """The level bands of the criteria: scores, cells of the 5x5 matrix, and whether above the appetite."""
    bands = rs.band_ranges(crit)
    cells = {lvl: sum(1 for li in rs.SCALE for im in rs.SCALE if rs.level(li * im, crit) == lvl) for lvl in rs.LEVELS}
    appetite = crit["appetite"]
    return pd.DataFrame({
        "Level": [b[0].capitalize() for b in bands],
        "Scores": [f"{b[1]} to {b[2]}" for b in bands],
        "Cells of the 5x5 matrix": [cells[b[0]] for b in bands],
        "Above appetite": ["yes" if b[1] > appetite else "partly" if b[2] > appetite else "no" for b in bands],
    })
