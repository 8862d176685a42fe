"""The ISO/IEC 42001 catalogue (clauses 4-10 and Annex A) and Annex C lists, loaded from
data/catalog/ and validated at load: an unknown, duplicate or missing ID is an error."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

CATALOG_DIR = Path(__file__).resolve().parents[2] / "data" / "catalog"

CLAUSE_IDS = (
    "4.1 4.2 4.3 4.4 5.1 5.2 5.3 6.1.1 6.1.2 6.1.3 6.1.4 6.2 6.3 7.1 7.2 7.3 7.4 7.5.1 7.5.2 "
    "7.5.3 8.1 8.2 8.3 8.4 9.1 9.2.1 9.2.2 9.3.1 9.3.2 9.3.3 10.1 10.2").split()
CONTROL_IDS = (
    "A.2.2 A.2.3 A.2.4 A.3.2 A.3.3 A.4.2 A.4.3 A.4.4 A.4.5 A.4.6 A.5.2 A.5.3 A.5.4 A.5.5 "
    "A.6.1.2 A.6.1.3 A.6.2.2 A.6.2.3 A.6.2.4 A.6.2.5 A.6.2.6 A.6.2.7 A.6.2.8 A.7.2 A.7.3 A.7.4 "
    "A.7.5 A.7.6 A.8.2 A.8.3 A.8.4 A.8.5 A.9.2 A.9.3 A.9.4 A.10.2 A.10.3 A.10.4").split()
GROUP_IDS = ("4 5 6 7 8 9 10 A.2 A.3 A.4 A.5 A.6 A.6.1 A.6.2 A.7 A.8 A.9 A.10").split()
NATURES = ("policy", "assessment", "control", "training", "audit")
RMF_FUNCTIONS = ("GOVERN", "MAP", "MEASURE", "MANAGE")
STAGE1_RECORDS = ("internal_audit", "management_review", "nonconformities")


class CatalogError(ValueError):
    """The catalogue files break a rule (unknown, duplicate or missing ID, bad field)."""


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    kind: str            # "clause" or "objective"
    parent: str | None
    summary: str


@dataclass(frozen=True)
class Requirement:
    id: str
    kind: str            # "clause" or "control"
    group: str
    title: str
    guidance: str
    questions: tuple[str, ...]
    evidence: tuple[str, ...]
    mandatory_doc: bool
    documents: tuple[str, ...]
    nist_ai_rmf: tuple[str, ...]
    eu_ai_act: tuple[str, ...]
    nature: str

    @property
    def top_group(self) -> str:
        """The clause (4..10) or the Annex A objective (A.2..A.10) it rolls up to."""
        return "A.6" if self.group.startswith("A.6") else self.group


@dataclass(frozen=True)
class Catalog:
    name: str
    version: str
    groups: dict[str, Group]
    requirements: dict[str, Requirement]
    objectives: dict[str, str]        # Annex C.2 id -> title
    risk_sources: dict[str, str]      # Annex C.3 id -> title
    # Documented information that is a record (retained, "available" with a date) rather than a
    # document (maintained, "approved" with a version); names as in the requirements' documents.
    records: tuple[str, ...] = ()
    # The records the Stage 1 gate reads: internal_audit, management_review, nonconformities.
    stage1_records: tuple[tuple[str, str], ...] = ()

    def stage1_record(self, condition: str) -> str:
        """The name of the record a Stage 1 condition reads ('internal_audit', ...)."""
        return dict(self.stage1_records)[condition]

    def frame(self) -> pd.DataFrame:
        """One row per requirement in catalogue order, with group titles; for joins and tables."""
        rows = []
        for order, r in enumerate(self.requirements.values()):
            top = self.groups[r.top_group]
            rows.append({
                "req_id": r.id, "order": order, "kind": r.kind, "group": r.group,
                "top_group": r.top_group, "group_title": f"{top.id} {top.title}",
                "sub_group_title": f"{r.group} {self.groups[r.group].title}",
                "title": r.title, "mandatory_doc": r.mandatory_doc, "nature": r.nature,
            })
        return pd.DataFrame(rows)

    def top_groups(self, kind: str) -> list[Group]:
        """Clauses 4-10 (kind 'clause') or Annex A objectives A.2-A.10 (kind 'objective')."""
        return [g for g in self.groups.values() if g.kind == kind and g.parent is None]


def _fail(problems: list[str]) -> None:
    if problems:
        raise CatalogError("catalogue error: " + "; ".join(problems))


def parse(data: dict, annex_c: dict) -> Catalog:
    """Build and validate a Catalog from the two JSON documents."""
    problems: list[str] = []
    groups: dict[str, Group] = {}
    for g in data.get("groups", []):
        if g["id"] in groups:
            problems.append(f"duplicate group {g['id']}")
        groups[g["id"]] = Group(g["id"], g["title"], g["kind"], g.get("parent"), g.get("summary", ""))
    if set(groups) != set(GROUP_IDS):
        problems.append(f"groups differ from the standard: unknown {sorted(set(groups) - set(GROUP_IDS))}, "
                        f"missing {sorted(set(GROUP_IDS) - set(groups))}")
    reqs: dict[str, Requirement] = {}
    for r in data.get("requirements", []):
        rid = r.get("id", "?")
        if rid in reqs:
            problems.append(f"duplicate requirement {rid}")
        expected_kind = "control" if rid.startswith("A.") else "clause"
        if r.get("kind") != expected_kind:
            problems.append(f"{rid}: kind must be {expected_kind}")
        if r.get("group") not in groups:
            problems.append(f"{rid}: unknown group {r.get('group')}")
        if r.get("nature") not in NATURES:
            problems.append(f"{rid}: nature must be one of {NATURES}")
        if not 2 <= len(r.get("questions", [])) <= 4:
            problems.append(f"{rid}: needs 2 to 4 workshop questions")
        if not r.get("title") or not r.get("guidance"):
            problems.append(f"{rid}: title and guidance are required")
        for ref in r.get("nist_ai_rmf", []):
            if ref.split(" ")[0] not in RMF_FUNCTIONS:
                problems.append(f"{rid}: unknown NIST AI RMF reference {ref}")
        reqs[rid] = Requirement(
            rid, r.get("kind"), r.get("group"), r.get("title", ""), r.get("guidance", ""),
            tuple(r.get("questions", [])), tuple(r.get("evidence", [])), bool(r.get("mandatory_doc")),
            tuple(r.get("documents", [])), tuple(r.get("nist_ai_rmf", [])), tuple(r.get("eu_ai_act", [])),
            r.get("nature", ""))
    expected = set(CLAUSE_IDS) | set(CONTROL_IDS)
    if set(reqs) - expected:
        problems.append(f"unknown requirement IDs {sorted(set(reqs) - expected)}")
    if expected - set(reqs):
        problems.append(f"missing requirement IDs {sorted(expected - set(reqs))}")
    objectives = {o["id"]: o["title"] for o in annex_c.get("objectives", [])}
    sources = {s["id"]: s["title"] for s in annex_c.get("risk_sources", [])}
    if sorted(objectives) != sorted(f"C.2.{i}" for i in range(1, 12)):
        problems.append("Annex C objectives must be exactly C.2.1-C.2.11")
    if sorted(sources) != sorted(f"C.3.{i}" for i in range(1, 8)):
        problems.append("Annex C risk sources must be exactly C.3.1-C.3.7")
    named = {d for r in reqs.values() for d in r.documents}
    records = tuple(data.get("records", []))
    if set(records) - named:
        problems.append(f"records not named by any requirement: {sorted(set(records) - named)}")
    stage1 = data.get("stage1_records", {})
    if set(stage1) != set(STAGE1_RECORDS) or not set(stage1.values()) <= set(records):
        problems.append(f"stage1_records must name a record for each of {STAGE1_RECORDS}")
    _fail(problems)
    return Catalog(data.get("catalog", "ISO/IEC 42001:2023"), data.get("version", ""), groups, reqs,
                   objectives, sources, records, tuple((k, stage1[k]) for k in STAGE1_RECORDS))


def load_json(name: str, directory: Path | None = None) -> dict:
    """A JSON file from the catalogue folder; a missing or malformed file is a CatalogError."""
    path = (directory or CATALOG_DIR) / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogError(f"cannot read catalogue file {path.name}: {exc}") from exc


@lru_cache(maxsize=4)
def load(directory: str | None = None) -> Catalog:
    """The validated catalogue (cached; the files do not change while the app runs)."""
    d = Path(directory) if directory else None
    return parse(load_json("iso42001.json", d), load_json("annex_c.json", d))
