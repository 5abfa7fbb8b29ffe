"""Values the auth domain hands around."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """A token's row in the catalog with its customer's issuer VATs, as cached by the gateway."""

    customer_id: str
    token_hash: str
    revoked: bool
    expires_at: float  # epoch seconds
    issuer_vats: tuple[str, ...] = ()  # the customer's own VAT first, then authorised ones
    call_log: bool = False  # an operator switched the customer's API call log on (ADMIN-9)


@dataclass(frozen=True, slots=True)
class VerifiedCustomer:
    """The customer behind a request, from its verified token: the tenant comes from here and
    nowhere else, and so do the VAT numbers it may issue under."""

    customer_id: str
    username: str
    jti: str
    issuer_vats: tuple[str, ...]
    call_log: bool = False  # record this customer's calls (calllog), as of the cached status
