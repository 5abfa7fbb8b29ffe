"""Queue ``notifier.requests`` (``contracts.queues.NOTIFICATIONS``): ``notification.requested``.

A command is recorded once per ``notification_id`` (the unique key in the messages table is the
de-duplication key; no inbox table is needed: a second delivery finds the row and stops), then
tried at once. The delivery is acknowledged once the message is recorded: from then on the
notify database owns it (retries, the sweep), not the queue. A database that cannot be reached
sends the command to the retry tiers; a command that can never be sent goes to the DLQ.
"""

from __future__ import annotations

import logging

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.envelope import Envelope
from contracts.events import NotificationRequested
from contracts.queues import NOTIFICATIONS
from kit.db import is_database_unavailable, transaction
from kit.messaging import PermanentError, RetryableError
from notifier.messages.sending import Sender
from notifier.messages.service import InvalidCommand, MessageService

log = logging.getLogger("notifier.consumers")

# The same declaration as every producer makes (contracts.queues): RabbitMQ refuses a mismatch.
BINDINGS = NOTIFICATIONS.bindings


class RequestedConsumer:
    def __init__(self, engine: AsyncEngine, service: MessageService, sender: Sender) -> None:
        self.engine = engine
        self.service = service
        self.sender = sender

    async def __call__(self, envelope: Envelope) -> None:
        command = _command(envelope)
        message_pk = await self._record(command)
        if message_pk is None:
            log.info("duplicate command", extra={"notification_id": command.notification_id})
            return
        try:
            await self.sender.send(message_pk)
        except Exception:  # recorded: the sweep sends it if this first try could not
            log.exception("first attempt failed; left to the sweep", extra={"pk": message_pk})

    async def _record(self, command: NotificationRequested) -> int | None:
        try:
            async with transaction(self.engine) as conn:
                return await self.service.record(conn, command)
        except InvalidCommand as exc:
            raise PermanentError(f"notification {command.notification_id}: {exc}") from exc
        except Exception as exc:
            if is_database_unavailable(exc):
                raise RetryableError(f"notify database unavailable: {exc}") from exc
            raise


def _command(envelope: Envelope) -> NotificationRequested:
    if envelope.type != NotificationRequested.TYPE:
        raise PermanentError(f"unexpected message type {envelope.type!r}")
    try:
        return NotificationRequested.model_validate(envelope.payload)
    except ValidationError as exc:
        raise PermanentError(f"invalid notification.requested: {exc}") from exc
