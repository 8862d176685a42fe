"""Filters shared by the registers (owner, text search) and the gap-analysis and document filters."""
import pandas as pd

from aims.assessment import filters as gap_filters
from aims.common.frames import ANY_OWNER, NO_OWNER, containing, owned_by
from aims.governance import filters as doc_filters


def test_owner_filter_any_none_or_one_person():
    df = pd.DataFrame({"owner": ["Ann", "", "Bob", "Ann"]})
    assert list(owned_by(df, ANY_OWNER).index) == [0, 1, 2, 3]
    assert list(owned_by(df, NO_OWNER).index) == [1]
    assert list(owned_by(df, "Ann").index) == [0, 3]


def test_search_is_trimmed_case_insensitive_and_literal_across_columns():
    df = pd.DataFrame({"a": ["Model drift", "Bias"], "b": ["x", "a.b (c)"]})
    assert list(containing(df, ["a", "b"], "  DRIFT ")) == [True, False]
    assert list(containing(df, ["a", "b"], "(c)")) == [False, True]       # no regex
    assert list(containing(df, ["a", "b"], "drift x")) == [True, False]   # joined with a space
    assert list(containing(df, ["a"], "")) == [True, True]


def gap_table(cat):
    return pd.DataFrame({
        "req_id": ["4.1", "6.1.2", "A.2.2", "A.6.2.4"],
        "title": [cat.requirements[r].title for r in ["4.1", "6.1.2", "A.2.2", "A.6.2.4"]],
        "kind": ["clause", "clause", "control", "control"],
        "group_title": ["4 Context", "6 Planning", "A.2 Policies", "A.6 Life cycle"],
        "status": ["gap", "conformant", "not assessed", "gap"],
        "owner": ["Ann", "", "Bob", "Ann"],
        "mandatory_doc": [False, True, True, False],
        "notes": ["", "risk process agreed", "", ""],
        "evidence": ["", "", "policy v1", ""],
    })


def ids(frame, col="req_id"):
    return list(frame[col])


def test_gap_filters_by_area_status_owner_and_flags(cat):
    t = gap_table(cat)
    assert ids(gap_filters.filter_requirements(t, cat, area="control")) == ["A.2.2", "A.6.2.4"]
    assert ids(gap_filters.filter_requirements(t, cat, area="6 Planning")) == ["6.1.2"]
    assert ids(gap_filters.filter_requirements(t, cat, statuses=["gap"], owner="Ann")) == ["4.1", "A.6.2.4"]
    assert ids(gap_filters.filter_requirements(t, cat, gaps_only=True, area="clause")) == ["4.1"]
    assert ids(gap_filters.filter_requirements(t, cat, mandatory_only=True, owner=NO_OWNER)) == ["6.1.2"]
    assert list(gap_filters.areas(t))[:3] == ["All requirements", "Clauses 4-10", "Annex A controls"]


def test_gap_search_covers_notes_evidence_and_the_catalogue_guidance(cat):
    t = gap_table(cat)
    assert ids(gap_filters.filter_requirements(t, cat, search="POLICY V1")) == ["A.2.2"]
    assert ids(gap_filters.filter_requirements(t, cat, search="process agreed")) == ["6.1.2"]
    word = cat.requirements["A.6.2.4"].guidance.split()[3].strip(".,;:()").lower()
    assert "A.6.2.4" in ids(gap_filters.filter_requirements(t, cat, search=word))


def test_document_filter_by_what_to_show(cat):
    reg = pd.DataFrame({
        "document": ["AI policy", "Risk criteria", "Team charter", "Old memo"],
        "requirements": ["5.2", "6.1.1", "", "A.2.2"],
        "location": ["SharePoint", "", "", ""], "notes": ["", "", "", ""],
        "required": [True, True, False, False], "custom": [False, False, True, False],
        "review_overdue": [False, True, False, False],
        "status": ["approved", "draft", "approved", "missing"], "owner": ["Ann", "", "Bob", ""],
    })
    logs = pd.DataFrame({"document": ["Event logs", "Audit results"], "requirements": ["A.6.2.8", "9.2.2"],
                         "location": ["", ""], "notes": ["", ""], "required": [True, True], "custom": [False, False],
                         "review_overdue": [False, False], "status": ["available", "partial"], "owner": ["", ""]})
    def docs(**kw):
        return ids(doc_filters.filter_documents(reg, **kw), "document")
    assert docs() == ["AI policy", "Risk criteria", "Team charter", "Old memo"]
    assert docs(show="Required by the standard") == ["AI policy", "Risk criteria"]
    assert docs(show="Added by the organisation") == ["Team charter"]
    assert docs(show="Not required") == ["Old memo"]
    assert docs(show="Review overdue") == ["Risk criteria"]
    assert docs(show="Not in place yet") == ["Risk criteria"]
    # a record is in place when available, not approved
    assert ids(doc_filters.filter_documents(logs, show="Not in place yet"), "document") == ["Audit results"]
    assert docs(owner=NO_OWNER, statuses=["missing"]) == ["Old memo"]
    assert docs(search="sharepoint") == ["AI policy"]
