"""The transmit RPC to mydata-sync (internal HTTP with a deadline).

Anything short of a clear answer (timeout, refused connection, 5xx, nonsense) is ``None``: the
invoice is then treated as deferred and its queued ``invoice.submitted`` command, already in the
tenant outbox, makes sure mydata-sync still gets it (DESIGN.md §2 step 4).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson

from contracts.events import InvoiceSubmitted
from kit.auth import ServiceToken
from kit.logs import REQUEST_ID_HEADER, current_request_id

log = logging.getLogger("invoice_service.transmission")


@dataclass(frozen=True, slots=True)
class TransmitOutcome:
    state: str  # transmitted | deferred | rejected
    mark: str | None = None
    authentication_code: str | None = None
    qr_url: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    request_xml: str | None = None
    response_xml: str | None = None
    attempts: int = 0


class TransmitClient:
    def __init__(
        self, http: aiohttp.ClientSession, base_url: str, token: ServiceToken, timeout_s: float
    ) -> None:
        self._http = http
        self._url = base_url.rstrip("/") + "/internal/transmissions"
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def transmit(self, command: InvoiceSubmitted) -> TransmitOutcome | None:
        try:
            return await self._call(command)
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError) as exc:
            log.warning("transmit RPC failed: %s", type(exc).__name__, extra={"uid": command.uid})
            return None

    async def _call(self, command: InvoiceSubmitted) -> TransmitOutcome | None:
        headers = {"Authorization": self._token.header(), "Content-Type": "application/json"}
        rid = current_request_id()
        if rid:
            headers[REQUEST_ID_HEADER] = rid
        async with self._http.post(
            self._url, data=command.model_dump_json(), headers=headers, timeout=self._timeout
        ) as response:
            if response.status != 200:
                log.warning("transmit RPC answered %s", response.status)
                return None
            return _outcome(orjson.loads(await response.read()))


def _outcome(body: dict[str, Any]) -> TransmitOutcome | None:
    state = body["state"]
    if state not in ("transmitted", "deferred", "rejected"):
        return None
    return TransmitOutcome(
        state=state,
        mark=body.get("mark"),
        authentication_code=body.get("authentication_code"),
        qr_url=body.get("qr_url"),
        errors=list(body.get("errors") or []),
        request_xml=body.get("request_xml"),
        response_xml=body.get("response_xml"),
        attempts=int(body.get("attempts") or 0),
    )
