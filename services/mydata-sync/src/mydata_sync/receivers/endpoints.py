"""``GET /internal/receivers/{vat}`` (``contracts.portal.RECEIVERS_PATH``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from contracts.portal import RECEIVERS_PATH, ReceiverInfo
from mydata_sync.deps import InternalCaller, Receivers

router = APIRouter(tags=["receivers"])
Vat = Annotated[str, Path(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z]+$")]


@router.get(RECEIVERS_PATH + "/{vat}", summary="E-invoice addresses a VAT number declared")
async def receivers(vat: Vat, _: InternalCaller, directory: Receivers) -> ReceiverInfo:
    return await directory.look_up(vat)
