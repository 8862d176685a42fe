"""The readiness figures on screen, on the demo client: the Stage 1 gate with each condition's
status (Documented information page and overview), records kept as available with a date, the
open major nonconformities, Stage 2's verified evidence, and what the target date means."""
from datetime import date, timedelta

from test_pages_governance import go, live, ws_id

from aims.catalog import standard as catalog
from aims.governance import documents

NC = "Record of nonconformities and actions taken"


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def errors(at):
    return " ".join(e.value for e in at.error)


def edit(at, key, row_id, cells):
    editor = at.session_state[f"{key}__editor"]
    frame = at.session_state[f"{key}__frame"]
    pos = int(frame.index[frame["ID"] == row_id][0])
    at.session_state[editor] = {"edited_rows": {pos: cells}, "added_rows": [], "deleted_rows": []}
    at.run()


def gate_lines(at):
    return [m.value for m in at.markdown if "met]" in m.value]


def own_client() -> int:
    """A second client without audit records (its gate reads the document register), with one
    record on file."""
    from aims.store import workspaces
    ws = workspaces.create(live(), {"name": "Acme AI", "organisation": "Acme Ltd"})
    documents.save(live(), ws, catalog.load(), {"AI system event logs": {
        "status": "available", "record_date": date.today() - timedelta(days=10), "location": "Log store"}})
    return ws


def test_the_documents_page_shows_the_stage1_gate_with_each_condition(app):
    go(app, "pages/documents.py")
    assert not app.error, errors(app)
    # the demo held its management review with top management and has no major nonconformity open
    assert any(m.value.startswith("**Stage 1 readiness: 2 of 4 met**") for m in app.markdown)
    lines = gate_lines(app)
    assert len(lines) == 4 and [("not met]" in line) for line in lines] == [True, True, False, False]
    assert ("**Internal audit of the full scope done** · Internal audits in the app: none completed yet (2 planned "
            "or in progress)") in lines[1]
    s1 = documents.stage1_readiness(live(), ws_id(), catalog.load())
    assert metric(app, "Records available").value == f"{s1['available']} of {s1['records']}"
    assert metric(app, "Documents approved").value == f"{s1['approved']} of {s1['documents']}"


def test_a_record_is_made_available_with_its_date_in_the_register(app):
    ws, day = own_client(), date.today() - timedelta(days=3)
    go(app, "pages/documents.py", ws=str(ws))
    edit(app, f"doc_editor_{ws}", "Internal audit results",
         {"Status": "available", "Record date": day.isoformat(), "Location": "Audit file IA-2026"})
    next(b for b in app.button if b.label == "Save 1 row").click().run()
    assert not app.error, errors(app)
    row = documents.register(live(), ws, catalog.load()).set_index("id").loc["Internal audit results"]
    assert (row["status"], row["record_date"]) == ("available", day)
    assert any(f"Internal audit results available, dated {day.isoformat()}" in line for line in gate_lines(app))
    # approving a record is refused with the reason
    edit(app, f"doc_editor_{ws}", "AI system event logs", {"Status": "approved"})
    next(b for b in app.button if b.label == "Save 1 row").click().run()
    assert "AI system event logs is a record: records are not approved with a version" in errors(app)


def test_the_first_record_date_of_a_fresh_register_is_taken(app):
    """Every date cell empty (a new client): the date columns are still date columns."""
    from aims.store import workspaces
    ws, day = workspaces.create(live(), {"name": "Fresh client"}), date.today() - timedelta(days=2)
    go(app, "pages/documents.py", ws=str(ws))
    edit(app, f"doc_editor_{ws}", "Internal audit results",
         {"Status": "available", "Record date": day.isoformat(), "Location": "Audit file"})
    assert not app.exception, app.exception
    next(b for b in app.button if b.label == "Save 1 row").click().run()
    assert not app.exception and not app.error, errors(app)
    row = documents.register(live(), ws, catalog.load()).set_index("id").loc["Internal audit results"]
    assert (row["status"], row["record_date"]) == ("available", day)


def test_the_open_major_nonconformities_are_stated_in_the_gate(app):
    ws = own_client()
    go(app, "pages/documents.py", ws=str(ws))
    box = next(n for n in app.number_input if n.label == "Open major nonconformities")
    assert box.value is None
    box.set_value(2)
    next(b for b in app.button if b.label == "Save" and b.key and "stage1_open_major" in b.key).click().run()
    assert not app.error, errors(app)
    assert documents.register(live(), ws, catalog.load()).set_index("id").at[NC, "open_major"] == 2
    # the record itself is still missing: that is what the condition says first
    assert any(f"**No open major nonconformity** · {NC}: missing" in line for line in gate_lines(app))


def test_the_overview_shows_the_gate_stage2_evidence_and_the_target_meaning(app):
    go(app, "pages/overview.py")
    assert not app.error, errors(app)
    stage1 = metric(app, "Stage 1 readiness")
    assert stage1.value == "2 of 4 met"
    assert "Not met: Internal audit of the full scope done" in stage1.help
    assert any(c.value.startswith("Stage 1 conditions not met yet: Mandatory documents approved, records available · "
                                  "Internal audit of the full scope done") for c in app.caption)
    stage2 = metric(app, "Stage 2 readiness")
    assert "verified evidence" in stage2.help and "Documented evidence alone counts toward Stage 1" in stage2.help
    assert "the day the certificate is expected" in metric(app, "Target date").help


def test_the_roadmap_names_what_the_target_date_means(app):
    go(app, "pages/roadmap.py")
    assert not app.error, errors(app)
    assert any("the day the certificate is expected, after the Stage 2 audit" in c.value for c in app.caption)
