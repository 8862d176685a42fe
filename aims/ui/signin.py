"""Who is using the app: the team configuration, the sign-in gate and the sidebar identity.

With no `[auth]` section in the secrets the app runs as the one local user (everything
allowed, as on a laptop) and says so. With it, nobody gets past the gate without signing in
through Streamlit's own OpenID Connect sign-in (`st.login`), and each run acts as the signed-in
person (aims.access.identity), whose workspace role every write checks. A server that others
can reach is refused without sign-in unless the operator accepted it (aims.access.settings).
"""
from __future__ import annotations

import streamlit as st

from aims.access import identity, members
from aims.access import settings as team
from aims.access.identity import Actor


def settings() -> team.Settings:
    """The team settings from Streamlit's secrets (none when there is no secrets file)."""
    if not st.secrets.load_if_toml_exists():
        return team.Settings()
    return team.from_mapping(st.secrets.to_dict())


def gate(s: team.Settings) -> Actor:
    """Stop the run unless it may go on, and make its actor the acting one: refuse an open
    network server without sign-in, show the sign-in screen to a visitor who is not signed in."""
    problem = team.serving_problem(s, st.get_option("server.address"))
    if problem:
        _no_pages()
        st.error(f"**AIMS Workbench is not serving this address.** {problem}", icon=":material/lock:")
        st.stop()
    if not s.sign_in:
        identity.set_default(identity.LOCAL)
        identity.use(identity.LOCAL)
        return identity.LOCAL
    identity.set_default(identity.NOBODY)       # code that forgets who acts may do nothing
    identity.use(identity.NOBODY)
    if not st.user.get("is_logged_in"):
        _no_pages()
        _sign_in_screen()
        st.stop()
    actor = s.person(str(st.user.get("email") or ""), str(st.user.get("name") or ""))
    if not actor.email:
        _no_pages()
        st.error("Your identity provider did not send an email address, which AIMS Workbench uses to know "
                 "your workspaces. Ask your administrator to add the 'email' scope.", icon=":material/error:")
        st.button("Sign out", on_click=st.logout)
        st.stop()
    identity.use(actor)
    return actor


def _no_pages() -> None:
    """No page list in the sidebar of a screen that stops the run. Without this, a freshly
    started server (still in Streamlit's legacy pages/ mode) lists the scripts of pages/ beside
    it; registering the app's pages, hidden, leaves that mode as the frame does. Called before
    the screen is drawn: sent after st.login, the navigation cancels the redirect to the provider."""
    from aims.ui.chrome import DEFAULT_PAGE, SECTIONS
    st.navigation([st.Page(script, title=title, url_path=path, default=path == DEFAULT_PAGE)
                   for items in SECTIONS.values() for script, title, _icon, path in items], position="hidden")


def _sign_in_screen() -> None:
    st.title("AIMS Workbench")
    st.markdown("ISO/IEC 42001 readiness for your team. Sign in with your organisation's account to open "
                "the workspaces you are a member of.")
    if st.button("Sign in", type="primary", icon=":material/login:"):
        st.login()


def sidebar(con, s: team.Settings, actor: Actor, workspace: dict | None) -> None:
    """Who is working and what they may do here; a warning on an open network server."""
    if s.open_network_accepted and not s.sign_in:
        st.sidebar.warning("Open server: no sign-in is configured, so anyone who can reach it can read and change "
                           "every workspace.", icon=":material/warning:")
    if not actor.signed_in:
        st.sidebar.caption("Single-user mode: no sign-in is configured, so this app is for the people at this "
                           "computer only.")
        return
    role = members.role(con, workspace["id"]) if workspace else None
    where = f"{role} of this workspace" if role else ("administrator" if actor.admin else "no workspace yet")
    extra = " · administrator" if actor.admin and role else ""
    from aims.ui.chrome import plain
    with st.sidebar.container(border=True):
        st.caption(f"Signed in as **{plain(actor.email)}** ({where}{extra})")
        if st.button("Sign out", icon=":material/logout:", key="sign_out", width="stretch"):
            st.logout()
