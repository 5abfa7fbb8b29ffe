"""Signed tokens (PyJWT) with the algorithm pinned and ``exp``/``iss``/``aud`` required.

Three kinds share one format: customers' API tokens (audience ``einvoicing-api``), operators'
tokens (``einvoicing-admin``) and the short-lived tokens one service sends another, whose
audience names the receiving service (``einvoicing-internal:mydata-sync``, see
``internal_audience``): a token captured on its way to one service opens no other. A token for
one audience is refused by all the others.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from kit.errors import Unauthorized

API_AUDIENCE = "einvoicing-api"
INTERNAL_AUDIENCE = "einvoicing-internal"  # the prefix of every service's own audience
OPERATOR_AUDIENCE = "einvoicing-admin"

# Pinned: the verifier never takes the algorithm from the token header.
ALGORITHMS = ("HS256",)
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "jti")


def internal_audience(service: str) -> str:
    """The audience of the internal tokens ``service`` accepts (and only it)."""
    return f"{INTERNAL_AUDIENCE}:{service}"


@dataclass(frozen=True, slots=True)
class TokenCodec:
    secret: str
    issuer: str
    audience: str
    leeway_seconds: int = 5

    def issue(self, subject: str, ttl_seconds: int, **claims: Any) -> tuple[str, dict[str, Any]]:
        """Return the encoded token and its claims (``jti`` is generated unless given)."""
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "iat": now,
            "exp": now + ttl_seconds,
            "jti": claims.pop("jti", None) or uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(body, self.secret, algorithm=ALGORITHMS[0]), body

    def verify(self, token: str) -> dict[str, Any]:
        """Decode and check a token; any problem is ``Unauthorized`` with the reason logged."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.secret,
                algorithms=list(ALGORITHMS),
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_seconds,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"{type(exc).__name__}: {exc}") from None
        return claims


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, else ``Unauthorized``."""
    if not authorization:
        raise Unauthorized("missing Authorization header")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("not a bearer token")
    return token


def token_fingerprint(token: str) -> str:
    """What the catalog stores instead of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


class ServiceTokens:
    """The internal tokens one service sends to another, each reused for most of its life.

    One instance signs for the service its codec's audience names; ``to(service)`` gives the
    instance for another receiver (same secret, issuer, subject and lifetime), kept for reuse.

    Signing costs tens of microseconds and adds nothing on the hot path, so a token is signed
    once per key and renewed once less than a third of its lifetime is left: a receiver never
    sees one about to expire. A token may be bound to a tenant (claim ``tid``) and carry the VAT
    numbers that tenant may issue under (claim ``vats``); each binding is its own cache entry.
    """

    def __init__(
        self,
        codec: TokenCodec,
        subject: str,
        *,
        ttl_seconds: int = 60,
        clock: Callable[[], float] = time.time,
        max_entries: int = 50_000,
    ) -> None:
        self.codec = codec
        self.subject = subject
        self.ttl_seconds = ttl_seconds
        self._renew_after_s = ttl_seconds * 2 / 3
        self._clock = clock
        self._max_entries = max_entries
        self._tokens: dict[tuple[str | None, tuple[str, ...]], tuple[float, str]] = {}
        self._receivers: dict[str, ServiceTokens] = {}

    def to(self, service: str) -> ServiceTokens:
        """The tokens for ``service`` (audience ``internal_audience(service)``)."""
        found = self._receivers.get(service)
        if found is None:
            codec = TokenCodec(self.codec.secret, self.codec.issuer, internal_audience(service))
            found = ServiceTokens(
                codec,
                self.subject,
                ttl_seconds=self.ttl_seconds,
                clock=self._clock,
                max_entries=self._max_entries,
            )
            self._receivers[service] = found
        return found

    def get(self, tenant_id: str | None = None, vats: tuple[str, ...] = ()) -> str:
        key = (tenant_id, vats)
        now = self._clock()
        cached = self._tokens.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        claims: dict[str, Any] = {}
        if tenant_id is not None:
            claims = {"tid": tenant_id, "vats": list(vats)}
        token, _ = self.codec.issue(self.subject, self.ttl_seconds, **claims)
        if len(self._tokens) >= self._max_entries:
            self._tokens.clear()  # rare; re-signing is cheap
        self._tokens[key] = (now + self._renew_after_s, token)
        return token

    def header(self, tenant_id: str | None = None, vats: tuple[str, ...] = ()) -> str:
        return f"Bearer {self.get(tenant_id, vats)}"
