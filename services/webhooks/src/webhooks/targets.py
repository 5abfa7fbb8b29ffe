"""Where a webhook may be sent: the URL rules checked at registration, and the address check made
at delivery time (SSRF: a customer's URL must never make us call our own network).

Registration refuses what is wrong whatever it resolves to (a scheme other than https — http
only where the environment allows it —, user:password@, no host, an IP literal in a private
range where those are refused). Delivery resolves the host itself (``GuardedResolver``) and
connects only to public addresses, so a name that resolves to 127.0.0.1 or 169.254.169.254 —
at registration or only later (DNS rebinding) — is refused on every attempt.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from contracts.webhooks import MAX_URL_LENGTH, EndpointProblem

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(OSError):
    """The endpoint's host is, or resolves only to, addresses deliveries must not reach."""


@dataclass(frozen=True, slots=True)
class UrlRules:
    allow_http: bool
    allow_private: bool

    def problems(self, url: str) -> list[EndpointProblem]:
        """Why ``url`` cannot be registered (empty: it can)."""
        if len(url) > MAX_URL_LENGTH:
            return ["url_too_long"]
        try:
            parts = urlsplit(url.strip())
            host = parts.hostname
            _ = parts.port  # a port that is not a number raises here
        except ValueError:
            return ["url_invalid"]
        if parts.scheme not in ("https", "http") or not host:
            return ["url_scheme"] if parts.scheme not in ("https", "http") else ["url_invalid"]
        return self._problems_of(parts, host)

    def _problems_of(self, parts: SplitResult, host: str) -> list[EndpointProblem]:
        found: list[EndpointProblem] = []
        if parts.scheme == "http" and not self.allow_http:
            found.append("url_scheme")
        if parts.username is not None or parts.password is not None:
            found.append("url_userinfo")
        literal = ip_literal(host)
        if not self.allow_private and (
            (literal is not None and not is_public(literal)) or host.lower() == "localhost"
        ):
            found.append("url_private")
        return found


def ip_literal(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_public(address: IpAddress) -> bool:
    """A globally routable unicast address (an IPv4-mapped IPv6 address is judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_literal(url: str, allow_private: bool) -> None:
    """Refuse a URL whose host is a non-public IP literal (the resolver is not asked for
    those, so this is the delivery-time check for them)."""
    literal = ip_literal(urlsplit(url).hostname or "")
    if literal is not None and not allow_private and not is_public(literal):
        raise TargetRefused(f"{literal} is not a public address")


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver, keeping only public addresses; none left → ``TargetRefused``."""

    def __init__(self) -> None:
        self._inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        public = [r for r in found if (ip := ip_literal(r["host"])) and is_public(ip)]
        if not public:
            raise TargetRefused(f"{host} resolves only to addresses that are not public")
        return public

    async def close(self) -> None:
        await self._inner.close()
