"""Trends of the headline figures: weeks rebuilt by undoing the change log, baselines as exact
named points, and now equal to the figures the pages show; hand-computed examples."""
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from helpers import rows

from aims.assessment import requirements as assessments
from aims.governance import documents
from aims.progress import charts, trends
from aims.reports import dashboard, overview
from aims.risk import register as risks
from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases
from aims.store import db

# ---- pure helpers ---------------------------------------------------------------------------------------

T = pd.Timestamp


def test_undoing_the_log_brings_back_old_values_deleted_records_and_forgets_new_ones():
    current = {"R-002": {"status": "open", "inherent_likelihood": 2}}
    born = {"R-002": T("2026-03-10")}
    log = [  # (when, id, field, old, new), oldest first
        (T("2026-03-02"), "R-001", "status", None, "open"),            # R-001 created ...
        (T("2026-03-02"), "R-001", "inherent_likelihood", None, "4"),
        (T("2026-03-05"), "R-001", "inherent_likelihood", "4", "3"),
        (T("2026-03-09"), "R-001", "deleted", "Drift", None),           # ... and deleted
        (T("2026-03-10"), "R-002", "status", None, "open"),
        (T("2026-03-10"), "R-002", "inherent_likelihood", None, "5"),
        (T("2026-03-12"), "R-002", "inherent_likelihood", "5", "2"),
    ]
    r = trends.Rewind(current, born, log, ("status", "inherent_likelihood"))
    assert not r.at(T("2026-03-13")) and r.alive(T("2026-03-13")) == [{"status": "open", "inherent_likelihood": 2}]
    assert r.at(T("2026-03-11"))                                       # the 5 -> 2 change undone
    assert r.alive(T("2026-03-11")) == [{"status": "open", "inherent_likelihood": 5}]
    r.at(T("2026-03-09 12:00"))                                        # before R-002 was created: not alive
    assert r.alive(T("2026-03-09 12:00")) == []
    r.at(T("2026-03-08"))                                              # before the deletion: R-001 with its last values
    assert r.alive(T("2026-03-08")) == [{"status": "open", "inherent_likelihood": 3}]
    r.at(T("2026-03-04"))
    assert r.alive(T("2026-03-04")) == [{"status": "open", "inherent_likelihood": 4}]
    r.at(T("2026-03-01"))                                              # before its first logged change
    assert r.alive(T("2026-03-01")) == []


def test_a_risk_is_above_appetite_by_its_current_rating_and_closed_ones_never_count():
    base = {"status": "open", "inherent_likelihood": 4, "inherent_impact": 3, "residual_likelihood": 2,
            "residual_impact": 2, "treatment_implemented_on": None}
    rows_ = [base,                                                      # 12 inherent: treatment not implemented
             {**base, "treatment_implemented_on": date(2026, 3, 1)},    # residual 4 is current
             {**base, "status": "closed"},                              # closed
             {**base, "inherent_likelihood": 3},                        # 9: not above 9
             {**base, "inherent_likelihood": None}]                     # not rated
    assert trends.risks_above(rows_, 9) == 1
    assert trends.risks_above(rows_, 8) == 2                            # 9 > 8 too
    assert trends.risks_above(rows_, 12) == 0


def test_roadmap_progress_is_the_earned_share_of_effort():
    scale = {"S": 2.0, "M": 5.0, "L": 10.0}
    acts = [{"status": "done", "percent": 0, "effort": "S"},            # 2 earned in full
            {"status": "in progress", "percent": 50, "effort": "L"},     # 5 of 10
            {"status": "to do", "percent": 0, "effort": "M"}]            # 0 of 5
    assert trends.roadmap_pct(acts, scale) == round(100 * 7 / 17, 1) == 41.2
    assert trends.roadmap_pct([], scale) is None


def test_the_stage1_gate_from_the_register_needs_every_required_document_and_the_records():
    names = {"internal_audit": "Audit results", "management_review": "Review results", "nonconformities": "NC record"}
    records = {"Audit results", "Review results", "NC record"}
    required = {"Policy": True, "Old manual": False, "Audit results": True, "Review results": True, "NC record": True}
    docs = {"Policy": {"status": "approved"},
            "Audit results": {"status": "available", "record_date": date(2026, 3, 10)},
            "Review results": {"status": "available", "record_date": date(2026, 3, 1)},   # before the audit
            "NC record": {"status": "available", "open_major": 0}}
    met = trends.stage1_conditions(docs, required, records, names)
    assert met == {"documents": True, "internal_audit": True, "management_review": False, "nonconformities": True}
    assert trends.stage1_pct(met) == 75.0
    docs["Policy"] = {"status": "draft"}
    docs["NC record"] = {"status": "available", "open_major": 1}
    assert trends.stage1_pct(trends.stage1_conditions(docs, required, records, names)) == 25.0


def test_the_series_puts_baselines_between_weeks_and_ends_now_and_measures_the_change_since_the_last_baseline():
    weeks = pd.DataFrame({"when": [T("2026-03-08 23:59:59"), T("2026-03-15 23:59:59"), T("2026-03-22 23:59:59")],
                          "kind": "week", "label": ["w1", "w2", "w3"], "readiness_pct": [10.0, 20.0, 30.0],
                          "open_gaps": [9, 8, 7]})
    marked = pd.DataFrame({"when": [T("2026-03-15 10:00"), T("2026-03-18 09:00")], "kind": "baseline",
                           "label": ["Kick-off", "Workshop 2"], "readiness_pct": [15.0, 25.0], "open_gaps": [9, 8]})
    now = {"readiness_pct": 40.0, "open_gaps": 5}
    series = trends.combine(weeks.reindex(columns=trends.COLUMNS), marked.reindex(columns=trends.COLUMNS), now,
                            T("2026-03-25 12:00"))
    # the week to 15 March gives way to the baseline taken that day
    assert list(series["label"]) == ["w1", "Kick-off", "Workshop 2", "w3", "Now"]
    assert list(series["kind"]) == ["week", "baseline", "baseline", "week", "now"]
    since = trends.change_since(series)
    assert since["since"] == "Workshop 2" and since["text"] == "since Workshop 2 (18 Mar)"
    assert since["deltas"]["readiness_pct"] == 15.0 and since["deltas"]["open_gaps"] == -3.0
    assert since["deltas"]["roadmap_pct"] is None
    plain = trends.combine(weeks.reindex(columns=trends.COLUMNS), marked.iloc[0:0].reindex(columns=trends.COLUMNS),
                           now, T("2026-03-25 12:00"))
    # no baseline: about four weeks back, else the first point
    assert trends.change_since(plain)["since"] == "w1" and trends.change_since(plain)["deltas"]["readiness_pct"] == 30
    assert trends.change_since(plain.tail(1)) is None


# ---- a workspace over four weeks ----------------------------------------------------------------------


def _backdate(con, ws, after_id: int, when: datetime, table: str | None = None, rid: str | None = None) -> int:
    """Move the change-log rows written after `after_id` (and a created record) to `when`."""
    with db.writing(con) as cur:
        cur.execute("UPDATE change_log SET changed_at = ? WHERE workspace_id = ? AND id > ?", [when, ws, after_id])
        if table:   # fixed table names from the test
            cur.execute(f"UPDATE {table} SET created_at = ? WHERE workspace_id = ? AND id = ?", [when, ws, rid])
    return rows(con, "SELECT coalesce(max(id), 0) FROM change_log")[0][0]


@pytest.fixture
def story(con, cat, ws_id):
    """Four completed weeks before this one (W1 starts on the Monday four weeks before this week's):
    W1: 4.1 rated 2 (target 3: an open gap), risk R-001 at 4x4 = 16 (appetite 9: above), one
        action (M) to do.
    W2: 4.1 raised to 3 (at target).
    W3: R-001 reduced: residual 2x2 rated and its treatment implemented (current 4: not above).
    W4: the action done; a baseline 'Workshop 2' taken on Wednesday.
    This week: 4.2 rated 1 (a new gap)."""
    monday = date.today() - timedelta(days=date.today().weekday() + 28)
    at = [datetime.combine(monday + timedelta(days=7 * i + 1), datetime.min.time()).replace(hour=10)
          for i in range(4)]
    with db.writing(con) as cur:
        cur.execute("UPDATE workspace SET created_at = ? WHERE id = ?", [at[0] - timedelta(hours=1), ws_id])
    last = _backdate(con, ws_id, 0, at[0] - timedelta(hours=1))
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 2}})
    rid = risks.create(con, ws_id, {"title": "Drift", "lifecycle_stage": "deployed", "inherent_likelihood": 4,
                                    "inherent_impact": 4})
    last = _backdate(con, ws_id, last, at[0], "risk", rid)
    roadmap_phases.ensure_phases(con, ws_id, None, monday)
    phase = rows(con, "SELECT min(id) FROM phase WHERE workspace_id = ?", [ws_id])[0][0]
    aid = roadmap.create_action(con, ws_id, cat, {"title": "Write the policy", "phase_id": phase, "effort": "M"})
    last = _backdate(con, ws_id, last, at[0], "action", aid)
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 3}})
    last = _backdate(con, ws_id, last, at[1])
    risks.update(con, ws_id, rid, {"treatment": "mitigate", "residual_likelihood": 2, "residual_impact": 2,
                                   "treatment_implemented_on": at[2].date()})
    last = _backdate(con, ws_id, last, at[2])
    roadmap.update_actions(con, ws_id, cat, {aid: {"status": "done"}})
    last = _backdate(con, ws_id, last, at[3])
    with db.writing(con) as cur:   # a baseline taken on the Wednesday of W4, its figures as stored then
        cur.execute("INSERT INTO baseline (workspace_id, id, name, kind, taken_at, taken_by, readiness_pct, stage1_pct,"
                    " stage2_pct, assessed_pct, open_gaps, risks_above, roadmap_pct, size_bytes, payload)"
                    " VALUES (?, 'B-001', 'Workshop 2', 'manual', ?, 'tester', 1.4, 0, 0, 1.4, 0, 0, 100, 1, ?)",
                    [ws_id, at[3] + timedelta(days=1), b"x"])
    assessments.save(con, ws_id, cat, {"4.2": {"maturity": 1}})
    return {"weeks": [monday + timedelta(days=7 * i + 6) for i in range(4)]}


def test_every_week_is_rebuilt_from_the_log_with_baselines_marked_and_now_as_the_pages_show(con, cat, ws_id, story):
    series = trends.trend(con, ws_id, cat, 3)
    assert list(series["kind"]) == ["week", "week", "week", "baseline", "week", "now"]
    assert list(series["label"][:3]) == [f"week to {d.isoformat()}" for d in story["weeks"][:3]]
    assert series.iloc[3]["label"] == "Workshop 2"
    # 70 applicable requirements (clauses and Annex A, none excluded), target 3:
    # W1: 4.1 at 2 (gap); W2-W4: 4.1 at 3 (1 of 70 = 1.4%); now 4.2 rated 1 (a gap again)
    assert list(series["readiness_pct"]) == [0.0, 1.4, 1.4, 1.4, 1.4, 1.4]
    assert list(series["assessed_pct"]) == [1.4, 1.4, 1.4, 1.4, 1.4, 2.9]
    assert list(series["open_gaps"]) == [1, 0, 0, 0, 0, 1]
    # R-001 16 > 9 in W1 and W2; residual 4 current from W3
    assert list(series["risks_above"]) == [1, 1, 0, 0, 0, 0]
    # the one action (M) done in W4
    assert list(series["roadmap_pct"]) == [0.0, 0.0, 0.0, 100.0, 100.0, 100.0]
    # nothing in the document register: no gate condition met
    assert list(series["stage1_pct"]) == [0.0] * 6
    assert list(series["stage2_pct"]) == [0.0] * 6
    # the last point is now and equals the overview's and the dashboard's figures
    target = None
    d = dashboard.snapshot(con, ws_id, cat, 3, target)
    shown = overview.readiness(con, ws_id, cat, 3)["overall"]
    now = series.iloc[-1]
    assert now["readiness_pct"] == shown["readiness_pct"] == d["overall"]["readiness_pct"]
    assert now["stage2_pct"] == shown["stage2_pct"] and now["open_gaps"] == shown["open_gaps"]
    assert now["risks_above"] == overview.risk_panel(con, ws_id)["above_count"] == d["risk_summary"]["above_current"]
    assert now["roadmap_pct"] == d["forecast"].progress_pct
    gate = documents.stage1_gate(con, ws_id, cat)
    assert now["stage1_pct"] == round(100 * gate["met"] / gate["total"], 1)
    assert d["since"]["since"] == "Workshop 2" and d["since"]["deltas"]["open_gaps"] == 1.0
    assert d["trend"]["readiness_pct"].tolist() == series["readiness_pct"].tolist()


def test_rebuilding_up_to_now_gives_the_figures_now(con, cat, ws_id, story):
    """The week rebuild undoes nothing after today: a week ending in the future equals now."""
    gate = documents.stage1_gate(con, ws_id, cat)
    ahead = trends._week_points(con, ws_id, cat, gate, date.today() + timedelta(days=14))
    now = trends.now_figures(con, ws_id, cat, 3, None)
    assert {m: ahead.iloc[-1][m] for m in trends.METRICS} == pytest.approx(now)


def test_a_deleted_risk_still_counts_in_the_weeks_before_its_deletion(con, cat, ws_id):
    rid = risks.create(con, ws_id, {"title": "Bias", "lifecycle_stage": "deployed", "inherent_likelihood": 5,
                                    "inherent_impact": 5})
    two_weeks = datetime.now() - timedelta(days=14)
    with db.writing(con) as cur:
        cur.execute("UPDATE change_log SET changed_at = ? WHERE workspace_id = ?", [two_weeks, ws_id])
        cur.execute("UPDATE workspace SET created_at = ? WHERE id = ?", [two_weeks, ws_id])
    risks.delete(con, ws_id, rid)
    series = trends.trend(con, ws_id, cat, 3)
    assert list(series["risks_above"])[:-1] == [1, 1] and series.iloc[-1]["risks_above"] == 0


def test_the_appetite_raised_later_is_undone_for_earlier_weeks(con, cat, ws_id):
    risks.create(con, ws_id, {"title": "Bias", "lifecycle_stage": "deployed", "inherent_likelihood": 3,
                              "inherent_impact": 4})
    two_weeks = datetime.now() - timedelta(days=14)
    with db.writing(con) as cur:
        cur.execute("UPDATE change_log SET changed_at = ? WHERE workspace_id = ?", [two_weeks, ws_id])
        cur.execute("UPDATE risk SET created_at = ? WHERE workspace_id = ?", [two_weeks, ws_id])
        cur.execute("UPDATE workspace SET created_at = ? WHERE id = ?", [two_weeks, ws_id])
    risks.save_criteria(con, ws_id, {"appetite": 12})                   # 12 is no longer above
    series = trends.trend(con, ws_id, cat, 3)
    assert list(series["risks_above"]) == [1, 1, 0]


# ---- charts ---------------------------------------------------------------------------------------------

def test_the_charts_name_every_line_mark_the_baselines_and_write_the_values_now(con, cat, ws_id, story):
    series = trends.trend(con, ws_id, cat, 3)
    fig = charts.percent_trend(series, date.today(), date.today() + timedelta(days=200))
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert names == ["Readiness", "Stage 1 (gate conditions met)", "Stage 2 readiness", "Roadmap progress"]
    diamonds = [t for t in fig.data if t.marker.symbol == "diamond"]
    assert len(diamonds) == 4 and all(len(t.x) == 1 for t in diamonds)
    texts = [a.text for a in fig.layout.annotations]
    assert "Workshop 2" in texts and "<b>100%</b>" in texts and any("Certificate target" in t for t in texts)
    assert len([s for s in fig.layout.shapes if s.line.dash == "dot"]) == 1
    small = charts.count_trend(series, date.today())
    assert [t.name for t in small.data if t.showlegend is not False] == ["Open gaps", "Risks above appetite"]
    assert small.layout.height < fig.layout.height


def test_one_point_only_says_how_the_trend_builds_up(con, cat, ws_id):
    series = trends.trend(con, ws_id, cat, 3)
    assert list(series["kind"]) == ["now"]
    fig = charts.percent_trend(series, date.today())
    assert any("One point so far" in a.text for a in fig.layout.annotations)


# ---- on the pages ---------------------------------------------------------------------------------------

def test_the_overview_and_the_dashboard_draw_the_trends_and_the_change_since_the_last_baseline(app):
    from aims.assessment import requirements as assessments
    from aims.catalog import standard as catalog
    from aims.progress import baselines
    from aims.store import workspaces
    from aims.ui.chrome import _open

    live = _open(db.database_path())
    ws = int(workspaces.list_all(live).iloc[0]["id"])
    cat = catalog.load()
    baselines.take(live, ws, "Kick-off", cat, 3)
    before = overview.readiness(live, ws, cat, 3)["overall"]
    assessments.save(live, ws, cat, {r: {"maturity": 5} for r in ("4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3")})
    after = overview.readiness(live, ws, cat, 3)["overall"]
    moved = round(after["readiness_pct"] - before["readiness_pct"])
    assert moved > 0
    for page, keys in (("pages/overview.py", {"ov_trend", "ov_counts"}),
                       ("pages/dashboard.py", {"dash_trend", "dash_counts"})):
        app.query_params["ws"] = str(ws)
        app.switch_page(page).run()
        assert not app.exception and not app.error, page
        assert keys <= {c.key for c in app.get("plotly_chart")}, page
        card = next(m for m in app.metric if m.label in ("Overall readiness", "Readiness"))
        assert card.proto.delta == f"+{moved} pts", page
        assert card.proto.delta_description == "since Kick-off", page
        assert any("The changes next to the headline figures are since Kick-off (" in c.value for c in app.caption)
