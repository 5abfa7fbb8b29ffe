"""``Annotated`` dependency aliases: what an endpoint needs, resolved per request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import asyncpg
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api_gateway.auth.schemas import VerifiedCustomer
from api_gateway.auth.service import Authenticator
from api_gateway.calllog.service import CallLog
from api_gateway.consumers.revocations import RevocationListener
from api_gateway.forwarding.client import Upstream
from api_gateway.forwarding.services import ServiceCaller
from api_gateway.invoices.service import InvoiceForwarder
from api_gateway.limits.ratelimit import RateLimiter
from api_gateway.settings import GatewaySettings
from api_gateway.status.service import StatusDesk
from kit.errors import TooManyRequests


@dataclass(slots=True)
class GatewayRuntime:
    """Everything a gateway process holds between requests (built by the lifespan)."""

    settings: GatewaySettings
    catalog: asyncpg.Pool
    upstream: Upstream
    authenticator: Authenticator
    limiter: RateLimiter
    invoices: InvoiceForwarder
    revocations: RevocationListener
    call_log: CallLog
    mydata_sync: ServiceCaller  # VAT registry and status
    tenant_admin: ServiceCaller  # connection-loss notices
    status: StatusDesk
    registry_limiter: RateLimiter  # slower: each look-up notifies a taxpayer


async def get_runtime(request: Request) -> GatewayRuntime:
    # async on purpose: FastAPI runs plain ``def`` dependencies in a worker thread, which cost
    # more than the whole token check on the hot path (seen in a profile).
    runtime: GatewayRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[GatewayRuntime, Depends(get_runtime)]

# Declares the bearer scheme in OpenAPI; errors are ours (exact seed 401 body), not FastAPI's.
bearer_scheme = HTTPBearer(
    auto_error=False, description="The customer's API token (portal, account)"
)


async def authenticated_customer(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> VerifiedCustomer:
    header = f"Bearer {credentials.credentials}" if credentials else None
    return await runtime.authenticator.authenticate(header)


async def rate_limited_customer(
    request: Request,
    runtime: RuntimeDep,
    customer: Annotated[VerifiedCustomer, Depends(authenticated_customer)],
) -> VerifiedCustomer:
    """The customer, once its token bucket allowed this request."""
    wait_s = runtime.limiter.acquire(customer.customer_id)
    if wait_s:
        refusal = TooManyRequests.after(wait_s)
        if customer.call_log:
            runtime.call_log.refused(request, customer, refusal)
        raise refusal
    return customer


AllowedCustomer = Annotated[VerifiedCustomer, Depends(rate_limited_customer)]


async def registry_customer(
    request: Request,
    runtime: RuntimeDep,
    customer: Annotated[VerifiedCustomer, Depends(rate_limited_customer)],
) -> VerifiedCustomer:
    """The customer, once the registry's own, slower bucket allowed this look-up too."""
    wait_s = runtime.registry_limiter.acquire(customer.customer_id)
    if wait_s:
        raise TooManyRequests.after(wait_s, el="αναζητήσεις μητρώου", en="registry look-ups")
    return customer


RegistryCustomer = Annotated[VerifiedCustomer, Depends(registry_customer)]
