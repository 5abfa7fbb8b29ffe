"""Request dependencies as ``Annotated`` aliases (DESIGN.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.http import CUSTOMER_USERNAME_HEADER, TENANT_HEADER
from invoice_service.browse.service import Browser
from invoice_service.invoices.service import Issuance
from invoice_service.settings import InvoiceServiceSettings
from kit.auth import TokenCodec, bearer_token
from kit.errors import Unauthorized


@dataclass(frozen=True, slots=True)
class ForwardedCall:
    """A call the gateway forwarded: the tenant it resolved from the customer's verified token,
    bound into the internal token (``tid``), and the VAT numbers the tenant may issue under."""

    tenant_id: str
    username: str
    issuer_vats: tuple[str, ...]


# Every dependency here is ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in a
# worker thread, four thread hand-offs per POST that cost more than what they do (the token
# check is microseconds; seen in a py-spy profile under load, docs/performance.md).
async def get_settings(request: Request) -> InvoiceServiceSettings:
    settings: InvoiceServiceSettings = request.app.state.settings
    return settings


async def get_internal_codec(request: Request) -> TokenCodec:
    codec: TokenCodec = request.app.state.internal_codec
    return codec


async def forwarded_call(
    codec: Annotated[TokenCodec, Depends(get_internal_codec)],
    authorization: Annotated[str | None, Header()] = None,
    x_tenant_id: Annotated[str | None, Header(alias=TENANT_HEADER)] = None,
    x_customer_username: Annotated[str | None, Header(alias=CUSTOMER_USERNAME_HEADER)] = None,
) -> ForwardedCall:
    """Only the gateway may call, with an internal token bound to the tenant it names: a token
    without ``tid`` (one service calling another) opens no tenant's data."""
    claims = codec.verify(bearer_token(authorization))
    tenant_id = (x_tenant_id or "").strip()
    if not tenant_id:
        raise Unauthorized("missing X-Tenant-Id header")
    if str(claims.get("tid") or "") != tenant_id:
        raise Unauthorized("the internal token is not bound to the X-Tenant-Id tenant")
    vats = claims.get("vats")
    issuer_vats = tuple(str(v) for v in vats) if isinstance(vats, list) else ()
    return ForwardedCall(tenant_id, (x_customer_username or "")[:200], issuer_vats)


Settings = Annotated[InvoiceServiceSettings, Depends(get_settings)]
Forwarded = Annotated[ForwardedCall, Depends(forwarded_call)]


async def get_issuance(request: Request) -> Issuance:
    issuance: Issuance = request.app.state.issuance
    return issuance


IssuanceDep = Annotated[Issuance, Depends(get_issuance)]


async def get_browser(request: Request) -> Browser:
    browser: Browser = request.app.state.browser
    return browser


BrowserDep = Annotated[Browser, Depends(get_browser)]


async def tenant_engine(call: Forwarded, issuance: IssuanceDep) -> AsyncEngine:
    """The database of the tenant the internal token is bound to."""
    return await issuance.engines.get(call.tenant_id)


TenantEngine = Annotated[AsyncEngine, Depends(tenant_engine)]
