"""Roadmap progress and the readiness forecast: pure functions over an actions frame.

The frame has one row per action with at least `effort_days` (float, person-days from the
workspace's effort scale), `status`, `percent` (0-100), `done_at`, `start`, `due` (dates or None);
`phase_id` and `owner` for the per-phase and per-owner views. `roadmap.actions()` returns it.

Rules (the page shows them in plain words):
- Earned effort = each action's effort x its percent complete (a done action counts in full).
  Progress % = earned / total effort. Remaining = total - earned.
- Planned effort by a day: each action's effort accrues evenly from its start to its due date
  (all of it on the due date when there is no start; never when there is no due date).
- Overdue: due before today and not done.
- Pace = effort of the actions marked done during the measuring window / its length in days.
  The window ends today and starts when the roadmap started (the earliest action start or done
  date), but covers at least 14 and at most 84 days (12 weeks), so one early success does not
  make a pace and the forecast follows the recent rhythm.
- Forecast ready date = today + remaining / pace, rounded up to a whole day. With nothing done
  in the window there is no pace and no forecast (never an invented date).
- Against the target date: slip = ready date - target date (positive = late).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

MIN_WINDOW_DAYS = 14
MAX_WINDOW_DAYS = 84
DONE = "done"


@dataclass(frozen=True)
class Forecast:
    total: float
    earned: float
    remaining: float
    progress_pct: float | None       # None when there is no effort at all
    planned_pct: float | None        # share of the effort planned to be earned by today
    window_days: int | None
    done_in_window: float
    pace: float | None               # effort days per calendar day; None without progress
    ready: date | None
    target: date | None
    slip_days: int | None            # ready - target; positive means late
    required_pace: float | None      # pace needed to finish by the target date
    state: str                       # no actions / complete / no progress / no target / ahead / on time / behind
    sentence: str


def _day(value) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def earned(actions: pd.DataFrame) -> pd.Series:
    """Effort earned per action: effort x percent complete; done actions count in full."""
    pct = actions["percent"].fillna(0).astype(float).clip(0, 100) / 100.0
    pct = pct.where(actions["status"] != DONE, 1.0)
    return actions["effort_days"].astype(float) * pct


def planned_share(actions: pd.DataFrame, day: date) -> pd.Series:
    """Per action, the share (0-1) of its effort planned to be done by the end of `day`: none
    without a due date, all from the due date on, else the part of its start-to-due window that
    has passed (none when it has no start or a window of no days)."""
    shares = _shares(_days(actions["start"]), _days(actions["due"]), np.array([_epoch_day(day)]))
    return pd.Series(shares[0], index=actions.index, dtype=float)


def _epoch_day(day: date) -> float:
    return float((day - date(1970, 1, 1)).days)


def _days(values) -> np.ndarray:
    """Dates as days since 1970-01-01 (float, NaN when missing)."""
    arr = pd.to_datetime(pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values) \
        .to_numpy("datetime64[D]")
    out = arr.astype("int64").astype(float)
    out[np.isnat(arr)] = np.nan
    return out


def _shares(start: np.ndarray, due: np.ndarray, days: np.ndarray) -> np.ndarray:
    """planned_share for many days at once: a (days x actions) matrix (see planned_share)."""
    d = days[:, None]
    span = due - start
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(span > 0, (d - start) / np.where(span > 0, span, 1.0), np.nan)
    share = np.nan_to_num(np.clip(share, 0.0, 1.0), nan=0.0)
    share = np.where(d >= due, 1.0, share)          # NaN due compares False: handled next
    return np.where(np.isnan(due), 0.0, share)


def overdue(actions: pd.DataFrame, today: date) -> pd.Series:
    """True for actions whose due date has passed and that are not done."""
    due = pd.to_datetime(actions["due"])
    return (due < pd.Timestamp(today)).fillna(False).astype(bool) & (actions["status"] != DONE)


def humanize_days(days: int) -> str:
    """'1 day', '10 days', '3 weeks' (from 14 days), '5 months' (from 60 days)."""
    days = abs(int(days))
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 60:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    months = round(days / 30.4)
    return f"{months} months"


def roadmap_start(actions: pd.DataFrame) -> date | None:
    """The earliest action start or done date (when the roadmap started), or None."""
    days = [d for d in (_day(v) for v in list(actions["start"]) + list(actions["done_at"])) if d]
    return min(days) if days else None


def forecast(actions: pd.DataFrame, today: date, target: date | None) -> Forecast:
    """The readiness forecast for a set of actions (see the module rules), with its sentence."""
    total = float(actions["effort_days"].astype(float).sum()) if len(actions) else 0.0
    got = float(earned(actions).sum()) if len(actions) else 0.0
    remaining = max(0.0, total - got)
    progress = None if total == 0 else round(100.0 * got / total, 1)
    planned = None if total == 0 else round(
        100.0 * float((planned_share(actions, today) * actions["effort_days"].astype(float)).sum()) / total, 1)
    days_left = (target - today).days if target else None
    required = remaining / days_left if target and days_left and days_left > 0 else None

    def result(state, sentence, window=None, done=0.0, pace=None, ready=None, slip=None):
        return Forecast(total, got, remaining, progress, planned, window, done, pace, ready, target, slip,
                        required, state, sentence)

    if total == 0:
        return result("no actions", "No forecast yet: the roadmap has no actions. "
                                    "Generate them from the gaps or add them by hand.")
    if remaining <= 1e-9:
        return result("complete", f"Every action is done ({total:g} effort days).")

    start = roadmap_start(actions) or today
    window = max(MIN_WINDOW_DAYS, min(MAX_WINDOW_DAYS, (today - start).days))
    since = today - timedelta(days=window)
    done_at = pd.to_datetime(actions["done_at"])
    in_window = (actions["status"] == DONE) & (done_at > pd.Timestamp(since)) & (done_at <= pd.Timestamp(today))
    done = float(actions.loc[in_window.fillna(False).astype(bool), "effort_days"].astype(float).sum())
    if done == 0:
        return result("no progress", f"No forecast yet: no action was marked done in the last {window} days, "
                                     f"so there is no pace to project. {remaining:g} of {total:g} effort days remain.",
                      window=window)
    pace = done / window
    ready = today + timedelta(days=math.ceil(remaining / pace - 1e-9))
    if target is None:
        return result("no target", f"At this pace, ready around {ready.isoformat()}. "
                                   "Set a target certification date to compare against.",
                      window, done, pace, ready)
    slip = (ready - target).days
    if slip > 0:
        state, words = "behind", f"ready {humanize_days(slip)} after the target date"
    elif slip < 0:
        state, words = "ahead", f"ready {humanize_days(slip)} before the target date"
    else:
        state, words = "on time", "ready on the target date"
    return result(state, f"At this pace, {words} (forecast {ready.isoformat()}, target {target.isoformat()}).",
                  window, done, pace, ready, slip)


def burnup(actions: pd.DataFrame, today: date, end: date | None = None, step_days: int = 7) -> pd.DataFrame:
    """Cumulative planned and done effort by date, every `step_days` from the roadmap start to
    `end` (default: the last due date or today), always including today.

    Columns: day, planned (effort planned done by that day), done (effort of actions done by
    then; at today it is the earned effort including work in progress; None after today),
    total (the whole plan's effort).
    """
    if actions.empty:
        return pd.DataFrame(columns=["day", "planned", "done", "total"])
    start = roadmap_start(actions) or today
    dues = [d for d in (_day(v) for v in actions["due"]) if d]
    last = max([today] + dues + ([end] if end else []))
    days = sorted({start + timedelta(days=i) for i in range(0, (last - start).days + 1, step_days)} | {today, last})
    effort = actions["effort_days"].astype(float).to_numpy()
    finished = np.where((actions["status"] == DONE).to_numpy(), _days(actions["done_at"]), np.nan)
    total = float(effort.sum())
    got = float(earned(actions).sum())
    at = np.array([_epoch_day(d) for d in days])
    planned = _shares(_days(actions["start"]), _days(actions["due"]), at) @ effort
    done_by = (finished <= at[:, None]) @ effort      # a missing done date compares False
    rows = []
    for d, p, done in zip(days, planned.tolist(), done_by.tolist()):
        done = done if d < today else got if d == today else None
        rows.append({"day": d, "planned": round(p, 2), "done": None if done is None else round(done, 2),
                     "total": total})
    return pd.DataFrame(rows)


def phase_progress(actions: pd.DataFrame, phases: pd.DataFrame, today: date) -> pd.DataFrame:
    """One row per phase (in `phases` order): effort total, earned, progress % (None without
    actions), planned % by today, number of actions, done, overdue and blocked."""
    a = actions.assign(_earned=earned(actions) if len(actions) else 0.0,
                       _planned=(planned_share(actions, today) * actions["effort_days"].astype(float))
                       if len(actions) else 0.0,
                       _overdue=overdue(actions, today) if len(actions) else False)
    rows = []
    for ph in phases.itertuples():
        part = a[a["phase_id"] == ph.id]
        total = float(part["effort_days"].astype(float).sum())
        rows.append({
            "phase_id": ph.id, "name": ph.name, "start": ph.start, "finish": ph.finish,
            "actions": len(part), "done": int((part["status"] == DONE).sum()),
            "blocked": int((part["status"] == "blocked").sum()), "overdue": int(part["_overdue"].sum()),
            "effort": total, "earned": round(float(part["_earned"].sum()), 2),
            "progress_pct": None if total == 0 else round(100.0 * float(part["_earned"].sum()) / total, 1),
            "planned_pct": None if total == 0 else round(100.0 * float(part["_planned"].sum()) / total, 1),
        })
    return pd.DataFrame(rows, columns=["phase_id", "name", "start", "finish", "actions", "done", "blocked",
                                       "overdue", "effort", "earned", "progress_pct", "planned_pct"])


def workload(actions: pd.DataFrame, today: date) -> pd.DataFrame:
    """Open work per owner ('(no owner)' for blanks): remaining effort split by status, open and
    overdue counts; the heaviest load first."""
    cols = ["owner", "to do", "in progress", "blocked", "remaining", "open", "overdue"]
    if actions.empty:
        return pd.DataFrame(columns=cols)
    a = actions[actions["status"] != DONE].copy()
    if a.empty:
        return pd.DataFrame(columns=cols)
    a["owner"] = a["owner"].where(a["owner"].fillna("").str.strip() != "", "(no owner)")
    a["_left"] = a["effort_days"].astype(float) - earned(a)
    a["_overdue"] = overdue(a, today)
    by = a.pivot_table(index="owner", columns="status", values="_left", aggfunc="sum", fill_value=0.0)
    out = pd.DataFrame({"owner": by.index})
    for s in ("to do", "in progress", "blocked"):
        out[s] = by[s].to_numpy() if s in by else 0.0
    out["remaining"] = out[["to do", "in progress", "blocked"]].sum(axis=1).round(2)
    counts = a.groupby("owner").agg(open=("status", "size"), overdue=("_overdue", "sum"))
    out = out.merge(counts, left_on="owner", right_index=True)
    out["overdue"] = out["overdue"].astype(int)
    return out.sort_values(["remaining", "owner"], ascending=[False, True]).reset_index(drop=True)[cols]
