"""The catalogue is exact: 32 clause requirements, 38 Annex A controls, validated at load."""
import copy

import pytest

from aims.catalog import standard as catalog
from aims.catalog.standard import CLAUSE_IDS, CONTROL_IDS, CatalogError


def test_exactly_the_32_clause_requirements_and_38_controls(cat):
    clauses = [r.id for r in cat.requirements.values() if r.kind == "clause"]
    controls = [r.id for r in cat.requirements.values() if r.kind == "control"]
    assert clauses == CLAUSE_IDS and len(clauses) == 32
    assert controls == CONTROL_IDS and len(controls) == 38
    assert {"6.1.1", "6.1.4", "7.5.3", "9.2.2", "9.3.3"} <= set(clauses)


def test_controls_per_objective_match_the_standard(cat):
    per_group = {}
    for r in cat.requirements.values():
        if r.kind == "control":
            per_group[r.top_group] = per_group.get(r.top_group, 0) + 1
    assert per_group == {"A.2": 3, "A.3": 2, "A.4": 5, "A.5": 4, "A.6": 9, "A.7": 5, "A.8": 4, "A.9": 3, "A.10": 3}
    assert cat.groups["A.6.1"].parent == "A.6" and cat.groups["A.6.2"].parent == "A.6"
    assert cat.requirements["A.6.1.2"].group == "A.6.1" and cat.requirements["A.6.2.8"].group == "A.6.2"


def test_short_titles_of_a_few_well_known_requirements(cat):
    assert cat.requirements["6.1.4"].title == "AI system impact assessment"
    assert cat.requirements["8.4"].title == "AI system impact assessment"
    assert cat.requirements["A.3.3"].title == "Reporting of concerns"
    assert cat.requirements["A.10.4"].title == "Customers"
    assert cat.groups["A.7"].title == "Data for AI systems"


def test_every_requirement_has_guidance_questions_and_evidence(cat):
    for r in cat.requirements.values():
        assert r.guidance and 2 <= len(r.questions) <= 4 and r.evidence, r.id
        assert all(q.endswith("?") for q in r.questions), r.id


def test_mandatory_documented_information(cat):
    mandatory = {r.id for r in cat.requirements.values() if r.mandatory_doc}
    assert {"4.3", "5.2", "6.1.2", "6.1.3", "6.2", "7.2", "9.1", "9.2.2", "9.3.3", "10.2"} <= mandatory
    assert "7.5.1" not in mandatory
    assert "Statement of Applicability" in cat.requirements["6.1.3"].documents


def test_every_control_has_a_nist_ai_rmf_reference(cat):
    for rid in CONTROL_IDS:
        assert cat.requirements[rid].nist_ai_rmf, rid


def test_annex_c_lists(cat):
    assert len(cat.objectives) == 11 and cat.objectives["C.2.5"] == "Fairness"
    assert len(cat.risk_sources) == 7 and cat.risk_sources["C.3.3"] == "Level of automation"


def raw():
    data = catalog.load_json("iso42001.json")
    return data, catalog.load_json("annex_c.json")


def test_a_duplicate_id_is_an_error():
    data, annex_c = raw()
    data = copy.deepcopy(data)
    data["requirements"].append(copy.deepcopy(data["requirements"][0]))
    with pytest.raises(CatalogError, match="duplicate requirement 4.1"):
        catalog.parse(data, annex_c)


def test_an_unknown_id_is_an_error():
    data, annex_c = raw()
    data = copy.deepcopy(data)
    data["requirements"][-1]["id"] = "A.10.5"
    with pytest.raises(CatalogError, match="unknown requirement IDs \\['A.10.5'\\]"):
        catalog.parse(data, annex_c)


def test_a_missing_id_is_an_error():
    data, annex_c = raw()
    data = copy.deepcopy(data)
    data["requirements"] = [r for r in data["requirements"] if r["id"] != "9.2.1"]
    with pytest.raises(CatalogError, match="missing requirement IDs \\['9.2.1'\\]"):
        catalog.parse(data, annex_c)


def test_a_malformed_file_is_a_clear_error(tmp_path):
    (tmp_path / "iso42001.json").write_text("{not json")
    (tmp_path / "annex_c.json").write_text("{}")
    with pytest.raises(CatalogError, match="cannot read catalogue file iso42001.json"):
        catalog.load.__wrapped__(str(tmp_path))
