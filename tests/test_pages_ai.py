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
    next(p for p in app.pills if p.label == "Section").set_value(section["id"]).run()   # it opens on the context
    radio = next(r for r in app.radio if r.key == f"ia_form_{aid}_{section['id']}_0_{qid}")
    value = impact.questions()[qid]["options"][0]["value"]
    radio.set_value(value)
    next(b for b in app.button if b.label == "Save this section").click().run()
    assert not app.exception and not app.error
    assert impact.answers(live(), ws_id, aid)[qid]["value"] == value


def test_impact_page_opens_on_the_context_and_saves_it(app):
    ws_id = int(workspaces.list_all(live()).iloc[0]["id"])
    go(app, "pages/impact.py", system="AIS-004")
    next(b for b in app.button if b.label == "Start the impact assessment").click().run()
    aid = impact.list_all(live(), ws_id).query("system_id == 'AIS-004'").iloc[0]["id"]
    scope = next(t for t in app.text_area if t.label == "What this assessment covers")
    scope.input("CV screening for head-office vacancies, first release")
    next(s for s in app.selectbox if s.label == "Frequency of use").set_value("daily")
    next(b for b in app.button if b.label == "Save the context").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    got = impact.context(live(), ws_id, aid)
    assert (got["scope"], got["frequency_of_use"]) == ("CV screening for head-office vacancies, first release", "daily")
    assert any(f"Saved 2 changed fields to the context of {aid}" in m.value for m in app.success)
    assert next(t for t in app.text_area if t.label == "What this assessment covers").value == got["scope"]


def test_an_approved_context_is_shown_read_only(app):
    go(app, "pages/impact.py", system="AIS-001")        # the demo's approved credit scoring assessment
    scope = next(t for t in app.text_area if t.label == "What this assessment covers")
    assert scope.disabled and scope.value
    assert next(b for b in app.button if b.label == "Save the context").disabled


def test_two_sessions_editing_one_context_keep_both_fields_and_offer_the_same_one_as_a_choice(app):
    """The demo's draft chatbot assessment: A saves the languages, B (opened before) the fallback, then
    both the scope: B is offered A's scope or its own, and keeps its own."""
    from streamlit.testing.v1 import AppTest

    b = AppTest.from_file("../app.py", default_timeout=60)
    b.run()
    ws_id = int(workspaces.list_all(live()).iloc[0]["id"])
    aid = impact.list_all(live(), ws_id).query("system_id == 'AIS-002'").iloc[0]["id"]
    for at in (app, b):
        go(at, "pages/impact.py", system="AIS-002")

    def field(at, label):
        return next(w for w in [*at.text_area, *at.text_input] if w.label == label)

    def save(at, label="Save the context"):
        next(x for x in at.button if x.label == label).click().run()
        assert not at.exception, [e.value for e in at.exception]

    field(app, "Languages").input("English, Dutch and Polish")
    save(app)
    field(b, "Fallback").input("Customers are sent to the help centre and the phone line")
    save(b)
    got = impact.context(live(), ws_id, aid)
    assert (got["languages"], got["fallback"]) == ("English, Dutch and Polish",
                                                   "Customers are sent to the help centre and the phone line")
    for at in (app, b):
        go(at, "pages/impact.py", system="AIS-002")
    field(app, "What this assessment covers").input("A's scope")
    save(app)
    field(b, "What this assessment covers").input("B's scope")
    save(b)
    assert impact.context(live(), ws_id, aid)["scope"] == "A's scope"           # nothing of B's written yet
    choice = next(r for r in b.radio if r.key and r.key.startswith("conflict_"))
    assert choice.format_func("mine") == "Yours: B's scope"
    choice.set_value("mine")
    save(b, "Save with these choices")
    assert impact.context(live(), ws_id, aid)["scope"] == "B's scope"
