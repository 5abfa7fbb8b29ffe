"""The transmit RPC to mydata-sync (internal HTTP with a deadline, ``contracts.http``).

The answer is the outcome event itself (an ``Envelope``, ``contracts.events.OUTCOME_TYPES``).
Anything short of one (timeout, refused connection, 5xx, nonsense) is ``None``: the invoice is
then treated as deferred and its queued ``invoice.submitted`` command, already in the tenant
outbox, makes sure mydata-sync still gets it (DESIGN.md §2 step 4).
"""

from __future__ import annotations

import logging

import aiohttp
from pydantic import ValidationError

from contracts.envelope import Envelope
from contracts.events import InvoiceSubmitted, outcome_of
from contracts.http import REQUEST_ID_HEADER, TRANSMISSIONS_PATH
from kit.auth import ServiceTokens
from kit.logs import current_request_id

log = logging.getLogger("invoice_service.transmission")


class TransmitClient:
    def __init__(
        self, http: aiohttp.ClientSession, base_url: str, tokens: ServiceTokens, timeout_s: float
    ) -> None:
        self._http = http
        self._url = base_url.rstrip("/") + TRANSMISSIONS_PATH
        self._tokens = tokens
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def transmit(self, command: InvoiceSubmitted) -> Envelope | None:
        try:
            return await self._call(command)
        except (aiohttp.ClientError, TimeoutError, ValidationError, ValueError) as exc:
            log.warning("transmit RPC failed: %s", type(exc).__name__, extra={"uid": command.uid})
            return None

    async def _call(self, command: InvoiceSubmitted) -> Envelope | None:
        headers = {"Authorization": self._tokens.header(), "Content-Type": "application/json"}
        rid = current_request_id()
        if rid:
            headers[REQUEST_ID_HEADER] = rid
        async with self._http.post(
            self._url, data=command.model_dump_json(), headers=headers, timeout=self._timeout
        ) as response:
            if response.status != 200:
                log.warning("transmit RPC answered %s", response.status)
                return None
            event = Envelope.model_validate_json(await response.read())
        outcome_of(event)  # a ValueError/ValidationError here means "no usable answer"
        return event
