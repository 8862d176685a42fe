"""Governance at a glance, the demo client's governance records, and the governance content file."""
import pytest

from aims.catalog.standard import CatalogError, load_json
from aims.demo import client as demo
from aims.governance import content as governance_catalog
from aims.governance import documents, evidence, policy, roles, training
from aims.governance import summary as governance


def test_snapshot_of_an_empty_workspace(con, cat, ws_id):
    s = governance.snapshot(con, ws_id, cat)
    assert s["policy"]["label"] == "no policy" and s["policy"]["approved_version"] is None
    assert s["stage1"]["pct"] == 0.0 and s["stage1"]["required"] > 0
    assert s["training"]["pct"] is None and s["training"]["sessions"] == 0
    assert s["roles"] == 0 and s["raci_problems"] is None


@pytest.fixture
def demo_ws(con, cat):
    return demo.create(con, cat)


def test_the_demo_has_an_approved_policy_and_a_draft_revision(con, demo_ws):
    v = policy.versions(con, demo_ws)
    assert list(zip(v["version"], v["status"])) == [("1.1", "draft"), ("1.0", "approved")]
    assert "Contestability" in v.iloc[0]["principles"] and "Contestability" not in v.iloc[1]["principles"]
    assert policy.status(con, demo_ws)["label"] == "v1.0 approved"


def test_the_demo_people_match_the_owners_of_the_gap_analysis(con, demo_ws):
    assert set(demo.OWNERS) <= set(roles.people(con, demo_ws))


def test_the_demo_raci_flags_data_governance_only(con, demo_ws):
    problems = roles.raci_problems(roles.raci(con, demo_ws), roles.roles(con, demo_ws))
    assert list(problems["activity_id"]) == ["data"]


def test_the_demo_shows_four_of_six_model_owners_trained_on_bias(con, demo_ws):
    labels = set(training.coverage(con, demo_ws)["label"])
    assert "4 of 6 model owners trained on bias and fairness testing" in labels
    assert len(training.sessions(con, demo_ws)) == 2


def test_the_demo_register_is_mixed_and_agrees_with_the_policy_and_soa(con, cat, demo_ws):
    reg = documents.register(con, demo_ws, cat).set_index("id")
    assert set(reg["status"]) == {"missing", "draft", "approved", "partial", "available"}
    assert reg.at["AI policy", "status"] == "approved" and reg.at["AI policy", "version"] == "1.0"
    assert reg.at["Statement of Applicability", "status"] == "draft"
    assert reg.at["AI system event logs", "status"] == "available" and reg.at["AI system event logs", "record_date"]
    assert reg["custom"].sum() == 1
    s1 = documents.stage1_readiness(con, demo_ws, cat)
    # approved: scope, policy, objectives, technical documentation; available: monitoring results, event logs
    assert (s1["approved"], s1["available"], s1["in_place"], s1["required"], s1["pct"]) == (4, 2, 6, 31, 19.4)
    # seven weeks in: the first management review held with top management, no major nonconformity open,
    # the internal audit of the full scope still to do (read from the app's audit records)
    gate = documents.stage1_gate(con, demo_ws, cat)
    assert (gate["ready"], gate["met"]) == (False, 2)
    assert [c["met"] for c in gate["conditions"]] == [False, False, True, True]
    assert not evidence.requests(con, demo_ws, cat).empty


def test_the_demo_is_the_same_every_time(con, cat, demo_ws):
    first = documents.register(con, demo_ws, cat)[["id", "status", "owner", "version"]]
    again = demo.create(con, cat, replace=True)
    assert documents.register(con, again, cat)[["id", "status", "owner", "version"]].equals(first)


def test_the_governance_content_names_only_known_requirements(cat):
    content = governance_catalog.load()
    assert len(content.activities) == 15 and len(content.roles) == 9
    data = load_json("governance.json")
    data["activities"][0]["requirements"].append("11.1")
    with pytest.raises(CatalogError, match="unknown requirement 11.1"):
        governance_catalog.parse(data, cat)
    data = load_json("governance.json")
    data["roles"].append(dict(data["roles"][0]))
    with pytest.raises(CatalogError, match="duplicate role"):
        governance_catalog.parse(data, cat)


def test_the_raci_activities_cover_the_work_an_auditor_asks_about():
    acts = {a.id: a for a in governance_catalog.load().activities}
    wanted = {"inventory": {"4.3"}, "suppliers": {"A.10.2", "A.10.3"}, "competence": {"7.2", "7.3"},
              "documents": {"7.5.1", "7.5.2", "7.5.3"}, "use": {"A.9.2", "A.9.3", "A.9.4"},
              "user_info": {"A.8.2"}, "reporting": {"A.3.3", "A.8.3"}}
    for act, reqs in wanted.items():
        assert reqs <= set(acts[act].requirements), act
    # incident response is operation (8.1, A.6.2.6 monitoring, A.8.4 communication), not 10.2 nonconformity
    assert "10.2" not in acts["incident"].requirements
    assert {"A.8.4", "A.6.2.6"} <= set(acts["incident"].requirements)
    assert {"Data protection officer", "Legal and compliance"} <= set(governance_catalog.load().roles)


def test_every_activity_belongs_to_a_group_that_fits_one_screen(cat):
    content = governance_catalog.load()
    groups = [g.id for g in content.groups]
    assert groups == ["system", "operation"]
    for g in groups:
        members = [a for a in content.activities if a.group == g]
        assert 0 < len(members) <= governance_catalog.GROUP_MAX
    assert all(len(a.short) <= governance_catalog.SHORT_MAX for a in content.activities)
    for change, message in ((lambda d: d["activities"][0].update(group="nope"), "policy belongs to no activity group"),
                            (lambda d: d["activities"][1].update(short="Inventory and classification"),
                             "longer than 10 characters"),
                            (lambda d: [a.update(group="system") for a in d["activities"]],
                             "group system has more than 8 activities")):
        data = load_json("governance.json")
        change(data)
        with pytest.raises(CatalogError, match=message):
            governance_catalog.parse(data, cat)


def test_the_demo_raci_has_one_accountable_role_for_every_activity_but_data(con, demo_ws):
    cells = roles.raci(con, demo_ws)
    accountable = cells[cells["letter"].isin(["A", "A/R"])].groupby("activity_id").size().to_dict()
    assert accountable == {a.id: 1 for a in roles.activities() if a.id != "data"}
    held = roles.roles(con, demo_ws).set_index("name")["holder_labels"]
    assert held["Data protection officer"] == ["Lena Novak (DPO)"]
    assert held["Legal and compliance"] == ["Aisha Karim (Head of Compliance)"]


def test_export_frames_are_flat_tables_for_the_workbook(con, cat, demo_ws, ws_id):
    for workspace in (demo_ws, ws_id):
        frames = governance.export_frames(con, workspace, cat)
        assert list(frames) == ["AI policy", "Roles", "People", "RACI", "Training sessions", "Training coverage",
                                "Documents", "Evidence requests"]
        for name, df in frames.items():
            for col in df.columns:
                assert not any(isinstance(v, (list, tuple, set, dict)) for v in df[col]), (name, col)
    frames = governance.export_frames(con, demo_ws, cat)
    assert frames["AI policy"].iloc[1]["Ethical principles"].startswith("Fairness; Transparency")
    assert "Tom Becker (Head of Data Science)" in frames["Roles"].set_index("Role").at["Model owner", "People"]
    assert len(frames["Documents"]) == len(documents.register(con, demo_ws, cat))
