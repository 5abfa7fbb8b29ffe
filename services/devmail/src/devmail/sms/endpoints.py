"""Infobip's SMS API as the stand-in serves it: ``POST /sms/2/text/advanced`` (send) and
``GET /sms/1/logs`` (status by message id), with ``Authorization: App <key>``."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from devmail.deps import Settings, Sms
from devmail.faults import SmsFault
from devmail.sms import wire

router = APIRouter(tags=["SMS provider (Infobip dialect)"])
Authorization = Annotated[str | None, Header()]


def _unauthorised() -> JSONResponse:
    body = wire.request_error("UNAUTHORIZED", "Invalid login details")
    return JSONResponse(body, status_code=401)


@router.post("/sms/2/text/advanced", summary="Send SMS (Infobip's advanced text message)")
async def send_sms(
    body: wire.SendRequest,
    request: Request,
    sms: Sms,
    settings: Settings,
    authorization: Authorization = None,
) -> Any:
    if not sms.authorised(authorization):
        return _unauthorised()
    fault = sms.faults.sms.take()
    if fault.mode == "latency":
        await asyncio.sleep(fault.latency_ms / 1000)
    refused = _refused(fault)
    if refused is not None:
        return refused
    answer = sms.send(body, fault)
    if fault.mode == "accept_then_timeout":
        return await _hold(request, settings.hang_max_s)
    return answer


def _refused(fault: SmsFault) -> JSONResponse | None:
    if fault.mode == "server_error":
        body = wire.request_error("GENERAL_ERROR", "Something went wrong")
        return JSONResponse(body, status_code=fault.status)
    if fault.mode == "rate_limited":
        body = wire.request_error("TOO_MANY_REQUESTS", "Too many requests")
        return JSONResponse(body, status_code=429, headers={"Retry-After": "1"})
    return None


async def _hold(request: Request, limit_s: float) -> JSONResponse:
    """Accepted, but the answer never comes: wait until the client gives up; past the limit a
    front end's 504 ends it (the client still cannot know the message was taken)."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(limit_s):
            # The body is read: the next message the server hands over is the disconnect.
            while (await request.receive())["type"] != "http.disconnect":
                pass
    body = wire.request_error("GATEWAY_TIMEOUT", "No answer from the messaging platform")
    return JSONResponse(body, status_code=504)


@router.get("/sms/1/logs", summary="Message logs (status by message id)")
async def logs(
    sms: Sms,
    message_id: Annotated[str | None, Query(alias="messageId", max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    authorization: Authorization = None,
) -> Any:
    if not sms.authorised(authorization):
        return _unauthorised()
    return sms.logs(message_id, limit)
