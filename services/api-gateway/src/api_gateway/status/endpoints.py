"""The public status route (no call spent; the token is optional)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials

from api_gateway.auth.schemas import VerifiedCustomer
from api_gateway.deps import RuntimeDep, bearer_scheme
from api_gateway.responses import RATE_LIMITED, UNAUTHORIZED
from contracts.status import PlatformStatus
from kit.errors import TooManyRequests, language_named, request_language

router = APIRouter(tags=["status"])
Lang = Annotated[str | None, Query(max_length=10, description="en for an English message")]


@router.get(
    "/status",
    summary="The platform's and myDATA's state",
    description=(
        "What an ERP shows its users during an outage: whether the platform accepts invoices,"
        " and myDATA as the platform sees it (the circuit in front of it, the last answer and"
        " the last failure, how many invoices wait to be transmitted). ``degraded`` means"
        " invoices are still issued, with temporary authentication strings, and transmitted"
        " automatically later. No call is spent; the bearer token is optional and, when given,"
        " adds the customer's own backlog (``mydata.customer_backlog``)."
    ),
    response_model=PlatformStatus,
    responses={401: UNAUTHORIZED, 429: RATE_LIMITED},
)
async def status(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    lang: Lang = None,
) -> PlatformStatus:
    customer = await _optional_customer(runtime, credentials)
    _limit(runtime, request, customer)
    language = language_named(lang) or request_language(request)
    return await runtime.status.status(customer, language)


async def _optional_customer(
    runtime: RuntimeDep, credentials: HTTPAuthorizationCredentials | None
) -> VerifiedCustomer | None:
    if credentials is None:
        return None
    return await runtime.authenticator.authenticate(f"Bearer {credentials.credentials}")


def _limit(runtime: RuntimeDep, request: Request, customer: VerifiedCustomer | None) -> None:
    client = request.client.host if request.client else "?"
    key = f"status:{customer.customer_id if customer else client}"
    wait_s = runtime.limiter.acquire(key)
    if wait_s:
        raise TooManyRequests.after(wait_s)
