"""Request dependencies as ``Annotated`` aliases (DESIGN.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from invoice_service.invoices.service import Issuance
from invoice_service.settings import InvoiceServiceSettings
from kit.auth import TokenCodec, bearer_token
from kit.errors import Unauthorized

TENANT_HEADER = "X-Tenant-Id"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who forwarded the request (the gateway, by its internal token) and for which tenant."""

    tenant_id: str
    claims: dict[str, Any]
    username: str = ""


# Every dependency here is ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in a
# worker thread, four thread hand-offs per POST that cost more than what they do (the token
# check is microseconds; seen in a py-spy profile under load, docs/performance.md).
async def get_settings(request: Request) -> InvoiceServiceSettings:
    settings: InvoiceServiceSettings = request.app.state.settings
    return settings


async def get_internal_codec(request: Request) -> TokenCodec:
    codec: TokenCodec = request.app.state.internal_codec
    return codec


async def internal_caller(
    codec: Annotated[TokenCodec, Depends(get_internal_codec)],
    authorization: Annotated[str | None, Header()] = None,
    x_tenant_id: Annotated[str | None, Header()] = None,
    x_customer_username: Annotated[str | None, Header()] = None,
) -> Caller:
    """Only the gateway may call: its internal token and the tenant it resolved are required."""
    claims = codec.verify(bearer_token(authorization))
    tenant_id = (x_tenant_id or "").strip()
    if not tenant_id:
        raise Unauthorized(f"missing {TENANT_HEADER} header")
    # When the gateway binds the token to a tenant, a different header is a forged request.
    bound = claims.get("tid")
    if bound is not None and str(bound) != tenant_id:
        raise Unauthorized("X-Tenant-Id does not match the internal token")
    return Caller(tenant_id=tenant_id, claims=claims, username=x_customer_username or "")


Settings = Annotated[InvoiceServiceSettings, Depends(get_settings)]
InternalCaller = Annotated[Caller, Depends(internal_caller)]


async def get_issuance(request: Request) -> Issuance:
    issuance: Issuance = request.app.state.issuance
    return issuance


IssuanceDep = Annotated[Issuance, Depends(get_issuance)]
