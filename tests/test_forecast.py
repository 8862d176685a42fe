"""Roadmap progress and the readiness forecast, with hand-computed examples."""
from datetime import date

import pandas as pd
import pytest

from aims.roadmap import forecast

TODAY = date(2026, 3, 2)
START = date(2026, 1, 5)   # 56 days before TODAY: the measuring window is 56 days


def frame(*rows):
    """Actions as (id, effort_days, status, percent, done_at, start, due, owner, phase_id)."""
    cols = ["id", "effort_days", "status", "percent", "done_at", "start", "due", "owner", "phase_id"]
    defaults = [None, 0.0, "to do", 0, None, START, date(2026, 6, 1), "", "PH-01"]
    return pd.DataFrame([list(r) + defaults[len(r):] for r in rows], columns=cols)


def steady():
    """Two done actions (10 + 10) in the window, one half done (20), one not started (40).
    Total 80, earned 10 + 10 + 10 = 30, remaining 50, pace 20 / 56 per day."""
    return frame(("A", 10.0, "done", 100, date(2026, 2, 1)),
                 ("B", 10.0, "done", 100, date(2026, 2, 20)),
                 ("C", 20.0, "in progress", 50),
                 ("D", 40.0, "to do", 0))


def test_no_progress_yet_gives_no_forecast_instead_of_an_invented_date():
    f = forecast.forecast(frame(("A", 10.0, "to do", 0), ("B", 5.0, "in progress", 40)), TODAY, date(2026, 6, 30))
    assert f.state == "no progress"
    assert f.ready is None and f.pace is None and f.slip_days is None
    assert f.earned == pytest.approx(2.0)            # 5 x 40%
    assert f.remaining == pytest.approx(13.0)
    assert f.progress_pct == pytest.approx(13.3)      # 2 / 15
    assert f.sentence.startswith("No forecast yet")
    assert "13 of 15 effort days remain" in f.sentence


def test_behind_at_this_pace_ready_three_weeks_after_the_target():
    # remaining 50 / (20 / 56 per day) = 140 days: 2026-03-02 + 140 = 2026-07-20; target 2026-06-29
    f = forecast.forecast(steady(), TODAY, date(2026, 6, 29))
    assert (f.total, f.earned, f.remaining) == (80.0, 30.0, 50.0)
    assert f.window_days == 56 and f.done_in_window == 20.0
    assert f.pace == pytest.approx(20 / 56)
    assert f.ready == date(2026, 7, 20)
    assert f.slip_days == 21 and f.state == "behind"
    assert f.sentence == ("At this pace, ready 3 weeks after the target date "
                          "(forecast 2026-07-20, target 2026-06-29).")
    assert f.required_pace == pytest.approx(50 / 119)  # 119 days left to the target


def test_ahead_at_this_pace_ready_six_weeks_before_the_target():
    f = forecast.forecast(steady(), TODAY, date(2026, 8, 31))
    assert f.ready == date(2026, 7, 20) and f.slip_days == -42 and f.state == "ahead"
    assert "ready 6 weeks before the target date" in f.sentence


def test_on_the_target_date_and_without_a_target():
    assert forecast.forecast(steady(), TODAY, date(2026, 7, 20)).state == "on time"
    f = forecast.forecast(steady(), TODAY, None)
    assert f.state == "no target" and f.ready == date(2026, 7, 20)
    assert "ready around 2026-07-20" in f.sentence and "Set a target" in f.sentence


def test_the_window_covers_at_most_twelve_weeks_so_old_work_does_not_make_the_pace():
    # roadmap started 2025-10-01: window capped at 84 days (since 2025-12-08)
    df = frame(("A", 30.0, "done", 100, date(2025, 11, 1), date(2025, 10, 1)),
               ("B", 7.0, "done", 100, date(2026, 2, 1), date(2025, 10, 1)),
               ("C", 12.0, "to do", 0, None, date(2025, 10, 1)))
    f = forecast.forecast(df, TODAY, None)
    assert f.window_days == 84 and f.done_in_window == 7.0     # A counts in earned, not in the pace
    assert f.remaining == 12.0
    assert f.ready == date(2026, 3, 2) + pd.Timedelta(days=144).to_pytimedelta()   # 12 / (7/84) = 144


def test_the_window_is_at_least_two_weeks_so_one_early_success_is_no_pace():
    # started 3 days ago, 2 days done: pace 2/14, not 2/3
    df = frame(("A", 2.0, "done", 100, date(2026, 3, 1), date(2026, 2, 27)),
               ("B", 4.0, "to do", 0, None, date(2026, 2, 27)))
    f = forecast.forecast(df, TODAY, None)
    assert f.window_days == 14 and f.ready == date(2026, 3, 30)   # 4 / (2/14) = 28 days


def test_complete_and_empty_roadmaps():
    done = frame(("A", 5.0, "done", 100, date(2026, 2, 1)))
    assert forecast.forecast(done, TODAY, date(2026, 6, 1)).state == "complete"
    empty = forecast.forecast(frame(), TODAY, date(2026, 6, 1))
    assert empty.state == "no actions" and empty.progress_pct is None and "no actions" in empty.sentence


def test_a_done_action_counts_in_full_whatever_its_percent_says():
    assert list(forecast.earned(frame(("A", 10.0, "done", 30), ("B", 10.0, "blocked", 30)))) == [10.0, 3.0]


def test_planned_effort_accrues_evenly_from_start_to_due():
    df = frame(("A", 10.0, "to do", 0, None, date(2026, 1, 1), date(2026, 1, 11)),
               ("B", 4.0, "to do", 0, None, None, date(2026, 1, 8)),      # no start: all on the due date
               ("C", 4.0, "to do", 0, None, date(2026, 1, 1), None))       # no due date: never planned
    assert list(forecast.planned_share(df, date(2025, 12, 31))) == [0.0, 0.0, 0.0]
    assert list(forecast.planned_share(df, date(2026, 1, 6))) == [0.5, 0.0, 0.0]
    assert list(forecast.planned_share(df, date(2026, 1, 8))) == [0.7, 1.0, 0.0]
    assert list(forecast.planned_share(df, date(2026, 2, 1))) == [1.0, 1.0, 0.0]


def test_overdue_means_due_before_today_and_not_done():
    df = frame(("A", 1.0, "to do", 0, None, START, date(2026, 3, 1)),
               ("B", 1.0, "done", 100, date(2026, 2, 1), START, date(2026, 3, 1)),
               ("C", 1.0, "blocked", 0, None, START, date(2026, 3, 2)),
               ("D", 1.0, "to do", 0, None, START, None))
    assert list(forecast.overdue(df, TODAY)) == [True, False, False, False]


@pytest.mark.parametrize("days,words", [(1, "1 day"), (13, "13 days"), (14, "2 weeks"), (21, "3 weeks"),
                                        (59, "8 weeks"), (60, "2 months"), (-140, "5 months")])
def test_durations_in_plain_words(days, words):
    assert forecast.humanize_days(days) == words


def test_burnup_planned_and_done_by_week_with_earned_today():
    df = frame(("A", 10.0, "done", 100, date(2026, 1, 10), date(2026, 1, 5), date(2026, 1, 19)),
               ("B", 10.0, "in progress", 50, None, date(2026, 1, 5), date(2026, 1, 19)))
    b = forecast.burnup(df, date(2026, 1, 14), end=date(2026, 1, 26))
    assert list(b["day"]) == [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 14), date(2026, 1, 19),
                              date(2026, 1, 26)]
    assert list(b["planned"]) == [0.0, 10.0, 12.86, 20.0, 20.0]   # 2 x 10 x 7/14, then 2 x 10 x 9/14
    assert list(b["done"])[:3] == [0.0, 10.0, 15.0]                # today: earned incl. half of B
    assert b["done"].iloc[3:].isna().all() and set(b["total"]) == {20.0}


def test_progress_per_phase_is_weighted_by_effort():
    df = frame(("A", 10.0, "done", 100, date(2026, 2, 1), START, date(2026, 2, 1), "", "PH-01"),
               ("B", 30.0, "in progress", 50, None, START, date(2026, 4, 1), "", "PH-01"),
               ("C", 5.0, "blocked", 0, None, START, date(2026, 2, 1), "", "PH-02"))
    phases = pd.DataFrame({"id": ["PH-01", "PH-02", "PH-03"], "name": ["One", "Two", "Three"],
                           "start": [START] * 3, "finish": [date(2026, 4, 1)] * 3})
    out = forecast.phase_progress(df, phases, TODAY).set_index("phase_id")
    assert out.at["PH-01", "progress_pct"] == 62.5          # (10 + 15) / 40, not the 75% of a plain average
    assert out.at["PH-02", "progress_pct"] == 0.0 and out.at["PH-02", "blocked"] == 1
    assert out.at["PH-02", "overdue"] == 1
    assert pd.isna(out.at["PH-03", "progress_pct"]) and out.at["PH-03", "actions"] == 0


def test_workload_per_owner_counts_what_is_left():
    df = frame(("A", 10.0, "to do", 0, None, START, date(2026, 2, 1), "Ann Lee"),
               ("B", 20.0, "in progress", 50, None, START, date(2026, 6, 1), "Ann Lee"),
               ("C", 5.0, "blocked", 0, None, START, date(2026, 6, 1), ""),
               ("D", 8.0, "done", 100, date(2026, 2, 1), START, date(2026, 6, 1), "Bo Chen"))
    w = forecast.workload(df, TODAY)
    assert list(w["owner"]) == ["Ann Lee", "(no owner)"]
    ann = w.iloc[0]
    assert (ann["to do"], ann["in progress"], ann["remaining"], ann["open"], ann["overdue"]) == (10.0, 10.0, 20.0, 2, 1)
    assert w.iloc[1]["blocked"] == 5.0
