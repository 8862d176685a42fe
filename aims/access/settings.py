"""The team configuration: whether sign-in is set up, who administers the app, and whether the
operator accepts serving a network address without sign-in.

It lives in Streamlit's secrets file (`.streamlit/secrets.toml`): Streamlit's own `[auth]`
section (OpenID Connect) turns sign-in on, and an `[aims]` section holds

    admins = ["alice@firm.example"]          # app administrators by email
    admin_domains = ["firm.example"]         # ... or everyone signed in with an email of these domains
    serve_network_without_sign_in = false    # true: the operator accepts an open server

The app reads it through `st.secrets` (`from_mapping`); the command line reads the same files
(`load`).
"""
from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from aims.access import identity
from aims.access.identity import Actor


@dataclass(frozen=True)
class Settings:
    sign_in: bool = False
    admins: frozenset[str] = frozenset()
    admin_domains: frozenset[str] = frozenset()
    open_network_accepted: bool = False

    def is_admin(self, email: str) -> bool:
        mail = (email or "").strip().lower()
        return bool(mail) and (mail in self.admins or mail.rpartition("@")[2] in self.admin_domains)

    def person(self, email: str, name: str = "") -> Actor:
        """The signed-in person with this email, an administrator when the rules say so."""
        return identity.person(email, name, admin=self.is_admin(email))


def _names(value: Any, strip_at: bool = False) -> frozenset[str]:
    items = [value] if isinstance(value, str) else list(value or [])
    return frozenset(str(v).strip().lower().lstrip("@" if strip_at else "") for v in items if str(v).strip())


def from_mapping(secrets: Mapping) -> Settings:
    """Settings from the secrets as Streamlit reads them (a mapping of sections)."""
    auth, own = secrets.get("auth") or {}, secrets.get("aims") or {}
    return Settings(sign_in=bool(auth), admins=_names(own.get("admins")),
                    admin_domains=_names(own.get("admin_domains"), strip_at=True),
                    open_network_accepted=own.get("serve_network_without_sign_in") is True)


def secrets_files(cwd: Path | None = None) -> list[Path]:
    """Where Streamlit looks for secrets by default: the user's, then the project's (which wins)."""
    return [Path.home() / ".streamlit" / "secrets.toml", (cwd or Path.cwd()) / ".streamlit" / "secrets.toml"]


def load(paths: Sequence[Path] | None = None) -> Settings:
    """Settings from secrets files, later files overriding earlier ones section by section.
    Raises ValueError naming a file that is not valid TOML."""
    merged: dict = {}
    for path in paths if paths is not None else secrets_files():
        if path.is_file():
            try:
                merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ValueError(f"{path} is not a valid secrets file: {exc}") from exc
    return from_mapping(merged)


def loopback(address: str | None) -> bool:
    """True when a server address only accepts connections from this machine."""
    host = (address or "").strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False    # unset or 0.0.0.0 (every interface), a host name, a network address


def serving_problem(settings: Settings, address: str | None) -> str | None:
    """Why the app must not serve this address, or None. An address others can reach needs
    sign-in, unless the operator explicitly accepted an open server."""
    if loopback(address) or settings.sign_in or settings.open_network_accepted:
        return None
    where = f"address {address!r}" if (address or "").strip() else "every network interface (no server.address set)"
    return (f"This server listens on {where}, so anyone on the network could read and change every workspace, "
            "and no sign-in is configured. Set server.address = \"localhost\" in .streamlit/config.toml, or "
            "configure sign-in (see the README, 'Serving a team'). To serve an open network anyway, set "
            "serve_network_without_sign_in = true in the [aims] section of .streamlit/secrets.toml.")
