"""Signed tokens (PyJWT) with the algorithm pinned and ``exp``/``iss``/``aud`` required.

Three audiences share one format: customers' API tokens (``einvoicing-api``), the short-lived
internal token the gateway forwards (``einvoicing-internal``) and operators' tokens
(``einvoicing-admin``). A token for one audience is refused by the others.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from kit.errors import Unauthorized

API_AUDIENCE = "einvoicing-api"
INTERNAL_AUDIENCE = "einvoicing-internal"
OPERATOR_AUDIENCE = "einvoicing-admin"

# Pinned: the verifier never takes the algorithm from the token header.
ALGORITHMS = ("HS256",)
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "jti")


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
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


class ServiceToken:
    """An internal token reused for most of its life instead of signed per request.

    Signing costs ~20 µs and adds nothing on the hot path; the token is renewed once less than
    a fifth of its lifetime is left, so a receiver never sees an expired one.
    """

    def __init__(self, codec: TokenCodec, subject: str, ttl_seconds: int = 300) -> None:
        self.codec = codec
        self.subject = subject
        self.ttl_seconds = ttl_seconds
        self._token = ""
        self._renew_at = 0.0

    def get(self) -> str:
        now = time.time()
        if now >= self._renew_at:
            self._token, claims = self.codec.issue(self.subject, self.ttl_seconds)
            self._renew_at = claims["exp"] - self.ttl_seconds / 5
        return self._token

    def header(self) -> str:
        return f"Bearer {self.get()}"
