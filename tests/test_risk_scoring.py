"""Risk scoring rules, worked by hand on the default 5x5 criteria (bands 1-4 low, 5-9 medium,
10-15 high, 16-25 critical; appetite 9)."""
from datetime import date

import pytest

from aims.common.validate import ValidationError
from aims.risk import scoring as rs

CRIT = rs.defaults()
TODAY = date(2027, 3, 1)


def test_the_defaults_are_a_labelled_5x5_matrix():
    assert CRIT["likelihood_labels"] == ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
    assert CRIT["impact_labels"] == ["Negligible", "Minor", "Moderate", "Major", "Severe"]
    assert (CRIT["low_max"], CRIT["medium_max"], CRIT["high_max"], CRIT["appetite"]) == (4, 9, 15, 9)
    assert all(CRIT["likelihood_descriptions"]) and all(CRIT["impact_descriptions"])


@pytest.mark.parametrize("likelihood, impact, score", [(1, 1, 1), (2, 3, 6), (3, 3, 9), (4, 4, 16), (5, 5, 25)])
def test_score_is_likelihood_times_impact(likelihood, impact, score):
    assert rs.score(likelihood, impact) == score


def test_a_missing_rating_has_no_score():
    assert rs.score(None, 3) is None and rs.score(3, None) is None


@pytest.mark.parametrize("score, level", [
    (1, "low"), (4, "low"), (5, "medium"), (9, "medium"), (10, "high"), (15, "high"), (16, "critical"),
    (25, "critical"), (None, None)])
def test_band_edges(score, level):
    assert rs.level(score, CRIT) == level


def test_the_default_matrix_has_8_low_7_medium_6_high_and_4_critical_cells():
    cells = [rs.level(li * im, CRIT) for li in rs.SCALE for im in rs.SCALE]
    assert [cells.count(lvl) for lvl in rs.LEVELS] == [8, 7, 6, 4]


def test_band_ranges_for_the_legend():
    assert rs.band_ranges(CRIT) == [("low", 1, 4), ("medium", 5, 9), ("high", 10, 15), ("critical", 16, 25)]


@pytest.mark.parametrize("score, above", [(9, False), (10, True), (25, True), (1, False), (None, False)])
def test_above_appetite_means_strictly_above(score, above):
    assert rs.above_appetite(score, CRIT) is above


def test_custom_bands_and_appetite_re_band_a_score():
    crit = {**CRIT, "low_max": 2, "medium_max": 5, "high_max": 11, "appetite": 4}
    assert [rs.level(s, crit) for s in (2, 3, 5, 6, 11, 12)] == ["low", "medium", "medium", "high", "high", "critical"]
    assert rs.above_appetite(5, crit) and not rs.above_appetite(4, crit)


def test_current_score_is_the_residual_only_once_the_treatment_is_implemented():
    assert rs.current_score(4, 4, 2, 3) == 16                        # planned 6, treatment not implemented
    assert rs.current_score(4, 4, 2, 3, date(2027, 2, 1)) == 6       # implemented: the residual is current
    assert rs.current_score(4, 4, None, None, date(2027, 2, 1)) == 16  # implemented but residual not rated
    assert rs.residual_is_current(2, 3, date(2027, 2, 1)) and not rs.residual_is_current(2, 3, None)


def test_scale_labels():
    assert rs.scale_label(4, CRIT["likelihood_labels"]) == "4 Likely"
    assert rs.scale_label(None, CRIT["impact_labels"]) == ""


@pytest.mark.parametrize("level, cell", [("low", (1, 1)), ("medium", (3, 3)), ("high", (3, 4)), ("critical", (4, 4))])
def test_a_level_only_rating_lands_in_that_band(level, cell):
    assert rs.rating_for_level(level, CRIT) == cell
    assert rs.level(cell[0] * cell[1], CRIT) == level


def test_cell_counts_skip_unrated_rows():
    counts = rs.cell_counts([4, 4, 1, None], [3, 3, 5, 2])
    assert counts[3][2] == 2 and counts[0][4] == 1 and sum(map(sum, counts)) == 3


# ---- acceptance and rating rules -----------------------------------------------------------------

def risk(**kw):
    base = {"inherent_likelihood": 4, "inherent_impact": 4, "residual_likelihood": None, "residual_impact": None,
            "status": "open", "treatment": "", "accepted_by": "", "accepted_on": None, "acceptance_expiry": None}
    return {**base, **kw}


def test_accepting_a_risk_above_appetite_needs_who_when_and_until_when():
    problems = rs.acceptance_problems(risk(status="accepted", treatment="accept"), CRIT, TODAY)
    assert len(problems) == 1
    assert "above the risk appetite (score 16, appetite 9)" in problems[0]
    assert "Accepted by" in problems[0] and "acceptance date" in problems[0] and "expiry" in problems[0]


def test_a_complete_acceptance_is_fine():
    r = risk(status="accepted", accepted_by="Board risk committee", accepted_on=date(2027, 2, 1),
             acceptance_expiry=date(2027, 8, 1))
    assert rs.acceptance_problems(r, CRIT, TODAY) == []


def test_acceptance_without_a_name_names_the_missing_field_only():
    r = risk(treatment="accept", accepted_on=date(2027, 2, 1), acceptance_expiry=date(2027, 8, 1))
    (problem,) = rs.acceptance_problems(r, CRIT, TODAY)
    assert "who accepted it (Accepted by)" in problem and "expiry" not in problem


def test_accepting_within_appetite_needs_no_formal_acceptance():
    assert rs.acceptance_problems(risk(inherent_likelihood=3, inherent_impact=3, status="accepted"), CRIT, TODAY) == []


def test_the_residual_rating_decides_whether_acceptance_is_needed_once_the_treatment_is_implemented():
    done = date(2027, 2, 1)
    treated = risk(status="accepted", treatment="mitigate", residual_likelihood=2, residual_impact=4,
                   treatment_implemented_on=done)                                 # residual 8, within appetite
    assert rs.acceptance_problems(treated, CRIT, TODAY) == []
    still_high = risk(status="accepted", treatment="mitigate", residual_likelihood=3, residual_impact=4,
                      treatment_implemented_on=done)                              # residual 12
    assert "(score 12, appetite 9)" in rs.acceptance_problems(still_high, CRIT, TODAY)[0]
    # planned 8 but not implemented yet: the current risk is the inherent 16, which is what is accepted
    planned = risk(status="accepted", treatment="mitigate", residual_likelihood=2, residual_impact=4)
    assert "(score 16, appetite 9)" in rs.acceptance_problems(planned, CRIT, TODAY)[0]


@pytest.mark.parametrize("kw, message", [
    (dict(treatment="accept"), "an accepted risk keeps its inherent rating"),
    (dict(treatment=""), "a risk without a treatment keeps its inherent rating"),
    (dict(treatment="mitigate", treatment_implemented_on=date(2027, 3, 2)), "is in the future"),
])
def test_only_a_treatment_that_changes_the_risk_is_implemented_and_not_in_the_future(kw, message):
    r = risk(**{"treatment_implemented_on": date(2027, 2, 1), **kw})
    (problem,) = rs.treatment_problems(r, TODAY)
    assert message in problem
    for treatment in ("mitigate", "transfer", "avoid"):
        assert rs.treatment_problems(risk(treatment=treatment, treatment_implemented_on=TODAY), TODAY) == []
    assert rs.treatment_problems(risk(treatment="accept"), TODAY) == []       # nothing implemented: fine


def test_acceptance_dates_must_make_sense():
    future = risk(accepted_on=date(2027, 3, 2))
    assert "in the future" in rs.acceptance_problems(future, CRIT, TODAY)[0]
    backwards = risk(accepted_on=date(2027, 2, 1), acceptance_expiry=date(2027, 2, 1))
    assert "must be after the acceptance date" in rs.acceptance_problems(backwards, CRIT, TODAY)[0]


def test_residual_likelihood_and_impact_go_together_and_never_exceed_inherent():
    assert "together" in rs.rating_problems(risk(residual_likelihood=2))[0]
    higher = rs.rating_problems(risk(inherent_likelihood=2, residual_likelihood=3, residual_impact=4))
    assert len(higher) == 1 and "residual likelihood (3) cannot be higher than inherent likelihood (2)" in higher[0]
    assert rs.rating_problems(risk(residual_likelihood=4, residual_impact=1)) == []


# ---- checks --------------------------------------------------------------------------------------

def test_checks_name_what_a_reviewer_should_look_at():
    r = risk(owner="", treatment="mitigate", controls=[], due=date(2027, 2, 1), next_review=date(2027, 1, 1),
             status="in treatment", excluded_controls=["A.10.4"])
    got = rs.checks(r, CRIT, TODAY)
    assert got == ["no owner", "mitigation without planned controls", "residual risk not rated",
                   "above appetite until the treatment is implemented", "treatment overdue", "review overdue",
                   "needs a control the SoA excludes: A.10.4"]


def test_an_implemented_treatment_is_neither_due_nor_overdue_and_its_residual_is_judged():
    base = dict(owner="Ann", treatment="mitigate", controls=["A.6.2.6"], status="in treatment",
                residual_likelihood=3, residual_impact=4, treatment_implemented_on=date(2027, 2, 1))
    # implemented, residual 12 still above appetite: treat further or accept; past due no longer matters
    assert rs.checks(risk(**base, due=date(2027, 2, 1)), CRIT, TODAY) == [
        "above appetite: treat further or accept formally"]
    assert rs.checks(risk(**base, due=None), CRIT, TODAY) == ["above appetite: treat further or accept formally"]
    # implemented with residual 8: nothing to look at
    assert rs.checks(risk(**{**base, "residual_likelihood": 2}, due=None), CRIT, TODAY) == []
    # the same risk before its treatment is implemented: inherent 16 above appetite, and overdue
    assert rs.checks(risk(**{**base, "residual_likelihood": 2, "treatment_implemented_on": None},
                          due=date(2027, 2, 1)), CRIT, TODAY) == [
        "above appetite until the treatment is implemented", "treatment overdue"]


def test_an_accepted_risk_within_appetite_and_a_closed_risk_have_no_checks():
    accepted = risk(inherent_likelihood=2, inherent_impact=3, owner="Ann", treatment="accept", status="accepted")
    assert rs.checks(accepted, CRIT, TODAY) == []
    assert rs.checks(risk(status="closed"), CRIT, TODAY) == []


def test_an_expired_acceptance_is_flagged():
    r = risk(owner="Ann", treatment="accept", status="accepted", accepted_by="CRO", accepted_on=date(2026, 1, 1),
             acceptance_expiry=date(2027, 1, 1))
    assert rs.checks(r, CRIT, TODAY) == ["acceptance expired"]


# ---- criteria validation -------------------------------------------------------------------------

def crit_input(**kw):
    d = {k: CRIT[k] for k in ("likelihood_labels", "likelihood_descriptions", "impact_labels", "impact_descriptions",
                              "low_max", "medium_max", "high_max", "appetite", "review_months")}
    return {**d, **kw}


def test_valid_criteria_round_trip():
    assert rs.clean_criteria(crit_input())["appetite"] == 9


@pytest.mark.parametrize("change, message", [
    ({"low_max": 9, "medium_max": 9}, "Band upper scores must rise"),
    ({"high_max": 25}, "High band upper score must be a whole number from 1 to 24"),
    ({"appetite": 0}, "Risk appetite (highest acceptable score) must be a whole number from 1 to 24"),
    ({"likelihood_labels": ["Rare", "", "Possible", "Likely", "Almost certain"]},
     "Likelihood level 2 label is required"),
    ({"impact_labels": ["Low", "low", "Moderate", "Major", "Severe"]}, "Impact labels must all differ"),
    ({"impact_labels": ["a", "b", "c", "d"]}, "Impact scale needs exactly five labels"),
    ({"likelihood_labels": ["x" * 41, "b", "c", "d", "e"]}, "the limit is 40"),
    ({"review_months": 48}, "Review interval (months) must be a whole number from 1 to 36"),
])
def test_bad_criteria_are_refused_with_a_clear_message(change, message):
    with pytest.raises(ValidationError) as info:
        rs.clean_criteria(crit_input(**change))
    assert message in str(info.value)
