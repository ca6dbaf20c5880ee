"""The web layer's safety rules, as pure functions shared by ``marsad serve`` and the static
report: the Content-Security-Policy, which data URLs may become links, and which ``Host``
headers the server answers (a guard against DNS rebinding of a loopback server).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote_plus, urlsplit

CSP_DIRECTIVES = (
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)
CSP = "; ".join(CSP_DIRECTIVES)
# A <meta> policy cannot carry frame-ancestors (browsers ignore it there and warn).
META_CSP = "; ".join(d for d in CSP_DIRECTIVES if not d.startswith("frame-ancestors"))
LINK_SCHEMES = frozenset({"http", "https"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_ADDRESSES = frozenset({"", "0.0.0.0", "::"})
_HOST_RE = re.compile(r"^(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::\d{1,5})?$")


def link_url(value: object) -> str | None:
    """``value`` when it is an absolute ``http(s)`` URL that every browser reads the same way,
    else ``None``: a URL from the data (article, catalogue entry, cited link) becomes a link
    only then and is shown as text otherwise (``javascript:``, ``data:``, ``//host``, a
    leading space or control character, a backslash)."""
    if not isinstance(value, str) or "\\" in value:
        return None
    if any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in value):
        return None
    scheme, _, rest = value.partition(":")
    if scheme.lower() not in LINK_SCHEMES or not rest.startswith("//"):
        return None
    try:
        parts = urlsplit(value)
        _ = parts.port  # a malformed port raises
    except ValueError:
        return None
    return value if parts.hostname else None


def without_param(query: str, name: str) -> str:
    """A raw query string without any ``name=...`` parameter; the others keep their encoding."""
    kept = [p for p in query.split("&") if p and unquote_plus(p.split("=", 1)[0]) != name]
    return "&".join(kept)


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class HostRule:
    """The ``Host`` names a server answers: ``names`` (lower case, no port, IPv6 without
    brackets), plus any IP address when it listens on every interface."""

    names: frozenset[str]
    any_address: bool = False


def host_rule(bind: str, allowed: Iterable[str] = ()) -> HostRule:
    """The names a server bound to ``bind`` answers: its own address (the loopback names when
    it is loopback; loopback names and any IP address when it listens on all interfaces) and
    the ``allowed`` names (``web.allowed_hosts``)."""
    names = {_plain(name) for name in allowed if name.strip()}
    own = _plain(bind)
    if own in WILDCARD_ADDRESSES:
        return HostRule(frozenset(names | LOOPBACK_NAMES), any_address=True)
    names.add(own)
    if is_loopback(own):
        names |= LOOPBACK_NAMES
    return HostRule(frozenset(names))


def host_allowed(header: str | None, rule: HostRule) -> bool:
    """Whether a request with this ``Host`` header (``name[:port]``, ``[v6][:port]``) names
    this server. The port is not checked: a rebinding page needs a name of its own, and an
    SSH tunnel may reach the server through another port."""
    match = _HOST_RE.match(header or "")
    if match is None:
        return False
    name = _plain(match.group("ipv6") or match.group("name"))
    if name in rule.names:
        return True
    if not rule.any_address:
        return False
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _plain(name: str) -> str:
    return name.strip().strip("[]").lower().rstrip(".")
