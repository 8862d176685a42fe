"""The manager dashboard's figures: readiness rebuilt week by week from the change log, overdue
actions per owner, the top risks and the open findings, with hand-computed examples."""
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from helpers import rows

from aims.assessment import requirements as assessments
from aims.governance import documents
from aims.progress import trends
from aims.reports import dashboard, overview
from aims.store import db

# ---- readiness week by week -------------------------------------------------------------------------

STATE = pd.DataFrame([
    # req_id, maturity, stored target (None: the workspace default), applicable, evidence_strength: as it is now
    {"req_id": "4.1", "maturity": 3, "target": None, "applicable": True, "evidence_strength": "verified"},
    {"req_id": "4.2", "maturity": 2, "target": None, "applicable": True, "evidence_strength": "claimed"},
    {"req_id": "A.2.2", "maturity": None, "target": None, "applicable": False, "evidence_strength": "none"},
    {"req_id": "A.2.3", "maturity": 4, "target": 4, "applicable": True, "evidence_strength": "documented"},
])


def log(*entries):
    return pd.DataFrame([{"changed_at": datetime.fromisoformat(at), "entity": entity, "entity_id": eid,
                          "field": field, "old_value": old} for at, entity, eid, field, old in entries])


CHANGES = log(  # in the order written; old values as the change log stores them (text, NULL)
    ("2026-03-03T10:00", "assessment", "4.1", "maturity", None),            # rated 2
    ("2026-03-10T09:00", "assessment", "4.1", "maturity", "2"),             # 2 -> 3
    ("2026-03-10T09:00", "assessment", "4.1", "evidence_strength", "none"),  # -> verified
    ("2026-03-10T09:00", "assessment", "4.1", "owner", ""),                 # not a readiness field: ignored
    ("2026-03-11T16:30", "assessment", "4.2", "maturity", None),            # rated 2
    ("2026-03-17T11:00", "assessment", "A.2.2", "applicable", "true"),      # excluded
    ("2026-03-17T11:00", "assessment", "A.2.3", "maturity", None),          # rated 4
    ("2026-03-17T11:00", "assessment", "9.9", "maturity", None),            # not in the state: ignored
    ("2026-03-24T08:00", "workspace", "1", "default_target", "2"),          # default target 2 -> 3
    ("2026-03-24T08:05", "assessment", "A.2.3", "target", None),            # default -> 4
)


def test_readiness_is_rebuilt_for_the_end_of_every_week_by_undoing_later_changes():
    trend = trends.weekly_readiness(STATE, 3, CHANGES, date(2026, 3, 4), date(2026, 3, 25))
    assert list(trend["week"]) == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23)]
    assert list(trend["as_of"]) == [date(2026, 3, 8), date(2026, 3, 15), date(2026, 3, 22), date(2026, 3, 25)]
    # week 1: default target 2; 4.1 at 2 (at target), the other three applicable and not assessed: 1 of 4
    # week 2: 4.1 at 3 verified, 4.2 at 2 (both at the default 2); A.2.2 and A.2.3 not assessed: 2 of 4
    # week 3: A.2.2 excluded, A.2.3 rated 4 (default target 2): 3 of 3
    # week 4 (now): default 3 and A.2.3 target 4: 4.1 (3/3) and A.2.3 (4/4) at target, 4.2 (2/3) not: 2 of 3
    assert list(trend["at_target"]) == [1, 2, 3, 2]
    assert list(trend["applicable"]) == [4, 4, 3, 3]
    assert list(trend["readiness_pct"]) == [25.0, 50.0, 100.0, 66.7]
    # Stage 2 counts 4.1 once it is verified and at target (week 2 on)
    assert list(trend["stage2_pct"]) == [0.0, 25.0, 33.3, 33.3]
    assert list(trend["assessed_pct"]) == [25.0, 50.0, 100.0, 100.0]


def test_a_change_made_today_counts_in_this_weeks_point_and_the_first_week_starts_on_its_monday():
    trend = trends.weekly_readiness(STATE, 3, CHANGES, date(2026, 3, 24), date(2026, 3, 24))
    assert len(trend) == 1 and trend.iloc[0]["week"] == date(2026, 3, 23)
    assert trend.iloc[0]["readiness_pct"] == 66.7          # the state now: nothing undone


def test_without_any_change_the_trend_is_one_point_a_week_at_todays_readiness():
    trend = trends.weekly_readiness(STATE, 3, log(), date(2026, 3, 4), date(2026, 3, 18))
    assert list(trend["readiness_pct"]) == [66.7, 66.7, 66.7]


def test_the_trend_of_a_workspace_reads_its_change_log_and_ends_at_todays_readiness(con, cat, ws_id):
    today = date.today()
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 3}})
    two_weeks_ago = datetime.now() - timedelta(days=14)
    with db.writing(con) as cur:        # as if the workspace started and 4.1 was rated two weeks ago
        cur.execute("UPDATE change_log SET changed_at = ? WHERE workspace_id = ?", [two_weeks_ago, ws_id])
        cur.execute("UPDATE workspace SET created_at = ? WHERE id = ?", [two_weeks_ago, ws_id])
    assessments.save(con, ws_id, cat, {"4.2": {"maturity": 4}, "A.2.2": {"applicable": False,
                                                                          "exclusion_reason": "Not relevant here."}})
    trend = trends.readiness_trend(con, ws_id, cat, today)
    assert len(trend) == 3 and trend.iloc[-1]["as_of"] == today
    # 1 of 70 at target two weeks and one week ago; now 2 of 69 (A.2.2 excluded)
    assert list(trend["at_target"]) == [1, 1, 2]
    assert list(trend["applicable"]) == [70, 70, 69]
    assert trend.iloc[-1]["readiness_pct"] == overview.readiness(con, ws_id, cat, 3)["overall"]["readiness_pct"] == 2.9


def test_the_change_is_measured_over_four_weeks_or_since_the_first_week():
    trend = pd.DataFrame({"as_of": [date(2026, 3, d) for d in (1, 8, 15, 22, 29, 30)],
                          "readiness_pct": [10.0, 12.0, 20.0, 21.0, 30.0, 34.5]})
    assert dashboard.change(trend) == (22.5, date(2026, 3, 8))
    assert dashboard.change(trend.head(3)) == (10.0, date(2026, 3, 1))
    assert dashboard.change(trend.head(1)) is None


# ---- overdue actions, top risks ---------------------------------------------------------------------

def test_overdue_actions_are_grouped_by_owner_most_first_then_the_oldest():
    acts = pd.DataFrame([
        {"id": "ACT-001", "owner": "Ann", "due": date(2026, 3, 1), "overdue": True},
        {"id": "ACT-002", "owner": "Ann", "due": date(2026, 2, 20), "overdue": True},
        {"id": "ACT-003", "owner": " ", "due": date(2026, 2, 25), "overdue": True},
        {"id": "ACT-004", "owner": "Bob", "due": date(2026, 1, 1), "overdue": False},      # done
        {"id": "ACT-005", "owner": "Bob", "due": date(2026, 2, 28), "overdue": True},
        {"id": "ACT-006", "owner": "Cy", "due": None, "overdue": False},
    ])
    out = dashboard.overdue_by_owner(acts)
    assert out.to_dict("records") == [
        {"owner": "Ann", "overdue": 2, "oldest_due": date(2026, 2, 20), "actions": ["ACT-002", "ACT-001"]},
        {"owner": "(no owner)", "overdue": 1, "oldest_due": date(2026, 2, 25), "actions": ["ACT-003"]},
        {"owner": "Bob", "overdue": 1, "oldest_due": date(2026, 2, 28), "actions": ["ACT-005"]},
    ]
    assert dashboard.overdue_by_owner(acts[~acts["overdue"]]).empty


def risk(rid, score, status="open", above=True):
    return {"id": rid, "title": f"Risk {rid}", "current_score": score, "current_level": "high", "above_appetite": above,
            "owner": "Ann", "treatment": "mitigate", "status": status, "due": None, "treatment_overdue": False}


def test_top_risks_are_the_highest_current_scores_not_closed_unrated_last():
    table = pd.DataFrame([risk("R-001", 12), risk("R-002", 20, status="closed"), risk("R-003", 16),
                          risk("R-004", None, above=False), risk("R-005", 12, status="accepted"),
                          risk("R-006", 4, above=False)])
    table["current_score"] = table["current_score"].astype("Int64")
    assert list(dashboard.top_risks(table)["id"]) == ["R-003", "R-001", "R-005", "R-006", "R-004"]
    assert list(dashboard.top_risks(table, 2)["id"]) == ["R-003", "R-001"]
    assert dashboard.top_risks(table[table["status"] == "closed"]).empty


# ---- open findings ------------------------------------------------------------------------------------

def nc_record(con, cat, ws_id):
    reg = documents.register(con, ws_id, cat).set_index("id", drop=False)
    return reg.loc[cat.stage1_record("nonconformities")].to_dict()


def test_with_no_record_of_nonconformities_no_finding_is_invented_and_the_open_gaps_are_listed(con, cat, rated):
    status = assessments.table(con, rated, cat, 3)
    from aims.assessment import scoring
    found = dashboard.open_findings(nc_record(con, cat, rated), scoring.with_status(status))
    nc = found["nonconformities"]
    assert nc["on_file"] is False and nc["open_major"] is None
    assert nc["text"] == f"{cat.stage1_record('nonconformities')}: missing, so no nonconformity is on record yet."
    # the rated fixture: 5.2 (gap 2, mandatory documentation), A.7.4 (gap 3), 7.3 (gap 1); 4.1 is at target
    assert list(found["gaps"]["req_id"]) == ["5.2", "A.7.4", "7.3"] and found["gap_count"] == 3
    assert found["not_assessed"] == 70 - 4


@pytest.mark.parametrize("open_major, text", [
    (2, "2 major nonconformities open (record dated 2026-03-01)."),
    (1, "1 major nonconformity open (record dated 2026-03-01)."),
    (0, "No major nonconformity open (record dated 2026-03-01)."),
    (None, "Record of nonconformities and actions taken available; it does not state how many major "
           "nonconformities are open."),
])
def test_the_open_major_nonconformities_the_record_states_are_the_findings(con, cat, ws_id, open_major, text):
    name = cat.stage1_record("nonconformities")
    documents.save(con, ws_id, cat, {name: {"status": "available", "record_date": date(2026, 3, 1),
                                            "location": "QMS/NC-log.xlsx", "open_major": open_major}})
    from aims.assessment import scoring
    found = dashboard.open_findings(nc_record(con, cat, ws_id),
                                    scoring.with_status(assessments.table(con, ws_id, cat, 3)))
    assert found["nonconformities"] == {"record": name, "on_file": True, "open_major": open_major, "text": text}
    assert found["gap_count"] == 0 and found["gaps"].empty


def test_once_findings_are_raised_the_register_decides_what_is_open(con, cat, ws_id):
    """Two majors, one minor, an observation and a closed opportunity: the open ones, worst first;
    the record of nonconformities (not on file here) no longer speaks."""
    from aims.assessment import scoring
    from aims.audit import findings
    for grade, title in (("observation", "Log retention unclear"), ("major nonconformity", "No internal audit"),
                         ("minor nonconformity", "Training record gaps"), ("major nonconformity", "No AI policy"),
                         ("opportunity for improvement", "Automate model inventory")):
        findings.raise_finding(con, ws_id, {"source": "incident", "grade": grade, "title": title,
                                            "requirements": ["9.2.1"]}, today=date(2026, 3, 2))
    findings.close(con, ws_id, "F-005", "Ann Lee", date(2026, 3, 2), today=date(2026, 3, 2))
    found = dashboard.open_findings(nc_record(con, cat, ws_id), scoring.with_status(assessments.table(con, ws_id, cat, 3)),
                                    findings.table(con, ws_id, date(2026, 3, 2)))
    assert found["nonconformities"]["open_major"] == 2
    assert found["nonconformities"]["text"] == ("2 major nonconformities open (F-002, F-004); 1 minor; "
                                                "1 observation or opportunity (findings register).")
    assert list(found["open"]["id"]) == ["F-002", "F-004", "F-003", "F-001"]


# ---- the whole dashboard --------------------------------------------------------------------------------

def test_the_dashboard_of_the_demo_agrees_with_the_overview_and_the_roadmap(con, cat):
    from aims.demo import client as demo
    from aims.roadmap import actions as roadmap
    from aims.roadmap import forecast

    ws = demo.create(con, cat)
    target = rows(con, "SELECT target_date FROM workspace WHERE id = ?", [ws])[0][0]
    today = date.today()
    d = dashboard.snapshot(con, ws, cat, 3, target, today)
    assert d["overall"] == overview.readiness(con, ws, cat, 3)["overall"]
    assert d["trend"].iloc[-1]["readiness_pct"] == d["overall"]["readiness_pct"]
    acts = roadmap.actions(con, ws, cat, 3, today)
    assert d["forecast"] == forecast.forecast(acts, today, target)
    assert d["overdue"]["overdue"].sum() == acts["overdue"].sum() > 0
    assert len(d["risks"]) == 10 and "closed" not in set(d["risks"]["status"])
    assert list(d["risks"]["current_score"]) == sorted(d["risks"]["current_score"], reverse=True)
    assert d["gate"]["total"] == 4
    assert all(d["figures"][name] is not None for name in ("progress", "counts", "burnup", "phases"))
