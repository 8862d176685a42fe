"""The AI risk register: writes validate everything and log every field, reads compute scores
from the workspace's criteria."""
from datetime import date, timedelta

import pandas as pd
import pytest
from helpers import make_risk, risk_counts, rows

from aims.common.validate import ValidationError
from aims.risk import register as risks
from aims.store import db, workspaces

TODAY = date.today()


# ---- create and validate -------------------------------------------------------------------------

def test_create_stores_every_field_and_link_and_logs_them(con, ws_id, systems):
    rid = risks.create(con, ws_id, make_risk(
        description="Accuracy decays", risk_source="C.3.4 Risk sources related to machine learning",
        objective="C.2.8", stakeholders="Applicants", existing_controls="Quarterly back-test",
        treatment="mitigate", residual_likelihood=2, residual_impact=3, owner="Tom", due="2027-06-30",
        status="in treatment", next_review=date(2027, 9, 1), systems=["AIS-001"],
        controls="A.7.4; A.10.3, A.6.2.6"))
    assert rid == "R-001"
    got = risks.get(con, ws_id, rid)
    assert got["risk_source"] == "C.3.4" and got["due"] == date(2027, 6, 30)
    assert got["systems"] == ["AIS-001"]
    assert got["controls"] == ["A.6.2.6", "A.7.4", "A.10.3"]  # catalogue order, not text order
    logged = {r[0]: r[1] for r in rows(con, "SELECT field, new_value FROM change_log WHERE entity_id = 'R-001'")}
    assert logged["inherent_likelihood"] == "4" and logged["controls"] == "A.6.2.6; A.7.4; A.10.3"
    assert logged["systems"] == "AIS-001" and "accepted_by" not in logged  # empty fields are not logged


@pytest.mark.parametrize("data, message", [
    (make_risk(inherent_likelihood=0), "Inherent likelihood must be a whole number from 1 to 5, not 0."),
    (make_risk(inherent_impact=6), "Inherent impact must be a whole number from 1 to 5, not 6."),
    (make_risk(residual_likelihood=6, residual_impact=1), "Residual likelihood must be a whole number from 1 to 5"),
    (make_risk(controls=["A.6.2.4", "A.99.1", "B.1"]), "Unknown Annex A control(s) A.99.1, B.1"),
    (make_risk(systems=["AIS-404"]), "Unknown AI system(s) AIS-404: choose systems from the AI system inventory."),
    (make_risk(treatment="accept", status="accepted", accepted_on=TODAY, acceptance_expiry=TODAY + timedelta(days=90)),
     "record who accepted it (Accepted by)"),
    (make_risk(title="  "), "Title is required."),
    (make_risk(lifecycle_stage="production"), "Life-cycle stage must be one of"),
    (make_risk(treatment="ignore"), "Treatment must be one of: mitigate, accept, transfer, avoid"),
    (make_risk(status="in treatment"), "Status 'in treatment' needs a treatment of mitigate, transfer or avoid"),
    (make_risk(objective="C.9.9"), "Affected objective (Annex C.2) must be one of"),
    (make_risk(due="31/12/2027"), "Due date must be a date like 2027-03-31"),
    (make_risk(residual_likelihood=5, residual_impact=1), "cannot be higher than inherent likelihood (4)"),
    (make_risk(residual_likelihood=2), "rate residual likelihood and residual impact together"),
    (make_risk(accepted_on=TODAY, acceptance_expiry=TODAY - timedelta(days=1)), "must be after the acceptance date"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(con, ws_id, systems, data, message):
    before = risk_counts(con)
    with pytest.raises(ValidationError) as info:
        risks.create(con, ws_id, data)
    assert message in str(info.value)
    assert risk_counts(con) == before


def test_every_problem_is_reported_at_once(con, ws_id):
    with pytest.raises(ValidationError) as info:
        risks.create(con, ws_id, make_risk(title="", inherent_likelihood=0, inherent_impact=6, controls=["A.1"]))
    assert len(info.value.problems) == 4


def test_accepting_above_appetite_with_a_full_acceptance_is_stored(con, ws_id):
    rid = risks.create(con, ws_id, make_risk(treatment="accept", status="accepted", accepted_by="Risk committee",
                                        accepted_on=TODAY, acceptance_expiry=TODAY + timedelta(days=180)))
    row = risks.table(con, ws_id).set_index("id").loc[rid]
    assert row["above_appetite"] and row["checks"] == ["no owner"]


def test_create_many_is_all_or_nothing_and_names_the_bad_row(con, ws_id):
    with pytest.raises(ValidationError) as info:
        risks.create_many(con, ws_id, [make_risk(), make_risk(title="Second", inherent_impact=9)])
    assert "Risk 2 (Second): Inherent impact must be a whole number from 1 to 5" in str(info.value)
    assert risk_counts(con)["risk"] == 0
    assert risks.create_many(con, ws_id, [make_risk(), make_risk(title="Second")]) == ["R-001", "R-002"]


def test_an_unknown_workspace_is_refused(con):
    with pytest.raises(ValidationError, match="no workspace"):
        risks.create(con, 999, make_risk())


# ---- update and delete ---------------------------------------------------------------------------

def test_update_changes_only_the_given_fields_and_logs_old_and_new(con, ws_id, systems):
    rid = risks.create(con, ws_id, make_risk(systems=["AIS-001"], controls=["A.7.4"]))
    n = risks.update(con, ws_id, rid, {"owner": "Ann", "systems": ["AIS-001", "AIS-002"], "controls": ["A.6.2.6"]})
    assert n == 3
    got = risks.get(con, ws_id, rid)
    assert got["owner"] == "Ann" and got["title"] == "Model drift"
    assert got["systems"] == ["AIS-001", "AIS-002"] and got["controls"] == ["A.6.2.6"]
    change = rows(con, "SELECT old_value, new_value FROM change_log WHERE entity_id = ? AND field = 'controls'"
                  " ORDER BY id DESC LIMIT 1", [rid])
    assert change == [("A.7.4", "A.6.2.6")]
    assert risks.update(con, ws_id, rid, {"owner": "Ann"}) == 0


def test_a_bad_update_writes_nothing(con, ws_id):
    rid = risks.create(con, ws_id, make_risk(controls=["A.7.4"]))
    before = risk_counts(con)
    with pytest.raises(ValidationError, match="Unknown Annex A control"):
        risks.update(con, ws_id, rid, {"owner": "Ann", "controls": ["A.7.4", "A.0"]})
    assert risk_counts(con) == before and risks.get(con, ws_id, rid)["owner"] == ""
    with pytest.raises(ValidationError, match="R-001: Inherent likelihood must be a whole number from 1 to 5, not 6"):
        risks.update(con, ws_id, rid, {"inherent_likelihood": 6})
    with pytest.raises(ValidationError, match="cannot be edited"):
        risks.update(con, ws_id, rid, {"library_id": "RL-01"})
    with pytest.raises(ValidationError, match="no risk R-404"):
        risks.update(con, ws_id, "R-404", {"owner": "x"})


def test_accepting_an_existing_risk_above_appetite_without_a_name_is_refused(con, ws_id):
    rid = risks.create(con, ws_id, make_risk(inherent_likelihood=4, inherent_impact=4))
    with pytest.raises(ValidationError) as info:
        risks.update(con, ws_id, rid, {"status": "accepted", "accepted_on": TODAY,
                                       "acceptance_expiry": TODAY + timedelta(days=30)})
    assert "R-001 is above the risk appetite (score 16, appetite 9)" in str(info.value)
    assert "Accepted by" in str(info.value)
    assert risks.get(con, ws_id, rid)["status"] == "open"


def test_deleted_ids_are_never_reused(con, ws_id):
    risks.create_many(con, ws_id, [make_risk(), make_risk(title="Two")])
    risks.delete(con, ws_id, "R-002")
    assert risks.get(con, ws_id, "R-002") is None
    assert risks.create(con, ws_id, make_risk(title="Three")) == "R-003"
    assert rows(con, "SELECT old_value FROM change_log WHERE entity_id = 'R-002' AND field = 'deleted'") == [("Two",)]


def test_delete_removes_links_but_is_refused_while_other_records_point_at_the_risk(con, ws_id, systems):
    rid = risks.create(con, ws_id, make_risk(systems=["AIS-001"], controls=["A.7.4"]))
    with db.writing(con) as cur:  # another feature's link: a roadmap action treating the risk
        cur.execute("INSERT INTO action_risk (workspace_id, action_id, risk_id) VALUES (?, 'ACT-001', ?)", [ws_id, rid])
    assert risks.references(con, ws_id, rid) == {"action_risk": 1}
    assert risks.describe_references({"action_risk": 2, "test_action_link": 1}) == \
        "2 roadmap actions, 1 row in test action link"
    with pytest.raises(ValidationError, match="still linked to other records .1 roadmap action"):
        risks.delete(con, ws_id, rid)
    with db.writing(con) as cur:
        cur.execute("DELETE FROM action_risk")
    risks.delete(con, ws_id, rid)
    assert risk_counts(con)["risk_system"] == 0 and risk_counts(con)["risk_control"] == 0


def test_every_table_pointing_at_a_risk_is_checked_before_deleting_it(con):
    """A new table with a risk_id column must be added to register.REFERENCES (with its fixed
    count statement), or a risk could be deleted while it points at it."""
    tables = {r[0] for r in rows(con, "SELECT DISTINCT table_name FROM information_schema.columns"
                                      " WHERE column_name = 'risk_id' AND table_schema = current_schema()")}
    assert tables - {"risk_system", "risk_control"} == set(risks.REFERENCES)


# ---- reads ---------------------------------------------------------------------------------------

def test_table_computes_scores_levels_and_appetite_from_the_criteria(con, ws_id, systems):
    risks.create_many(con, ws_id, [
        make_risk(systems=["AIS-001"], treatment="mitigate", residual_likelihood=2, residual_impact=3, owner="Tom",
             controls=["A.6.2.6"], due=TODAY + timedelta(days=10)),         # 12 high -> 6 medium
        make_risk(title="Unrated", inherent_likelihood=5, inherent_impact=5),    # 25 critical, no residual
        make_risk(title="Small", inherent_likelihood=1, inherent_impact=2),      # 2 low
    ])
    t = risks.table(con, ws_id).set_index("id")
    assert list(t.loc["R-001", ["inherent_score", "inherent_level", "residual_score", "residual_level"]]) == \
        [12, "high", 6, "medium"]
    # the treatment is planned, not implemented: the current risk is still the inherent 12
    assert t.loc["R-001", "inherent_above_appetite"] and not t.loc["R-001", "residual_above_appetite"]
    assert (t.loc["R-001", "current_basis"], t.loc["R-001", "current_score"], t.loc["R-001", "current_level"]) == (
        "inherent", 12, "high")
    assert t.loc["R-001", "above_appetite"]
    assert t.loc["R-001", "checks"] == ["above appetite until the treatment is implemented"]
    assert t.loc["R-001", "system_names"] == ["Credit scoring model"] and not t.loc["R-001", "organisation_level"]
    assert pd.isna(t.loc["R-002", "residual_score"]) and t.loc["R-002", "residual_level"] is None
    assert t.loc["R-002", "current_score"] == 25 and t.loc["R-002", "current_level"] == "critical"
    assert t.loc["R-002", "above_appetite"] and not t.loc["R-002", "residual_above_appetite"]
    assert t.loc["R-003", "current_level"] == "low" and t.loc["R-003", "organisation_level"]
    # implemented: the residual 2 x 3 = 6 is the current risk
    assert risks.update(con, ws_id, "R-001", {"treatment_implemented_on": TODAY}) == 1
    t = risks.table(con, ws_id).set_index("id")
    assert (t.loc["R-001", "current_basis"], t.loc["R-001", "current_likelihood"], t.loc["R-001", "current_impact"],
            t.loc["R-001", "current_score"], t.loc["R-001", "current_level"]) == ("residual", 2, 3, 6, "medium")
    assert not t.loc["R-001", "above_appetite"] and t.loc["R-001", "checks"] == []
    assert (t.loc["R-002", "current_likelihood"], t.loc["R-002", "current_basis"]) == (5, "inherent")


def test_changing_the_criteria_re_bands_every_risk(con, ws_id):
    risks.create(con, ws_id, make_risk(inherent_likelihood=3, inherent_impact=3))  # 9
    assert risks.table(con, ws_id).iloc[0]["inherent_level"] == "medium"
    assert risks.save_criteria(con, ws_id, {"medium_max": 8, "appetite": 8}) == 2
    row = risks.table(con, ws_id).iloc[0]
    assert row["inherent_level"] == "high" and row["above_appetite"]


def test_rows_sort_by_id_number_not_text(con, ws_id):
    risks.create_many(con, ws_id, [make_risk(title=f"R{i}") for i in range(11)])
    risks.delete(con, ws_id, "R-011")
    risks.create(con, ws_id, make_risk(title="later"))
    assert list(risks.table(con, ws_id)["id"])[-3:] == ["R-009", "R-010", "R-012"]


def test_overdue_flags(con, ws_id):
    past = TODAY - timedelta(days=1)
    risks.create_many(con, ws_id, [
        make_risk(treatment="mitigate", status="in treatment", due=past, next_review=past),
        make_risk(title="Closed late", treatment="mitigate", status="closed", due=past, next_review=past),
        make_risk(title="Expired", inherent_likelihood=1, inherent_impact=1, treatment="accept", status="accepted",
             accepted_by="CRO", accepted_on=past - timedelta(days=100), acceptance_expiry=past)])
    t = risks.table(con, ws_id).set_index("id")
    assert t.loc["R-001", "treatment_overdue"] and t.loc["R-001", "review_overdue"]
    assert not t.loc["R-002", "treatment_overdue"] and not t.loc["R-002", "review_overdue"]
    assert t.loc["R-003", "acceptance_expired"] and "acceptance expired" in t.loc["R-003", "checks"]
    s = risks.summary(risks.table(con, ws_id))
    assert (s["open"], s["closed"], s["treatments_overdue"], s["reviews_overdue"], s["acceptances_expired"]) == \
        (2, 1, 1, 1, 1)


def test_summary_counts_inherent_and_residual_above_appetite(con, ws_id):
    risks.create_many(con, ws_id, [
        make_risk(inherent_likelihood=4, inherent_impact=4, treatment="mitigate", residual_likelihood=3, residual_impact=4),
        make_risk(inherent_likelihood=4, inherent_impact=4, treatment="mitigate", residual_likelihood=1, residual_impact=4),
        make_risk(inherent_likelihood=5, inherent_impact=5),
        make_risk(inherent_likelihood=5, inherent_impact=5, status="closed", treatment="avoid")])
    s = risks.summary(risks.table(con, ws_id))
    # planned: R-001 12 (above), R-002 4; nothing implemented, so every open risk is at its inherent 16, 16, 25
    assert (s["open"], s["above_inherent"], s["above_residual"], s["above_current"]) == (3, 3, 1, 3)
    assert (s["residual_rated"], s["residual_not_rated"], s["residual_current"], s["awaiting_treatment"]) == (2, 1, 0, 2)
    risks.update(con, ws_id, "R-002", {"treatment_implemented_on": TODAY})   # now 4: within appetite
    s = risks.summary(risks.table(con, ws_id))
    assert (s["above_current"], s["residual_current"], s["awaiting_treatment"]) == (2, 1, 1)
    risks.update(con, ws_id, "R-001", {"treatment_implemented_on": TODAY})   # now 12: still above
    assert risks.summary(risks.table(con, ws_id))["above_current"] == 2


def test_a_treatment_implemented_without_a_changing_treatment_or_in_the_future_is_refused(con, ws_id):
    rid = risks.create(con, ws_id, make_risk(treatment="accept", status="accepted", inherent_likelihood=2,
                                             inherent_impact=2))
    with pytest.raises(ValidationError, match="an accepted risk keeps its inherent rating"):
        risks.update(con, ws_id, rid, {"treatment_implemented_on": TODAY})
    with pytest.raises(ValidationError, match="is in the future"):
        risks.update(con, ws_id, rid, {"treatment": "mitigate", "status": "in treatment",
                                       "treatment_implemented_on": TODAY + timedelta(days=1)})
    assert risks.get(con, ws_id, rid)["treatment_implemented_on"] is None
    assert risks.update(con, ws_id, rid, {"treatment": "mitigate", "status": "in treatment",
                                          "treatment_implemented_on": TODAY}) == 3
    logged = rows(con, "SELECT new_value FROM change_log WHERE entity_id = ? AND field = 'treatment_implemented_on'",
                  [rid])
    assert logged == [(TODAY.isoformat(),)]


def test_for_system_lists_only_its_risks(con, ws_id, systems):
    risks.create_many(con, ws_id, [make_risk(systems=["AIS-001"]), make_risk(title="Both", systems=["AIS-001", "AIS-002"]),
                                   make_risk(title="Org-level")])
    assert list(risks.for_system(con, ws_id, "AIS-002")["id"]) == ["R-002"]
    assert list(risks.for_system(con, ws_id, "AIS-001")["id"]) == ["R-001", "R-002"]
    assert risks.for_system(con, ws_id, "AIS-404").empty


def test_history_lists_one_risks_changes(con, ws_id):
    rid = risks.create(con, ws_id, make_risk())
    risks.update(con, ws_id, rid, {"owner": "Ann"})
    h = risks.history(con, ws_id, rid)
    assert h.iloc[0]["field"] == "owner" and h.iloc[0]["new_value"] == "Ann"


# ---- criteria ------------------------------------------------------------------------------------

def test_criteria_default_until_saved_then_stored_and_logged(con, ws_id):
    assert not risks.criteria(con, ws_id)["customised"]
    labels = ["Very rare", "Unlikely", "Possible", "Likely", "Almost certain"]
    assert risks.save_criteria(con, ws_id, {"likelihood_labels": labels, "appetite": 12}) == 2
    got = risks.criteria(con, ws_id)
    assert got["customised"] and got["likelihood_labels"] == labels and got["appetite"] == 12
    assert {r[0] for r in rows(con, "SELECT field FROM change_log WHERE entity = 'risk_criteria'")} == \
        {"likelihood_labels", "appetite"}


def test_bad_criteria_write_nothing(con, ws_id):
    with pytest.raises(ValidationError, match="Band upper scores must rise"):
        risks.save_criteria(con, ws_id, {"low_max": 10, "medium_max": 9})
    assert rows(con, "SELECT count(*) FROM risk_criteria") == [(0,)]
    assert rows(con, "SELECT count(*) FROM change_log WHERE entity = 'risk_criteria'") == [(0,)]


# ---- library -------------------------------------------------------------------------------------

# ---- proposals from impact assessments -----------------------------------------------------------

# ---- workspace copy and delete, export -----------------------------------------------------------

def test_duplicating_a_workspace_copies_risks_links_and_criteria(con, ws_id, systems):
    risks.create(con, ws_id, make_risk(systems=["AIS-002"], controls=["A.7.4"]))
    risks.save_criteria(con, ws_id, {"appetite": 12})
    copy = workspaces.duplicate(con, ws_id, "Copy")
    got = risks.get(con, copy, "R-001")
    assert got["systems"] == ["AIS-002"] and got["controls"] == ["A.7.4"]
    assert risks.criteria(con, copy)["appetite"] == 12
    workspaces.delete(con, copy, "Copy")
    assert rows(con, "SELECT count(*) FROM risk WHERE workspace_id = ?", [copy]) == [(0,)]
    assert rows(con, "SELECT count(*) FROM risk_criteria WHERE workspace_id = ?", [copy]) == [(0,)]


def test_csv_export_neutralises_formulas(con, ws_id):
    risks.create(con, ws_id, make_risk(title="=HYPERLINK(\"x\")", owner="@ann"))
    text = risks.to_csv(risks.table(con, ws_id), risks.criteria(con, ws_id)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@ann" in text and "4 Likely" in text


@pytest.fixture
def con(engine_con):          # these tests run on both engines
    return engine_con
