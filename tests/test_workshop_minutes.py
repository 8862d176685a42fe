"""Workshop minutes: a closed three-item workshop written with plain SQL (as the session code
stores it), read back as minutes, laid out as PDF and as a workbook, and written from the
command line."""
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from aims import cli
from aims.assessment import requirements as assessments
from aims.common.validate import ValidationError
from aims.progress import baselines
from aims.reports import minutes_pdf
from aims.roadmap import actions, phases
from aims.store import db, workspaces
from aims.workbook import minutes as minutes_book
from aims.workshop import minutes as minutes_mod
from aims.workshop.minutes import duration, minutes, spread

TODAY = date(2026, 3, 16)
START = datetime(2026, 3, 16, 9, 30)
CLOSE = datetime(2026, 3, 16, 10, 12)


def _workshop(con, ws, cat, *, title="Gap workshop: clauses 5 and 6", facilitator="Dana Fox",
              attendees=("Ann Lee", "Bob Stone", "Cy Okafor"), question="Does the chatbot vendor retrain on our data?",
              decision="The board approved the AI policy in March; it is published on the intranet.",
              owner="Bob Stone", action_title="Draft the AI risk assessment procedure"):
    """A closed workshop WS-001 of three items with a 15-minute time box:
    1. 5.2   before 1 claimed, agreed 3 documented, done, 754 s (12 min 34 s), votes 2, 3, 4
    2. 6.1.2 not rated before, agreed 2 claimed, done, 1260 s (21 min: 6 min over), votes 1, 2
    3. A.7.4 before 0, not rated, skipped, 45 s
    an action ACT-002 from the session (ACT-001 is a manual one), a parked question PL-001 (and
    PL-002 from no workshop), the start baseline before the ratings and the closing one after."""
    assessments.save(con, ws, cat, {"5.2": {"maturity": 1, "evidence_strength": "claimed"},
                                    "A.7.4": {"maturity": 0}})
    start = baselines.take(con, ws, "Workshop WS-001 start", cat, 3)
    assessments.save(con, ws, cat, {"5.2": {"maturity": 3, "evidence_strength": "documented"},
                                    "6.1.2": {"maturity": 2, "evidence_strength": "claimed"}})
    close = baselines.take(con, ws, "Workshop WS-001 close", cat, 3)
    phases.ensure_phases(con, ws, date(2027, 3, 1), TODAY)
    actions.create_action(con, ws, cat, {"title": "Unrelated manual action", "phase_id": "PH-01"}, TODAY)
    aid = actions.create_action(con, ws, cat, {"title": action_title, "phase_id": "PH-02", "owner": owner,
                                               "due": "2026-05-29", "requirements": ["6.1.2"], "source": "workshop",
                                               "source_ref": "WS-001"}, TODAY)
    with db.transaction(con) as tx:
        cur = tx.cur
        # create_action may refuse or reset the source: set it as the session code stores it
        cur.execute("UPDATE action SET source = 'workshop', source_ref = 'WS-001' WHERE workspace_id = ? AND id = ?",
                    [ws, aid])
        cur.execute("INSERT INTO workshop (workspace_id, id, title, day, facilitator, status, time_box_minutes,"
                    " started_at, closed_at, baseline_start, baseline_close, notes, created_at, updated_at)"
                    " VALUES (?, 'WS-001', ?, ?, ?, 'closed', 15, ?, ?, ?, ?, 'internal: client is price-sensitive',"
                    " ?, ?)", [ws, title, TODAY, facilitator, START, CLOSE, start, close, START, CLOSE])
        for name in attendees:
            cur.execute("INSERT INTO workshop_attendee VALUES (?, 'WS-001', ?)", [ws, name])
        for pos, req, state, secs, mb, eb, ma, ea, dec, notes in (
                (1, "5.2", "done", 754, 1, "claimed", 3, "documented", decision, ""),
                (2, "6.1.2", "done", 1260, None, "", 2, "claimed", "", "Risk criteria exist for credit only."),
                (3, "A.7.4", "skipped", 45, 0, "none", None, "", "", "")):
            cur.execute("INSERT INTO workshop_item (workspace_id, workshop_id, position, req_id, state, seconds,"
                        " maturity_before, evidence_before, maturity_agreed, evidence_agreed, decision, notes)"
                        " VALUES (?, 'WS-001', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [ws, pos, req, state, secs, mb, eb, ma, ea, dec, notes])
        for pos, who, m in ((1, "Ann Lee", 2), (1, "Bob Stone", 3), (1, "Cy Okafor", 4), (2, "Ann Lee", 1),
                            (2, "Bob Stone", 2)):
            cur.execute("INSERT INTO workshop_vote VALUES (?, 'WS-001', ?, ?, ?)", [ws, pos, who, m])
        for pid, wid, req, q in (("PL-001", "WS-001", "A.7.4", question), ("PL-002", "", "", "Not from the session")):
            cur.execute("INSERT INTO parking_lot (workspace_id, id, workshop_id, req_id, question, owner, status,"
                        " raised_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'Ann Lee', 'open', ?, ?, ?)",
                        [ws, pid, wid, req, q, TODAY, START, START])
    return {"start": start, "close": close, "action": aid}


@pytest.fixture
def closed(con, cat, ws_id):
    ids = _workshop(con, ws_id, cat)
    return {**ids, "ws": ws_id}


def test_minutes_hold_the_session_attendees_and_every_item_in_order(con, cat, closed):
    m = minutes(con, closed["ws"], cat, "WS-001")
    w = m["workshop"]
    assert (w["title"], w["day"], w["facilitator"], w["status"]) == ("Gap workshop: clauses 5 and 6", TODAY,
                                                                    "Dana Fox", "closed")
    assert (w["started_at"], w["closed_at"]) == (START, CLOSE)
    assert m["attendees"] == ["Ann Lee", "Bob Stone", "Cy Okafor"]
    items = m["items"]
    assert [(i["position"], i["req_id"], i["title"], i["state"]) for i in items] == [
        (1, "5.2", "AI policy", "done"), (2, "6.1.2", "AI risk assessment", "done"),
        (3, "A.7.4", "Quality of data for AI systems", "skipped")]
    assert [(i["before_label"], i["agreed_label"]) for i in items] == [
        ("1 Initial", "3 Defined"), ("Not assessed", "2 Repeatable"), ("0 None", "")]
    assert [(i["evidence_before"], i["evidence_agreed"]) for i in items] == [
        ("claimed", "documented"), ("", "claimed"), ("none", "")]
    assert [i["changed"] for i in items] == [True, True, False]     # a first rating counts as a change


def test_votes_spread_is_min_max_and_median(con, cat, closed):
    items = minutes(con, closed["ws"], cat, "WS-001")["items"]
    assert items[0]["spread"] == {"count": 3, "min": 2, "max": 4, "range": 2, "median": 3}
    assert items[1]["spread"] == {"count": 2, "min": 1, "max": 2, "range": 1, "median": 1.5}   # mean of the two
    assert items[2]["spread"] is None
    assert [v["attendee"] for v in items[0]["votes"]] == ["Ann Lee", "Bob Stone", "Cy Okafor"]
    assert spread([3, 3]) == {"count": 2, "min": 3, "max": 3, "range": 0, "median": 3}


def test_time_per_item_against_the_time_box(con, cat, closed):
    m = minutes(con, closed["ws"], cat, "WS-001")
    assert [(i["seconds"], i["over_time"]) for i in m["items"]] == [(754, False), (1260, True), (45, False)]
    assert m["time"] == {"total_seconds": 754 + 1260 + 45, "time_box_minutes": 15, "box_seconds": 3 * 15 * 60,
                         "over_time": 1}
    assert (duration(754), duration(1260), duration(45), duration(2059), duration(3725)) == (
        "12 min 34 s", "21 min", "45 s", "34 min 19 s", "1 h 02 min")


def test_decisions_actions_parking_lot_and_summary(con, cat, closed):
    m = minutes(con, closed["ws"], cat, "WS-001")
    assert [i["req_id"] for i in m["decisions"]] == ["5.2", "6.1.2"]     # agreed rating or a decision text
    assert m["actions"] == [{"id": closed["action"], "title": "Draft the AI risk assessment procedure",
                             "owner": "Bob Stone", "due": date(2026, 5, 29), "status": "to do",
                             "requirements": ["6.1.2"]}]                  # the manual ACT-001 is not the session's
    assert [(p["id"], p["req_id"], p["status"]) for p in m["parking_lot"]] == [("PL-001", "A.7.4", "open")]
    assert m["summary"] == {"items": 3, "covered": 2, "skipped": 1, "come_back": 0, "pending": 0, "rated": 2,
                            "changed": 2, "decisions": 2, "actions": 1, "parked": 1, "parked_open": 1,
                            "attendees": 3, "total_seconds": 2059}


def test_before_after_comparison_is_between_the_start_and_closing_baselines(con, cat, closed):
    cmp = minutes(con, closed["ws"], cat, "WS-001")["comparison"]
    assert (cmp["before"]["name"], cmp["after"]["name"]) == ("Workshop WS-001 start", "Workshop WS-001 close")
    changed = cmp["requirements"].set_index("req_id")["change"].to_dict()
    assert changed == {"5.2": "improved", "6.1.2": "newly assessed"}
    fig = cmp["figures"].set_index("metric")
    # open gaps: 5.2 (1) and A.7.4 (0) before; A.7.4 and 6.1.2 (2) after, 5.2 reached its target
    assert (fig.loc["open_gaps", "before"], fig.loc["open_gaps", "after"], fig.loc["open_gaps", "change"]) == (2, 2, 0)


def test_no_start_baseline_or_a_deleted_one_means_no_comparison_with_a_reason(con, cat, closed):
    ws = closed["ws"]
    baselines.delete(con, ws, closed["start"])
    m = minutes(con, ws, cat, "WS-001")
    assert m["comparison"] is None and "deleted" in m["comparison_note"]
    with db.transaction(con) as tx:
        tx.cur.execute("UPDATE workshop SET baseline_start = '' WHERE workspace_id = ? AND id = 'WS-001'", [ws])
    m = minutes(con, ws, cat, "WS-001")
    assert m["comparison"] is None and "No baseline was taken" in m["comparison_note"]


def test_a_running_session_counts_the_time_of_the_item_on_screen(con, cat, closed):
    ws = closed["ws"]
    with db.transaction(con) as tx:
        tx.cur.execute("UPDATE workshop SET status = 'running', closed_at = NULL WHERE workspace_id = ? AND id = 'WS-001'",
                       [ws])
        tx.cur.execute("UPDATE workshop_item SET opened_at = ? WHERE workspace_id = ? AND workshop_id = 'WS-001'"
                       " AND position = 3", [datetime(2026, 3, 16, 10, 0), ws])
    m = minutes(con, ws, cat, "WS-001", now=datetime(2026, 3, 16, 10, 2))
    assert m["items"][2]["seconds"] == 45 + 120
    assert m["comparison"]["after"]["name"] == "now"      # not closed: the start compared with now


def test_an_unknown_workshop_is_refused(con, cat, closed):
    with pytest.raises(ValidationError, match="no workshop WS-404"):
        minutes(con, closed["ws"], cat, "WS-404")
    other = workspaces.create(con, {"name": "Other client"})
    with pytest.raises(ValidationError):
        minutes(con, other, cat, "WS-001")      # another workspace's workshop is not this one's


def _pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def _ws(con, ws):
    return workspaces.get(con, ws)


def test_the_pdf_holds_attendees_agreed_ratings_actions_and_parked_questions(con, cat, closed):
    m = minutes(con, closed["ws"], cat, "WS-001")
    data = minutes_pdf.build(m, _ws(con, closed["ws"]), workspaces.brand(con, closed["ws"]))
    text, pages = _pdf_text(data)
    flat = " ".join(text.split())
    assert data.startswith(b"%PDF") and pages <= 3
    for expected in ("Workshop minutes", "Gap workshop: clauses 5 and 6", "Acme Ltd", "16 March 2026", "Dana Fox",
                     "Ann Lee, Bob Stone, Cy Okafor", "3 Defined", "2 Repeatable", "1 Initial",
                     "Draft the AI risk assessment procedure", "Bob Stone", "29 May 2026",
                     "Does the chatbot vendor retrain on our data?", "OVER by 6 min", "34 min 19 s",
                     "The board approved the AI policy in March", "3 votes, 2 to 4, median 3",
                     "2 votes, 1 to 2, median 1.5", "Workshop WS-001 start", "newly assessed"):
        assert expected in flat, expected
    assert "price-sensitive" not in flat            # the session's own planning notes stay out
    assert "Not from the session" not in flat


def test_odd_user_text_never_raises_and_is_never_cut(con, cat, ws_id):
    long_word = "Supercalifragilistic" * 9
    _workshop(con, ws_id, cat, title="=cmd|' /C calc'!A0 \u201cquoted\u201d \U0001F600 " + "very long title " * 12,
              facilitator="Zo\u00eb \u0141ukasz \u4e2d\u6587", attendees=("=1+1", "@SUM(A1)", "Ren\u00e9e\ttab",
                                                                          "x" * 200),
              question="Line one\nline two \u2014 <b>not bold</b> " + long_word,
              decision="-2 \u2192 3 & <script>alert(1)</script> " + "decision " * 80, owner="Owner \u00e9\u00e8",
              action_title=long_word)
    m = minutes(con, ws_id, cat, "WS-001")
    data = minutes_pdf.build(m, {"name": "\u2603" * 3, "organisation": "O'Brien & S\u00f6hne " * 20},
                             {"colour": "#ffff00", "logo": b"not an image"})
    text, pages = _pdf_text(data)
    flat = "".join(text.split())
    assert pages <= 5
    assert long_word in flat and "x" * 200 in flat            # long words broken across lines, never cut
    book = load_workbook(io.BytesIO(minutes_book.build(m, "=HYPERLINK(\"x\")")))
    cell = book["Summary"]["A1"]
    assert cell.data_type == "s"
    parked = book["Parking lot"]["B3"]
    assert parked.value.startswith("Line one") and parked.data_type == "s"
    assert book["Rated"]["M3"].value.startswith("-2") and book["Rated"]["M3"].quotePrefix


def test_the_workbook_has_the_sheets_and_cells(con, cat, closed):
    m = minutes(con, closed["ws"], cat, "WS-001")
    book = load_workbook(io.BytesIO(minutes_book.build(m, "Acme AI")))
    assert book.sheetnames == ["Summary", "Rated", "Actions", "Parking lot", "Time"]
    rated = book["Rated"]
    assert [c.value for c in rated[2]][:6] == ["#", "Requirement", "Title", "State", "Before", "Agreed"]
    assert [c.value for c in rated[3]][:12] == [1, "5.2", "AI policy", "done", "1 Initial", "3 Defined", "claimed",
                                                "documented", "Ann Lee: 2; Bob Stone: 3; Cy Okafor: 4", 2, 4, 3]
    assert rated["L4"].value == 1.5 and rated["F5"].value == "not rated"
    act = book["Actions"]
    assert [c.value for c in act[3]] == [closed["action"], "Draft the AI risk assessment procedure", "6.1.2",
                                         "Bob Stone", datetime(2026, 5, 29), "to do"]
    assert [c.value for c in book["Parking lot"][3]][:5] == ["PL-001", "Does the chatbot vendor retrain on our data?",
                                                             "A.7.4", "Ann Lee", "open"]
    t = book["Time"]
    assert [c.value for c in t[4]] == [2, "6.1.2", "AI risk assessment", "done", 21.0, "21 min", "over", "6 min"]
    assert [t["B6"].value, t["E6"].value, t["F6"].value] == ["Total", 34.3, "34 min 19 s"]
    summary = {r[0].value: r[1].value for r in book["Summary"].iter_rows() if r[0].value}
    assert summary["Attendees"] == "Ann Lee, Bob Stone, Cy Okafor"
    assert summary["Ratings changed"] == 2 and summary["Time spent"] == "34 min 19 s"
    assert summary["Readiness"] is not None        # the before/after headline figures


def test_minutes_read_only_plain_sql_over_the_workshop_tables():
    import inspect
    source = inspect.getsource(minutes_mod)
    assert "f\"SELECT" not in source and "format(" not in source


def _cli(tmp_path, con, *args):
    return cli.main(["--db", str(tmp_path / "test.duckdb"), "minutes", "--workspace", "Acme AI", *args])


def test_the_command_line_writes_the_minutes_as_pdf_or_workbook(tmp_path, con, cat, closed, capsys):
    con.close()
    pdf, xlsx = tmp_path / "out" / "minutes.pdf", tmp_path / "minutes.xlsx"
    assert _cli(tmp_path, None, "--workshop", "WS-001", "--out", str(pdf)) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Minutes written" in capsys.readouterr().out
    assert _cli(tmp_path, None, "--workshop", "ws-001", "--out", str(xlsx)) == 0
    assert load_workbook(xlsx).sheetnames[0] == "Summary"
    capsys.readouterr()
    bad = tmp_path / "nothing.pdf"
    assert _cli(tmp_path, None, "--workshop", "WS-404", "--out", str(bad)) == 1
    assert "no workshop WS-404" in capsys.readouterr().err and not bad.exists()
    assert _cli(tmp_path, None, "--workshop", "WS-001", "--out", str(tmp_path / "m.docx")) == 1
    assert ".pdf or .xlsx" in capsys.readouterr().err
    assert cli.main(["--db", str(tmp_path / "test.duckdb"), "minutes", "--workspace", "Nobody", "--workshop",
                     "WS-001", "--out", str(bad)]) == 1
    assert not bad.exists()


PANEL = """
import sys
sys.path.insert(0, {root!r})
from aims.catalog import standard
from aims.store import db, workspaces
from aims.ui import chrome, workshop_minutes
con = db.open_database({path!r})
ws = workspaces.get(con, {ws!r})
workshop_minutes.panel(con, ws, standard.load(), {workshop!r})
"""


def _panel(tmp_path, ws, workshop="WS-001"):
    from pathlib import Path

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    root = str(Path(__file__).resolve().parent.parent)
    return AppTest.from_string(PANEL.format(root=root, path=str(tmp_path / "test.duckdb"), ws=ws, workshop=workshop),
                               default_timeout=60).run()


def test_the_panel_offers_both_downloads_and_a_summary_of_a_closed_session(tmp_path, con, cat, closed):
    con.close()
    at = _panel(tmp_path, closed["ws"])
    assert not at.exception, at.exception
    buttons = [b.label for b in at.get("download_button")]
    assert buttons == ["Minutes (PDF)", "Minutes (Excel)"]
    assert [m.label for m in at.metric][:4] == ["Items covered", "Ratings changed", "Actions raised", "Parked questions"]
    assert [m.value for m in at.metric][:4] == ["2 of 3", "2", "1", "1"]
    rated = at.dataframe[0].value
    assert list(rated["Before"]) == ["1 Initial", "Not assessed", "0 None"]
    assert list(rated["Agreed"]) == ["3 Defined", "2 Repeatable", "not rated"]
    assert at.dataframe[1].value.iloc[0]["Owner"] == "Bob Stone"
    assert at.dataframe[2].value.iloc[0]["Question"] == "Does the chatbot vendor retrain on our data?"
    assert "Readiness" in [m.label for m in at.metric]          # the before/after headline figures


def test_the_panel_of_a_session_not_closed_says_the_minutes_come_at_close(tmp_path, con, cat, closed):
    with db.transaction(con) as tx:
        tx.cur.execute("UPDATE workshop SET status = 'paused' WHERE workspace_id = ? AND id = 'WS-001'", [closed["ws"]])
    con.close()
    at = _panel(tmp_path, closed["ws"])
    assert not at.exception and not at.get("download_button")
    assert "minutes come when the session is closed" in at.caption[0].value
    assert "no such workshop" in _panel(tmp_path, closed["ws"], "WS-009").caption[0].value


def test_the_download_builders_make_the_files_on_click(con, cat, closed):
    from aims.ui import workshop_minutes
    ws = workspaces.get(con, closed["ws"])
    assert workshop_minutes.builder(con, ws, cat, "WS-001", "pdf")().startswith(b"%PDF")
    assert workshop_minutes.builder(con, ws, cat, "WS-001", "xlsx")()[:2] == b"PK"
    w = minutes(con, closed["ws"], cat, "WS-001")["workshop"]
    assert workshop_minutes.file_name(ws, w, "pdf") == "Workshop minutes WS-001 - Acme AI - 2026-03-16.pdf"


def test_the_engagement_workbook_lists_the_parking_lot_and_reimports_unchanged(con, cat, closed):
    from openpyxl import load_workbook as load

    from aims.workbook import export, importer

    ws = closed["ws"]
    with db.transaction(con) as tx:
        tx.cur.execute("UPDATE parking_lot SET question = '=1+1 looks like a formula' WHERE workspace_id = ?"
                       " AND id = 'PL-002'", [ws])
    data = export.build(con, ws)
    sheet = load(io.BytesIO(data))["Parking Lot"]
    assert [c.value for c in sheet[1]][:6] == ["ID", "Workshop", "Requirement", "Question", "Owner", "Status"]
    assert [c.value for c in sheet[2]][:6] == ["PL-001", "WS-001", "A.7.4", "Does the chatbot vendor retrain on our data?",
                                               "Ann Lee", "open"]
    assert sheet["D3"].value == "=1+1 looks like a formula" and sheet["D3"].data_type == "s"
    plan = importer.plan(con, ws, data)
    assert not plan.has_changes and not plan.warnings        # read only: the import leaves it alone
