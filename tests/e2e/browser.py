"""Helpers for the browser tests."""


def wait_idle(page, delay_ms: int = 250) -> None:
    """Wait the way Streamlit's own e2e suite does: debounce, connected, script not running."""
    page.wait_for_timeout(delay_ms)
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_timeout(150)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
