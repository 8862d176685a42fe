"""Risks from the library and proposals from impact assessments: pre-filled, linked, never duplicated."""
from datetime import date

import pandas as pd
import pytest
from helpers import risk_counts

from aims.common.validate import ValidationError
from aims.risk import intake as risk_intake
from aims.risk import register as risks
from aims.store import db

TODAY = date.today()


def proposal_frame(assessment_id="IA-001", system_id="AIS-001", level="high"):
    return pd.DataFrame([{
        "assessment_id": assessment_id, "system_id": system_id, "question_id": "fairness.groups",
        "question": "Have groups at risk been identified?", "answer": "No", "level": level,
        "title": "Groups at risk not identified", "objective": "C.2.5", "risk_source": "C.3.4",
        "controls": ["A.5.4", "A.7.4"], "note": "Workshop 2"}])


def test_a_library_risk_is_added_pre_filled_for_a_system(con, ws_id, systems):
    rid = risk_intake.add_from_library(con, ws_id, "RL-01", "AIS-001")
    got = risks.get(con, ws_id, rid)
    assert got["title"] == "Model drift" and got["library_id"] == "RL-01" and got["systems"] == ["AIS-001"]
    assert (got["inherent_likelihood"], got["inherent_impact"], got["treatment"]) == (4, 3, "mitigate")
    assert got["controls"] == ["A.6.2.4", "A.6.2.6", "A.6.2.8", "A.7.4"]
    assert got["owner"] == "Head of Credit"  # the system's business owner by default
    assert got["next_review"] > TODAY


def test_the_same_library_risk_twice_for_one_system_is_refused(con, ws_id, systems):
    risk_intake.add_from_library(con, ws_id, "RL-01", "AIS-001")
    with pytest.raises(ValidationError, match="already in the register for AIS-001 Credit scoring model as R-001"):
        risk_intake.add_from_library(con, ws_id, "RL-01", "AIS-001")
    assert risk_intake.add_from_library(con, ws_id, "RL-01", "AIS-002", owner="Ann") == "R-002"
    assert risk_intake.add_from_library(con, ws_id, "RL-01") == "R-003"  # organisation-level
    with pytest.raises(ValidationError, match="for the organisation as R-003"):
        risk_intake.add_from_library(con, ws_id, "RL-01")
    with pytest.raises(ValidationError, match="no library risk 'RL-99'"):
        risk_intake.add_from_library(con, ws_id, "RL-99")
    with pytest.raises(ValidationError, match="Unknown AI system"):
        risk_intake.add_from_library(con, ws_id, "RL-02", "AIS-404")
    assert risk_counts(con)["risk"] == 3


@pytest.fixture
def proposed(monkeypatch):
    from aims.ai_systems import impact
    frame = {"df": proposal_frame()}
    monkeypatch.setattr(impact, "proposed_risks", lambda con, ws: frame["df"].copy())
    return frame


def test_accepting_a_proposal_links_it_to_the_system_and_the_assessment(con, ws_id, systems, proposed):
    rid, created = risk_intake.accept_proposal(con, ws_id, "IA-001", "fairness.groups")
    assert (rid, created) == ("R-001", True)
    got = risks.get(con, ws_id, rid)
    assert got["systems"] == ["AIS-001"] and got["source_assessment_id"] == "IA-001"
    assert got["source_question_id"] == "fairness.groups" and got["controls"] == ["A.5.4", "A.7.4"]
    assert (got["inherent_likelihood"], got["inherent_impact"]) == (3, 4)  # 'high' -> the high band
    assert got["owner"] == "Head of Credit" and "Workshop 2" in got["description"]
    assert risk_intake.proposals(con, ws_id).iloc[0]["in_register"] == "R-001"


def test_accepting_twice_creates_no_duplicate(con, ws_id, systems, proposed):
    risk_intake.accept_proposal(con, ws_id, "IA-001", "fairness.groups")
    assert risk_intake.accept_proposal(con, ws_id, "IA-001", "fairness.groups") == ("R-001", False)
    proposed["df"] = proposal_frame("IA-007", level="critical")  # a re-assessment asks the same question again
    assert risk_intake.accept_proposal(con, ws_id, "IA-007", "fairness.groups") == ("R-001", False)
    assert risk_counts(con)["risk"] == 1


def test_a_critical_proposal_lands_in_the_critical_band(con, ws_id, systems, proposed):
    proposed["df"] = proposal_frame(level="critical")
    rid, _ = risk_intake.accept_proposal(con, ws_id, "IA-001", "fairness.groups")
    assert risks.table(con, ws_id).set_index("id").loc[rid, "inherent_level"] == "critical"


def test_an_unknown_proposal_is_refused(con, ws_id, systems, proposed):
    with pytest.raises(ValidationError, match="has no high or critical answer to question nope"):
        risk_intake.accept_proposal(con, ws_id, "IA-001", "nope")
    assert risk_counts(con)["risk"] == 0


def test_accepting_several_proposals_in_one_transaction(con, ws_id, systems, proposed):
    two = pd.concat([proposal_frame(), proposal_frame("IA-002", "AIS-002")], ignore_index=True)
    proposed["df"] = two
    with db.transaction(con) as tx:
        done = [risk_intake.accept_proposal(tx, ws_id, a, q) for a, q in zip(two["assessment_id"], two["question_id"])]
    assert done == [("R-001", True), ("R-002", True)]
    assert risks.get(con, ws_id, "R-002")["systems"] == ["AIS-002"]


def test_proposals_from_real_impact_answers(con, ws_id, systems):
    """Through the impact module itself: a high answer in a saved assessment is proposed."""
    from aims.ai_systems import impact
    q = next(q for s in impact.questionnaire()["sections"] for q in s["questions"])
    high = next(o for o in q["options"] if o["severity"] in ("high", "critical"))
    aid = impact.start(con, ws_id, "AIS-001")
    impact.save_answers(con, ws_id, aid, {q["id"]: {"value": high["value"], "note": ""}})
    p = risk_intake.proposals(con, ws_id)
    assert list(p["question_id"]) == [q["id"]] and list(p["in_register"]) == [""]
    rid, created = risk_intake.accept_proposal(con, ws_id, aid, q["id"])
    assert created and risks.get(con, ws_id, rid)["title"] == q["risk"]["title"]


@pytest.fixture
def con(engine_con):          # these tests run on both engines
    return engine_con
