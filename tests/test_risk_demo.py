"""The demo risk register: built through the public write functions, with or without an inventory."""
from datetime import date

from aims.ai_systems import inventory
from aims.demo import client as demo
from aims.risk import demo as risk_demo
from aims.risk import register as risks
from aims.risk import trace as risk_trace


def test_the_demo_workspace_has_a_realistic_register(con, cat):
    ws = demo.create(con, cat)
    t = risks.table(con, ws)
    assert len(t) >= 18
    s = risks.summary(t)
    assert s["above_inherent"] > s["above_residual"] > 0 and s["treatments_overdue"] >= 1
    # most treatments are planned, not in place: the current risk stays at the inherent rating for them
    assert s["above_current"] > s["above_residual"] and s["awaiting_treatment"] > s["residual_current"] >= 1
    done = t[t["treatment_implemented"]].set_index("title")
    assert set(done["current_basis"]) == {"residual"} and (done["treatment_implemented_on"] < date.today()).all()
    planned = t[t["residual_score"].notna() & ~t["treatment_implemented"]]
    assert (planned["current_score"] == planned["inherent_score"]).all()
    assert set(t["treatment"]) >= {"mitigate", "accept", "transfer", "avoid"}
    assert set(t["status"]) == set(risks.STATUSES)
    assert {"AIS-001", "AIS-002", "AIS-003", "AIS-004"} <= {s for ss in t["systems"] for s in ss}
    assert t["organisation_level"].any()
    accepted_above = t[(t["status"] == "accepted") & t["above_appetite"]]
    assert not accepted_above.empty and (accepted_above["accepted_by"] != "").all()
    trace = risk_trace.controls_trace(con, ws, cat).set_index("control_id")
    assert trace.loc["A.10.4", "conflict"]  # the demo shows an SoA conflict for the consultant to resolve
    assert (t["source_assessment_id"] != "").any()  # accepted from an impact assessment


def test_without_an_inventory_only_organisation_level_risks_are_built(con, cat, ws_id):
    ids = risk_demo.build(con, ws_id)
    t = risks.table(con, ws_id)
    assert list(t["id"]) == ids and len(ids) == 4 and t["organisation_level"].all()


def test_the_demo_is_deterministic(con, cat, ws_id):
    inventory.create_many(con, ws_id, [{"name": n} for n in ("Credit", "Chatbot", "Fraud", "CV")])
    risk_demo.build(con, ws_id)
    first = risks.table(con, ws_id)[["title", "inherent_score", "residual_score", "status"]]
    other = demo.workspaces.create(con, {"name": "Other"})
    inventory.create_many(con, other, [{"name": n} for n in ("Credit", "Chatbot", "Fraud", "CV")])
    risk_demo.build(con, other)
    assert risks.table(con, other)[["title", "inherent_score", "residual_score", "status"]].equals(first)
