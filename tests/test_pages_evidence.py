"""The evidence files page through the entry point (AppTest): upload a file (the form starts empty,
the user stays on the Upload tab), a refused upload shows why and stores nothing, the link editor,
missing and expired flags without a traceback, the evidence pack tab, and a viewer's page (download,
no edit widget)."""
import hashlib
from datetime import date, timedelta

import pytest
from helpers import start_app, start_as

from aims.access import members
from aims.audit import evidence_files as ev
from aims.store import blobs, db, workspaces

PAGE = "pages/evidence.py"
PDF = b"%PDF-1.7\nsigned policy\n%%EOF\n"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.delenv(blobs.ENV, raising=False)
    at = start_app(tmp_path / "pages.duckdb", monkeypatch)
    workspaces.create(live(), {"name": "Evidence client"})     # a client of its own: the demo has files
    return at


def live():
    from aims.ui.chrome import _open
    return _open(db.database_path())


def ws_id():
    found = workspaces.list_all(live())
    return int(found.loc[found["name"] == "Evidence client", "id"].iloc[0])


def open_page(at, view=None, **params):
    params.setdefault("ws", str(ws_id()))
    for k, v in params.items():
        at.query_params[k] = v
    if view:
        at.session_state["evidence_view"] = view
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget(at, kind, prefix, suffix):
    return next(w for w in getattr(at, kind) if w.key and w.key.startswith(prefix) and w.key.endswith(suffix))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_uploading_a_file_from_the_page(app, tmp_path):
    open_page(app, view="Upload")
    assert [t.label for t in app.tabs] == ["Files", "Upload", "Evidence pack"]
    widget(app, "file_uploader", "ev_upload_", "_file").set_value(("AI policy.pdf", PDF, "application/pdf"))
    widget(app, "text_input", "ev_upload_", "_description").input("Signed by the **CEO**")
    widget(app, "multiselect", "ev_upload_", "_requirement").select("5.2")
    button(app, "Upload evidence").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    f = ev.get(live(), ws_id(), "EV-001")
    assert (f["name"], f["description"], f["links"]) == ("AI policy.pdf", "Signed by the **CEO**",
                                                         [("requirement", "5.2")])
    assert (tmp_path / "evidence" / hashlib.sha256(PDF).hexdigest()).read_bytes() == PDF
    assert any("Uploaded AI policy.pdf as EV-001 version 1." in s.value for s in app.success)
    assert app.session_state["evidence_view"] == "Upload"                       # the user stays on the tab
    assert widget(app, "file_uploader", "ev_upload_", "_file").value is None     # the form starts empty
    assert widget(app, "text_input", "ev_upload_", "_description").value == ""
    assert widget(app, "multiselect", "ev_upload_", "_requirement").value == []
    assert {m.label: m.value for m in app.metric}["Evidence files"] == "1"


def test_a_refused_upload_says_why_and_keeps_the_form(app):
    open_page(app, view="Upload")
    widget(app, "file_uploader", "ev_upload_", "_file").set_value(("policy.pdf", b"\x89PNG\r\n\x1a\nimage",
                                                                  "application/pdf"))
    widget(app, "text_input", "ev_upload_", "_description").input("kept")
    button(app, "Upload evidence").click().run()
    assert not app.exception
    assert any("its content is a PNG image" in e.value for e in app.error)
    assert ev.files(live(), ws_id()).empty
    assert widget(app, "text_input", "ev_upload_", "_description").value == "kept"
    button(app, "Upload evidence").click().run()            # the uploader still holds the file: refused again, no traceback
    assert not app.exception


def test_a_new_version_and_the_link_editor(app):
    ws = ws_id()
    ev.upload(live(), ws, "policy.pdf", PDF, links=[("requirement", "5.2")])
    open_page(app, view="Upload", evidence="EV-001")
    app.segmented_control(key="ev_upload_mode").set_value("A new version of a file").run()
    assert widget(app, "selectbox", "ev_upload_", "_target").value == "EV-001"
    widget(app, "file_uploader", "ev_upload_", "_file").set_value(("policy v2.pdf", PDF + b"v2", "application/pdf"))
    button(app, "Upload the new version").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert ev.get(live(), ws, "EV-001")["version"] == 2

    open_page(app, view="Files", evidence="EV-001")
    assert any("EV-001" in s.value for s in app.subheader)
    editor = widget(app, "multiselect", "ev_links_EV-001_", "_requirement")
    assert editor.value == ["5.2"]
    editor.set_value(["5.2", "A.6.2.4"])
    button(app, "Save links").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert ev.get(live(), ws, "EV-001")["links"] == [("requirement", "5.2"), ("requirement", "A.6.2.4")]
    assert any("EV-001: 1 link added or removed." in s.value for s in app.success)
    assert [b.label for b in app.get("download_button")] == ["Download v2"]


def test_missing_and_expired_files_are_flagged_without_a_traceback(app, tmp_path):
    ws = ws_id()
    ev.upload(live(), ws, "old.pdf", PDF, expires_on=date.today() - timedelta(days=1))
    ev.upload(live(), ws, "gone.txt", b"gone", links=[("requirement", "5.2")])
    (tmp_path / "evidence" / hashlib.sha256(b"gone").hexdigest()).unlink()
    open_page(app, evidence="EV-002")
    figures = {m.label: m.value for m in app.metric}
    assert (figures["Expired"], figures["Missing on disk"]) == ("1", "1")
    assert any("Missing from the evidence folder:** EV-002" in w.value for w in app.warning)
    shown = app.dataframe[0].value
    shown = shown.data if hasattr(shown, "data") else shown
    assert list(shown["Status"]) == ["expired", "missing on disk"]
    assert any("EV-002 cannot be downloaded" in w.value for w in app.warning)
    download = app.get("download_button")[0]
    assert download.proto.disabled

    open_page(app, view="Evidence pack")
    assert any("Left out of the pack, missing from the evidence folder: EV-002" in w.value for w in app.warning)
    assert {m.label: m.value for m in app.metric}["Files in the pack"] == "0"    # EV-001 is linked to nothing
    assert [b.label for b in app.get("download_button")] == ["Download the evidence pack"]


def test_the_pack_tab_for_chosen_requirements(app):
    ws = ws_id()
    ev.upload(live(), ws, "policy.pdf", PDF, links=[("requirement", "5.2")])
    open_page(app, view="Evidence pack")
    app.segmented_control(key="ev_pack_scope").set_value("Chosen requirements").run()
    app.multiselect(key="ev_pack_reqs").set_value(["5.2", "7.2"]).run()
    assert not app.exception
    figures = {m.label: m.value for m in app.metric}
    assert (figures["Requirements in scope"], figures["With evidence"], figures["Files in the pack"]) == (
        "2", "1 of 2", "1")
    preview = app.dataframe[-1].value
    assert list(preview["Requirement"]) == ["5.2", "7.2"] and list(preview["Status"]) == ["ok", "no evidence"]


def test_a_viewer_downloads_but_gets_no_edit_widget(tmp_path, monkeypatch):
    monkeypatch.delenv(blobs.ENV, raising=False)
    path = tmp_path / "roles.duckdb"
    con = db.open_database(path)
    ws = workspaces.create(con, {"name": "Acme", "organisation": "Acme Ltd"})
    members.add(con, ws, "vic@example.com", "viewer", "Vic")
    ev.upload(con, ws, "policy.pdf", PDF, links=[("requirement", "5.2")])
    con.close()
    at = start_as(path, monkeypatch, "vic@example.com")
    at.query_params["evidence"] = "EV-001"
    at.query_params["ws"] = str(ws)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.label for t in at.tabs] == ["Files", "Evidence pack"]
    assert any("EV-001" in s.value for s in at.subheader)
    edit = [w.key for kind in ("text_input", "text_area", "date_input", "multiselect", "file_uploader", "checkbox")
            for w in getattr(at, kind) if (w.key or "").startswith(("ev_upload", "ev_links", "ev_details"))]
    assert edit == [] and not at.get("form")
    assert [b.label for b in at.main.button] == ["Close"]                # closing the panel changes nothing
    assert [b.label for b in at.get("download_button")] == ["Download v1"]
    assert any("requirement: 5.2" in t.value for t in at.text)


def test_a_deferred_download_acts_as_the_person_of_the_run():
    """Streamlit makes a download's data on another thread: the person of the run acts there too."""
    import threading

    from aims.access import identity
    from aims.ui import evidence_panels

    seen = []
    with identity.acting(identity.person("vic@example.com")):
        run = evidence_panels.deferred(lambda: seen.append(identity.current().email) or b"")
    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert seen == ["vic@example.com"] and identity.current().local


def test_a_contributor_uploads_for_the_requirement_they_own(tmp_path, monkeypatch):
    from aims.assessment import requirements as assessments
    from aims.catalog import standard

    monkeypatch.delenv(blobs.ENV, raising=False)
    path = tmp_path / "roles.duckdb"
    con = db.open_database(path)
    ws = workspaces.create(con, {"name": "Acme"})
    members.add(con, ws, "cora@example.com", "contributor", "Cora")
    assessments.save(con, ws, standard.load(), {"5.2": {"owner": "Cora"}, "7.2": {"owner": "Dan"}})
    con.close()
    at = start_as(path, monkeypatch, "cora@example.com")
    at.query_params["ws"] = str(ws)
    at.session_state["evidence_view"] = "Upload"
    at.switch_page(PAGE).run()
    assert [t.label for t in at.tabs] == ["Files", "Upload", "Evidence pack"]
    widget(at, "file_uploader", "ev_upload_", "_file").set_value(("policy.pdf", PDF, "application/pdf"))
    widget(at, "multiselect", "ev_upload_", "_requirement").set_value(["7.2"])
    button(at, "Upload evidence").click().run()
    assert not at.exception
    assert any("requirement 7.2 is owned by 'Dan'" in e.value for e in at.error)
    widget(at, "multiselect", "ev_upload_", "_requirement").set_value(["5.2"])
    button(at, "Upload evidence").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Uploaded policy.pdf as EV-001 version 1." in s.value for s in at.success)
