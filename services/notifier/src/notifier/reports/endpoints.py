"""The SMS provider's delivery-report callback (``settings.CALLBACK_PATH``), authenticated with
the HTTP Basic credentials configured at the SMS provider (EINV_SMS_CALLBACK_USERNAME/_PASSWORD)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Header, Request

from kit.db import transaction
from kit.errors import InvalidRequest, Unauthorized
from kit.http import read_capped_body
from notifier.deps import Reports, Runtime
from notifier.settings import CALLBACK_PATH

router = APIRouter(tags=["delivery reports"])


@router.post(CALLBACK_PATH, summary="SMS delivery reports (the SMS provider calls this)")
async def delivery_reports(
    request: Request,
    runtime: Runtime,
    reports: Reports,
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, dict[str, int]]:
    """Stores every report and applies each once; answers 200 once stored, so the SMS provider
    stops retrying (a retried report is a duplicate and changes nothing)."""
    if not reports.authorised(authorization):
        raise Unauthorized("delivery report with wrong credentials")
    body = await read_capped_body(request, runtime.settings.callback_max_bytes)
    try:
        parsed = reports.parse(body)
    except ValueError as exc:
        raise InvalidRequest([f"body: {exc}"], "Not a delivery report") from exc
    results: Counter[str] = Counter()
    async with transaction(runtime.engine) as conn:
        for report in parsed:
            results[await reports.apply(conn, report)] += 1
    return {"results": dict(results)}
