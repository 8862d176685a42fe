"""The risk library is content: validated at load, every reference a real Annex A or Annex C ID."""
import copy

import pytest

from aims.catalog import standard as catalog
from aims.catalog.standard import CONTROL_IDS, CatalogError
from aims.risk import library as risk_library

CAT = catalog.load()


def raw():
    return copy.deepcopy(catalog.load_json("risk_library.json"))


def test_the_library_loads_with_the_risks_the_issue_asks_for():
    lib = risk_library.library()
    assert list(lib)[:22] == [f"RL-{i:02d}" for i in range(1, 23)]
    titles = " ".join(r.title.lower() for r in lib.values())
    for topic in ("drift", "adversarial", "poisoning", "hallucination", "bias", "privacy", "regulatory",
                  "reputational", "vendor", "automation bias", "intellectual property"):
        assert topic in titles, topic


def test_every_entry_references_real_ids_and_a_rating_on_the_scale():
    for r in risk_library.library().values():
        assert r.risk_source in CAT.risk_sources and r.objective in CAT.objectives
        assert set(r.controls) <= set(CONTROL_IDS) and r.controls
        assert 1 <= r.likelihood <= 5 and 1 <= r.impact <= 5
        assert len(r.description) > 80, r.id  # a real own-words description, not a stub


def test_the_library_covers_every_annex_c_risk_source_and_objective():
    lib = risk_library.library().values()
    assert {r.risk_source for r in lib} == set(CAT.risk_sources)
    assert {r.objective for r in lib} == set(CAT.objectives)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["risks"][0].update(controls=["A.6.2.6", "A.99"]), "RL-01: unknown Annex A control(s) ['A.99']"),
    (lambda d: d["risks"][1].update(risk_source="C.3.9"), "RL-02: unknown Annex C risk source"),
    (lambda d: d["risks"][2].update(objective="C.2.12"), "RL-03: unknown Annex C objective"),
    (lambda d: d["risks"][3].update(likelihood=6), "RL-04: likelihood must be a whole number from 1 to 5"),
    (lambda d: d["risks"][4].update(id="RL-01"), "duplicate library risk RL-01"),
    (lambda d: d["risks"][5].update(id="risk-6"), "risk-6: IDs look like RL-01"),
    (lambda d: d["risks"][6].update(treatment="ignore"), "RL-07: treatment must be one of"),
    (lambda d: d["risks"][7].update(lifecycle_stage="live"), "RL-08: life-cycle stage must be one of"),
    (lambda d: d["risks"][8].update(title=""), "RL-09: title is required"),
    (lambda d: d["risks"][9].update(controls=[]), "RL-10: needs at least one suggested control"),
])
def test_a_broken_library_file_is_a_catalogue_error(change, message):
    data = raw()
    change(data)
    with pytest.raises(CatalogError) as info:
        risk_library.parse(data, CAT.objectives, CAT.risk_sources)
    assert message in str(info.value)


def test_the_library_as_a_table():
    f = risk_library.frame()
    assert len(f) == len(risk_library.library())
    assert f.set_index("id").loc["RL-01", "score"] == 12


def test_regulatory_non_compliance_points_to_the_reporting_obligations_control():
    """Knowing what must be reported to whom is A.8.5; A.8.3 is the channel for outside reports."""
    controls = risk_library.library()["RL-07"].controls
    assert "A.8.5" in controls and "A.8.3" not in controls
