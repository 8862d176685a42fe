"""The AI system inventory: one register per workspace (ISO/IEC 42001 A.4, 4.3).

Systems are keyed by IDs local to the workspace ('AIS-001'). Names are unique within a
workspace (case-insensitive). Retiring keeps the system, and its history, in the register.
The EU AI Act category is set by the classification wizard, never typed here.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, raise_if, text
from aims.store import conflicts, db

LIFECYCLE = ("idea", "design", "development", "validation", "deployed", "retired")
SOURCING = ("built in-house", "fine-tuned", "vendor API", "embedded in a bought product")
MODEL_TYPES = ("classical ML", "deep learning", "LLM", "computer vision", "speech", "rules plus ML", "other")
AUTOMATION = ("advisory", "human in the loop", "human on the loop", "fully automated")
ORG_ROLES = ("provider", "deployer", "importer", "distributor", "product manufacturer",
             "authorised representative")
STATUSES = ("active", "retired")
CATEGORIES = ("not classified", "prohibited", "high-risk", "limited", "minimal")

# field -> (label, kind); kind: short, long, enum tuple, bool, date
FIELDS: dict[str, tuple[str, object]] = {
    "name": ("Name", "short"), "description": ("Description", "long"),
    "business_owner": ("Business owner", "short"), "technical_owner": ("Technical owner", "short"),
    "business_unit": ("Business unit", "short"), "purpose": ("Purpose", "long"),
    "intended_use": ("Intended uses and users", "long"), "foreseeable_misuse": ("Reasonably foreseeable misuse", "long"),
    "lifecycle_stage": ("Life-cycle stage", LIFECYCLE), "sourcing": ("Sourcing", SOURCING),
    "vendor": ("Vendor", "short"), "model": ("Model", "short"), "model_type": ("Model type", MODEL_TYPES),
    "data_sources": ("Data sources", "long"), "personal_data": ("Personal data used", "bool"),
    "special_categories": ("Special categories of personal data", "bool"),
    "affected_persons": ("Affected persons", "long"), "automation": ("Level of automation", AUTOMATION),
    "oversight": ("Human oversight mechanism", "long"), "org_role": ("Organisation's role", ORG_ROLES),
    "eu_market": ("Placed on or used in the EU market", "bool"), "gpai": ("General-purpose AI model involved", "bool"),
    "last_review": ("Last review", "date"), "next_review": ("Next review", "date"),
}
DEFAULTS = {"lifecycle_stage": "idea", "sourcing": "built in-house", "model_type": "other", "automation": "advisory",
            "org_role": "deployer", "personal_data": False, "special_categories": False, "eu_market": True,
            "gpai": False}
_TRUE, _FALSE = ("true", "yes", "y", "1", "x"), ("false", "no", "n", "0", "")


def _bool(value, label: str, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    if blank(value):
        return False
    v = str(value).strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    problems.append(f"{label} must be yes or no, not {value!r}.")
    return False


def clean(data: dict, *, partial: bool = False) -> dict:
    """Validated system fields; with partial=True only the fields given. Raises ValidationError."""
    p: list[str] = []
    out: dict = {}
    unknown = [k for k in data if k not in FIELDS]
    if unknown:
        p.append(f"Unknown field(s): {', '.join(map(str, unknown))}.")
    for field, (label, kind) in FIELDS.items():
        if partial and field not in data:
            continue
        value = data.get(field)
        if kind == "short":
            out[field] = text(value, label, p, required=field == "name")
        elif kind == "long":
            out[field] = text(value, label, p, limit=LONG_TEXT)
        elif kind == "bool":
            out[field] = _bool(value if field in data else DEFAULTS[field], label, p)
        elif kind == "date":
            out[field] = day(value, label, p)
        else:
            out[field] = choice(value, label, kind, p, default=DEFAULTS[field])
    if out.get("last_review") and out.get("next_review") and out["next_review"] < out["last_review"]:
        p.append("Next review cannot be before the last review.")
    if out.get("special_categories") and "personal_data" in out and not out["personal_data"]:
        p.append("Special categories of personal data imply personal data: tick 'Personal data used' too.")
    raise_if(p)
    return out


def list_systems(con, workspace_id: int, include_retired: bool = True) -> pd.DataFrame:
    """The register, ordered by ID."""
    sql = "SELECT * FROM ai_system WHERE workspace_id = ?" + ("" if include_retired else " AND status = 'active'")
    with db.reading(con) as cur:
        return cur.execute(sql + " ORDER BY id", [int(workspace_id)]).df()


def get(con, workspace_id: int, system_id: str) -> dict | None:
    with db.reading(con) as cur:
        df = cur.execute("SELECT * FROM ai_system WHERE workspace_id = ? AND id = ?", [int(workspace_id), system_id]).df()
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    for f in ("last_review", "next_review"):
        row[f] = None if pd.isna(row[f]) else pd.Timestamp(row[f]).date()
    return row


def _names_taken(cur, workspace_id: int, except_id: str | None = None) -> set[str]:
    rows = cur.execute("SELECT lower(name) FROM ai_system WHERE workspace_id = ? AND id IS DISTINCT FROM ?",
                       [int(workspace_id), except_id]).fetchall()
    return {r[0] for r in rows}


def create_many(con, workspace_id: int, rows: list[dict], who: str | None = None) -> list[str]:
    """Add several systems all-or-nothing; returns their new IDs. Every row is validated first
    (problems are prefixed 'Row N:'), names must be new and distinct."""
    cleaned, problems = [], []
    for n, data in enumerate(rows, start=1):
        try:
            cleaned.append(clean(data))
        except ValidationError as exc:
            problems.extend(f"Row {n}: {m}" for m in exc.problems)
    raise_if(problems)
    now = datetime.now()
    ids = []
    with db.writing(con) as cur:
        db.require_workspace(cur, workspace_id)
        members.require(cur, workspace_id, EDIT)
        taken = _names_taken(cur, workspace_id)
        for n, row in enumerate(cleaned, start=1):
            if row["name"].lower() in taken:
                problems.append(f"Row {n}: an AI system named {row['name']!r} already exists in this workspace.")
            taken.add(row["name"].lower())
        raise_if(problems)
        cols = list(FIELDS)
        for row in cleaned:
            new_id = db.next_local_id(cur, "ai_system", workspace_id, "AIS")
            cur.execute("INSERT INTO ai_system (workspace_id, id, " + ", ".join(cols) + ", created_at, updated_at)"
                        " VALUES (" + ", ".join(["?"] * (len(cols) + 4)) + ")",
                        [int(workspace_id), new_id] + [row[c] for c in cols] + [now, now])
            db.log_diff(cur, int(workspace_id), "ai_system", new_id, {}, row, who)
            ids.append(new_id)
    return ids


def create(con, workspace_id: int, data: dict, who: str | None = None) -> str:
    """Add one system; returns its ID ('AIS-007')."""
    try:
        return create_many(con, workspace_id, [data], who)[0]
    except ValidationError as exc:
        raise type(exc)([m.removeprefix("Row 1: ") for m in exc.problems]) from None   # AccessDenied stays one


def update(con, workspace_id: int, system_id: str, data: dict, who: str | None = None,
           base: dict | None = None) -> int:
    """Change fields of a system; returns the number of fields changed. `base` holds the values
    the user's form showed: fields left as shown are not written, and a field someone else
    changed since raises conflicts.EditConflict (see aims.store.conflicts)."""
    row = clean(data, partial=True)
    with db.transaction(con) as tx:
        cur = tx.cur
        members.require(cur, workspace_id, EDIT)
        old = get(tx, workspace_id, system_id)
        if old is None:
            raise ValidationError(f"There is no AI system {system_id!r} in this workspace.")
        if base is not None:
            try:
                seen = clean({k: v for k, v in base.items() if k in FIELDS}, partial=True)
            except ValidationError:
                seen = dict(base)
            row, found = conflicts.settle(system_id, old, row, seen)
            conflicts.raise_if_conflicts(cur, int(workspace_id), "ai_system", found,
                                         {f: label for f, (label, _) in FIELDS.items()})
        if row.get("special_categories") and not row.get("personal_data", old["personal_data"]):
            raise ValidationError("Special categories of personal data imply personal data: "
                                  "tick 'Personal data used' too.")
        if "name" in row and row["name"].lower() in _names_taken(cur, workspace_id, system_id):
            raise ValidationError(f"An AI system named {row['name']!r} already exists in this workspace.")
        changed = {k: v for k, v in row.items() if db._text(v) != db._text(old[k])}
        if not changed:
            return 0
        cur.execute("UPDATE ai_system SET " + ", ".join(f"{k} = ?" for k in changed) + ", updated_at = ?"
                    " WHERE workspace_id = ? AND id = ?",
                    list(changed.values()) + [datetime.now(), int(workspace_id), system_id])
        return db.log_diff(cur, int(workspace_id), "ai_system", system_id, old, changed, who)


def retire(con, workspace_id: int, system_id: str, who: str | None = None) -> None:
    """Mark a system retired (stage and status); it stays in the register and its history."""
    old = get(con, workspace_id, system_id)
    if old is None:
        raise ValidationError(f"There is no AI system {system_id!r} in this workspace.")
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        cur.execute("UPDATE ai_system SET status = 'retired', lifecycle_stage = 'retired', updated_at = ?"
                    " WHERE workspace_id = ? AND id = ?", [datetime.now(), int(workspace_id), system_id])
        db.log_diff(cur, int(workspace_id), "ai_system", system_id,
                    {"status": old["status"], "lifecycle_stage": old["lifecycle_stage"]},
                    {"status": "retired", "lifecycle_stage": "retired"}, who)


def set_category(con, workspace_id: int, system_id: str, category: str, who: str | None = None) -> None:
    """Record the EU AI Act category (called by the classification wizard only)."""
    if category not in CATEGORIES:
        raise ValidationError(f"Unknown EU AI Act category {category!r}.")
    old = get(con, workspace_id, system_id)
    if old is None:
        raise ValidationError(f"There is no AI system {system_id!r} in this workspace.")
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        cur.execute("UPDATE ai_system SET ai_act_category = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                    [category, datetime.now(), int(workspace_id), system_id])
        db.log_change(cur, int(workspace_id), "ai_system", system_id, "ai_act_category", old["ai_act_category"],
                      category, who)


# ---- CSV import --------------------------------------------------------------------------------

CSV_MAX_BYTES = 2_000_000
CSV_MAX_ROWS = 2000


def csv_template() -> bytes:
    """A CSV with the importable columns and one example row."""
    example = {"name": "Invoice classifier", "business_owner": "Finance", "lifecycle_stage": "deployed",
               "sourcing": "vendor API", "model_type": "LLM", "automation": "human in the loop",
               "org_role": "deployer", "personal_data": "no", "eu_market": "yes"}
    return pd.DataFrame([{f: example.get(f, "") for f in FIELDS}]).to_csv(index=False).encode("utf-8")
