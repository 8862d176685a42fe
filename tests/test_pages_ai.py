"""AI system pages through the entry point: inventory, classification wizard, impact assessment."""
import pytest

from aims.ai_systems import impact, inventory
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
