"""EU AI Act classification rules, table-driven; stored results keep history."""
from datetime import date

import pytest
from helpers import rows

from aims.ai_systems import classification as cls
from aims.ai_systems import inventory
from aims.common.validate import ValidationError


@pytest.mark.parametrize("area", range(1, 9))
def test_each_annex_iii_area_is_high_risk(area):
    r = cls.classify({f"annex_iii_{area}": True})
    assert (r.category, r.basis) == ("high_risk", "annex_iii")
    assert any(f"Annex III({area})" in line for line in r.reasoning)


@pytest.mark.parametrize("exemption", ["exemption_narrow_task", "exemption_improve_human",
                                       "exemption_detect_patterns", "exemption_preparatory"])
def test_an_art_6_3_exemption_takes_an_annex_iii_system_out_of_high_risk(exemption):
    r = cls.classify({"annex_iii_4": True, exemption: True})
    assert r.category == "minimal" and r.exemption_used


def test_profiling_is_always_high_risk_even_with_an_exemption():
    r = cls.classify({"annex_iii_4": True, "exemption_preparatory": True, "profiling": True})
    assert r.category == "high_risk" and not r.exemption_used
    assert "profiles natural persons" in r.reasoning[0]


def test_profiling_alone_without_an_annex_iii_area_is_not_high_risk():
    assert cls.classify({"profiling": True}).category == "minimal"


def test_annex_i_products_are_high_risk_with_their_own_dates():
    r = cls.classify({"annex_i_safety": True})
    assert (r.category, r.basis) == ("high_risk", "annex_i")
    dates = {"high_risk_annex_i": date(2028, 8, 2), "high_risk_annex_iii": date(2027, 12, 2)}
    ob = cls.obligations(r, "provider", dates)
    assert set(ob.loc[ob["tier"] == "high_risk", "applies from"]) == {date(2028, 8, 2)}


@pytest.mark.parametrize("practice", [f"prohibited_{c}" for c in "abcdefgh"] + ["prohibited_intimate_imagery"])
def test_a_prohibited_practice_takes_precedence_over_everything(practice):
    r = cls.classify({practice: True, "annex_iii_5": True, "annex_i_safety": True, "transparency_interaction": True})
    assert r.category == "prohibited"


@pytest.mark.parametrize("case", ["transparency_interaction", "transparency_synthetic",
                                  "transparency_emotion_biometric", "transparency_deepfake"])
def test_transparency_cases_make_a_system_limited_risk(case):
    r = cls.classify({case: True})
    assert r.category == "limited" and r.transparency == [case]


def test_transparency_applies_on_top_of_high_risk():
    r = cls.classify({"annex_iii_5": True, "transparency_interaction": True})
    ob = cls.obligations(r, "provider", {})
    assert r.category == "high_risk" and "limited" in set(ob["tier"])


def test_nothing_answered_is_minimal_risk():
    r = cls.classify({})
    assert r.category == "minimal" and r.gpai == ""


def test_gpai_and_systemic_risk_add_their_obligations():
    plain = cls.obligations(cls.classify({"gpai_model": True}), "provider", {})
    systemic = cls.obligations(cls.classify({"gpai_model": True, "gpai_systemic": True}), "provider", {})
    assert "gpai" in set(plain["tier"]) and "gpai_systemic" not in set(plain["tier"])
    assert {"gpai", "gpai_systemic"} <= set(systemic["tier"])
    assert cls.classify({"gpai_systemic": True}).gpai == ""   # systemic risk needs a GPAI model


@pytest.mark.parametrize("role", cls.ROLES)
def test_obligations_follow_the_role(role):
    ob = cls.obligations(cls.classify({"annex_iii_5": True}), role, {})
    assert not ob.empty and set(ob["role"]) <= {role, "any"}


def test_deployer_of_credit_scoring_gets_the_fundamental_rights_assessment():
    ob = cls.obligations(cls.classify({"annex_iii_5": True}), "deployer", {})
    assert any(a.startswith("Art. 27") for a in ob["article"])
    assert any(a.startswith("Art. 26") for a in ob["article"])


def test_exemption_documentation_only_when_an_exemption_is_used():
    with_ex = cls.obligations(cls.classify({"annex_iii_4": True, "exemption_preparatory": True}), "provider", {})
    without = cls.obligations(cls.classify({"annex_iii_4": True}), "provider", {})
    assert "Art. 6(4)" in set(with_ex["article"]) and "Art. 6(4)" not in set(without["article"])


def test_every_category_gets_ai_literacy():
    for answers in ({}, {"annex_iii_1": True}, {"transparency_deepfake": True}):
        ob = cls.obligations(cls.classify(answers), "deployer", {})
        assert any(a.startswith("Art. 4") for a in ob["article"])


def test_dates_table_is_seeded_dated_and_editable(con):
    table = cls.dates_table(con)
    dates = cls.date_map(con)
    assert dates["high_risk_annex_iii"] == date(2027, 12, 2)    # moved by the 2026 amendments
    assert dates["high_risk_annex_i"] == date(2028, 8, 2)
    assert dates["prohibition_intimate_imagery"] == date(2026, 12, 2)
    assert cls.table_checked_on(con) == date(2026, 7, 27)
    cls.update_date(con, "high_risk_annex_iii", "2028-01-01", "2026-11-01")
    assert cls.date_map(con)["high_risk_annex_iii"] == date(2028, 1, 1)
    assert cls.table_checked_on(con) == date(2026, 11, 1)
    assert len(cls.dates_table(con)) == len(table)
    with pytest.raises(ValidationError, match="Unknown date key"):
        cls.update_date(con, "nonsense", "2028-01-01", "2026-11-01")
    with pytest.raises(ValidationError, match="must be a date"):
        cls.update_date(con, "gpai", "soon", "2026-11-01")


def test_recording_keeps_history_and_sets_the_system_category(con, ws_id):
    sid = inventory.create(con, ws_id, {"name": "Scorer"})
    cls.record(con, ws_id, sid, {"annex_iii_5": True}, "provider")
    assert inventory.get(con, ws_id, sid)["ai_act_category"] == "high-risk"
    cls.record(con, ws_id, sid, {"annex_iii_5": True, "exemption_preparatory": True}, "deployer")
    h = cls.history(con, ws_id, sid)
    assert list(h["version"]) == [2, 1] and list(h["category"]) == ["minimal", "high_risk"]
    got = inventory.get(con, ws_id, sid)
    assert got["ai_act_category"] == "minimal" and got["org_role"] == "deployer"
    answers, role = cls.latest_answers(con, ws_id, sid)
    assert answers == {"annex_iii_5": True, "exemption_preparatory": True} and role == "deployer"


@pytest.mark.parametrize("answers, role, message", [
    ({"annex_iv_9": True}, "provider", "Unknown question"),
    ({"annex_iii_5": "yes"}, "provider", "must be yes or no"),
    ({"annex_iii_5": True}, "owner", "Role must be one of"),
])
def test_bad_classification_input_writes_nothing(con, ws_id, answers, role, message):
    sid = inventory.create(con, ws_id, {"name": "Scorer"})
    with pytest.raises(ValidationError, match=message):
        cls.record(con, ws_id, sid, answers, role)
    assert rows(con, "SELECT count(*) FROM ai_act_classification") == [(0,)]
    assert inventory.get(con, ws_id, sid)["ai_act_category"] == "not classified"


def test_unknown_system_is_refused(con, ws_id):
    with pytest.raises(ValidationError, match="no AI system"):
        cls.record(con, ws_id, "AIS-404", {}, "provider")


def test_the_history_is_shown_in_words_without_internal_codes():
    import pandas as pd
    hist = pd.DataFrame({"system_id": ["AIS-001", "AIS-009"], "version": [2, 1],
                         "category": ["high_risk", "limited"], "basis": ["annex_iii", ""], "gpai": [False, True],
                         "role": ["product_manufacturer", "deployer"], "classified_at": [None, None],
                         "classified_by": ["ana", "ben"]})
    t = cls.history_table(hist, {"AIS-001": "Credit scoring"})
    assert list(t["System"]) == ["AIS-001 Credit scoring", "AIS-009 (retired)"]
    assert list(t["Result"]) == ["high-risk", "limited"]
    assert list(t["Basis"]) == ["Annex III (high-risk area)", ""]
    assert list(t["GPAI"]) == ["no", "yes"] and list(t["Role"]) == ["product manufacturer", "deployer"]
    assert not any("_" in str(v) for col in ("Result", "Basis", "Role") for v in t[col])
