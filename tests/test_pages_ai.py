"""AI system pages through the entry point: inventory, classification wizard, impact assessment."""
import pytest

from aims.ai_systems import classification, impact, inventory
from aims.store import db, workspaces


def live():
    from aims.ui.chrome import _open
    return _open(db.database_path())


def go(at, page, **params):
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["pages/ai-systems.py", "pages/ai-act.py", "pages/impact.py"])
def test_ai_pages_render_with_the_demo(app, page):
    go(app, page)
    assert not app.error, [e.value for e in app.error]


def test_adding_a_system_from_the_form(app):
    go(app, "pages/ai-systems.py")
    name = next(t for t in app.text_input if t.key == "inv_add_0_name")
    name.input("Loan document reader")
    next(b for b in app.button if b.label == "Add AI system").click().run()
    assert not app.exception and not app.error
    ws_id = int(workspaces.list_all(live()).iloc[0]["id"])
    assert "Loan document reader" in set(inventory.list_systems(live(), ws_id)["name"])
    add_form = [t for t in app.text_input if t.key and t.key.startswith("inv_add_") and t.key.endswith("_name")]
    assert [t.value for t in add_form] == [""]          # the next system starts from an empty form


def test_a_duplicate_name_shows_an_error_and_adds_nothing(app):
    go(app, "pages/ai-systems.py")
    ws_id = int(workspaces.list_all(live()).iloc[0]["id"])
    before = len(inventory.list_systems(live(), ws_id))
    next(t for t in app.text_input if t.key == "inv_add_0_name").input("credit scoring MODEL")
    next(b for b in app.button if b.label == "Add AI system").click().run()
    assert any("already exists" in e.value for e in app.error)
    assert len(inventory.list_systems(live(), ws_id)) == before


def test_the_wizard_classifies_and_keeps_history(app):
    ws_id = int(workspaces.list_all(live()).iloc[0]["id"])
    go(app, "pages/ai-act.py", system="AIS-005")   # the demo's unclassified system
    next(c for c in app.checkbox if c.key == "cls_AIS-005_transparency_synthetic").check()
    next(b for b in app.button if b.label == "Classify and save").click().run()
    assert not app.exception and not app.error
    assert inventory.get(live(), ws_id, "AIS-005")["ai_act_category"] == "limited"
    assert any("Result: LIMITED" in m.value for m in app.markdown)


def test_the_wizard_asks_per_annex_iii_point_and_shows_the_point_everywhere(app):
    ws_id = int(workspaces.list_all(live()).iloc[0]["id"])
    go(app, "pages/ai-act.py", system="AIS-001")        # the demo's credit scoring model
    assert any("Result: HIGH-RISK · Annex III 5(b)" in m.value for m in app.markdown)
    box = next(c for c in app.checkbox if c.key == "cls_AIS-001_annex_iii_5b")
    assert box.value and "Not covered: systems used to detect financial fraud" in box.label
    assert any("Area 5: Essential private services" in c.value for c in app.caption)

    next(s for s in app.selectbox if s.label == "AI system").set_value("AIS-005").run()  # unclassified
    next(c for c in app.checkbox if c.key == "cls_AIS-005_annex_iii_5c").check()
    next(c for c in app.checkbox if c.key == "cls_AIS-005_profiling").check()
    next(b for b in app.button if b.label == "Classify and save").click().run()
    assert not app.exception and not app.error
    assert any("Result: HIGH-RISK · Annex III 5(c)" in m.value for m in app.markdown)
    obligations = next(d.value for d in app.dataframe if "article" in d.value.columns)
    assert "Art. 27" in set(obligations["article"]) and "Art. 26(8), Art. 49(3)" not in set(obligations["article"])
    history = next(d.value for d in app.dataframe if "Basis" in d.value.columns)
    assert {"Annex III 5(b)", "Annex III 4(a)", "Annex III 5(c)"} <= set(history["Basis"])
    assert classification.history(live(), ws_id, "AIS-005").iloc[0]["annex_iii_points"] == "5(c)"

    go(app, "pages/ai-systems.py", system="AIS-005")
    assert any("high-risk (Annex III 5(c)) as deployer" in c.value for c in app.caption)


def test_authorised_representative_is_a_role_in_the_inventory_and_the_wizard(app):
    go(app, "pages/ai-act.py", system="AIS-001")
    role = next(s for s in app.selectbox if s.label == "The organisation's role for this system")
    assert role.options[-1] == "authorised representative"
    go(app, "pages/ai-systems.py", system="AIS-001")
    assert "authorised representative" in next(s for s in app.selectbox if s.key.endswith("_org_role")).options


def test_impact_page_saves_a_section_of_a_draft(app):
    ws_id = int(workspaces.list_all(live()).iloc[0]["id"])
    go(app, "pages/impact.py", system="AIS-004")          # no assessment yet in the demo
    next(b for b in app.button if b.label == "Start the impact assessment").click().run()
    aid = impact.list_all(live(), ws_id).query("system_id == 'AIS-004'").iloc[0]["id"]
    section = impact.questionnaire()["sections"][0]
    qid = section["questions"][0]["id"]
    radio = next(r for r in app.radio if r.key == f"ia_form_{aid}_{section['id']}_0_{qid}")
    value = impact.questions()[qid]["options"][0]["value"]
    radio.set_value(value)
    next(b for b in app.button if b.label == "Save this section").click().run()
    assert not app.exception and not app.error
    assert impact.answers(live(), ws_id, aid)[qid]["value"] == value
