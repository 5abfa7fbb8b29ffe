"""Queue ``mydata-sync.transmit`` (``contracts.queues.TRANSMIT``): ``invoice.submitted`` and
``transmission.retry_requested``.

invoice-service publishes ``invoice.submitted`` (through its outbox) for invoices whose RPC did
not finish. Idempotency comes from the transmission itself (unique tenant+uid, claim with a
lease), not from the inbox: a redelivered command must be able to try again after a technical
failure, which an inbox row written with the first delivery would forbid.
"""

from __future__ import annotations

import logging

from pydantic import ValidationError

from contracts.envelope import Envelope
from contracts.events import InvoiceSubmitted, TransmissionRetryRequested
from contracts.queues import TRANSMIT
from kit.messaging import PermanentError, RetryableError
from mydata.erp import parse_erp_invoice
from mydata.errors import InvoiceInputError
from mydata_sync.transmissions.repository import ClaimMode
from mydata_sync.transmissions.service import TransmissionService, TransmitResult

log = logging.getLogger("mydata_sync.consumers")

# The same declaration as invoice-service makes (contracts.queues): RabbitMQ refuses a mismatch.
BINDINGS = TRANSMIT.bindings


class TransmitConsumer:
    def __init__(self, service: TransmissionService) -> None:
        self.service = service

    async def __call__(self, envelope: Envelope) -> None:
        result: TransmitResult | None
        if envelope.type == InvoiceSubmitted.TYPE:
            result = await self._submitted(envelope)
        elif envelope.type == TransmissionRetryRequested.TYPE:
            result = await self._retry_requested(envelope)
        else:
            raise PermanentError(f"unexpected message type {envelope.type!r}")
        _ack_unless_deferred(result)

    async def _submitted(self, envelope: Envelope) -> TransmitResult:
        try:
            command = InvoiceSubmitted.model_validate(envelope.payload)
            parse_erp_invoice(command.invoice)
        except (ValidationError, InvoiceInputError) as exc:
            raise PermanentError(f"invalid invoice.submitted: {exc}") from exc
        return await self.service.transmit(command, ClaimMode.FORCE)

    async def _retry_requested(self, envelope: Envelope) -> TransmitResult | None:
        try:
            command = TransmissionRetryRequested.model_validate(envelope.payload)
        except ValidationError as exc:
            raise PermanentError(f"invalid transmission.retry_requested: {exc}") from exc
        return await self.service.retry_invoice(command.tenant_id, command.uid)


def _ack_unless_deferred(result: TransmitResult | None) -> None:
    """Ack unless this delivery itself met a technical failure (then: kit's retry tiers).

    Nothing tried (another worker has it in flight, or it is final) is a success here: the
    other worker or the sweep owns it now.
    """
    if result is None:
        raise PermanentError("no such transmission")
    outcome = result.outcome
    if outcome is not None and outcome.state == "deferred":
        raise RetryableError(outcome.error or outcome.kind)
