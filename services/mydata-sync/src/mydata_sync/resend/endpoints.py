"""Resend API for the admin app (internal token): list, resend one, resend all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from contracts.resend import RESEND_ALL_PATH, RESEND_PATH
from kit.errors import NotFound
from kit.http import RowId
from mydata_sync.deps import InternalCaller, Transmitter
from mydata_sync.resend import service as resend
from mydata_sync.resend.schemas import ResendPage, ResendReport, ResendResult

router = APIRouter(tags=["resend"])
# Ids are bigint: a larger number is refused here, not by the database.
TransmissionId = RowId


@router.get(RESEND_PATH, response_model=ResendPage)
async def list_resend(
    _: InternalCaller,
    service: Transmitter,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> ResendPage:
    """Deferred transmissions of all customers (no authentication string from myDATA yet)."""
    return await resend.list_deferred(service, limit, offset)


@router.post(RESEND_PATH + "/{transmission_id}", response_model=ResendResult)
async def resend_one(
    transmission_id: TransmissionId, _: InternalCaller, service: Transmitter
) -> ResendResult:
    """Try this one now; ``ok`` tells whether it left the list, ``message`` why not."""
    result = await resend.resend_one(service, transmission_id)
    if result is None:
        raise NotFound(f"no transmission {transmission_id}")
    return result


@router.post(RESEND_ALL_PATH, response_model=ResendReport)
async def resend_all(_: InternalCaller, service: Transmitter) -> ResendReport:
    """Try every deferred one; a failure does not stop the rest. One result per transmission."""
    return await resend.resend_all(service)
