"""Traceability between risks and the SoA: conflicts and the 'risk treatment' inclusion reason."""
from helpers import make_risk

from aims.assessment import requirements as assessments
from aims.risk import register as risks
from aims.risk import trace as risk_trace


def test_a_control_a_risk_needs_but_the_soa_excludes_is_a_conflict(con, cat, ws_id):
    assessments.save(con, ws_id, cat, {
        "A.10.4": {"applicable": False, "exclusion_reason": "We have no customers for AI"},
        "A.7.4": {"inclusion_reasons": ["best practice"]},
        "A.3.3": {"inclusion_reasons": ["risk treatment"]}})
    risks.create_many(con, ws_id, [
        make_risk(controls=["A.10.4", "A.7.4"], treatment="mitigate"),
        make_risk(title="Closed one", controls=["A.10.4", "A.2.2"], treatment="avoid", status="closed")])
    t = risk_trace.controls_trace(con, ws_id, cat).set_index("control_id")
    assert len(t) == 38
    assert t.loc["A.10.4", "conflict"] and t.loc["A.10.4", "risk_ids"] == ["R-001"]
    assert not t.loc["A.2.2", "conflict"] and t.loc["A.2.2", "risk_count"] == 0  # closed risks justify nothing
    assert t.loc["A.7.4", "reason_missing"] and not t.loc["A.7.4", "conflict"]
    assert t.loc["A.3.3", "unsupported_claim"]
    assert t.loc["A.7.4", "highest_level"] == "high" and t.loc["A.7.4", "above_appetite_ids"] == ["R-001"]
    assert risks.table(con, ws_id).iloc[0]["excluded_controls"] == ["A.10.4"]
    assert "needs a control the SoA excludes: A.10.4" in risks.table(con, ws_id).iloc[0]["checks"]


def test_risk_treatment_becomes_the_inclusion_reason_of_the_controls_risks_need(con, cat, ws_id):
    assessments.save(con, ws_id, cat, {"A.7.4": {"inclusion_reasons": ["best practice"]}})
    risks.create(con, ws_id, make_risk(controls=["A.7.4", "A.6.2.6"], treatment="mitigate"))
    changes = risk_trace.soa_reason_changes(risk_trace.controls_trace(con, ws_id, cat))
    assert changes == {"A.6.2.6": {"inclusion_reasons": ["risk treatment"]},
                       "A.7.4": {"inclusion_reasons": ["best practice", "risk treatment"]}}
    assessments.save(con, ws_id, cat, changes)
    t = risk_trace.controls_trace(con, ws_id, cat).set_index("control_id")
    assert not t["reason_missing"].any()
    assert t.loc["A.7.4", "inclusion_reasons"] == ["risk treatment", "best practice"]
