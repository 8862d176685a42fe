"""No lost update: a save writes only what its user changed, and refuses a field someone else
changed since the user's form or table was loaded.

Contract:
- Every save takes, beside the new values (`changes`), the values the user's form or table showed
  for those fields when it was loaded (`base`, None for writers without a screen: imports,
  scripts). Inside its write transaction it reads the stored record and calls `settle`.
- `settle` keeps a field only when the user changed it (new value differs from base); a kept field
  whose stored value differs from both base and the new value was changed by someone else
  meanwhile: a `Conflict` (theirs, yours). Equal values on both sides are no conflict.
- A save with any conflict raises `EditConflict` (a ValidationError listing both values per
  field) before writing anything; the screen offers the choice, and saving again with
  base = theirs for the fields the user keeps is how "use mine" is expressed.
The base values make the record's version: this holds for forms and tables alike, and across
processes, as long as the read and the write share one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from aims.common.validate import ValidationError


@dataclass(frozen=True)
class Conflict:
    """A field changed both by this save and, since its form was loaded, by someone else."""
    record: str        # the record's ID, as the user knows it ("R-003", "A.2.2")
    field: str
    base: Any          # what the user's form showed
    theirs: Any        # what is stored now
    yours: Any         # what this save would write
    by: str = ""       # who saved theirs, from the change log ("" when unknown)
    at: datetime | None = None
    label: str = ""    # the field's name on screen ("" means the field name)


class EditConflict(ValidationError):
    """Raised when a save would overwrite someone else's newer value; nothing was written."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = list(conflicts)
        super().__init__([describe(c) for c in self.conflicts])


class WriteConflict(ValidationError):
    """The database refused a write because another transaction changed the same rows at the same
    moment; nothing was written. Safe to retry (see `retrying`)."""

    def __init__(self):
        super().__init__("Someone else saved the same records at the same moment, so nothing of yours was "
                         "saved. Save again.")


def describe(c: Conflict) -> str:
    """One line for the user: the field, their value and the other person's."""
    who = f"{c.by} saved" if c.by else "someone else saved"
    when = f" at {c.at:%H:%M}" if isinstance(c.at, datetime) else ""
    return (f"{c.record} {c.label or c.field.replace('_', ' ')}: since you opened it, {who}{when} "
            f"“{shown(c.theirs)}”; yours is “{shown(c.yours)}”.")


def shown(value: Any) -> str:
    """A stored or typed value as text for a message ('(empty)' for blanks)."""
    v = normal(value)
    if v is None:
        return "(empty)"
    if isinstance(v, tuple):
        return "; ".join(str(x) for x in v) or "(empty)"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def normal(value: Any) -> Any:
    """A value in one canonical form, so a form's date equals the database's Timestamp, 3 equals
    3.0, and None, NaN and '' are all blank."""
    if value is None:
        return None
    if isinstance(value, datetime) and value != value:   # NaT is a datetime that equals nothing
        return None
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):   # numpy arrays and scalars
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(normal(v) for v in value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return None if value != value else float(value)
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        import pandas as pd
        if value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


def same(a: Any, b: Any) -> bool:
    """True when two values are equal once in canonical form (see `normal`)."""
    return normal(a) == normal(b)


def settle(record: str, stored: dict, changes: dict, base: dict | None) -> tuple[dict, list[Conflict]]:
    """Split one record's `changes` into the fields to write and the conflicts.

    `stored` is the record as it is now (read inside the write transaction; {} for a new record);
    `base` the values the user's screen showed for the changed fields (None: write every change,
    no check). A field the user left as shown is dropped, so a newer value stays.
    """
    if base is None:
        return dict(changes), []
    write, found = {}, []
    for field, yours in changes.items():
        if field not in base:           # a field the screen did not show: nothing to compare with
            write[field] = yours
            continue
        seen = base[field]
        if same(yours, seen):
            continue                     # not changed by this user
        theirs = stored.get(field)
        if not same(theirs, seen) and not same(theirs, yours):
            found.append(Conflict(str(record), field, seen, theirs, yours))
        else:
            write[field] = yours
    return write, found


def raise_if_conflicts(cur, workspace_id: int | None, entity: str, found: list[Conflict],
                       fields: dict[str, str] | None = None, logged_as: Callable[[str], str] = str,
                       field_as: Callable[[str], str] = str) -> None:
    """Raise EditConflict for `found` (no-op when empty), naming who saved each newer value and
    when, from the change log. `fields` maps stored field names to the labels users know;
    `logged_as(record)` and `field_as(field)` name them as the change log does, when it differs."""
    if not found:
        return
    out = []
    for c in found:
        row = cur.execute(
            "SELECT changed_by, changed_at FROM change_log WHERE workspace_id IS NOT DISTINCT FROM ? AND entity = ?"
            " AND entity_id = ? AND field = ? ORDER BY changed_at DESC, id DESC LIMIT 1",
            [workspace_id, entity, logged_as(c.record), field_as(c.field)]).fetchone()
        by, at = row or ("", None)
        out.append(Conflict(c.record, c.field, c.base, c.theirs, c.yours, by, at, (fields or {}).get(c.field, "")))
    raise EditConflict(out)
