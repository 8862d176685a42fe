"""The audit programme's charts: the coverage bars count what the coverage frame says, per clause
and Annex A objective; the timeline shows the dated audits, today and the Stage 1 date."""
from datetime import date

import pandas as pd

from aims.audit import charts, programme


def audits(*specs):
    return pd.DataFrame([{"id": i, "kind": k, "title": t, "status": s, "scope": sc, "start": a, "finish": b}
                         for i, k, t, s, sc, a, b in specs])


def test_coverage_bars_count_per_group_and_status(cat):
    frame = audits(("AU-001", "internal", "Clauses", "planned", ["4.1", "4.2", "A.2.2"], date(2027, 1, 5),
                    date(2027, 1, 9)))
    items = pd.DataFrame({"audit_id": ["AU-001"], "req_id": ["4.1"], "result": ["conforming"]})
    cov = programme.coverage_frame(cat, {"A.2.3"}, frame, items, date(2027, 3, 1))
    fig = charts.coverage_bars(cov, {g.id: g.title for g in cat.groups.values()})
    by_name = {t.name: dict(zip(t.y, t.x)) for t in fig.data}
    row4 = next(y for y in by_name["Audited (result recorded)"] if y.startswith("4 "))
    rowa2 = next(y for y in by_name["Audited (result recorded)"] if y.startswith("A.2 "))
    assert by_name["Audited (result recorded)"][row4] == 1                      # 4.1
    assert by_name["In an audit's scope"][row4] == 1                            # 4.2
    assert by_name["Not covered by any internal audit"][row4] == 2              # 4.3, 4.4
    assert by_name["In an audit's scope"][rowa2] == 1                           # A.2.2
    assert by_name["Not covered by any internal audit"][rowa2] == 1             # A.2.4; A.2.3 excluded
    assert sum(sum(v.values()) for v in by_name.values()) == 69                 # every applicable requirement once


def test_the_timeline_shows_dated_audits_today_and_stage1():
    frame = audits(("AU-001", "internal", "Clauses <b>bold</b>", "planned", [], date(2027, 1, 5), date(2027, 1, 9)),
                   ("AU-002", "internal", "Undated", "planned", [], None, None),
                   ("AU-003", "stage 1", "Stage 1", "planned", [], date(2027, 3, 1), None))
    fig = charts.programme_timeline(frame, (date(2027, 1, 5), date(2030, 1, 4)), date(2027, 3, 1), date(2027, 1, 20))
    rows = [y for t in fig.data for y in t.y]
    assert rows == ["AU-001 Clauses &lt;b&gt;bold&lt;/b&gt;", "AU-003 Stage 1"]      # user text shown as typed
    assert [a.text for a in fig.layout.annotations] == ["Today", "Stage 1 2027-03-01"]
    empty = charts.programme_timeline(frame.iloc[0:0], (date(2027, 1, 5), date(2030, 1, 4)), None, date(2027, 1, 20))
    assert empty.layout.annotations[0].text == "No dated audit in this cycle yet"
