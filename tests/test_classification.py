"""EU AI Act classification rules, table-driven; stored results keep history."""
import json
from datetime import date

import pytest
from helpers import rows

from aims.ai_systems import classification as cls
from aims.ai_systems import inventory
from aims.common.validate import ValidationError

D = {d["key"]: date.fromisoformat(d["date"]) for d in cls.rules().dates}   # the catalogue's dates
AI_LITERACY = ("Art. 4", date(2025, 2, 2))
HR3, HR1, TR = date(2027, 12, 2), date(2028, 8, 2), date(2026, 8, 2)
DEPLOYER_HR = {("Art. 26(1)", HR3), ("Art. 26(2)", HR3), ("Art. 26(4)", HR3), ("Art. 26(5)", HR3),
               ("Art. 26(6)", HR3), ("Art. 26(9)", HR3), ("Art. 26(11)", HR3), ("Art. 26(12)", HR3),
               ("Art. 86", HR3), ("Art. 25(1)", HR3), ("Art. 99(4)", HR3), AI_LITERACY}
PROVIDER_HR = {(f"Art. {n}", HR3) for n in (9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 43, 47, 48, 72, 73)} | {
    ("Art. 22(1)-(2)", HR3), ("Art. 49(1)", HR3), ("Art. 25(4)", HR3), ("Art. 99(4)", HR3), AI_LITERACY}
SECTION_A_PROVIDER = {(a, HR1) for a, _ in PROVIDER_HR - {AI_LITERACY} if a not in ("Art. 43", "Art. 49(1)")} | {
    ("Art. 8(2), Art. 43(3)", HR1), AI_LITERACY}
GPAI = date(2025, 8, 2)
GPAI_SYSTEMIC_PROVIDER = {("Art. 53(1)(a)", GPAI), ("Art. 53(1)(b)", GPAI), ("Art. 53(1)(c)", GPAI),
                          ("Art. 53(1)(d)", GPAI), ("Art. 54(1)-(2)", GPAI), ("Art. 53(4), Art. 56", GPAI),
                          ("Art. 101", date(2026, 8, 2)), ("Art. 52(1)", GPAI), ("Art. 55(1)(a)", GPAI),
                          ("Art. 55(1)(b)", GPAI), ("Art. 55(1)(c)", GPAI), ("Art. 55(1)(d)", GPAI),
                          ("Art. 95", date(2026, 8, 2)), AI_LITERACY}

# case -> (answers, role, result, point, the exact (article, applies from) pairs listed)
CASES = {
    "chatbot, as provider": (
        {"transparency_interaction": True}, "provider", "limited", "",
        {("Art. 50(1)", TR), ("Art. 50(5)", TR), ("Art. 99(4)", TR), AI_LITERACY}),
    "chatbot, as deployer": (                   # Art. 50(1) is the provider's duty
        {"transparency_interaction": True}, "deployer", "limited", "", {AI_LITERACY}),
    "emotion recognition at work for safety reasons, as employer": (
        {"annex_iii_1c": True, "transparency_emotion_biometric": True, "deployer_workplace": True}, "deployer",
        "high-risk", "Annex III 1(c)",
        DEPLOYER_HR | {("Art. 26(7)", HR3), ("Art. 50(3)", TR), ("Art. 50(5)", TR), ("Art. 99(4)", TR)}),
    "CV screening by a private employer": (
        {"annex_iii_4a": True, "profiling": True}, "deployer", "high-risk", "Annex III 4(a)", DEPLOYER_HR),
    "CV screening, as its provider": (
        {"annex_iii_4a": True, "profiling": True}, "provider", "high-risk", "Annex III 4(a)", PROVIDER_HR),
    "benefits eligibility by a public body": (
        {"annex_iii_5a": True, "profiling": True, "deployer_public_body": True}, "deployer", "high-risk",
        "Annex III 5(a)", DEPLOYER_HR | {("Art. 26(8), Art. 49(3)", HR3), ("Art. 27", HR3)}),
    "life and health insurance pricing": (
        {"annex_iii_5c": True, "profiling": True}, "deployer", "high-risk", "Annex III 5(c)",
        DEPLOYER_HR | {("Art. 27", HR3)}),
    "credit scoring": (
        {"annex_iii_5b": True, "profiling": True}, "deployer", "high-risk", "Annex III 5(b)",
        DEPLOYER_HR | {("Art. 27", HR3)}),
    "fraud detection (excluded from 5(b))": (
        {}, "deployer", "minimal", "", {("Art. 95", date(2026, 8, 2)), AI_LITERACY}),
    "critical infrastructure, as provider": (
        {"annex_iii_2": True}, "provider", "high-risk", "Annex III 2",
        PROVIDER_HR - {("Art. 49(1)", HR3)} | {("Art. 49(5)", HR3)}),
    "critical infrastructure, by a public body": (   # no FRIA, no EU-database registration, no Art. 86
        {"annex_iii_2": True, "deployer_public_body": True}, "deployer", "high-risk", "Annex III 2",
        DEPLOYER_HR - {("Art. 86", HR3)}),
    "medical device (Annex I Section A), as provider": (
        {"annex_i_a": True}, "provider", "high-risk", "Annex I Section A", SECTION_A_PROVIDER),
    "medical device (Annex I Section A), as product manufacturer": (
        {"annex_i_a": True}, "product_manufacturer", "high-risk", "Annex I Section A",
        {("Art. 25(3)", HR1), ("Art. 8(2), Art. 43(3)", HR1), ("Art. 99(4)", HR1)}),
    "vehicle function (Annex I Section B), as provider": (
        {"annex_i_b": True, "transparency_interaction": True}, "provider", "high-risk", "Annex I Section B",
        {("Art. 2(2), Art. 102-109", date(2026, 8, 2))}),
    "GPAI model with systemic risk, as provider": (
        {"gpai_model": True, "gpai_systemic": True}, "provider", "minimal", "", GPAI_SYSTEMIC_PROVIDER),
    "GPAI model with systemic risk, as authorised representative": (
        {"gpai_model": True, "gpai_systemic": True}, "authorised_representative", "minimal", "",
        {("Art. 54(3)-(4)", GPAI), ("Art. 54(5)", GPAI)}),
    "credit scoring, as authorised representative of a non-EU provider": (
        {"annex_iii_5b": True, "profiling": True}, "authorised_representative", "high-risk", "Annex III 5(b)",
        {("Art. 22(3)", HR3), ("Art. 22(3)(e), Art. 49(1)", HR3), ("Art. 22(4)", HR3), ("Art. 99(4)", HR3)}),
    "prohibited social scoring": (
        {"prohibited_c": True, "annex_iii_5b": True}, "deployer", "prohibited", "",
        {("Art. 5", date(2025, 2, 2)), ("Art. 99(3)", date(2025, 8, 2)), AI_LITERACY}),
    "nudify app": (
        {"prohibited_intimate_imagery": True}, "provider", "prohibited", "",
        {("Art. 5 (2026 amendment)", date(2026, 12, 2)), ("Art. 99(3)", date(2026, 12, 2)), AI_LITERACY}),
    "image generator that can depict real people, as provider": (
        {"transparency_synthetic": True, "imagery_of_people": True}, "provider", "limited", "",
        {("Art. 5 (2026 amendment)", date(2026, 12, 2)), ("Art. 50(2)", TR), ("Art. 50(5)", TR), ("Art. 99(4)", TR),
         AI_LITERACY}),
    "text generator, as provider": (
        {"transparency_synthetic": True}, "provider", "limited", "",
        {("Art. 50(2)", TR), ("Art. 50(5)", TR), ("Art. 99(4)", TR), AI_LITERACY}),
}


@pytest.mark.parametrize("case", CASES)
def test_each_case_lists_exactly_its_articles_per_role_with_dates(case):
    answers, role, label, point, expected = CASES[case]
    r = cls.classify(answers)
    assert (r.label, r.point) == (label, point)
    ob = cls.obligations(r, role, D)
    listed = list(zip(ob["article"], ob["applies from"]))
    assert set(listed) == expected
    assert len(listed) == len(set(listed))           # nothing listed twice


@pytest.mark.parametrize("q", [q for q in cls.rules().questions if q["section"] == "annex_iii"], ids=lambda q: q["id"])
def test_each_annex_iii_point_is_high_risk_and_recorded(q):
    r = cls.classify({q["id"]: True})
    assert (r.category, r.basis, r.annex_iii_points) == ("high_risk", "annex_iii", [q["point"]])
    assert r.point == f"Annex III {q['point']}"


def test_annex_iii_is_asked_point_by_point_with_each_points_exclusion():
    qs = {q["point"]: q for q in cls.rules().questions if q["section"] == "annex_iii"}
    assert list(qs) == ["1(a)", "1(b)", "1(c)", "2", "3(a)", "3(b)", "3(c)", "3(d)", "4(a)", "4(b)",
                        "5(a)", "5(b)", "5(c)", "5(d)", "6", "7", "8(a)", "8(b)"]
    assert "fraud" in qs["5(b)"]["exclusion"] and "verification" in qs["1(a)"]["exclusion"]
    assert "travel documents" in qs["7"]["exclusion"] and "campaigns" in qs["8(b)"]["exclusion"]
    several = cls.classify({"annex_iii_4a": True, "annex_iii_4b": True, "profiling": True})
    assert several.point == "Annex III 4(a), 4(b)"


def test_the_fria_follows_the_point_or_the_deployers_nature():
    def fria(answers):
        return "Art. 27" in set(cls.obligations(cls.classify({**answers, "profiling": True}), "deployer", D)["article"])
    assert fria({"annex_iii_5b": True}) and fria({"annex_iii_5c": True})
    assert not fria({"annex_iii_5a": True}) and not fria({"annex_iii_4a": True})
    assert fria({"annex_iii_4a": True, "deployer_public_service": True})
    assert fria({"annex_iii_3b": True, "deployer_public_body": True})
    assert not fria({"annex_iii_2": True, "deployer_public_body": True})      # critical infrastructure
    assert not fria({"annex_i_a": True, "deployer_public_body": True})        # only Annex III systems


def test_section_b_products_list_only_what_applies_to_them():
    r = cls.classify({"annex_i_b": True, "gpai_model": True})
    assert (r.category, r.annex_i_section) == ("high_risk", "B")
    for role in cls.ROLES:
        articles = set(cls.obligations(r, role, D)["article"])
        assert "Art. 2(2), Art. 102-109" in articles
        assert not any(a.startswith(("Art. 4", "Art. 9", "Art. 26", "Art. 49", "Art. 99")) for a in articles)
    assert "Art. 53(1)(a)" in set(cls.obligations(r, "provider", D)["article"])   # the model's duties stay


def test_annex_i_products_are_never_registered_in_the_eu_database():
    for answers in ({"annex_i_a": True}, {"annex_i_b": True}):
        for role in cls.ROLES:
            assert not any("Art. 49" in a for a in cls.obligations(cls.classify(answers), role, D)["article"])


def test_product_manufacturer_duties_only_for_annex_i_section_a_products():
    for answers in ({"annex_iii_5b": True}, {"transparency_interaction": True}):
        assert cls.obligations(cls.classify(answers), "product_manufacturer", D).empty, answers
    section_b = cls.obligations(cls.classify({"annex_i_b": True}), "product_manufacturer", D)
    assert list(section_b["article"]) == ["Art. 2(2), Art. 102-109"]


def test_ai_literacy_only_for_providers_and_deployers():
    for answers in ({}, {"annex_iii_1a": True}, {"transparency_deepfake": True}, {"prohibited_a": True}):
        for role in cls.ROLES:
            listed = "Art. 4" in set(cls.obligations(cls.classify(answers), role, D)["article"])
            assert listed == (role in ("provider", "deployer")), (answers, role)


def test_art_50_duties_follow_the_case_and_its_addressee():
    by_case = {"transparency_interaction": ("provider", "Art. 50(1)"), "transparency_synthetic": ("provider", "Art. 50(2)"),
               "transparency_emotion_biometric": ("deployer", "Art. 50(3)"),
               "transparency_deepfake": ("deployer", "Art. 50(4)")}
    for case, (addressee, article) in by_case.items():
        for role in ("provider", "deployer"):
            art50 = {a for a in cls.obligations(cls.classify({case: True}), role, D)["article"] if "50" in a}
            assert art50 == ({article, "Art. 50(5)"} if role == addressee else set()), (case, role)


def test_fines_carry_the_date_of_the_duty_they_sanction():
    def fines(answers, role):
        ob = cls.obligations(cls.classify(answers), role, D)
        return set(ob.loc[ob["article"].str.startswith("Art. 99"), "applies from"])
    assert fines({"prohibited_a": True}, "provider") == {date(2025, 8, 2)}        # penalties, not the ban's date
    assert fines({"annex_iii_5b": True}, "deployer") == {HR3}
    assert fines({"annex_i_a": True}, "provider") == {HR1}
    assert fines({"transparency_deepfake": True}, "deployer") == {TR}
    assert fines({"annex_iii_5b": True, "transparency_interaction": True}, "provider") == {HR3, TR}
    assert fines({}, "provider") == set() and fines({"transparency_interaction": True}, "deployer") == set()


def test_the_intimate_imagery_ban_is_listed_only_for_systems_that_can_produce_such_content():
    def listed(answers):
        return "Art. 5 (2026 amendment)" in set(cls.obligations(cls.classify(answers), "provider", D)["article"])
    assert listed({"prohibited_intimate_imagery": True}) and listed({"imagery_of_people": True})
    assert not listed({}) and not listed({"transparency_synthetic": True}) and not listed({"prohibited_a": True})
    assert cls.classify({"imagery_of_people": True}).category == "minimal"


def test_answers_given_per_area_before_points_were_asked_still_classify():
    old = cls.classify({"annex_iii_5": True, "profiling": True})
    assert (old.category, old.basis, old.legacy, old.point) == ("high_risk", "annex_iii", True, "Annex III 5")
    assert any(a.startswith("Art. 26") for a in cls.obligations(old, "deployer", D)["article"])
    product = cls.classify({"annex_i_safety": True})
    assert (product.category, product.basis, product.annex_i_section) == ("high_risk", "annex_i", "")
    assert not cls.classify({"annex_iii_5b": True}).legacy


@pytest.mark.parametrize("exemption", ["exemption_narrow_task", "exemption_improve_human",
                                       "exemption_detect_patterns", "exemption_preparatory"])
def test_an_art_6_3_exemption_takes_an_annex_iii_system_out_of_high_risk(exemption):
    r = cls.classify({"annex_iii_4a": True, exemption: True})
    assert r.category == "minimal" and r.exemption_used
    assert r.point == "Annex III 4(a) (Art. 6(3) exemption claimed)"


def test_profiling_is_always_high_risk_even_with_an_exemption():
    r = cls.classify({"annex_iii_4a": True, "exemption_preparatory": True, "profiling": True})
    assert r.category == "high_risk" and not r.exemption_used
    assert "profiles natural persons" in r.reasoning[0]


def test_profiling_alone_without_an_annex_iii_area_is_not_high_risk():
    assert cls.classify({"profiling": True}).category == "minimal"


def test_annex_i_products_are_high_risk_with_their_own_dates():
    r = cls.classify({"annex_i_a": True})
    assert (r.category, r.basis, r.annex_i_section) == ("high_risk", "annex_i", "A")
    dates = {"high_risk_annex_i": date(2028, 8, 2), "high_risk_annex_iii": date(2027, 12, 2)}
    ob = cls.obligations(r, "provider", dates)
    assert set(ob.loc[ob["tier"] == "high_risk", "applies from"]) == {date(2028, 8, 2)}


@pytest.mark.parametrize("practice", [f"prohibited_{c}" for c in "abcdefgh"] + ["prohibited_intimate_imagery"])
def test_a_prohibited_practice_takes_precedence_over_everything(practice):
    r = cls.classify({practice: True, "annex_iii_5b": True, "annex_i_a": True, "transparency_interaction": True})
    assert r.category == "prohibited" and r.point == ""


@pytest.mark.parametrize("case", ["transparency_interaction", "transparency_synthetic",
                                  "transparency_emotion_biometric", "transparency_deepfake"])
def test_transparency_cases_make_a_system_limited_risk(case):
    r = cls.classify({case: True})
    assert r.category == "limited" and r.transparency == [case]


def test_transparency_applies_on_top_of_high_risk():
    r = cls.classify({"annex_iii_5b": True, "transparency_interaction": True})
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
    answers = {"annex_i_a": True} if role == "product_manufacturer" else {"annex_iii_5b": True}
    ob = cls.obligations(cls.classify(answers), role, {})
    assert not ob.empty and set(ob["role"]) <= {role, "any"}


def test_exemption_documentation_only_when_an_exemption_is_used():
    with_ex = cls.obligations(cls.classify({"annex_iii_4a": True, "exemption_preparatory": True}), "provider", {})
    without = cls.obligations(cls.classify({"annex_iii_4a": True}), "provider", {})
    assert {"Art. 6(4)", "Art. 49(2)"} <= set(with_ex["article"]) and "Art. 6(4)" not in set(without["article"])
    assert "Unconfirmed" in with_ex.set_index("article").at["Art. 49(2)", "what it means"]


def test_dates_table_is_seeded_dated_and_editable(con):
    table = cls.dates_table(con)
    dates = cls.date_map(con)
    assert dates["high_risk_annex_iii"] == date(2027, 12, 2)    # moved by the 2026 amendments
    assert dates["high_risk_annex_i"] == date(2028, 8, 2)
    assert dates["prohibition_intimate_imagery"] == date(2026, 12, 2)
    assert dates["penalties"] == date(2025, 8, 2) and dates["gpai_fines"] == date(2026, 8, 2)
    assert cls.table_checked_on(con) == date(2026, 7, 27)
    cls.update_date(con, "high_risk_annex_iii", "2028-01-01", "2026-11-01")
    assert cls.date_map(con)["high_risk_annex_iii"] == date(2028, 1, 1)
    assert cls.table_checked_on(con) == date(2026, 11, 1)
    assert len(cls.dates_table(con)) == len(table)
    with pytest.raises(ValidationError, match="Unknown date key"):
        cls.update_date(con, "nonsense", "2028-01-01", "2026-11-01")
    with pytest.raises(ValidationError, match="must be a date"):
        cls.update_date(con, "gpai", "soon", "2026-11-01")


def test_a_key_the_catalogue_gained_is_added_to_an_existing_dates_table(con):
    cls.dates_table(con)
    cls.update_date(con, "high_risk_annex_iii", "2028-01-01", "2026-11-01")
    with con.cursor() as cur:
        cur.execute("DELETE FROM ai_act_date WHERE key IN ('penalties', 'gpai_fines')")  # a table seeded earlier
        cur.execute("UPDATE ai_act_date SET source = 'old wording' WHERE key = 'high_risk_annex_i'")
    table = cls.dates_table(con).set_index("key")
    assert {"penalties", "gpai_fines"} <= set(table.index)
    assert cls.date_map(con)["high_risk_annex_iii"] == date(2028, 1, 1)      # the user's edit stays
    assert "unconfirmed" in table.at["high_risk_annex_i", "source"]           # the catalogue's wording


def test_recording_keeps_history_and_sets_the_system_category(con, ws_id):
    sid = inventory.create(con, ws_id, {"name": "Scorer"})
    cls.record(con, ws_id, sid, {"annex_iii_5b": True}, "provider")
    assert inventory.get(con, ws_id, sid)["ai_act_category"] == "high-risk"
    cls.record(con, ws_id, sid, {"annex_iii_5b": True, "exemption_preparatory": True}, "deployer")
    cls.record(con, ws_id, sid, {"annex_i_a": True}, "authorised_representative")
    h = cls.history(con, ws_id, sid)
    assert list(h["version"]) == [3, 2, 1] and list(h["category"]) == ["high_risk", "minimal", "high_risk"]
    assert list(h["annex_iii_points"]) == ["", "5(b)", "5(b)"] and list(h["annex_i_section"]) == ["A", "", ""]
    assert list(cls.history_table(h, {sid: "Scorer"})["Basis"]) == [
        "Annex I Section A", "Annex III 5(b) (Art. 6(3) exemption claimed)", "Annex III 5(b)"]
    got = inventory.get(con, ws_id, sid)
    assert got["ai_act_category"] == "high-risk" and got["org_role"] == "authorised representative"
    answers, role = cls.latest_answers(con, ws_id, sid)
    assert answers == {"annex_i_a": True} and role == "authorised_representative"
    assert cls.role_key(got["org_role"]) == "authorised_representative"


def test_a_classification_stored_before_points_were_asked_reads_in_words(con, ws_id):
    sid = inventory.create(con, ws_id, {"name": "Old scorer"})
    with con.cursor() as cur:          # as the earlier version of the app stored it
        cur.execute("INSERT INTO ai_act_classification (workspace_id, system_id, version, role, answers, category,"
                    " basis, gpai, reasoning, classified_at, classified_by) VALUES (?, ?, 1, 'deployer', ?,"
                    " 'high_risk', 'annex_iii', '', '[]', now(), 'ana')", [ws_id, sid, json.dumps({"annex_iii_5": True})])
    h = cls.history(con, ws_id, sid)
    assert list(cls.history_table(h, {sid: "Old scorer"})["Basis"]) == ["Annex III (high-risk area)"]
    answers, _ = cls.latest_answers(con, ws_id, sid)
    assert cls.classify(answers).legacy and cls.classify(answers).category == "high_risk"


@pytest.mark.parametrize("answers, role, message", [
    ({"annex_iv_9": True}, "provider", "Unknown question"),
    ({"annex_iii_5": True}, "provider", "Unknown question"),     # the earlier per-area question
    ({"annex_iii_5b": "yes"}, "provider", "must be yes or no"),
    ({"annex_iii_5b": True}, "owner", "Role must be one of"),
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
                         "classified_by": ["ana", "ben"], "annex_iii_points": ["5(c)", ""],
                         "annex_i_section": ["", ""]})
    t = cls.history_table(hist, {"AIS-001": "Credit scoring"})
    assert list(t["System"]) == ["AIS-001 Credit scoring", "AIS-009 (retired)"]
    assert list(t["Result"]) == ["high-risk", "limited"]
    assert list(t["Basis"]) == ["Annex III 5(c)", ""]
    assert list(t["GPAI"]) == ["no", "yes"] and list(t["Role"]) == ["product manufacturer", "deployer"]
    assert not any("_" in str(v) for col in ("Result", "Basis", "Role") for v in t[col])


def test_obligation_conditions_are_checked_when_the_rules_load():
    problems = cls._when_problems({"answers": ["nope"], "points": ["9(z)"], "colour": "red",
                                   "any": [{"points_other_than": ["2"]}, {"answers": ["gone"]}]}, {"yes"}, {"2"})
    assert problems == ["unknown condition 'colour'", "unknown question 'nope'", "unknown point '9(z)'",
                        "unknown question 'gone'"]
    r = cls.rules()
    assert all(not cls._when_problems(o.get("when", {}), {q["id"] for q in r.questions},
                                      {q["point"] for q in r.questions if q["section"] == "annex_iii"})
               for o in r.obligations)
