"""Accepting SMS: sender and destination checks, alphabet and parts, the stored message and its
delivery report plan. Faults that act on the whole request (latency, 5xx, 429, a held answer)
are the endpoint's; faults that act on one message (invalid number, unapproved sender) are here.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from devmail.faults import Faults, SmsFault
from devmail.sms import wire
from devmail.sms.reports import ReportSender
from devmail.state import AcceptedSms, Received, now
from notifications import sms_shape

# Infobip takes international numbers as digits, with or without "+".
_DESTINATION = re.compile(r"^\+?[1-9]\d{7,14}$")


@dataclass
class SmsProvider:
    received: Received
    faults: Faults
    reports: ReportSender
    api_key: str
    senders: frozenset[str]

    def authorised(self, authorization: str | None) -> bool:
        scheme, _, key = (authorization or "").partition(" ")
        return scheme.lower() == "app" and key.strip() == self.api_key

    def send(self, request: wire.SendRequest, fault: SmsFault) -> dict[str, Any]:
        """The answer to ``POST /sms/2/text/advanced``: one entry per destination."""
        bulk_id = request.bulk_id or uuid.uuid4().hex
        answers = [
            self._one(bulk_id, message, destination, fault)
            for message in request.messages
            for destination in message.destinations
        ]
        return {"bulkId": bulk_id, "messages": answers}

    def _one(
        self,
        bulk_id: str,
        message: wire.OutgoingMessage,
        destination: wire.Destination,
        fault: SmsFault,
    ) -> dict[str, Any]:
        message_id = destination.message_id or uuid.uuid4().hex
        status = self._refusal(message.sender, destination.to, fault)
        if status is None:
            self._accept(bulk_id, message_id, message, destination.to)
            status = "PENDING_ACCEPTED"
        return {"to": destination.to, "messageId": message_id, "status": wire.status_object(status)}

    def _refusal(self, sender: str, to: str, fault: SmsFault) -> str | None:
        if fault.mode == "unapproved_sender" or sender not in self.senders:
            return "REJECTED_SOURCE"
        if fault.mode == "invalid_number" or not _DESTINATION.match(to):
            return "REJECTED_DESTINATION"
        return None

    def _accept(
        self, bulk_id: str, message_id: str, message: wire.OutgoingMessage, to: str
    ) -> None:
        shape = sms_shape(message.text)
        sms = AcceptedSms(
            seq=self.received.next_seq(), message_id=message_id, bulk_id=bulk_id, to=to,
            sender=message.sender, text=message.text, encoding=shape.encoding,
            parts=shape.parts, callback_data=message.callback_data,
            notify_url=message.notify_url, accepted_at=now(),
        )  # fmt: skip
        self.received.add_sms(sms)
        self.reports.schedule(sms, self.faults.reports.take())

    def logs(self, message_id: str | None, limit: int) -> dict[str, Any]:
        """``GET /sms/1/logs``: the newest messages, or the one with ``message_id``."""
        if message_id is not None:
            found = self.received.sms_by_id.get(message_id)
            return {"results": [wire.log_entry(found)] if found else []}
        newest = list(self.received.sms.values())[-limit:]
        return {"results": [wire.log_entry(sms) for sms in reversed(newest)]}
