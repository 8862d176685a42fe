"""The area sheets round trip through Excel: AI systems, risks (with links to systems added in
the same workbook), the heatmap, impact answers, the roadmap, the document register; rows
added in Excel are created with their links, rows deleted in Excel are removed only when
confirmed, and a LibreOffice re-save changes nothing."""
import shutil
import subprocess
from datetime import date

import pytest
from wbtools import append, col_of, count, delete_row, demo_copy, edit, edits, load, row_of, save

from aims.ai_systems import impact, inventory
from aims.catalog import standard as catalog
from aims.common.validate import ValidationError
from aims.governance import documents
from aims.risk import register as risks
from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases
from aims.workbook import export, importer

CAT = catalog.load()


@pytest.fixture
def demo(tmp_path, tmp_path_factory):
    con, ws_id, path = demo_copy(tmp_path, tmp_path_factory)
    yield con, ws_id, path
    con.close()


@pytest.fixture
def exported(demo):
    return export.build(demo[0], demo[1])


def sheet_plan(p, name):
    return next(s for s in p.sheets if s.name == name)


def log_count(con):
    return count(con, "SELECT count(*) FROM change_log")


def linked_risks(con, ws_id) -> set:
    return {r for rs in roadmap.actions(con, ws_id, CAT, 3)["risks"] for r in rs}


def test_a_new_risk_linked_to_a_new_ai_system_is_created_with_its_links(demo, exported):
    con, ws_id, path = demo
    data = append(exported, "AI Systems", {"ID": "NEW-1", "Name": "Collections call summariser",
                                           "Life-cycle stage": "design", "Sourcing": "vendor API",
                                           "Personal data used": "Yes", "Business owner": "Head of Collections"})
    data = append(data, "Risks", {"Title": "Summaries misstate what a customer agreed to",
                                  "AI systems": "NEW-1; AIS-001", "Annex A controls": "A.6.2.4; A.9.2",
                                  "Life-cycle stage": "design", "Inherent likelihood": "3 Possible",
                                  "Inherent impact": "4 Major", "Treatment": "mitigate", "Status": "open",
                                  "Owner": "Head of Collections", "Due": date(2027, 5, 31)})
    p = importer.plan(con, ws_id, data)
    assert [r.key for r in sheet_plan(p, "AI Systems").added] == ["NEW-1"]
    assert len(sheet_plan(p, "Risks").added) == 1
    assert p.counts()["changed"] == 0
    before_systems = set(inventory.list_systems(con, ws_id)["id"])
    result = importer.apply(con, ws_id, data, db_path=path)
    assert result["added"] == 2
    new_system = (set(inventory.list_systems(con, ws_id)["id"]) - before_systems).pop()
    assert inventory.get(con, ws_id, new_system)["name"] == "Collections call summariser"
    risk = risks.table(con, ws_id).set_index("title").loc["Summaries misstate what a customer agreed to"]
    assert sorted(risk["systems"]) == sorted([new_system, "AIS-001"])
    assert risk["controls"] == ["A.6.2.4", "A.9.2"]
    assert (risk["inherent_likelihood"], risk["inherent_impact"], risk["inherent_level"]) == (3, 4, "high")
    # the new rows are ordinary records now: a fresh export round-trips with no change
    assert not importer.plan(con, ws_id, export.build(con, ws_id)).has_changes


def test_risk_ratings_show_the_scale_and_level_formulas_follow_the_bands(demo, exported):
    con, ws_id, _ = demo
    ws = load(exported)["Risks"]
    r = row_of(ws, "R-001")
    assert ws.cell(row=r, column=col_of(ws, "Inherent likelihood")).value.split(" ", 1)[1] in risks.criteria(
        con, ws_id)["likelihood_labels"]
    level = ws.cell(row=r, column=col_of(ws, "Inherent level")).value
    crit = risks.criteria(con, ws_id)
    assert level.startswith("=IF(") and f"<={crit['low_max']},\"low\"" in level and "critical" in level


def test_editing_a_risk_changes_exactly_that_risk(demo, exported):
    con, ws_id, path = demo
    data = edits(exported, [("Risks", "R-002", "Residual likelihood", "1 Rare"),
                            ("Risks", "R-002", "Owner", "New Owner"),
                            ("Risks", "R-002", "AI systems", "AIS-001; AIS-002")])
    p = importer.plan(con, ws_id, data)
    changed = sheet_plan(p, "Risks").changed
    assert [r.key for r in changed] == ["R-002"]
    assert set(changed[0].changes) == {"residual_likelihood", "owner", "systems"}
    importer.apply(con, ws_id, data, db_path=path)
    r = risks.get(con, ws_id, "R-002")
    assert (r["residual_likelihood"], r["owner"], r["systems"]) == (1, "New Owner", ["AIS-001", "AIS-002"])


def test_a_link_to_an_unknown_system_names_sheet_row_and_column(demo, exported):
    con, ws_id, _ = demo
    data = edit(exported, "Risks", "R-003", "AI systems", "AIS-999")
    with pytest.raises(ValidationError) as err:
        importer.plan(con, ws_id, data)
    row = row_of(load(exported)["Risks"], "R-003")
    assert f"Sheet 'Risks', row {row}, column 'AI systems': unknown ai system ID AIS-999." in err.value.problems


def test_a_bad_rating_is_refused(demo, exported):
    con, ws_id, _ = demo
    with pytest.raises(ValidationError) as err:
        importer.plan(con, ws_id, edit(exported, "Risks", "R-003", "Inherent impact", "9 Apocalyptic"))
    assert "column 'Inherent impact': must be one of: 1, 2, 3, 4, 5" in " ".join(err.value.problems)


def test_a_risk_deleted_in_excel_is_removed_only_when_confirmed(demo, exported):
    con, ws_id, path = demo
    free = next(r for r in risks.table(con, ws_id)["id"] if r not in linked_risks(con, ws_id))
    data = delete_row(exported, "Risks", free)
    p = importer.plan(con, ws_id, data)
    assert [r.key for r in sheet_plan(p, "Risks").deleted] == [free]
    rows = importer.change_rows(sheet_plan(p, "Risks"))
    assert rows[0]["What"] == "deleted in Excel" and rows[0]["New value"] == "if confirmed: deleted"
    result = importer.apply(con, ws_id, data, db_path=path)
    assert result["deletions_skipped"] == 1 and risks.get(con, ws_id, free) is not None
    result = importer.apply(con, ws_id, data, delete=True, db_path=path)
    assert result["deleted"] == 1 and risks.get(con, ws_id, free) is None


def test_a_deletion_the_register_refuses_is_shown_and_skipped_without_blocking_the_rest(demo, exported):
    con, ws_id, path = demo
    linked = sorted(linked_risks(con, ws_id))[0]
    data = edit(delete_row(exported, "Risks", linked), "Gap Analysis", "4.1", "Owner", "Still written")
    p = importer.plan(con, ws_id, data)
    deleted = sheet_plan(p, "Risks").deleted[0]
    assert deleted.key == linked and "is still linked to other records" in deleted.blocked
    assert any(f"{linked} cannot be deleted" in w for w in p.warnings)
    assert importer.change_rows(sheet_plan(p, "Risks"))[0]["New value"].startswith("cannot be deleted:")
    result = importer.apply(con, ws_id, data, delete=True, db_path=path)
    assert (result["deleted"], result["deletions_blocked"], result["changed"]) == (0, 1, 1)
    assert risks.get(con, ws_id, linked) is not None


def test_an_action_and_the_risk_it_links_to_can_be_deleted_together(demo, exported):
    con, ws_id, path = demo
    a = roadmap.actions(con, ws_id, CAT, 3)
    only = {}
    for aid, rs in zip(a["id"], a["risks"]):
        for r in rs:
            only.setdefault(r, []).append(aid)
    risk, actions = next((r, ids) for r, ids in only.items() if len(ids) == 1)
    data = delete_row(delete_row(exported, "Risks", risk), "Roadmap", actions[0])
    importer.apply(con, ws_id, data, delete=True, db_path=path)
    assert risks.get(con, ws_id, risk) is None
    assert actions[0] not in set(roadmap.actions(con, ws_id, CAT, 3)["id"])


def test_heatmap_counts_match_the_register(demo, exported):
    con, ws_id, _ = demo
    ws = load(exported)["Risk Heatmap"]
    live = risks.table(con, ws_id)
    live = live[live["status"] != "closed"]
    total = sum(int(str(c.value).split("\n")[0]) for row in ws.iter_rows(min_row=6, max_row=10, min_col=2, max_col=6)
                for c in row)
    assert total == len(live)
    cell = ws.cell(row=6, column=6)      # likelihood 5 x impact 5: the top-right cell is critical
    assert str(cell.value).endswith("critical") and cell.fill.fgColor.rgb.endswith("F4B6B6")


def test_an_impact_answer_is_changed_on_a_draft_and_refused_on_an_approved_assessment(demo, exported):
    con, ws_id, path = demo
    listed = impact.list_all(con, ws_id).drop_duplicates("system_id")
    draft = listed[listed["status"] != "approved"].iloc[0]["id"]
    approved = listed[listed["status"] == "approved"].iloc[0]["id"]
    qid = "scope.purpose_clarity"
    label = impact.questions()[qid]["options"][3]["label"]
    data = edits(exported, [("Impact Assessments", f"{draft}/{qid}", "Answer", label),
                            ("Impact Assessments", f"{draft}/{qid}", "Note", "Scope still open")])
    importer.apply(con, ws_id, data, db_path=path)
    assert impact.answers(con, ws_id, draft)[qid] == {"value": "not_defined", "note": "Scope still open"}
    bad = edit(exported, "Impact Assessments", f"{approved}/{qid}", "Note", "Too late")
    with pytest.raises(ValidationError) as err:
        importer.plan(con, ws_id, bad)
    assert any(f"({approved}/{qid}): {approved} is approved and read-only" in p for p in err.value.problems)


def test_an_impact_answer_must_be_one_of_the_questions_options(demo, exported):
    con, ws_id, _ = demo
    draft = impact.list_all(con, ws_id).query("status != 'approved'").iloc[0]["id"]
    with pytest.raises(ValidationError) as err:
        importer.plan(con, ws_id, edit(exported, "Impact Assessments", f"{draft}/scope.purpose_clarity", "Answer",
                                       "Something else"))
    assert any("is not one of the options of question scope.purpose_clarity" in p for p in err.value.problems)


def test_each_answer_has_the_drop_down_of_its_own_question(exported):
    book = load(exported)
    ws = book["Impact Assessments"]
    answer = col_of(ws, "Answer")
    letter = ws.cell(row=1, column=answer).column_letter
    lists = book["Lists"]
    heads = [c.value for c in lists[1]]
    for dv in ws.data_validations.dataValidation:
        cells = [str(r) for r in dv.sqref.ranges]
        if cells and cells[0].startswith(letter):
            qid = ws.cell(row=int(cells[0][len(letter):]), column=1).value.split("/", 1)[1]
            column = lists.cell(row=1, column=heads.index(qid) + 1).column_letter
            assert f"${column}$2" in dv.formula1
            break
    else:
        pytest.fail("no drop-down on the Answer column")


def test_roadmap_edits_follow_the_roadmap_rules(demo, exported):
    con, ws_id, path = demo
    a = roadmap.actions(con, ws_id, CAT, 3)
    open_action = a[a["status"] != "done"].iloc[0]["id"]
    data = edit(exported, "Roadmap", open_action, "Status", "done")
    importer.apply(con, ws_id, data, db_path=path)
    after = roadmap.actions(con, ws_id, CAT, 3).set_index("id").loc[open_action]
    assert after["status"] == "done" and after["percent"] == 100 and after["done_at"] == date.today()


def test_a_new_roadmap_action_is_created_with_its_links(demo, exported):
    con, ws_id, path = demo
    phase = roadmap_phases.phases(con, ws_id).iloc[0]
    data = append(exported, "Roadmap", {"Title": "Write the AI incident playbook", "Phase": phase["id"],
                                        "Requirements": "A.8.4; 10.2", "Risks": "R-001", "Effort": "M",
                                        "Owner": "Aisha Karim (Head of Compliance)"})
    importer.apply(con, ws_id, data, db_path=path)
    a = roadmap.actions(con, ws_id, CAT, 3).set_index("title").loc["Write the AI incident playbook"]
    assert a["phase_id"] == phase["id"] and a["requirements"] == ["10.2", "A.8.4"] and a["risks"] == ["R-001"]


def test_a_new_action_without_a_phase_is_refused(demo, exported):
    con, ws_id, _ = demo
    data = append(exported, "Roadmap", {"Title": "No phase given", "Effort": "S"})
    with pytest.raises(ValidationError) as err:
        importer.plan(con, ws_id, data)
    assert any("column 'Phase': is required" in p for p in err.value.problems)


def test_documents_can_be_added_edited_and_an_added_one_deleted(demo, exported):
    con, ws_id, path = demo
    data = append(exported, "Documents", {"Document": "Model card template", "Requirements": "A.6.2.7",
                                          "Status": "draft", "Owner": "Tom Becker (Head of Data Science)"})
    importer.apply(con, ws_id, data, db_path=path)
    reg = documents.register(con, ws_id, CAT).set_index("document")
    new_id = reg.loc["Model card template", "id"]
    assert reg.loc["Model card template", "req_ids"] == ["A.6.2.7"]
    fresh = export.build(con, ws_id)
    catalogue_doc = reg[~reg["custom"]].index[0]
    data = delete_row(delete_row(fresh, "Documents", new_id), "Documents", catalogue_doc)
    p = importer.plan(con, ws_id, data)
    assert [r.key for r in sheet_plan(p, "Documents").deleted] == [new_id]
    assert any(catalogue_doc in w and "cannot be removed" in w for w in p.warnings)
    importer.apply(con, ws_id, data, delete=True, db_path=path)
    reg = documents.register(con, ws_id, CAT)
    assert "Model card template" not in set(reg["document"]) and catalogue_doc in set(reg["document"])


def test_an_approved_document_needs_a_version_and_location(demo, exported):
    con, ws_id, _ = demo
    doc = documents.register(con, ws_id, CAT).query("status == 'missing'").iloc[0]["id"]
    with pytest.raises(ValidationError) as err:
        importer.plan(con, ws_id, edit(exported, "Documents", doc, "Status", "approved"))
    assert any("an approved document needs a version and where it lives" in p for p in err.value.problems)


def test_an_ai_system_deleted_in_excel_is_retired_when_confirmed(demo, exported):
    con, ws_id, path = demo
    system = inventory.list_systems(con, ws_id).query("status == 'active'").iloc[-1]["id"]
    data = delete_row(exported, "AI Systems", system)
    p = importer.plan(con, ws_id, data)
    assert importer.change_rows(sheet_plan(p, "AI Systems"))[0]["New value"].startswith("if confirmed: retired")
    importer.apply(con, ws_id, data, delete=True, db_path=path)
    assert inventory.get(con, ws_id, system)["status"] == "retired"


def test_edits_to_read_only_sheets_are_ignored(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    names = ("Classifications", "Evidence Requests", "Governance", "Summary", "Cover", "Risk Heatmap")
    for name in names:
        wb[name]["A3"] = "scribbled on"
    p = importer.plan(con, ws_id, save(wb))
    assert not p.has_changes
    for name in names:     # reported, so that nothing typed is lost silently
        assert any(w.startswith(f"Sheet '{name}' was changed, but it is read only") for w in p.warnings), name


def test_sorting_a_read_only_sheet_is_not_an_edit(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    ws = wb["Evidence Requests"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    for i, values in enumerate(reversed(rows), start=2):
        for j, v in enumerate(values, start=1):
            ws.cell(row=i, column=j).value = v
    assert not importer.plan(con, ws_id, save(wb)).warnings


def test_a_libreoffice_resave_changes_nothing_but_the_edit(demo, exported, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    con, ws_id, _ = demo
    src = tmp_path / "edited.xlsx"
    src.write_bytes(edit(exported, "Risks", "R-001", "Owner", "Edited before LibreOffice"))
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                    str(out), str(src)], check=True, capture_output=True, timeout=120,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    p = importer.plan(con, ws_id, (out / "edited.xlsx").read_bytes())
    assert [(s.name, r.key, list(r.changes)) for s in p.sheets for r in s.changed] == [("Risks", "R-001", ["owner"])]
    assert p.counts()["added"] == p.counts()["deleted"] == 0
    assert not p.warnings          # LibreOffice's re-save is not mistaken for edits of read-only cells
