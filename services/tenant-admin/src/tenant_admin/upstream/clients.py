"""The internal APIs the admin app reads: the notifier's messages of a user, mydata-sync's
resend list (one page, one resend) and its VAT registry look-ups with the provider's codes."""

from __future__ import annotations

import orjson
from pydantic import TypeAdapter

from contracts.notifications import (
    INVOICE_EMAILS_PATH,
    NOTIFICATIONS_PATH,
    InvoiceEmailView,
    NotificationView,
)
from contracts.registry import REGISTRY_PATH, RegistryAnswer
from contracts.resend import RESEND_PATH, ResendPage, ResendResult, resend_one_path
from kit.errors import NotFound
from tenant_admin.upstream.http import Upstream, parsed

_VIEWS = TypeAdapter(list[NotificationView])
_INVOICE_EMAILS = TypeAdapter(list[InvoiceEmailView])
_ANSWER = TypeAdapter(RegistryAnswer)
_PAGE = TypeAdapter(ResendPage)
_RESULT = TypeAdapter(ResendResult)
# The services these clients call (each token is addressed to one: kit.auth.internal_audience).
NOTIFIER = "notifier"
SYNC = "mydata-sync"


class NotifierClient:
    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._base = base_url.rstrip("/")

    async def messages(self, customer_id: str) -> list[NotificationView]:
        """The user's messages, newest first, with their states (never a secret)."""
        url = self._base + NOTIFICATIONS_PATH
        reply = await self._upstream.call("GET", url, {"customer_id": customer_id}, to=NOTIFIER)
        return parsed(reply, _VIEWS)

    async def invoice_emails(self, customer_id: str, limit: int) -> list[InvoiceEmailView]:
        """The customer's transmitted invoices and what became of each e-mail to its
        recipient (API-10): where, when, or why not; newest first."""
        url = self._base + INVOICE_EMAILS_PATH
        params = {"tenant_id": customer_id, "limit": str(limit)}
        return parsed(await self._upstream.call("GET", url, params, to=NOTIFIER), _INVOICE_EMAILS)


class ResendClient:
    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._base = base_url.rstrip("/")

    async def page(self, limit: int, offset: int) -> ResendPage:
        params = {"limit": str(limit), "offset": str(offset)}
        reply = await self._upstream.call("GET", self._base + RESEND_PATH, params, to=SYNC)
        return parsed(reply, _PAGE)

    async def resend(self, transmission_id: int) -> ResendResult:
        """Try it now; ``NotFound`` when mydata-sync does not know it (resent meanwhile and
        gone, or never there)."""
        reply = await self._upstream.call(
            "POST", self._base + resend_one_path(transmission_id), to=SYNC
        )
        if reply.status == 404:
            raise NotFound(f"no deferred transmission {transmission_id}")
        return parsed(reply, _RESULT)


class RegistryRefused(Exception):
    """The registry had no entry to give (its code and message, in the language asked for)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class RegistryClient:
    """Look-ups with the provider's own GSIS codes (an unbound token names no tenant)."""

    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._base = base_url.rstrip("/")

    async def look_up(self, vat: str, language: str) -> RegistryAnswer:
        url = f"{self._base}{REGISTRY_PATH}/{vat}"
        reply = await self._upstream.call("GET", url, to=SYNC, language=language)
        if reply.status == 200:
            return parsed(reply, _ANSWER)
        raise _refusal(reply.body)


def _refusal(body: bytes) -> RegistryRefused:
    try:
        answer = orjson.loads(body)
        return RegistryRefused(str(answer["code"]), str(answer["error"].get("message", "")))
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        return RegistryRefused("vat_registry_unavailable", "")
