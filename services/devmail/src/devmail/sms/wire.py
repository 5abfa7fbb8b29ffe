"""Infobip's JSON shapes as the stand-in speaks them: the send request (``/sms/2/text/advanced``),
its answer, the message logs (``/sms/1/logs``) and the delivery report pushed to ``notifyUrl``.

Statuses are objects ``{groupId, groupName, id, name, description}``; the groups are Infobip's
documented ones (1 PENDING, 2 UNDELIVERABLE, 3 DELIVERED, 4 EXPIRED, 5 REJECTED), and clients
should read only the group. The ids and names inside a group are illustrative.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from devmail.state import AcceptedSms

# name → (groupId, groupName, id, description)
STATUSES: dict[str, tuple[int, str, int, str]] = {
    "PENDING_ACCEPTED": (1, "PENDING", 26, "Message sent to next instance"),
    "PENDING_ENROUTE": (1, "PENDING", 7, "Message sent to next instance"),
    "DELIVERED_TO_HANDSET": (3, "DELIVERED", 5, "Message delivered to handset"),
    "UNDELIVERABLE_NOT_DELIVERED": (2, "UNDELIVERABLE", 9, "Message sent not delivered"),
    "REJECTED_DESTINATION": (5, "REJECTED", 51, "Invalid destination address"),
    "REJECTED_SOURCE": (5, "REJECTED", 52, "Sender id not registered for this account"),
}
# What a stored group reads as in the logs.
GROUP_STATUS = {
    "PENDING": "PENDING_ACCEPTED",
    "DELIVERED": "DELIVERED_TO_HANDSET",
    "UNDELIVERABLE": "UNDELIVERABLE_NOT_DELIVERED",
}


def status_object(name: str) -> dict[str, Any]:
    group_id, group_name, status_id, description = STATUSES[name]
    return {
        "groupId": group_id, "groupName": group_name, "id": status_id, "name": name,
        "description": description,
    }  # fmt: skip


NO_ERROR = {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR",
            "description": "No Error", "permanent": False}  # fmt: skip


class _Wire(BaseModel):
    # Infobip's camelCase names on the wire, Python's names in code.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Destination(_Wire):
    to: str = Field(min_length=1, max_length=64)
    message_id: str | None = Field(default=None, alias="messageId", max_length=200)


class OutgoingMessage(_Wire):
    sender: str = Field(alias="from", min_length=1, max_length=64)
    destinations: list[Destination] = Field(min_length=1, max_length=1000)
    text: str = Field(max_length=10_000)
    notify_url: str | None = Field(default=None, alias="notifyUrl", max_length=2000)
    callback_data: str | None = Field(default=None, alias="callbackData", max_length=4000)


class SendRequest(_Wire):
    bulk_id: str | None = Field(default=None, alias="bulkId", max_length=200)
    messages: list[OutgoingMessage] = Field(min_length=1, max_length=100)


def request_error(message_id: str, text: str) -> dict[str, Any]:
    return {"requestError": {"serviceException": {"messageId": message_id, "text": text}}}


def _iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000" if moment else None


def log_entry(sms: AcceptedSms) -> dict[str, Any]:
    return {
        "bulkId": sms.bulk_id, "messageId": sms.message_id, "to": sms.to, "from": sms.sender,
        "text": sms.text, "sentAt": _iso(sms.accepted_at), "doneAt": _iso(sms.done_at),
        "smsCount": sms.parts, "status": status_object(GROUP_STATUS[sms.status]),
        "error": NO_ERROR,
    }  # fmt: skip


def report(sms: AcceptedSms, status_name: str, part: int | None = None) -> dict[str, Any]:
    """One delivery report. ``part`` is the stand-in's own addition (``partNumber``): Infobip
    reports a message once (``smsCount`` parts); SMS providers that report per part name the part,
    and the ``per_part`` plan exercises the notifier's handling of those."""
    body = {
        "bulkId": sms.bulk_id, "messageId": sms.message_id, "to": sms.to,
        "sentAt": _iso(sms.accepted_at), "doneAt": _iso(sms.done_at), "smsCount": sms.parts,
        "callbackData": sms.callback_data, "status": status_object(status_name),
        "error": NO_ERROR,
    }  # fmt: skip
    if part is not None:
        body["partNumber"] = part
    return body
