"""Values the auth domain hands around."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """A token's row in the catalog, as cached by the gateway."""

    customer_id: str
    token_hash: str
    revoked: bool
    expires_at: float  # epoch seconds


@dataclass(frozen=True, slots=True)
class Caller:
    """The verified customer behind a request; the tenant comes from here and nowhere else."""

    customer_id: str
    username: str
    jti: str
