"""A save's confirmation: one message box on the saving page (no toast repeating it) that a rerun
right after the save does not take away; it is not carried to another page."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from aims.ui import chrome
st.session_state[chrome.PAGE_KEY] = st.session_state.get("which_page", "register")
if st.button("Save", key="save"):
    chrome.flash("Saved 1 changed field to the register.")
    st.rerun()
chrome.show_flash()
"""


def test_the_confirmation_is_shown_once_and_survives_a_rerun():
    at = AppTest.from_string(SCRIPT).run()
    assert not at.success
    at.button(key="save").click().run()
    assert [s.value for s in at.success] == ["Saved 1 changed field to the register."]
    assert not at.toast                          # the box alone: the same words twice read as two saves
    at.run()                                     # a rerun right after the save
    assert [s.value for s in at.success] == ["Saved 1 changed field to the register."]
    assert not at.toast


def test_the_confirmation_stays_on_the_page_that_saved():
    at = AppTest.from_string(SCRIPT).run()
    at.button(key="save").click().run()
    at.session_state["which_page"] = "roadmap"
    at.run()
    assert not at.success
    at.session_state["which_page"] = "register"
    at.run()
    assert not at.success                        # dropped, not kept for later


def test_the_confirmation_goes_after_a_while():
    from aims.ui import chrome
    at = AppTest.from_string(SCRIPT).run()
    at.button(key="save").click().run()
    item = at.session_state["_flash"]
    item["at"] -= chrome.FLASH_SECONDS + 1
    at.run()
    assert not at.success
