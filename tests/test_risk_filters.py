"""The risk register page's filters and summaries, on small hand-made registers."""
import pandas as pd

from aims.risk import filters
from aims.risk import scoring as rs


def register():
    return pd.DataFrame({
        "id": ["R-001", "R-002", "R-003", "R-004"],
        "title": ["Model drift", "Biased outcomes", "Vendor lock-in", "Prompt injection"],
        "description": ["accuracy falls", "unfair to applicants", "", "chatbot misuse"],
        "owner": ["Priya Shah", "", "Sam Lee", "Priya Shah"],
        "organisation_level": [False, False, True, False],
        "systems": [["AIS-001"], ["AIS-001", "AIS-002"], [], ["AIS-002"]],
        "status": ["open", "in treatment", "accepted", "closed"],
        "current_level": ["high", "critical", "low", "medium"],
        "above_appetite": [True, True, False, False],
        "checks": [[], ["no owner"], [], []],
        "library_id": ["LIB-01", "", "LIB-01", "LIB-07"],
        "controls": [["A.6.2.6", "A.4.2"], ["A.7.4"], [], ["A.4.2"]],
    })


def ids(frame):
    return list(frame["id"])


def test_no_filter_keeps_the_whole_register():
    assert ids(filters.filter_register(register())) == ["R-001", "R-002", "R-003", "R-004"]


def test_search_is_literal_case_insensitive_and_covers_owner_and_description():
    assert ids(filters.filter_register(register(), search="  PRIYA ")) == ["R-001", "R-004"]
    assert ids(filters.filter_register(register(), search="applicants")) == ["R-002"]
    assert ids(filters.filter_register(register(), search="(")) == []          # no regex error


def test_scope_is_one_system_or_the_organisation():
    assert ids(filters.filter_register(register(), scope="AIS-002")) == ["R-002", "R-004"]
    assert ids(filters.filter_register(register(), scope=filters.ORGANISATION_LEVEL)) == ["R-003"]


def test_filters_combine():
    got = filters.filter_register(register(), statuses=["open", "in treatment", "accepted"], levels=["high", "critical"],
                                  owner="Priya Shah", above_only=True)
    assert ids(got) == ["R-001"]
    assert ids(filters.filter_register(register(), attention_only=True)) == ["R-002"]


def test_attention_notes_say_each_count_in_words_with_plurals():
    stats = {"needs_attention": 1, "reviews_overdue": 2, "acceptances_expired": 0}
    assert filters.attention_notes(stats, 3) == [
        "1 open risk needs attention (see the Checks column)", "2 reviews are overdue",
        "3 risks proposed by impact assessments not in the register yet"]
    assert filters.attention_notes({"needs_attention": 0, "reviews_overdue": 0, "acceptances_expired": 1}, 0) == [
        "1 acceptance has expired"]


def test_library_filter_and_where_entries_are_used():
    lib = pd.DataFrame({"id": ["LIB-01", "LIB-02"], "title": ["Drift", "Bias"], "description": ["x", "unfair"],
                        "objective": ["A.6", "A.7"], "risk_source": ["C.3.1", "C.3.2"]})
    assert ids(filters.filter_library(lib, search="UNFAIR")) == ["LIB-02"]
    assert ids(filters.filter_library(lib, objective="A.6")) == ["LIB-01"]
    assert ids(filters.filter_library(lib, source="C.3.2", search="drift")) == []
    assert filters.library_in_use(register()) == {"LIB-01": ["R-001", "R-003"], "LIB-07": ["R-004"]}


def test_trace_flag_names_the_worst_problem_first():
    assert filters.trace_flag(True, True, False) == "conflict: excluded in the SoA"
    assert filters.trace_flag(False, True, True) == "add 'risk treatment' to the SoA reasons"
    assert filters.trace_flag(False, False, True) == "SoA cites risk treatment, no risk needs it"
    assert filters.trace_flag(False, False, False) == ""


def test_system_controls_in_catalogue_order_with_their_risks():
    reg = register()
    got = filters.system_controls(reg[reg["id"].isin(["R-001", "R-004"])], ["A.4.2", "A.6.2.6", "A.7.4"])
    assert got == [("A.4.2", ["R-001", "R-004"]), ("A.6.2.6", ["R-001"])]


def test_band_table_of_the_default_criteria():
    crit = rs.defaults()          # low <= 4, medium <= 9, high <= 15, critical above; appetite 9
    table = filters.band_table(crit)
    assert list(table["Level"]) == ["Low", "Medium", "High", "Critical"]
    assert list(table["Scores"]) == ["1 to 4", "5 to 9", "10 to 15", "16 to 25"]
    # cells of the 5x5 matrix per band, counted by hand: products <= 4: 8; 5-9: 7; 10-15: 6; 16-25: 4
    assert list(table["Cells of the 5x5 matrix"]) == [8, 7, 6, 4]
    assert list(table["Above appetite"]) == ["no", "no", "yes", "yes"]
