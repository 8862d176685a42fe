"""The client report and the one-page summary: the figures a hand-built workspace must show (read
back from the PDF with pypdf), contents and page numbers, user text that never raises nor gets
cut, page counts for the demo and for a large workspace, the speed of the demo report, a baseline
comparison by hand, and the command line."""
import io
import random
import re
from datetime import date

import pandas as pd
import pypdf
import pytest
from helpers import make_risk

from aims import cli
from aims.ai_systems import inventory
from aims.assessment import requirements as assessments
from aims.catalog import standard as catalog_mod
from aims.demo import bench
from aims.demo import client as demo
from aims.progress import baselines
from aims.reports import client_report, report_data, summary_pdf
from aims.reports.pdf_layout import clean
from aims.risk import register
from aims.store import db, workspaces

TODAY = date(2026, 3, 2)


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(pdf: bytes) -> str:
    """The PDF's text with line breaks as spaces (wrapped lines join again)."""
    return " ".join(" ".join(pages(pdf)).split())


def report(con, ws, cat, **kw) -> bytes:
    return client_report.build(report_data.gather(con, ws, cat, TODAY, **kw))


@pytest.fixture
def hand_built(con, cat, ws_id):
    """Default target 3: 4.1 at 3 with verified evidence, 4.2 at 4, 5.2 at 1 (gap 2), 6.1.2 at 2
    (gap 1), A.10.4 excluded with a reason; everything else not assessed."""
    assessments.save(con, ws_id, cat, {
        "4.1": {"maturity": 3, "evidence_strength": "verified"}, "4.2": {"maturity": 4},
        "5.2": {"maturity": 1}, "6.1.2": {"maturity": 2},
        "A.10.4": {"applicable": False, "exclusion_reason": "No customers receive AI services"}})
    return ws_id


def test_the_report_states_the_readiness_computed_by_hand(con, cat, hand_built):
    # 70 requirements, 1 excluded -> 69 applicable; at target: 4.1 and 4.2 -> 2/69 = 2.9%;
    # Stage 2 needs verified evidence: 4.1 only -> 1/69 = 1.4%; gaps: 5.2 and 6.1.2; not assessed 69 - 4 = 65
    text = flat(report(con, hand_built, cat, assessor="Dana Scully", version="2.1"))
    assert "meets its target maturity on 2 of the 69 applicable requirements" in text
    assert "(readiness 2.9%)" in text
    assert "2 assessed requirements are below target, and 65 are not assessed yet" in text
    assert "Stage 2 readiness, which needs records showing each requirement operates, is 1.4%" in text
    assert "2.9% Readiness 2 of 69 applicable at target" in text
    assert "65 Not assessed counted as not ready" in text
    assert "Of the 38 Annex A controls, 37 apply and 1 is excluded" in text
    assert "No customers receive AI services" in text            # the exclusion's justification
    assert "Dana Scully" in text and "2.1" in text              # cover: assessor and version
    # the top gap comes with the catalogue's own-words guidance
    assert "5.2 AI policy: maturity 1 Initial, target 3 (gap 2), documented information required" in text
    assert " ".join(cat.requirements["5.2"].guidance.split()) in text


def test_a_group_with_nothing_assessed_shows_a_dash_not_zero(con, cat, hand_built):
    data = report_data.gather(con, hand_built, cat, TODAY)
    clause10 = next(g for g in data["clauses"] if g["group"] == "10")
    assert clause10["readiness_pct"] == 0.0 and clause10["not_assessed"] == 2   # not assessed counts as not ready
    empty = report_data.gather(con, workspaces.create(con, {"name": "Blank"}), cat, TODAY)
    assert empty["overall"]["readiness_pct"] == 0.0 and empty["roadmap"]["forecast"].progress_pct is None
    text = flat(client_report.build(empty))
    assert "No requirement of Blank has been rated yet" in text
    assert "- Roadmap progress" in text                          # no effort at all: a dash
    assert "No AI system is in the inventory yet" in text
    assert "The AI risk register is empty" in text
    assert "No roadmap action exists yet" in text


def test_contents_and_page_numbers(con, cat, hand_built):
    pdf = report(con, hand_built, cat)
    texts = pages(pdf)
    n = len(texts)
    assert "Contents" in texts[1] and "Executive summary" in texts[1] and "Appendix A: gap table" in texts[1]
    for i, t in enumerate(texts, start=1):
        assert f"Page {i} of {n}" in t
    # the contents give the page each section starts on
    entry = re.search(r"Appendix B: Statement of Applicability\s*\.+\s*(\d+)", texts[1])
    assert entry and "Appendix B: Statement of Applicability" in texts[int(entry.group(1)) - 1]


ODD = ("Ünïcödé \u201cquoted\u201d \u2013 dash \U0001F680\U0001F469\u200d\U0001F4BB rocket \u4e2d\u6587 \u202eRTL\u202c "
       + "Supercalifragilisticexpialidocious" * 12 + " end-of-text")


def test_odd_user_text_never_raises_and_is_not_cut(con, cat, ws_id, systems):
    workspaces.update(con, ws_id, {"name": "Odd \u201cclient\u201d \U0001F680", "organisation": ODD[:150], "scope": ODD * 3})
    inventory.update(con, ws_id, systems[0], {"name": "Sys " + ODD[:150]})
    rid = register.create(con, ws_id, make_risk(title="Risk " + ODD[:180], inherent_likelihood=5, inherent_impact=5,
                                                owner="Zoë O\u2019Brien"))
    assessments.save(con, ws_id, cat, {"5.2": {"maturity": 1, "owner": "Ôwner " + "x" * 90}})
    pdf = report(con, ws_id, cat, assessor="Łukasz \u201cLuke\u201d \U0001F600")
    text = flat(pdf).replace(" ", "")
    # every character of the long word arrives, wrapped across lines (never cut at a cell's edge)
    assert ("Supercalifragilisticexpialidocious" * 12 + "end-of-text") in text
    assert "Risk" in text and rid in text and "Lukasz\"Luke\"" in text and "ZoëO'Brien" in text
    assert clean(ODD).startswith('Ünïcödé "quoted" - dash  rocket ?? ')
    summary = summary_pdf.build(report_data.gather(con, ws_id, cat, TODAY))
    assert len(pages(summary)) == 1


def test_the_summary_is_one_page_with_the_figures_and_decisions(con, cat, hand_built):
    for i in range(12):        # many long risks above appetite and nothing treated: long lists to fit
        register.create(con, hand_built, make_risk(title=f"Risk {i} " + "with a very long title " * 8,
                                                   inherent_likelihood=5, inherent_impact=4, owner="Owner " * 12))
    data = report_data.gather(con, hand_built, cat, TODAY)
    assert "12 risks above the appetite (score above" in " ".join(data["decisions"])
    pdf = summary_pdf.build(data)
    texts = pages(pdf)
    assert len(texts) == 1
    text = " ".join(texts[0].split())
    assert "Management summary" in text and "2.9% Readiness" in text and "Decisions needed" in text
    assert "Top risks" in text and "R-001" in text


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = db.open_database(path)
    ws = demo.create(con, catalog_mod.load())
    yield con, ws
    con.close()


def test_the_demo_report_has_a_bounded_page_count(demo_db):
    """Its build time is measured by the benchmark (python -m aims bench), never asserted here."""
    con, ws = demo_db
    cat = catalog_mod.load()
    pdf = client_report.build(report_data.gather(con, ws, cat))
    n = len(pages(pdf))
    assert 15 <= n <= 30
    assert pdf.startswith(b"%PDF") and "Northwind Lending" in pages(pdf)[0]
    assert len(pages(summary_pdf.build(report_data.gather(con, ws, cat)))) == 1


def test_a_large_workspace_lists_the_top_rows_and_keeps_its_page_count(con, cat, ws_id):
    spec = bench.Size(workspaces=1, systems=300, assessments=20, risks=2000, actions=1200, history_months=1)
    bench._fill(con, cat, ws_id, random.Random(7), spec, big=True)
    data = report_data.gather(con, ws_id, cat)
    assert data["systems"]["count"] == 300 and len(data["systems"]["listed"]) == report_data.TOP
    assert data["risks"]["count"] == 2000 and len(data["risks"]["above"]) <= report_data.TOP
    pdf = client_report.build(data)
    n = len(pages(pdf))
    assert 15 <= n <= 35, n
    text = flat(pdf)
    assert f"The first {report_data.TOP} of 300 systems" in text
    assert len(pages(summary_pdf.build(data))) == 1


def test_progress_since_a_baseline_by_hand(con, cat, hand_built):
    bid = baselines.take(con, hand_built, "Kick-off", cat, 3)
    # after: 5.2 rises to 3 (at target), 7.3 newly assessed at 1 -> at target 3/69 = 4.3% (+1.4 pts)
    assessments.save(con, hand_built, cat, {"5.2": {"maturity": 3}, "7.3": {"maturity": 1}})
    text = flat(report(con, hand_built, cat, baseline_id=bid))
    assert "Progress since Kick-off" in text
    assert "Readiness (%) 2.9% 4.3% +1.4 pts" in text
    assert "1 improved; 1 newly assessed" in text
    assert "5.2 AI policy improved 1 Initial 3 Defined at target" in text
    assert "7.3 Awareness newly assessed Not assessed 1 Initial gap" in text


def test_the_report_command(tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    con = db.open_database(path)
    cat = catalog_mod.load()
    ws = workspaces.create(con, {"name": "Acme AI", "organisation": "Acme Ltd"})
    baselines.take(con, ws, "Kick-off", cat, 3)
    con.close()
    out = tmp_path / "out" / "report.pdf"
    args = ["--db", str(path), "report", "--workspace", "acme ai", "--out", str(out)]
    assert cli.main(args + ["--baseline", "kick-off", "--assessor", "Ann", "--version", "0.9"]) == 0
    text = flat(out.read_bytes())
    assert "Progress since Kick-off" in text and "Ann" in text and "0.9" in text
    assert "Report written" in capsys.readouterr().out
    summary = tmp_path / "summary.pdf"
    assert cli.main(["--db", str(path), "report", "--workspace", "Acme AI", "--out", str(summary), "--summary"]) == 0
    assert len(pages(summary.read_bytes())) == 1
    assert cli.main(["--db", str(path), "report", "--workspace", "Nobody", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "There is no workspace named 'Nobody'" in capsys.readouterr().err
    assert cli.main(args + ["--baseline", "Later"]) == 1
    assert "There is no baseline named 'Later' in 'acme ai'. Baselines: 'Kick-off'" in capsys.readouterr().err
    assert cli.main(["--db", str(path), "report", "--workspace", "Acme AI", "--out", str(tmp_path / "x.txt")]) == 1
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.txt").exists()


def test_the_summary_says_how_the_figures_moved_since_the_last_baseline():
    from aims.progress.trends import COLUMNS
    from aims.reports.summary_pdf import progress_sentence
    series = pd.DataFrame([
        {"when": pd.Timestamp("2026-09-27 10:00"), "kind": "baseline", "label": "Kick-off", "readiness_pct": 2.9,
         "stage1_pct": 0.0, "stage2_pct": 0.0, "assessed_pct": 30.0, "open_gaps": 19, "risks_above": 0,
         "roadmap_pct": None},
        {"when": pd.Timestamp("2026-11-29 09:00"), "kind": "now", "label": "Now", "readiness_pct": 23.2,
         "stage1_pct": 50.0, "stage2_pct": 2.9, "assessed_pct": 82.6, "open_gaps": 41, "risks_above": 16,
         "roadmap_pct": 17.3}], columns=COLUMNS)
    assert progress_sentence(series) == ("Change since Kick-off (27 Sep): readiness +20.3 points, Stage 2 readiness "
                                         "+2.9 points, open gaps +22, risks above appetite +16.")
    assert progress_sentence(series.iloc[1:]) == "" and progress_sentence(None) == ""
