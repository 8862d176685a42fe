"""Starting content for governance records, loaded from data/catalog/governance.json and
validated at load: the ethical principles offered for the AI policy, the standard AI roles with a
one-sentence responsibility each, the main activities of the RACI matrix, and the requirements
the AI policy evidences. Every requirement ID must exist in the ISO/IEC 42001 catalogue, and every
activity belongs to one of the activity groups (the RACI shows one group at a time)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from aims.catalog.standard import Catalog, CatalogError, load_json
from aims.catalog.standard import load as load_catalog

# The RACI matrix shows one group of activities at a time, one column each under its short name:
# these limits keep a group on a 1440 px screen.
SHORT_MAX, GROUP_MAX = 10, 8


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    requirements: tuple[str, ...]
    short: str = ""          # a column header for narrow tables
    group: str = ""          # the id of its ActivityGroup


@dataclass(frozen=True)
class ActivityGroup:
    id: str
    name: str
    note: str = ""


@dataclass(frozen=True)
class GovernanceContent:
    version: str
    policy_requirements: tuple[str, ...]
    principles: dict[str, str]            # name -> what it means (own words)
    roles: dict[str, str]                 # standard role name -> responsibilities
    activities: tuple[Activity, ...]
    groups: tuple[ActivityGroup, ...] = ()

    def activity_names(self) -> dict[str, str]:
        return {a.id: a.name for a in self.activities}


def parse(data: dict, catalog: Catalog) -> GovernanceContent:
    """Build and validate the content; unknown requirement IDs or duplicates are a CatalogError."""
    problems: list[str] = []
    known = set(catalog.requirements)
    policy_reqs = tuple(data.get("policy_requirements", []))
    groups = tuple(ActivityGroup(g["id"], g["name"], g.get("note", "")) for g in data.get("activity_groups", []))
    activities = tuple(Activity(a["id"], a["name"], tuple(a.get("requirements", [])), a.get("short") or a["name"],
                                a.get("group", ""))
                       for a in data.get("activities", []))
    group_ids = {g.id for g in groups}
    for a in activities:
        if a.group not in group_ids:
            problems.append(f"activity {a.id} belongs to no activity group (group {a.group!r})")
        if len(a.short) > SHORT_MAX:
            problems.append(f"activity {a.id}: its short name {a.short!r} is longer than {SHORT_MAX} characters")
    for g in groups:
        if sum(a.group == g.id for a in activities) > GROUP_MAX:
            problems.append(f"activity group {g.id} has more than {GROUP_MAX} activities")
    for rid in policy_reqs + tuple(r for a in activities for r in a.requirements):
        if rid not in known:
            problems.append(f"governance content names unknown requirement {rid}")
    for what, names in (("principle", [p["name"] for p in data.get("principles", [])]),
                        ("role", [r["name"] for r in data.get("roles", [])]),
                        ("activity", [a.id for a in activities]),
                        ("activity group", [g.id for g in groups]),
                        ("activity short name", [a.short for a in activities])):
        if len(set(n.lower() for n in names)) != len(names):
            problems.append(f"duplicate {what} in governance content")
        if not names:
            problems.append(f"governance content has no {what}s")
    if problems:
        raise CatalogError("catalogue error: " + "; ".join(problems))
    return GovernanceContent(
        data.get("version", ""), policy_reqs,
        {p["name"]: p.get("meaning", "") for p in data.get("principles", [])},
        {r["name"]: r.get("responsibilities", "") for r in data.get("roles", [])},
        activities, groups)


@lru_cache(maxsize=1)
def load() -> GovernanceContent:
    """The validated governance content (cached; the file does not change while the app runs)."""
    return parse(load_json("governance.json"), load_catalog())
