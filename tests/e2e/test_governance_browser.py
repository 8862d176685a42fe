"""Browser journey: name a person on the Governance page, add a document to the register, and
get the evidence request text for an owner. Creates its own records (the demo is shared)."""
import re
import uuid

from browser import message, wait_idle


def metric_value(page, label: str) -> str:
    card = page.locator("[data-testid='stMetric']", has_text=label).first
    return card.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_people_documents_and_evidence_requests_in_the_browser(server, page):
    tag = uuid.uuid4().hex[:6]
    page.goto(server + "/governance")
    wait_idle(page)
    assert "Governance" in page.locator("h1").first.inner_text()
    ws = page.url.split("ws=")[1].split("&")[0]
    assert metric_value(page, "AI policy").startswith("v1.")

    page.get_by_role("tab", name="Roles and RACI").click()
    page.get_by_text("Add a person", exact=True).click()
    page.get_by_label("Name *", exact=True).fill(f"Browser Tester {tag}")
    page.get_by_label("Job title", exact=True).fill("QA Analyst")
    page.get_by_role("button", name="Add person").click()
    wait_idle(page)
    message(page, f"Added Browser Tester {tag}.")

    page.goto(f"{server}/documents?ws={ws}")
    wait_idle(page)
    stage1 = metric_value(page, "Stage 1 readiness")
    page.get_by_text("Add a document the organisation needs (7.5.1)").click()
    page.get_by_label("Document name *").fill(f"Browser checklist {tag}")
    page.get_by_role("button", name="Add document").click()
    wait_idle(page)
    message(page, re.compile(rf"Added Browser checklist {tag} to the register as D-\d+"))
    assert metric_value(page, "Stage 1 readiness") == stage1  # added documents do not change Stage 1

    page.get_by_role("tab", name="Evidence requests").click()
    wait_idle(page)
    page.get_by_label("Requests for").click()
    page.get_by_role("option", name="Priya Shah (CRO)").click()
    wait_idle(page)
    code = page.locator("[data-testid='stCode']").first
    code.scroll_into_view_if_needed()
    assert "Dear Priya Shah," in code.inner_text()
