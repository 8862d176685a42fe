"""Browser journey for the one people list: an owner typed as a new name on an AI system is
offered as risk owner and as action owner; an add form refused for a missing title keeps what
was typed, and a successful add empties it. After every action: no exception box."""
import uuid

from browser import message, no_exception, pick, type_new_option, wait_idle


def test_an_owner_typed_once_is_offered_in_every_owner_field(server, page):
    tag = uuid.uuid4().hex[:5]
    person = f"Zoe{tag} Quinn (Model Validator)"
    page.goto(server + "/ai-systems?ws=1")
    wait_idle(page)
    ws = page.url.split("ws=")[1].split("&")[0]
    page.get_by_role("tab", name="Add a system").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add AI system"))
    form.get_by_label("Name *").fill(f"Scoring assistant {tag}")
    type_new_option(page, form, "Business owner", person)
    page.get_by_role("button", name="Add AI system").click()
    wait_idle(page)
    no_exception(page, "add an AI system with a new owner")
    message(page, f"Scoring assistant {tag}")

    page.goto(f"{server}/risks?ws={ws}")
    wait_idle(page)
    page.get_by_role("tab", name="Add a risk").click()
    wait_idle(page)
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add risk"))
    pick(page, form, "Owner", person)              # offered (and chosen) though never typed here

    page.goto(f"{server}/roadmap?ws={ws}")
    wait_idle(page)
    page.get_by_role("tab", name="Actions").click()
    page.get_by_text("Add an action by hand").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add action"))
    pick(page, form, "Owner", person)              # offered (and chosen) though never typed here

    # refused (no title): what was typed stays to fix
    form.get_by_label("Notes").fill(f"Typed notes {tag}")
    page.get_by_role("button", name="Add action").click()
    wait_idle(page)
    no_exception(page, "add an action without a title")
    assert page.locator("[data-testid='stAlert']").filter(has_text="The action was not added").count()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add action"))
    assert form.get_by_label("Notes").input_value() == f"Typed notes {tag}"
    # added: the form starts empty, the user stays on the Actions tab
    form.get_by_label("Title *").fill(f"Validate the scoring model {tag}")
    page.get_by_role("button", name="Add action").click()
    wait_idle(page)
    no_exception(page, "add an action")
    message(page, f"Validate the scoring model {tag}")
    assert page.get_by_role("tab", name="Actions", selected=True).count() == 1
    if not page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add action")).count():
        page.get_by_text("Add an action by hand").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add action"))
    assert form.get_by_label("Title *").input_value() == "" and form.get_by_label("Notes").input_value() == ""
