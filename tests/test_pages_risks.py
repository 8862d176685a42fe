"""The risk register page through the entry point (AppTest): add a risk and find it in the right
heatmap cell, bad input shown and nothing written, cell filter, edit, proposals, criteria, and the
risk sections of the overview and the SoA."""
import json
import shutil

import pytest
from helpers import start_app

from aims.catalog import standard as catalog
from aims.demo import client as demo
from aims.risk import intake as risk_intake
from aims.risk import library as risk_library
from aims.risk import register as risks
from aims.store import db, workspaces
from aims.ui import risk_panels

PAGE = "pages/risks.py"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo database, built once for this module (each test works on its own copy)."""
    path = tmp_path_factory.mktemp("risk_pages") / "demo.duckdb"
    con = db.open_database(path)
    demo.create(con, catalog.load())
    con.close()
    return path


@pytest.fixture
def app(demo_file, tmp_path, monkeypatch):
    target = tmp_path / "pages.duckdb"
    shutil.copy(demo_file, target)
    return start_app(target, monkeypatch)


def live():
    from aims.ui.chrome import _open
    return _open(db.database_path())


def ws_id():
    return int(workspaces.list_all(live()).iloc[0]["id"])


def open_page(at, page=PAGE, view=None, **params):
    for k, v in params.items():
        at.query_params[k] = v
    if view:
        at.session_state["risks_view"] = view
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def heatmaps(at):
    """The figure JSON of every Plotly chart on the page."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def cell_count(fig, likelihood, impact):
    ann = next(a for a in fig["layout"]["annotations"] if a["x"] == impact and a["y"] == likelihood)
    return int(ann["text"].split("</b>")[0].replace("<b>", ""))


def form_widget(at, kind, suffix):
    return next(w for w in getattr(at, kind) if w.key and w.key.startswith("risk_new_") and w.key.endswith(suffix))


def test_the_register_renders_the_demo_with_two_heatmaps(app):
    open_page(app)
    assert not app.error, [e.value for e in app.error]
    labels = [m.label for m in app.metric]
    assert {"Open risks", "Inherent above appetite", "Above appetite now", "Planned residual above appetite",
            "Treatments overdue"} <= set(labels)
    figs = heatmaps(app)
    assert len(figs) == 2 and figs[0]["layout"]["title"]["text"].startswith("Inherent risk")
    assert figs[1]["layout"]["title"]["text"].startswith("Current risk")


def test_a_risk_added_in_the_form_appears_in_the_right_heatmap_cell(app):
    open_page(app)
    before = cell_count(heatmaps(app)[0], 1, 5)
    open_page(app, view="Add a risk")
    form_widget(app, "text_input", "_title").input("Unreviewed vendor model update")
    form_widget(app, "selectbox", "_il").select(1)
    form_widget(app, "selectbox", "_ii").select(5)
    form_widget(app, "multiselect", "_controls").select("A.10.3")
    next(b for b in app.button if b.label == "Add risk").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    t = risks.table(live(), ws_id())
    new = t[t["title"] == "Unreviewed vendor model update"].iloc[0]
    assert (new["inherent_likelihood"], new["inherent_impact"], new["controls"]) == (1, 5, ["A.10.3"])
    assert app.session_state["risks_view"] == "Register"
    assert cell_count(heatmaps(app)[0], 1, 5) == before + 1
    assert any(new["id"] in s.value for s in app.subheader)  # the new risk is open below the table


def test_bad_input_in_the_form_is_explained_and_nothing_is_written(app):
    open_page(app, view="Add a risk")
    before = len(risks.table(live(), ws_id()))
    form_widget(app, "selectbox", "_il").select(5)
    form_widget(app, "selectbox", "_ii").select(5)
    form_widget(app, "selectbox", "_treatment").select("accept")
    form_widget(app, "selectbox", "_status").select("accepted")
    next(b for b in app.button if b.label == "Add risk").click().run()
    errors = " ".join(e.value for e in app.error)
    assert "Nothing was saved" in errors and "Title is required." in errors
    app.text_input(key=form_widget(app, "text_input", "_title").key).input("Accepted without a name")
    next(b for b in app.button if b.label == "Add risk").click().run()
    errors = " ".join(e.value for e in app.error)
    assert "above the risk appetite (score 25, appetite 9)" in errors and "Accepted by" in errors
    assert len(risks.table(live(), ws_id())) == before


def test_a_clicked_cell_filters_the_table(app):
    app.session_state["risks_cell"] = ("inherent", 3, 4)
    open_page(app)
    assert any("Showing the 7 risks in the **inherent** cell" in i.value for i in app.info)
    shown = app.dataframe[0].value
    shown = shown.data if hasattr(shown, "data") else shown
    t = risks.table(live(), ws_id()).set_index("id")
    assert len(shown) == 7
    assert all((t.loc[r, "inherent_likelihood"], t.loc[r, "inherent_impact"]) == (3, 4) for r in shown["ID"])
    outline = [s for s in heatmaps(app)[0]["layout"]["shapes"] if s["type"] == "rect"]
    assert len(outline) == 1
    app.button(key="risks_clear_cell").click().run()
    assert not any("Showing the" in i.value for i in app.info)
    assert len(app.dataframe[0].value.data if hasattr(app.dataframe[0].value, "data") else app.dataframe[0].value) > 7


def test_a_link_from_the_inventory_shows_one_systems_risks(app):
    open_page(app, system="AIS-002")
    shown = app.dataframe[0].value
    shown = shown.data if hasattr(shown, "data") else shown
    expected = risks.for_system(live(), ws_id(), "AIS-002")
    expected = expected[expected["status"] != "closed"]
    assert list(shown["ID"]) == list(expected["id"]) and len(shown) >= 3


def test_a_deep_link_opens_a_risk_and_its_edit_form_saves(app):
    open_page(app, risk="R-002")
    assert any(s.value.startswith("R-002 ") for s in app.subheader)
    owner = next(w for w in app.selectbox
                 if w.key and w.key.startswith("risk_edit_R-002") and w.key.endswith("_owner"))
    from aims.governance import roles
    assert owner.options[1:] == roles.owner_names(live(), ws_id())      # the one people list ('' first)
    chosen = next(o for o in owner.options[1:] if o != owner.value)
    owner.set_value(chosen)
    next(b for b in app.button if b.label == "Save changes").click().run()
    assert not app.error, [e.value for e in app.error]
    assert risks.get(live(), ws_id(), "R-002")["owner"] == chosen


def test_closing_the_open_risk_keeps_it_closed(app):
    open_page(app, risk="R-002")
    app.button(key="risks_close").click().run()
    assert "risk" not in app.query_params
    assert not any(s.value.startswith("R-002 ") for s in app.subheader)
    app.run()
    assert not any(s.value.startswith("R-002 ") for s in app.subheader)


def register_row(app, risk_id):
    shown = app.dataframe[0].value
    shown = shown.data if hasattr(shown, "data") else shown
    return shown.set_index("ID").loc[risk_id]


def test_the_register_shows_planned_residual_and_current_and_an_implemented_treatment_moves_current(app):
    """R-002 (model drift): inherent 4 x 3 = 12 high, planned residual 2 x 3 = 6 medium. Until its
    treatment is implemented the current risk is the inherent 12, above the appetite of 9; the
    day it is implemented is recorded in the edit form, and the current risk becomes 6."""
    from datetime import date
    open_page(app, risk="R-002")
    row = register_row(app, "R-002")
    assert (row["Inherent"], row["Planned residual"], row["Current"], row["Appetite"]) == (
        "12 · High", "6 · Medium", "12 · High", risk_panels.ABOVE)
    assert any("Current 12 · High (inherent: the planned treatment is not implemented yet)" in m.value
               for m in app.markdown)
    done = next(w for w in app.date_input if w.key and w.key.startswith("risk_edit_R-002")
                and w.key.endswith("_implemented"))
    done.set_value(date.today())
    next(b for b in app.button if b.label == "Save changes").click().run()
    assert not app.error, [e.value for e in app.error]
    t = risks.table(live(), ws_id()).set_index("id")
    assert (t.loc["R-002", "current_basis"], t.loc["R-002", "current_score"]) == ("residual", 6)
    open_page(app, risk="R-002")
    row = register_row(app, "R-002")
    assert (row["Planned residual"], row["Current"], row["Appetite"]) == ("6 · Medium", "6 · Medium", "")


def test_a_residual_rating_above_inherent_is_refused_in_the_edit_form(app):
    open_page(app, risk="R-002")  # model drift: inherent 4 x 3
    rl = next(w for w in app.selectbox if w.key and w.key.startswith("risk_edit_R-002") and w.key.endswith("_rl"))
    rl.select(5)
    next(b for b in app.button if b.label == "Save changes").click().run()
    assert any("residual likelihood (5) cannot be higher than inherent likelihood (4)" in e.value for e in app.error)
    assert risks.get(live(), ws_id(), "R-002")["residual_likelihood"] == 2


def select_library_row(at, library_id):
    """Select a library row the way a click does (the table's key depends on the rows shown)."""
    ids = list(risk_library.frame()["id"])
    key = f"risks_lib_table_{abs(hash(tuple(ids)))}"
    at.session_state[key] = {"selection": {"rows": [ids.index(library_id)], "columns": [], "cells": []}}
    at.run()


def test_one_click_adds_a_library_risk_to_a_system_pre_filled_and_not_twice(app):
    open_page(app, view="Risk library")
    select_library_row(app, "RL-23")
    assert any("RL-23 Model theft and extraction" in m.value for m in app.markdown)
    app.selectbox(key="risks_lib_target").select("AIS-003")
    app.button(key="risks_lib_add").click().run()
    assert not app.error, [e.value for e in app.error]
    t = risks.table(live(), ws_id())
    new = t[t["library_id"] == "RL-23"].iloc[0]
    assert new["systems"] == ["AIS-003"] and new["controls"] == ["A.4.4", "A.6.2.2", "A.6.2.6", "A.10.3"]
    assert (new["inherent_likelihood"], new["inherent_impact"]) == (2, 3)
    assert app.session_state["risks_view"] == "Register" and app.query_params["risk"] == new["id"]
    open_page(app, view="Risk library")
    select_library_row(app, "RL-23")
    app.selectbox(key="risks_lib_target").select("AIS-003")
    app.button(key="risks_lib_add").click().run()
    assert any(f"already in the register for AIS-003 Card fraud detection as {new['id']}" in e.value
               for e in app.error)
    assert (risks.table(live(), ws_id())["library_id"] == "RL-23").sum() == 1


def test_proposals_from_impact_assessments_are_accepted_once(app):
    open_page(app, view="From impact assessments")
    con, ws = live(), ws_id()
    waiting = (risk_intake.proposals(con, ws)["in_register"] == "").sum()
    assert waiting >= 1
    before = len(risks.table(con, ws))
    app.button(key="risks_prop_accept_all").click().run()
    assert not app.error and len(risks.table(con, ws)) == before + waiting
    assert (risk_intake.proposals(con, ws)["in_register"] != "").all()
    open_page(app, view="From impact assessments")
    assert app.button(key="risks_prop_accept_all").disabled


def test_the_criteria_can_be_changed_and_bad_bands_are_explained(app):
    open_page(app, view="Risk criteria")
    appetite = next(w for w in app.number_input if w.key.endswith("_appetite"))
    appetite.set_value(12)
    next(b for b in app.button if b.label == "Save risk criteria").click().run()
    assert not app.error and risks.criteria(live(), ws_id())["appetite"] == 12
    low = next(w for w in app.number_input if w.key.endswith("_low"))
    low.set_value(20)
    next(b for b in app.button if b.label == "Save risk criteria").click().run()
    assert any("Band upper scores must rise" in e.value for e in app.error)
    assert risks.criteria(live(), ws_id())["low_max"] == 4


def test_traceability_by_system_and_by_control(app):
    open_page(app, view="Traceability")
    assert not app.error, [e.value for e in app.error]
    assert {"Open risks", "Above appetite now", "Planned controls"} <= {m.label for m in app.metric}
    app.session_state["risks_trace_mode"] = "By Annex A control"
    app.run()
    assert any("SoA conflicts:" in w.value and "A.10.4" in w.value for w in app.warning)


def test_the_overview_shows_the_risk_kpis_and_a_small_heatmap(app):
    open_page(app, "pages/overview.py")
    assert any(s.value == "AI risks" for s in app.subheader)
    labels = {m.label for m in app.metric}
    assert {"Above appetite now", "Above appetite after planned treatment", "Treatments overdue"} <= labels
    s = risks.summary(risks.table(live(), ws_id()))
    now = next(m.value for m in app.metric if m.label == "Above appetite now")
    assert now == str(s["above_current"]) and s["above_current"] > s["above_residual"]
    assert any(f["layout"]["title"]["text"].startswith("Open risks now") for f in heatmaps(app))


def test_the_soa_shows_the_risks_behind_each_control_and_the_conflict(app):
    open_page(app, "pages/soa.py")
    assert next(m.value for m in app.metric if m.label == "SoA conflicts") == "1"
    assert any("SoA conflict: A.10.4" in w.value for w in app.warning)
    assert not app.error
