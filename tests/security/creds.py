"""The credentials every security test uses, minted as each kind of caller gets them."""

from __future__ import annotations

from dataclasses import dataclass

from harness.platform import Customer, Platform
from kit.auth import OPERATOR_AUDIENCE, TokenCodec, internal_audience
from mydata_sync.settings import MydataSyncSettings

SUBJECT = "security-tests"
# Every service with an HTTP API of its own (the stand-ins aside).
SERVICES = (
    "api-gateway",
    "invoice-service",
    "mydata-sync",
    "notifier",
    "webhooks",
    "tenant-admin",
    "portal-web",
)


def _common() -> MydataSyncSettings:
    return MydataSyncSettings(environment="test")


def internal_codec(to: str) -> TokenCodec:
    """Signs internal tokens addressed to service ``to`` (only it accepts them)."""
    common = _common()
    return TokenCodec(common.internal_token_secret, common.token_issuer, internal_audience(to))


def operator_codec() -> TokenCodec:
    common = _common()
    return TokenCodec(common.operator_token_secret, common.token_issuer, OPERATOR_AUDIENCE)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def internal_unbound(to: str, subject: str = "tenant-admin") -> dict[str, str]:
    """One service calling another about no tenant (what tenant-admin sends)."""
    return bearer(internal_codec(to).issue(subject, 300)[0])


def internal_for(customer: Customer, to: str, subject: str = SUBJECT) -> dict[str, str]:
    """A token bound to ``customer`` with its X-Tenant-Id, as the gateway and portal send."""
    token = internal_codec(to).issue(subject, 300, tid=customer.tenant_id, vats=[])[0]
    return bearer(token) | {"X-Tenant-Id": customer.tenant_id}


def operator_token() -> dict[str, str]:
    return bearer(operator_codec().issue(SUBJECT, 300, role="operator")[0])


@dataclass(frozen=True, slots=True)
class Cast:
    """Everyone the access table tries: two customers and the other callers."""

    a: Customer
    b: Customer


async def cast(platform: Platform) -> Cast:
    return Cast(await platform.create_customer(calls=100_000), await platform.create_customer())
