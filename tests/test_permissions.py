"""Every write path checks the acting person's permission in aims itself (issue: team use).

One table lists each public write function with a call that succeeds for an allowed person;
each is run as every kind of person on a fresh copy of the same small database. A refused call
raises AccessDenied and leaves every table exactly as it was. A last test makes sure no write
function is missing from the table.
"""
import ast
import shutil
from datetime import date
from pathlib import Path

import pytest

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.ai_systems import classification, impact, inventory
from aims.assessment import requirements as assessments
from aims.catalog import standard as catalog_mod
from aims.governance import documents, policy, roles, training
from aims.risk import register
from aims.roadmap import actions, generation, phases
from aims.store import db, workspaces
from aims.workbook import export, importer

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 3, 2)
CAT = catalog_mod.load()
Q1 = next(iter(impact.questions()))
CTX = next(f for f, x in impact.context_fields().items() if x["kind"] == "short")

# who is who in workspace "Acme" (id 1); workspace "Other" (id 2) has only its own owner
OWNER, EDITOR, CORA, VIEWER = "owner@firm.example", "editor@firm.example", "cora@firm.example", "vera@firm.example"
ADMIN, STRANGER = "admin@firm.example", "sam@elsewhere.example"
PEOPLE = {
    "owner": identity.person(OWNER),
    "editor": identity.person(EDITOR),
    "contributor": identity.person(CORA, "Cora Lee"),
    "viewer": identity.person(VIEWER),
    "admin": identity.person(ADMIN, admin=True),        # an administrator, not a member of Acme
    "stranger": identity.person(STRANGER),
    "local": identity.LOCAL,
}
EDITORS = {"owner", "editor", "local"}
MANAGERS = {"owner", "admin", "local"}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A database with two workspaces, Acme's members and one record of each kind, some owned by
    Cora (the contributor: by her name or her email) and some by Bob."""
    path = tmp_path_factory.mktemp("perm") / "template.duckdb"
    con = db.open_database(path)
    with identity.acting(identity.LOCAL):
        ws = workspaces.create(con, {"name": "Acme", "target_date": date(2027, 6, 30)})
        other = workspaces.create(con, {"name": "Other"})
        for email, role, name in ((OWNER, "owner", ""), (EDITOR, "editor", ""), (CORA, "contributor", "Cora Lee"),
                                  (VIEWER, "viewer", "")):
            members.add(con, ws, email, role, name)
        members.add(con, other, "olga@other.example", "owner")
        assessments.save(con, ws, CAT, {"5.2": {"maturity": 1, "owner": "Cora Lee"},
                                        "4.1": {"maturity": 2, "owner": "Bob Stone"}})
        assessments.save(con, other, CAT, {"5.2": {"maturity": 1, "owner": "Cora Lee"}})
        register.create(con, ws, {"title": "Drift", "lifecycle_stage": "deployed", "inherent_likelihood": 3,
                                  "inherent_impact": 3, "owner": CORA})
        register.create(con, ws, {"title": "Bias", "lifecycle_stage": "deployed", "inherent_likelihood": 3,
                                  "inherent_impact": 3, "owner": "Bob Stone"})
        register.create(con, other, {"title": "Leak", "lifecycle_stage": "deployed", "inherent_likelihood": 2,
                                     "inherent_impact": 2, "owner": "Cora Lee"})                 # Other's R-001
        phases.ensure_phases(con, ws, date(2027, 6, 30), TODAY)
        actions.create_action(con, ws, CAT, {"title": "Write policy", "phase_id": "PH-01", "owner": "Cora Lee"},
                              TODAY)                                                             # ACT-001
        actions.create_action(con, ws, CAT, {"title": "Train staff", "phase_id": "PH-01", "owner": "Bob Stone"},
                              TODAY)                                                             # ACT-002
        documents.add(con, ws, CAT, {"title": "Model cards", "owner": "Cora Lee"}, today=TODAY)   # D-001
        documents.add(con, ws, CAT, {"title": "Vendor list", "owner": "Bob Stone"}, today=TODAY)  # D-002
        inventory.create(con, ws, {"name": "Chatbot"})                                           # AIS-001
        inventory.create(con, ws, {"name": "Scorer"})                                            # AIS-002
        impact.start(con, ws, "AIS-001", "Ann")                                                  # IA-001
        policy.create(con, ws, {"version": "1.0", "status": "draft", "title": "AI policy"}, today=TODAY)  # P-001
        roles.add_person(con, ws, {"name": "Bob Stone"})                                         # PE-001
        roles.add_role(con, ws, {"name": "AI lead", "holders": ["PE-001"]})                      # RO-001
        training.add_session(con, ws, {"topic": "AI basics", "kind": "awareness", "held_on": TODAY, "audience": ["RO-001"]})  # TR-001
    con.close()
    return path


def _workbook(path) -> bytes:
    con = db.open_database(path)
    try:
        with identity.acting(identity.LOCAL):
            return export.build(con, 1, CAT)
    finally:
        con.close()


# (name, call(con), who may) - `call` returns nothing useful; it succeeds or raises.
WRITES = [
    ("workspaces.create", lambda c: workspaces.create(c, {"name": "New client"}), {"admin", "local"}),
    ("workspaces.update", lambda c: workspaces.update(c, 1, {"scope": "All AI"}), EDITORS),
    ("workspaces.set_archived", lambda c: workspaces.set_archived(c, 1, True), MANAGERS),
    ("workspaces.duplicate", lambda c: workspaces.duplicate(c, 1, "Acme copy"), {"local"}),
    ("workspaces.delete", lambda c: workspaces.delete(c, 1, "Acme"), MANAGERS),
    ("members.add", lambda c: members.add(c, 1, "new@firm.example", "viewer"), MANAGERS),
    ("members.change", lambda c: members.change(c, 1, VIEWER, "editor"), MANAGERS),
    ("members.remove", lambda c: members.remove(c, 1, VIEWER), MANAGERS),
    ("assessments.save own row", lambda c: assessments.save(c, 1, CAT, {"5.2": {"maturity": 2, "evidence": "Minutes"}}),
     EDITORS | {"contributor"}),
    ("assessments.save others' row", lambda c: assessments.save(c, 1, CAT, {"4.1": {"maturity": 3}}), EDITORS),
    ("assessments.save unowned row", lambda c: assessments.save(c, 1, CAT, {"6.1.2": {"maturity": 1}}), EDITORS),
    ("assessments.save own row's applicability",
     lambda c: assessments.save(c, 1, CAT, {"A.2.2": {"owner": "x"}}) and None, EDITORS),
    ("assessments.set_soa_approval", lambda c: assessments.set_soa_approval(c, 1, "1.0", "", None), EDITORS),
    ("register.create_many own", lambda c: register.create(c, 1, {"title": "New", "lifecycle_stage": "deployed",
                                                                "inherent_likelihood": 1, "inherent_impact": 1,
                                                                "owner": "Cora Lee"}), EDITORS | {"contributor"}),
    ("register.create_many others'", lambda c: register.create(c, 1, {"title": "New", "lifecycle_stage": "deployed",
                                                                    "inherent_likelihood": 1, "inherent_impact": 1,
                                                                    "owner": "Bob Stone"}), EDITORS),
    ("register.update own (by email)", lambda c: register.update(c, 1, "R-001", {"description": "x"}),
     EDITORS | {"contributor"}),
    ("register.update others'", lambda c: register.update(c, 1, "R-002", {"description": "x"}), EDITORS),
    ("register.delete", lambda c: register.delete(c, 1, "R-001"), EDITORS),
    ("register.save_criteria", lambda c: register.save_criteria(c, 1, {"appetite": 6}), EDITORS),
    ("actions.create_action own", lambda c: actions.create_action(
        c, 1, CAT, {"title": "Mine", "phase_id": "PH-01", "owner": "cora@firm.example"}, TODAY), EDITORS | {"contributor"}),
    ("actions.create_action unowned", lambda c: actions.create_action(
        c, 1, CAT, {"title": "Nobody's", "phase_id": "PH-01"}, TODAY), EDITORS),
    ("actions.update_actions own", lambda c: actions.update_actions(c, 1, CAT, {"ACT-001": {"status": "in progress"}},
                                                                    TODAY), EDITORS | {"contributor"}),
    ("actions.update_actions own and others'", lambda c: actions.update_actions(
        c, 1, CAT, {"ACT-001": {"status": "in progress"}, "ACT-002": {"status": "in progress"}}, TODAY), EDITORS),
    ("actions.delete_actions", lambda c: actions.delete_actions(c, 1, ["ACT-001"]), EDITORS),
    ("generation.generate_from_gaps", lambda c: generation.generate_from_gaps(c, 1, CAT, today=TODAY), EDITORS),
    ("generation.generate_from_risks", lambda c: generation.generate_from_risks(c, 1, CAT, today=TODAY), EDITORS),
    ("phases.ensure_phases", lambda c: phases.ensure_phases(c, 1, None, TODAY), EDITORS | {"contributor", "viewer"}),
    ("phases.set_effort_scale", lambda c: phases.set_effort_scale(c, 1, {"S": 2, "M": 6, "L": 15, "XL": 40}), EDITORS),
    ("phases.replan_phases", lambda c: phases.replan_phases(c, 1, date(2027, 9, 30), TODAY), EDITORS),
    ("phases.save_phases", lambda c: phases.save_phases(c, 1, {"PH-01": {"name": "Kick-off"}}), EDITORS),
    ("phases.add_phase", lambda c: phases.add_phase(c, 1, {"name": "Extra", "start": TODAY, "finish": TODAY}), EDITORS),
    ("phases.delete_phase", lambda c: phases.delete_phase(c, 1, "PH-02"), EDITORS),
    ("documents.save own", lambda c: documents.save(c, 1, CAT, {"D-001": {"notes": "v2"}}, today=TODAY),
     EDITORS | {"contributor"}),
    ("documents.save others'", lambda c: documents.save(c, 1, CAT, {"D-002": {"notes": "v2"}}, today=TODAY), EDITORS),
    ("documents.add own", lambda c: documents.add(c, 1, CAT, {"title": "Mine", "owner": "Cora Lee"}, today=TODAY),
     EDITORS | {"contributor"}),
    ("documents.delete", lambda c: documents.delete(c, 1, CAT, "D-001"), EDITORS),
    ("inventory.create_many", lambda c: inventory.create(c, 1, {"name": "Router"}), EDITORS),
    ("inventory.update", lambda c: inventory.update(c, 1, "AIS-001", {"purpose": "Answer"}), EDITORS),
    ("inventory.retire", lambda c: inventory.retire(c, 1, "AIS-001"), EDITORS),
    ("inventory.set_category", lambda c: inventory.set_category(c, 1, "AIS-001", "minimal"), EDITORS),
    ("classification.record", lambda c: classification.record(c, 1, "AIS-001", {}, "deployer"), EDITORS),
    ("classification.update_date", lambda c: classification.update_date(
        c, "gpai", date(2025, 8, 2), TODAY), {"admin", "local"}),
    ("impact.start", lambda c: impact.start(c, 1, "AIS-002", "Ann"), EDITORS),
    ("impact.save_answers", lambda c: impact.save_answers(c, 1, "IA-001", {Q1: {"value": None, "note": "n"}}), EDITORS),
    ("impact.save_context", lambda c: impact.save_context(c, 1, "IA-001", {CTX: "EU"}), EDITORS),
    ("impact.set_status", lambda c: impact.set_status(c, 1, "IA-001", "in review"), EDITORS),
    ("policy.create", lambda c: policy.create(c, 1, {
        "version": "2.0", "status": "approved", "title": "AI policy", "endorsed_by": "Ann", "endorser_role": "CEO",
        "approved_on": TODAY, "next_review": date(2027, 3, 1), "location": "Intranet", "principles": ["Fairness"]},
        today=TODAY), EDITORS),
    ("policy.update", lambda c: policy.update(c, 1, "P-001", {"title": "AI policy v1"}, today=TODAY), EDITORS),
    ("policy.delete_draft", lambda c: policy.delete_draft(c, 1, "P-001"), EDITORS),
    ("roles.add_people", lambda c: roles.add_person(c, 1, {"name": "Dana"}), EDITORS),
    ("roles.register_owners own name", lambda c: roles.register_owners(c, 1, ["Cora Lee"]), EDITORS | {"contributor"}),
    ("roles.register_owners other name", lambda c: roles.register_owners(c, 1, ["Eve"]), EDITORS),
    ("roles.save_people", lambda c: roles.save_people(c, 1, {"PE-001": {"job_title": "CTO"}}), EDITORS),
    ("roles.delete_person", lambda c: roles.delete_person(c, 1, "PE-001"), EDITORS),
    ("roles.add_roles", lambda c: roles.add_role(c, 1, {"name": "DPO"}), EDITORS),
    ("roles.save_roles", lambda c: roles.save_roles(c, 1, {"RO-001": {"responsibilities": "Leads"}}), EDITORS),
    ("roles.delete_role", lambda c: roles.delete_role(c, 1, "RO-001"), EDITORS),
    ("roles.save_raci", lambda c: roles.save_raci(c, 1, {"policy": {"RO-001": "A"}}), EDITORS),
    ("training.add_session", lambda c: training.add_session(c, 1, {"topic": "Deep dive", "kind": "competence", "audience": ["RO-001"]}), EDITORS),
    ("training.update_session", lambda c: training.update_session(c, 1, "TR-001", {"trainer": "Ann"}, today=TODAY),
     EDITORS),
    ("training.delete_session", lambda c: training.delete_session(c, 1, "TR-001"), EDITORS),
    ("training.save_attendance", lambda c: training.save_attendance(c, 1, "TR-001", {"PE-001": "attended"},
                                                                    today=TODAY), EDITORS),
]


def _state(con) -> dict:
    """Every table's rows, to show that a refused write changed nothing."""
    with db.reading(con) as cur:
        tables = [r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables"
                                            " WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        return {t: sorted(map(repr, cur.execute("SELECT * FROM query_table(?)", [t]).fetchall())) for t in tables}


@pytest.fixture
def copy(template, tmp_path):
    path = tmp_path / "perm.duckdb"
    shutil.copy(template, path)
    con = db.open_database(path)
    yield con
    con.close()


@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize("name,call,allowed", WRITES, ids=[w[0] for w in WRITES])
def test_each_write_path_lets_only_its_roles_write(copy, name, call, allowed, who):
    before = _state(copy)
    with identity.acting(PEOPLE[who]):
        if who in allowed:
            call(copy)
            return
        with pytest.raises(AccessDenied) as refused:
            call(copy)
    assert _state(copy) == before, f"{name} as {who} wrote although refused"
    said = str(refused.value)
    assert (PEOPLE[who].email or "sign in") in said, said


def test_a_forged_request_for_another_workspace_is_refused(copy):
    """Cora owns rows in Acme; a call naming workspace Other (where she has no role) for a row
    she would own there is refused, and Acme's owner may not write there either."""
    before = _state(copy)
    for person in (PEOPLE["contributor"], PEOPLE["owner"]):
        with identity.acting(person):
            with pytest.raises(AccessDenied, match="not a member of workspace 'Other'"):
                assessments.save(copy, 2, CAT, {"5.2": {"maturity": 3}})
            with pytest.raises(AccessDenied, match="not a member"):
                register.update(copy, 2, "R-001", {"description": "mine now"})
            with pytest.raises(AccessDenied, match="not a member"):
                members.add(copy, 2, person.email, "owner")
            with pytest.raises(AccessDenied):
                export.build(copy, 2, CAT)
    assert _state(copy) == before


def test_messages_say_what_the_role_allows(copy):
    with identity.acting(PEOPLE["viewer"]):
        with pytest.raises(AccessDenied, match="vera@firm.example is a viewer of workspace 'Acme': viewers read"):
            register.update(copy, 1, "R-001", {"description": "x"})
    with identity.acting(PEOPLE["contributor"]):
        with pytest.raises(AccessDenied, match="risk R-002 is owned by 'Bob Stone'"):
            register.update(copy, 1, "R-002", {"description": "x"})
        with pytest.raises(AccessDenied) as refused:
            actions.update_actions(copy, 1, CAT, {"ACT-001": {"status": "in progress"},
                                                  "ACT-002": {"status": "in progress"}}, TODAY)
        assert refused.value.problems == [
            "cora@firm.example is a contributor of workspace 'Acme': action ACT-002 is owned by 'Bob Stone'; "
            "contributors change only what they own (ask an editor to make you its owner)."]
    with identity.acting(identity.NOBODY):
        with pytest.raises(AccessDenied, match="sign in"):
            workspaces.update(copy, 1, {"scope": "x"})


def test_the_change_log_names_the_signed_in_person_whatever_name_a_caller_passes(copy):
    with db.reading(copy) as cur:
        last = cur.execute("SELECT max(id) FROM change_log").fetchone()[0]
    with identity.acting(PEOPLE["editor"]):
        workspaces.update(copy, 1, {"scope": "Everything"}, who="shared account")
        register.update(copy, 1, "R-002", {"description": "checked"}, who="shared account")
    with db.reading(copy) as cur:
        rows = cur.execute("SELECT DISTINCT changed_by FROM change_log WHERE id > ?", [last]).fetchall()
        updated_by = cur.execute("SELECT updated_by FROM risk WHERE workspace_id = 1 AND id = 'R-002'").fetchone()
    assert rows == [(EDITOR,)] and updated_by == (EDITOR,)


def test_workbook_import_is_for_owners_and_editors(template, copy):
    data = _workbook(template)
    for who in ("contributor", "viewer", "stranger"):
        with identity.acting(PEOPLE[who]):
            with pytest.raises(AccessDenied):
                importer.plan(copy, 1, data, CAT)
    with identity.acting(PEOPLE["editor"]):
        assert not importer.plan(copy, 1, data, CAT).has_changes


def test_a_new_workspace_is_owned_by_the_administrator_who_created_it(copy):
    with identity.acting(PEOPLE["admin"]):
        ws = workspaces.create(copy, {"name": "Fresh"})
        assert members.role(copy, ws) == "owner"
        assert members.visible_ids(copy) == {ws}
        copied = workspaces.duplicate(copy, ws, "Fresh copy")
        assert list(members.listing(copy, copied)["email"]) == [ADMIN]


def _write_functions() -> set[str]:
    """'module.function' for every public function of aims that opens a write (db.writing or
    db.transaction), outside the storage layer, the UI and the demo builders."""
    found = set()
    for path in (ROOT / "aims").rglob("*.py"):
        rel = path.relative_to(ROOT / "aims").as_posix()
        if rel.startswith(("ui/", "demo/")) or rel in ("store/db.py", "cli.py"):
            continue
        src = path.read_text(encoding="utf-8")
        for node in ast.parse(src).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                body = ast.get_source_segment(src, node)
                if "db.writing(" in body or "db.transaction(" in body:
                    found.add(f"{path.stem}.{node.name}")
    return found


# Write functions covered through another entry (they call it) or that write no one's data.
COVERED_ELSEWHERE = {
    "requirements.save": "assessments.save", "requirements.set_soa_approval": "assessments.set_soa_approval",
    "importer.apply": "test_workbook_import_is_for_owners_and_editors (apply plans first)",
    "baselines.take": "tests/test_baselines.py ::test_a_viewer_cannot_take_rename_or_delete_a_baseline_and_an_editor_can",
    "baselines.rename": "tests/test_baselines.py ::test_a_viewer_cannot_take_rename_or_delete_a_baseline_and_an_editor_can",
    "baselines.delete": "tests/test_baselines.py ::test_a_viewer_cannot_take_rename_or_delete_a_baseline_and_an_editor_can",
    "classification.dates_table": "seeds the catalogue's dates: nobody's edit",
    "evidence_files.upload": "tests/test_evidence_files.py ::test_a_viewer_is_refused_every_write_and_an_editor_may",
    "evidence_files.update": "tests/test_evidence_files.py ::test_a_viewer_is_refused_every_write_and_an_editor_may",
    "evidence_files.add_links": "tests/test_evidence_files.py ::test_a_viewer_is_refused_every_write_and_an_editor_may",
    "evidence_files.remove_links": "tests/test_evidence_files.py ::test_a_viewer_is_refused_every_write_and_an_editor_may",
    "evidence_files.set_links": "tests/test_evidence_files.py ::test_a_viewer_is_refused_every_write_and_an_editor_may",
    "findings.raise_finding": "tests/test_findings.py ::test_a_viewer_is_refused_every_findings_write",
    "findings.update": "tests/test_findings.py ::test_a_viewer_is_refused_every_findings_write",
    "findings.create_corrective_action": "tests/test_findings.py ::test_a_viewer_is_refused_every_findings_write",
    "findings.close": "tests/test_findings.py ::test_a_viewer_is_refused_every_findings_write",
    "findings.reopen": "tests/test_findings.py ::test_a_viewer_is_refused_every_findings_write",
    "review.plan": "tests/test_review.py ::test_a_viewer_may_change_no_review_and_an_editor_may",
    "review.update": "tests/test_review.py ::test_a_viewer_may_change_no_review_and_an_editor_may",
    "review.save_inputs": "tests/test_review.py ::test_a_viewer_may_change_no_review_and_an_editor_may",
    "review.refresh_inputs": "tests/test_review.py ::test_a_viewer_may_change_no_review_and_an_editor_may",
    "review.add_action": "tests/test_review.py ::test_a_viewer_may_change_no_review_and_an_editor_may",
    "review.delete": "tests/test_review.py ::test_a_viewer_may_change_no_review_and_an_editor_may",
    "programme.create": "tests/test_audit_programme.py ::test_a_viewer_changes_nothing_and_an_editor_does",
    "programme.update": "tests/test_audit_programme.py ::test_a_viewer_changes_nothing_and_an_editor_does",
    "programme.delete": "tests/test_audit_programme.py ::test_a_viewer_changes_nothing_and_an_editor_does",
    "checklist.sync": "tests/test_audit_checklist.py ::test_a_viewer_records_nothing_and_an_editor_does",
    "checklist.generate": "tests/test_audit_checklist.py ::test_a_viewer_records_nothing_and_an_editor_does",
    "checklist.save_results": "tests/test_audit_checklist.py ::test_a_viewer_records_nothing_and_an_editor_does",
    "checklist.raise_finding": "tests/test_audit_checklist.py ::test_a_viewer_records_nothing_and_an_editor_does",
    "workspaces.set_brand": "tests/test_report_brand.py ::test_a_viewer_is_refused_and_an_editor_may",
    "sessions.create": "tests/test_workshop_sessions.py ::test_a_viewer_changes_no_session_and_an_editor_does",
    "sessions.update": "tests/test_workshop_sessions.py ::test_a_viewer_changes_no_session_and_an_editor_does",
    "sessions.delete": "tests/test_workshop_sessions.py ::test_a_viewer_changes_no_session_and_an_editor_does",
    "sessions.start": "tests/test_workshop_sessions.py ::test_a_viewer_changes_no_session_and_an_editor_does",
    "sessions.pause": "tests/test_workshop_sessions.py ::test_a_viewer_changes_no_session_and_an_editor_does",
    "sessions.resume": "tests/test_workshop_sessions.py ::test_a_viewer_changes_no_session_and_an_editor_does",
    "sessions.close": "tests/test_workshop_sessions.py ::test_a_viewer_changes_no_session_and_an_editor_does",
    "capture.open_item": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
    "capture.record_votes": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
    "capture.agree": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
    "capture.save_notes": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
    "capture.set_state": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
    "capture.add_action": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
    "capture.park": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
    "parking.add": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
    "parking.resolve": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
    "parking.reopen": "tests/test_workshop_capture.py ::test_a_viewer_is_refused_every_capture_and_an_editor_may",
}


def test_every_write_function_is_in_the_table():
    covered = {name.split(" ")[0] for name, _, _ in WRITES} | set(COVERED_ELSEWHERE)
    missing = _write_functions() - covered
    assert not missing, f"write functions without a permission test: {sorted(missing)}"
