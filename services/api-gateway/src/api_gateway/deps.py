"""``Annotated`` dependency aliases: what an endpoint needs, resolved per request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import asyncpg
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api_gateway.auth.schemas import Caller
from api_gateway.auth.service import Authenticator
from api_gateway.consumers.revocations import RevocationListener
from api_gateway.forwarding.client import Upstream
from api_gateway.invoices.service import InvoiceForwarder
from api_gateway.limits.ratelimit import RateLimiter
from api_gateway.settings import GatewaySettings
from kit.errors import TooManyRequests


@dataclass(slots=True)
class Runtime:
    """Everything a gateway process holds between requests (built by the lifespan)."""

    settings: GatewaySettings
    catalog: asyncpg.Pool
    upstream: Upstream
    authenticator: Authenticator
    limiter: RateLimiter
    invoices: InvoiceForwarder
    revocations: RevocationListener


async def get_runtime(request: Request) -> Runtime:
    # async on purpose: FastAPI runs plain ``def`` dependencies in a worker thread, which cost
    # more than the whole token check on the hot path (seen in a profile).
    runtime: Runtime = request.app.state.runtime
    return runtime


GatewayRuntime = Annotated[Runtime, Depends(get_runtime)]

# Declares the bearer scheme in OpenAPI; errors are ours (exact seed 401 body), not FastAPI's.
_bearer = HTTPBearer(auto_error=False, description="The customer's API token (portal, account)")


async def authenticated_caller(
    runtime: GatewayRuntime,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    header = f"Bearer {credentials.credentials}" if credentials else None
    return await runtime.authenticator.authenticate(header)


async def rate_limited_caller(
    runtime: GatewayRuntime, caller: Annotated[Caller, Depends(authenticated_caller)]
) -> Caller:
    """The caller, once its customer's token bucket allowed this request."""
    wait_s = runtime.limiter.acquire(caller.customer_id)
    if wait_s:
        raise TooManyRequests(
            f"Too many requests; retry after {wait_s} s", headers={"Retry-After": str(wait_s)}
        )
    return caller


AllowedCaller = Annotated[Caller, Depends(rate_limited_caller)]
