"""Who is acting. The UI sets it at the start of every run (`acting`), the command line once.

Contract: `current()` is the actor of this thread's context if one was set, else the process
default (`set_default`), which is the local user until a team installation sets `NOBODY` so
that code which forgets to say who acts can do nothing."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

from aims.store import db


@dataclass(frozen=True)
class Actor:
    """`email` identifies a signed-in person (lower case); `local` is the one user of an
    installation without sign-in, who may do everything; `admin` may create workspaces and
    manage the members of any workspace."""
    email: str = ""
    name: str = ""
    local: bool = False
    admin: bool = False

    @property
    def label(self) -> str:
        """What the change log records: the email of a signed-in person, else the local name."""
        return self.email or db.current_user()

    @property
    def signed_in(self) -> bool:
        return bool(self.email) and not self.local


LOCAL = Actor(local=True, admin=True)
NOBODY = Actor()

_default: Actor = LOCAL
_current: ContextVar[Actor | None] = ContextVar("aims_actor", default=None)


def person(email: str, name: str = "", admin: bool = False) -> Actor:
    """A signed-in person (the email is trimmed and lower-cased)."""
    return Actor(email=(email or "").strip().lower(), name=(name or "").strip(), admin=admin)


def current() -> Actor:
    return _current.get() or _default


def set_default(actor: Actor) -> None:
    """The actor of code that runs outside `acting` (LOCAL unless a team installation says NOBODY)."""
    global _default
    _default = actor


def use(actor: Actor) -> None:
    """Make `actor` the acting one for the rest of this thread's context (the UI calls this at
    the start of every script run, which Streamlit runs in the session's own thread)."""
    _current.set(actor)
    db.acting_as.set(actor.email if actor.signed_in else None)


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    """Run a block as `actor` (tests, the command line)."""
    token, who = _current.set(actor), db.acting_as.set(actor.email if actor.signed_in else None)
    try:
        yield actor
    finally:
        _current.reset(token)
        db.acting_as.reset(who)
