"""The client report's branding: a '#RRGGBB' colour and a PNG or JPEG logo of at most 1 MB,
recognised by its first bytes, set by owners and editors only, logged; the report draws them."""
import io

import pypdf
import pytest
from helpers import rows

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.common.validate import ValidationError
from aims.reports import client_report, report_data
from aims.reports.pdf_layout import readable
from aims.store import workspaces

# the smallest valid PNG: one white pixel
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
                    "53de0000000c4944415408d763f8ffff3f0005fe02fea7d6a5ac0000000049454e44ae426082")


def test_no_brand_reads_as_the_default(con, ws_id):
    assert workspaces.brand(con, ws_id) == {"colour": "", "logo": None, "logo_type": ""}


def test_a_colour_and_a_logo_are_stored_and_logged(con, ws_id):
    assert workspaces.set_brand(con, ws_id, "#0A7A3B", PNG, "image/png") == 2
    assert workspaces.brand(con, ws_id) == {"colour": "#0A7A3B", "logo": PNG, "logo_type": "png"}
    logged = rows(con, "SELECT field, new_value FROM change_log WHERE entity = 'workspace_brand' ORDER BY id")
    assert logged[0] == ("colour", "#0A7A3B") and logged[1][0] == "logo" and logged[1][1].startswith("png, 0.1 KB")
    assert workspaces.set_brand(con, ws_id, "#0A7A3B") == 0               # no logo given: the logo stays
    assert workspaces.brand(con, ws_id)["logo"] == PNG
    assert workspaces.set_brand(con, ws_id, "", clear_logo=True) == 2
    assert workspaces.brand(con, ws_id) == {"colour": "", "logo": None, "logo_type": ""}


def test_every_problem_is_named_and_nothing_written(con, ws_id):
    with pytest.raises(ValidationError) as exc:
        workspaces.set_brand(con, ws_id, "green", b"GIF89a" + b"x" * 100, "image/gif")
    assert exc.value.problems == ["Colour must look like #1F4E79 (a '#' and six hexadecimal digits), not 'green'.",
                                  "The logo must be a PNG or JPEG image."]
    with pytest.raises(ValidationError, match="the limit is 1 MB"):
        workspaces.set_brand(con, ws_id, "#123456", PNG + b"\0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="is a PNG image, not 'image/jpeg'"):
        workspaces.set_brand(con, ws_id, "#123456", PNG, "image/jpeg")
    assert rows(con, "SELECT count(*) FROM workspace_brand") == [(0,)]


def test_a_viewer_is_refused_and_an_editor_may(con, ws_id):
    viewer, editor = "vera@firm.example", "ed@firm.example"
    members.add(con, ws_id, viewer, "viewer")
    members.add(con, ws_id, editor, "editor")
    with identity.acting(identity.person(viewer)):
        with pytest.raises(AccessDenied):
            workspaces.set_brand(con, ws_id, "#123456", PNG, "image/png")
    assert rows(con, "SELECT count(*) FROM workspace_brand") == [(0,)]
    with identity.acting(identity.person(editor)):
        assert workspaces.set_brand(con, ws_id, "#123456") == 1
    assert rows(con, "SELECT DISTINCT changed_by FROM change_log WHERE entity = 'workspace_brand'") == [(editor,)]


def test_the_report_carries_the_logo_and_a_readable_colour(con, cat, ws_id):
    workspaces.set_brand(con, ws_id, "#FFF4A0", PNG, "image/png")         # a pale yellow: darkened to read
    assert readable("#FFF4A0") != (255, 244, 160)
    r, g, b = readable("#FFF4A0")
    assert 0.2126 * r + 0.7152 * g + 0.0722 * b < 140                      # dark enough for white text on it
    pdf = client_report.build(report_data.gather(con, ws_id, cat))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert any(page.images for page in reader.pages[:3])                   # the logo on the cover and in headers
    broken = PNG[:20] + b"\0" * 40                                         # right magic bytes, unreadable image
    workspaces.set_brand(con, ws_id, "", broken, "image/png")
    assert client_report.build(report_data.gather(con, ws_id, cat)).startswith(b"%PDF")   # skipped, not raised


def test_a_duplicate_keeps_the_brand_and_a_deletion_removes_it(con, ws_id):
    workspaces.set_brand(con, ws_id, "#123456", PNG, "image/png")
    copy = workspaces.duplicate(con, ws_id, "Acme copy")
    assert workspaces.brand(con, copy)["logo"] == PNG
    workspaces.delete(con, ws_id, "Acme AI")
    assert rows(con, "SELECT workspace_id FROM workspace_brand") == [(copy,)]
