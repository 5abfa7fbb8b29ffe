"""Infobip's SMS HTTP API (docs/adr/0008-notifier.md): ``POST /sms/2/text/advanced`` with our
own ``messageId`` per destination and ``callbackData``, ``GET /sms/1/logs?messageId=`` to look a
message up, delivery reports POSTed to ``notifyUrl`` with HTTP Basic credentials (the BASIC
security setting of Infobip's webhooks). ``Authorization: App <key>`` on every call.

Only status *groups* are read (1 PENDING, 2 UNDELIVERABLE, 3 DELIVERED, 4 EXPIRED, 5 REJECTED):
the ids and names inside a group vary and are kept only as detail.

Classifying an answer:
- 200 with PENDING → accepted; DELIVERED → accepted and delivered; REJECTED, UNDELIVERABLE,
  EXPIRED → failed (a wrong number, an unapproved sender);
- 429, 503, 401/403 (our credentials: no SMS went out) and no connection → retry;
- other 4xx → failed (the request itself is wrong, repeating it cannot help);
- 500/502/504, a timeout or a connection lost after the request left, an unreadable 200 →
  unknown: the SMS provider may have taken it; the status look-up decides.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
from typing import Any

import httpx

from notifier.channels.outcome import HandOver, SendOutcome, describe
from notifier.channels.sms import (
    DeliveryReport,
    OutgoingSms,
    ProviderState,
    ProviderStatus,
    SmsProviderUnavailable,
)
from notifier.settings import NotifierSettings

log = logging.getLogger("notifier.infobip")

SEND_PATH = "/sms/2/text/advanced"
LOGS_PATH = "/sms/1/logs"
_GROUP_STATES: dict[str, ProviderState] = {
    "PENDING": "pending",
    "DELIVERED": "delivered",
    "UNDELIVERABLE": "failed",
    "EXPIRED": "failed",
    "REJECTED": "failed",
}
_RETRY_STATUSES = frozenset({401, 403, 429, 503})


def basic_authorization(username: str, password: str) -> str:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {token}"


def _status_of(entry: dict[str, Any]) -> tuple[str, ProviderState]:
    """The status group of one message entry and what it means; ``ValueError`` if unreadable."""
    group = str((entry.get("status") or {}).get("groupName", "")).upper()
    if group not in _GROUP_STATES:
        raise ValueError(f"unknown status group {group!r}")
    return group, _GROUP_STATES[group]


def _status_name(entry: dict[str, Any]) -> str:
    return str((entry.get("status") or {}).get("name", ""))


class InfobipSms:
    def __init__(self, settings: NotifierSettings) -> None:
        self._settings = settings
        timeout = httpx.Timeout(settings.sms_timeout_s, connect=settings.sms_connect_timeout_s)
        self._client = httpx.AsyncClient(
            base_url=settings.sms_base_url,
            timeout=timeout,
            headers={"Authorization": f"App {settings.sms_api_key}"},
        )
        self._callback_auth = basic_authorization(
            settings.sms_callback_username, settings.sms_callback_password
        )

    def _body(self, sms: OutgoingSms) -> dict[str, Any]:
        destination = {"to": sms.to.removeprefix("+"), "messageId": sms.provider_message_id}
        message = {
            "from": self._settings.sms_sender,
            "destinations": [destination],
            "text": sms.text,
            "notifyUrl": self._settings.sms_callback_url,
            "notifyContentType": "application/json",
            "callbackData": sms.callback_data,
        }
        return {"messages": [message]}

    async def send(self, sms: OutgoingSms, hand_over: HandOver) -> SendOutcome:
        body = self._body(sms)
        await hand_over()
        try:
            response = await self._client.post(SEND_PATH, json=body)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            return SendOutcome.retry(f"SMS provider not reached: {describe(exc)}")
        except httpx.HTTPError as exc:
            return SendOutcome.unknown(f"no answer after the request left: {describe(exc)}")
        return self._classify(response)

    def _classify(self, response: httpx.Response) -> SendOutcome:
        code = response.status_code
        if code == 200:
            return self._accepted(response)
        detail = f"HTTP {code}: {response.text[:200]}"
        if code in (401, 403):
            log.error("the SMS provider refused our credentials: check EINV_SMS_API_KEY")
        if code in _RETRY_STATUSES:
            return SendOutcome.retry(detail)
        if 400 <= code < 500:
            return SendOutcome.failed(detail)
        return SendOutcome.unknown(detail)

    @staticmethod
    def _accepted(response: httpx.Response) -> SendOutcome:
        try:
            entry = response.json()["messages"][0]
            group, state = _status_of(entry)
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            return SendOutcome.unknown(f"unreadable answer to a send: {describe(exc)}")
        detail = f"{group} {_status_name(entry)}".strip()
        if state == "failed":
            return SendOutcome.failed(detail)
        return SendOutcome.accepted(detail, delivered=state == "delivered")

    async def status(self, provider_message_id: str) -> ProviderStatus | None:
        try:
            response = await self._client.get(LOGS_PATH, params={"messageId": provider_message_id})
            response.raise_for_status()
            results = response.json()["results"]
            if not results:
                return None
            group, state = _status_of(results[0])
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise SmsProviderUnavailable(describe(exc)) from exc
        return ProviderStatus(state, group)

    def parse_reports(self, body: bytes) -> list[DeliveryReport]:
        try:
            results = json.loads(body)["results"]
            if not isinstance(results, list):
                raise ValueError("results is not a list")
            return [self._report(entry) for entry in results]
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(describe(exc)) from exc

    @staticmethod
    def _report(entry: dict[str, Any]) -> DeliveryReport:
        message_id = entry.get("messageId")
        if not isinstance(message_id, str) or not message_id:
            raise ValueError("a report without messageId")
        group, state = _status_of(entry)
        # Infobip reports a whole message (smsCount parts); "partNumber" is not Infobip's: it
        # comes from SMS providers that report parts, and from devmail's per-part plan.
        part = entry.get("partNumber") or 0
        if not isinstance(part, int) or part < 0:
            raise ValueError(f"bad partNumber {part!r}")
        return DeliveryReport(message_id, group, state, part, entry)

    def callback_authorised(self, authorization: str | None) -> bool:
        given = (authorization or "").encode()
        return hmac.compare_digest(given, self._callback_auth.encode())

    async def close(self) -> None:
        await self._client.aclose()
