"""Two people, two browsers, one requirement: different fields are both kept; the same field is
shown to the second as a choice, whose answer is saved and shown."""
import pytest
from browser import message, no_exception, wait_idle


@pytest.fixture
def two_pages(browser):
    contexts = [browser.new_context(viewport={"width": 1440, "height": 900}) for _ in range(2)]
    pages = [c.new_page() for c in contexts]
    for p in pages:
        p.set_default_timeout(30000)
    yield pages
    for c in contexts:
        c.close()


def notes(page):
    return page.get_by_label("Notes", exact=True)


def save(page, action: str):
    page.get_by_role("button", name="Save", exact=True).click()
    wait_idle(page)
    no_exception(page, action)


def test_two_browsers_edit_one_requirement(fresh_server, two_pages):
    a, b = two_pages
    a.goto(fresh_server + "/gap-analysis?req=9.3.1")
    wait_idle(a)
    ws = a.url.split("ws=")[1].split("&")[0]
    b.goto(f"{fresh_server}/gap-analysis?ws={ws}&req=9.3.1")
    wait_idle(b)

    # different fields: A writes a note, B (form opened before) rates the requirement
    notes(a).fill("Review agenda agreed")
    save(a, "A saves a note")
    message(a, "Saved")
    b.get_by_text("2 Repeatable", exact=True).click()
    save(b, "B saves a rating")
    message(b, "Saved")
    a.reload()
    wait_idle(a)
    assert notes(a).input_value() == "Review agenda agreed"          # B's save did not put the note back
    assert a.get_by_role("radio", name="2 Repeatable").is_checked()

    # the same field: both write a note from forms opened on the same values
    b.reload()
    wait_idle(b)
    notes(a).fill("A's minutes")
    save(a, "A saves a second note")
    notes(b).fill("B's minutes")
    save(b, "B saves over it")
    message(b, "since you opened this")
    assert b.get_by_text("Theirs: A's minutes", exact=False).count() == 1
    assert notes(b).input_value() == "B's minutes"                   # nothing B typed is lost
    b.get_by_text("Yours: B's minutes", exact=False).click()
    b.get_by_role("button", name="Save with these choices").click()
    wait_idle(b)
    no_exception(b, "B keeps its own note")
    message(b, "Saved")
    assert b.get_by_text("since you opened this").count() == 0
    assert notes(b).input_value() == "B's minutes"
    a.reload()
    wait_idle(a)
    assert notes(a).input_value() == "B's minutes"
    assert a.get_by_role("radio", name="2 Repeatable").is_checked()
