"""Input checks shared by every write path. A failed check raises ValidationError before
anything is written; its `problems` list holds one plain-language message per problem."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

SHORT_TEXT = 200      # names, owners, titles
LONG_TEXT = 5000      # notes, descriptions, evidence


class ValidationError(ValueError):
    """Raised with every problem found, so the user can fix them all at once."""

    def __init__(self, problems: str | Iterable[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def blank(value: Any) -> bool:
    """True for None, NaN, NaT and empty or whitespace-only text."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        import pandas as pd
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text(value: Any, label: str, problems: list[str], *, limit: int = SHORT_TEXT,
         required: bool = False) -> str:
    """Trimmed text; records a problem when required and empty or longer than `limit`."""
    if blank(value):
        if required:
            problems.append(f"{label} is required.")
        return ""
    if not isinstance(value, str):
        value = str(value)
    value = value.strip()
    if len(value) > limit:
        problems.append(f"{label} is {len(value)} characters long; the limit is {limit}.")
    return value


def integer(value: Any, label: str, problems: list[str], *, low: int, high: int,
            allow_none: bool = True) -> int | None:
    """An int in [low, high] (None allowed when allow_none); records a problem otherwise."""
    if blank(value):
        if not allow_none:
            problems.append(f"{label} is required.")
        return None
    if isinstance(value, bool):
        problems.append(f"{label} must be a whole number from {low} to {high}.")
        return None
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        problems.append(f"{label} must be a whole number from {low} to {high}, not {value!r}.")
        return None
    if as_float != int(as_float) or not low <= as_float <= high:
        problems.append(f"{label} must be a whole number from {low} to {high}, not {value!r}.")
        return None
    return int(as_float)


def choice(value: Any, label: str, allowed: Iterable[str], problems: list[str], *,
           default: str | None = None) -> str | None:
    """One of `allowed` (exact match after trimming); blank gives `default`."""
    allowed = list(allowed)
    if blank(value):
        if default is None:
            problems.append(f"{label} is required (one of: {', '.join(allowed)}).")
        return default
    value = str(value).strip()
    if value not in allowed:
        problems.append(f"{label} must be one of: {', '.join(allowed)}; got {value!r}.")
        return default
    return value


def day(value: Any, label: str, problems: list[str]) -> date | None:
    """A date from a date, datetime, pandas Timestamp or ISO text (YYYY-MM-DD); blank is None."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        problems.append(f"{label} must be a date like 2027-03-31, not {value!r}.")
        return None


def raise_if(problems: list[str]) -> None:
    """Raise ValidationError when any problem was recorded."""
    if problems:
        raise ValidationError(problems)


def id_list(value: Any) -> list[str]:
    """IDs from a list (or array) or from text separated by ';' or ','; duplicates dropped, order
    kept. '6.1.2 AI risk assessment' reads as '6.1.2' (forms and editors may send labels)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple, set)):
        items = list(value)
    elif blank(value):
        return []
    else:
        items = str(value).replace(",", ";").split(";")
    return list(dict.fromkeys(str(i).strip().split(" ")[0] for i in items if not blank(i)))
