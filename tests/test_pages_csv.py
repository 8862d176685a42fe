"""The AI system CSV import on its page, through the entry point: a file of blank lines or with
the wrong single column gets a message naming what is expected (never a traceback), a file with
one column of names imports, and a long list of problems shows the first hundred."""
import pytest

CSV = "text/csv"


def go(at, page):
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at, data: bytes):
    go(at, "pages/ai-systems.py")
    next(u for u in at.get("file_uploader") if u.key.startswith("inv_csv_file_")).set_value(("systems.csv", data, CSV))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("data, message", [
    (b"\n\n\r\n\n", "The CSV holds only blank lines. The first line must name the columns (for example: name,"),
    (b"System\nFraud model\n", "The CSV needs a 'name' column (the system's name); its first line names 'System'"),
])
def test_a_csv_of_blank_lines_or_a_wrong_single_column_gets_a_clear_message(app, data, message):
    upload(app, data)
    text = " ".join(e.value for e in app.error)
    assert "This CSV cannot be imported" in text and message in text
    assert not [b for b in app.button if b.key == "inv_csv_go"]


def test_a_csv_with_one_column_of_names_is_previewed(app):
    upload(app, b"name\nLoan letter reader\nCall summariser\n")
    assert not app.error
    assert any("2 valid rows" in s.value for s in app.success)
    assert [b.label for b in app.button if b.key == "inv_csv_go"] == ["Import 2 systems"]


def test_a_csv_with_two_thousand_problems_lists_the_first_hundred(app):
    rows = "".join(f"System {i},flying\n" for i in range(2000))
    upload(app, ("name,lifecycle_stage\n" + rows).encode())
    text = " ".join(e.value for e in app.error)
    assert "Row 101: Life-cycle stage" in text and "Row 102:" not in text
    assert "... and 1,900 more problems" in text
