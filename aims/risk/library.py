"""The AI risk library: own-words risk descriptions with typical ratings and suggested Annex A
controls, loaded from data/catalog/risk_library.json and validated at load (an unknown Annex A or
Annex C ID, a rating outside 1-5 or a duplicate ID is a CatalogError)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from aims.catalog.standard import CONTROL_IDS, CatalogError, load, load_json
from aims.risk.scoring import LIFECYCLE_STAGES, TREATMENTS

_ID = re.compile(r"^RL-\d{2,3}$")


@dataclass(frozen=True)
class LibraryRisk:
    id: str
    title: str
    description: str
    risk_source: str          # Annex C.3 id
    objective: str            # Annex C.2 id
    lifecycle_stage: str
    stakeholders: str
    likelihood: int
    impact: int
    existing_controls_hint: str
    treatment: str
    controls: tuple[str, ...]  # suggested Annex A controls


def parse(data: dict, objectives: dict, risk_sources: dict) -> dict[str, LibraryRisk]:
    """Validate the library document; returns {id: LibraryRisk} in file order."""
    problems: list[str] = []
    out: dict[str, LibraryRisk] = {}
    for r in data.get("risks", []):
        rid = str(r.get("id", "?"))
        if not _ID.match(rid):
            problems.append(f"{rid}: IDs look like RL-01")
        if rid in out:
            problems.append(f"duplicate library risk {rid}")
        for field in ("title", "description"):
            if not str(r.get(field, "")).strip():
                problems.append(f"{rid}: {field} is required")
        if r.get("risk_source") not in risk_sources:
            problems.append(f"{rid}: unknown Annex C risk source {r.get('risk_source')!r}")
        if r.get("objective") not in objectives:
            problems.append(f"{rid}: unknown Annex C objective {r.get('objective')!r}")
        if r.get("lifecycle_stage") not in LIFECYCLE_STAGES:
            problems.append(f"{rid}: life-cycle stage must be one of {LIFECYCLE_STAGES}")
        if r.get("treatment") not in TREATMENTS:
            problems.append(f"{rid}: treatment must be one of {TREATMENTS}")
        for field in ("likelihood", "impact"):
            if r.get(field) not in (1, 2, 3, 4, 5):
                problems.append(f"{rid}: {field} must be a whole number from 1 to 5")
        controls = list(r.get("controls", []))
        unknown = [c for c in controls if c not in CONTROL_IDS]
        if unknown:
            problems.append(f"{rid}: unknown Annex A control(s) {unknown}")
        if not controls or len(set(controls)) != len(controls):
            problems.append(f"{rid}: needs at least one suggested control, each listed once")
        out[rid] = LibraryRisk(rid, str(r.get("title", "")).strip(), str(r.get("description", "")).strip(),
                               r.get("risk_source"), r.get("objective"), r.get("lifecycle_stage"),
                               str(r.get("stakeholders", "")), r.get("likelihood"), r.get("impact"),
                               str(r.get("existing_controls_hint", "")), r.get("treatment"), tuple(controls))
    if not out:
        problems.append("the risk library is empty")
    if problems:
        raise CatalogError("catalogue error: risk_library.json: " + "; ".join(problems))
    return out


@lru_cache(maxsize=4)
def library(directory: str | None = None) -> dict[str, LibraryRisk]:
    """The validated risk library (cached; the file does not change while the app runs)."""
    d = Path(directory) if directory else None
    cat = load(directory)
    return parse(load_json("risk_library.json", d), cat.objectives, cat.risk_sources)


def frame(directory: str | None = None) -> pd.DataFrame:
    """The library as a table (one row per entry, controls as a list, score = likelihood x impact)."""
    rows = [{**r.__dict__, "controls": list(r.controls), "score": r.likelihood * r.impact}
            for r in library(directory).values()]
    return pd.DataFrame(rows)
