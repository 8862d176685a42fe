"""Roadmap charts: every coloured mark also carries its words or numbers."""
from datetime import date

import pandas as pd

from aims.roadmap import charts, forecast

TODAY = date(2026, 3, 2)
PHASES = pd.DataFrame({"id": ["PH-01", "PH-02"], "name": ["Gap analysis", "Annex A controls"],
                       "start": [date(2026, 1, 5), date(2026, 3, 1)], "finish": [date(2026, 2, 2), date(2026, 6, 1)]})


def actions():
    return pd.DataFrame({
        "id": ["ACT-001", "ACT-002", "ACT-003", "ACT-004"],
        "title": ["Rate 9.2.1", "Implement A.7.4 data quality checks", "Write the AI policy", "Undated"],
        "phase_id": ["PH-01", "PH-02", "PH-02", "PH-02"],
        "start": [date(2026, 1, 5), date(2026, 3, 1), date(2026, 1, 10), None],
        "due": [date(2026, 2, 1), date(2026, 5, 1), date(2026, 2, 20), None],
        "done_at": [date(2026, 1, 20), None, None, None],
        "status": ["done", "in progress", "blocked", "to do"], "percent": [100, 40, 10, 0],
        "overdue": [False, False, True, False], "owner": ["Ann Lee", "", "Bo Chen", ""],
        "priority": ["medium", "high", "critical", "low"], "effort_days": [2.0, 10.0, 5.0, 5.0]})


def test_gantt_lists_each_phase_before_its_actions_and_labels_status_in_words():
    acts = actions()
    fig = charts.gantt(PHASES, acts, TODAY, date(2026, 6, 1), forecast.phase_progress(acts, PHASES, TODAY))
    order = list(reversed(fig.layout.yaxis.categoryarray))   # plotly lists categories bottom-up
    assert order == ["<b>Gap analysis</b>", "ACT-001 Rate 9.2.1", "<b>Annex A controls</b>",
                     "ACT-003 Write the AI policy", "ACT-002 Implement A.7.4 data quality checks"]  # by start date
    words = {t for trace in fig.data for t in trace.text}
    assert {"100% done", "done", "in progress 40%", "⚠ overdue · blocked 10%"} <= words
    blocked = next(t for t in fig.data if t.name == "blocked")
    assert list(blocked.marker.line.width) == [3]                       # the overdue outline
    names = {t.name for t in fig.data}
    assert {"Phase (planned window)", "done", "in progress", "blocked"} <= names
    labels = [a.text for a in fig.layout.annotations]
    assert labels == ["Today", "Certificate target 2026-06-01"]


def test_a_done_action_is_drawn_until_the_day_it_was_done():
    fig = charts.gantt(PHASES, actions(), TODAY, None)
    done = next(t for t in fig.data if t.name == "done")
    assert pd.Timestamp(done.base[0]) == pd.Timestamp("2026-01-05")
    assert pd.Timedelta(milliseconds=done.x[0]) == pd.Timedelta(days=16)   # 5 to 20 January, inclusive


def test_burnup_names_every_line_and_marks_today_and_the_target():
    acts = actions()
    fc = forecast.forecast(acts, TODAY, date(2026, 6, 1))
    fig = charts.burnup(forecast.burnup(acts, TODAY), TODAY, date(2026, 6, 1), date(2026, 7, 1), fc.earned)
    assert [t.name for t in fig.data] == ["Scope (22 effort days)", "Planned", "Done",
                                          "Forecast at this pace (ready 2026-07-01)"]
    assert [a.text for a in fig.layout.annotations] == ["Today: 6.5 of 22 effort days earned",
                                                         "Certificate target 2026-06-01"]


def test_phase_progress_labels_each_bar():
    acts = actions()
    fig = charts.phase_progress(forecast.phase_progress(acts, PHASES, TODAY))
    labels = list(fig.data[2].text)
    assert labels[1] == "<b>100% done</b> · planned 100% · 1 of 1 action done"     # gap analysis (reversed order)
    assert labels[0].startswith("<b>22% done</b> · planned 26%")      # (4 + 0.5) / 20 = 22.5%
    assert "1 overdue" in labels[0] and "1 blocked" in labels[0]


def test_workload_labels_the_days_left_and_overdue():
    fig = charts.workload(forecast.workload(actions(), TODAY))
    assert [t.name for t in fig.data[:3]] == ["to do", "in progress", "blocked"]
    assert "4 d left · 1 open · 1 overdue" in list(fig.data[3].text)              # Bo Chen: 5 x 90%


def test_gantt_bars_run_from_start_to_the_day_after_the_end():
    acts = actions()
    fig = charts.gantt(PHASES, acts, TODAY, None)
    done = next(t for t in fig.data if t.name == "done")
    assert list(done.y) == ["ACT-001 Rate 9.2.1"]
    assert str(done.base[0])[:10] == "2026-01-05"
    assert done.x[0] == 16 * 86_400_000            # done on 2026-01-20: drawn through that day
    assert fig.layout.xaxis.type == "date" and fig.layout.barmode == "overlay"
