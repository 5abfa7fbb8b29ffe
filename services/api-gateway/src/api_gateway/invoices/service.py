"""Issuing and looking up invoices through the gateway: quota, forwarding, refunds.

Customers pay for invoices, not for failures: the reserved call goes back when invoice-service
says nothing was issued (any 4xx, 501, or ``X-Einv-Not-Charged: 1`` on an idempotent replay) or
when the request never left. It is kept on 2xx, on timeouts and on other 5xx, where the invoice
may exist (ADR 0003).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import asyncpg

from api_gateway.auth.schemas import VerifiedCustomer
from api_gateway.forwarding.client import (
    Upstream,
    UpstreamBroken,
    UpstreamReply,
    UpstreamTimedOut,
    UpstreamUnreachable,
)
from api_gateway.invoices.errors import CallsExpired, CallsUsedUp
from catalog.quota import QuotaExhausted, QuotaState, refund_call, reserve_call
from contracts.http import (
    CUSTOMER_USERNAME_HEADER,
    IDEMPOTENCY_KEY_HEADER,
    REQUEST_ID_HEADER,
    TENANT_HEADER,
)
from kit.auth import ServiceTokens
from kit.db import is_database_unavailable
from kit.errors import ServiceUnavailable, UpstreamTimeout
from kit.logs import current_request_id

log = logging.getLogger("api_gateway.invoices")

PATH = "/invoice-data"
# Headers copied from the ERP's request, when present.
PASSED_THROUGH = (IDEMPOTENCY_KEY_HEADER, "Content-Type", "Accept-Language")


class UpstreamDown(ServiceUnavailable):
    """The request never reached invoice-service (503, and the call is refunded)."""


def refundable(reply: UpstreamReply) -> bool:
    """True when invoice-service says no invoice was issued for this call."""
    return reply.not_charged or 400 <= reply.status < 500 or reply.status == 501


class InvoiceForwarder:
    def __init__(self, catalog: asyncpg.Pool, upstream: Upstream, tokens: ServiceTokens) -> None:
        self._catalog = catalog
        self._upstream = upstream
        self._tokens = tokens

    async def issue(
        self, customer: VerifiedCustomer, incoming: Mapping[str, str], query: str, body: bytes
    ) -> UpstreamReply:
        """Spend one call, forward the invoice, refund it when nothing was issued."""
        package_id = await self._reserve(customer.customer_id)
        try:
            reply = await self._send("POST", customer, incoming, query, body)
        except UpstreamDown:
            await self._refund(package_id, customer, "upstream unreachable")
            raise
        if refundable(reply):
            await self._refund(package_id, customer, f"upstream answered {reply.status}")
        return reply

    async def look_up(
        self, customer: VerifiedCustomer, incoming: Mapping[str, str], query: str
    ) -> UpstreamReply:
        """Look-ups are free (API-9): no call is spent."""
        return await self._send("GET", customer, incoming, query, None)

    async def _reserve(self, customer_id: str) -> int:
        try:
            return await reserve_call(self._catalog, customer_id)
        except QuotaExhausted as exc:
            raise CallsExpired() if exc.state is QuotaState.EXPIRED else CallsUsedUp() from None
        except Exception as exc:
            if not is_database_unavailable(exc):
                raise
            raise ServiceUnavailable(
                "Ο κατάλογος πελατών δεν είναι διαθέσιμος",
                message_en="The customer catalog is not available",
            ) from exc

    async def _refund(self, package_id: int, customer: VerifiedCustomer, why: str) -> None:
        # A failed refund must not hide invoice-service's answer from the ERP; it is logged
        # with everything needed to correct the package by hand.
        try:
            await refund_call(self._catalog, package_id)
        except Exception:
            log.exception(
                "refund failed",
                extra={"package_id": package_id, "customer_id": customer.customer_id, "why": why},
            )

    async def _send(
        self,
        method: str,
        customer: VerifiedCustomer,
        incoming: Mapping[str, str],
        query: str,
        body: bytes | None,
    ) -> UpstreamReply:
        headers = self._headers(customer, incoming)
        path_qs = f"{PATH}?{query}" if query else PATH
        try:
            return await self._upstream.send(method, path_qs, headers, body)
        except UpstreamUnreachable as exc:
            log.warning("invoice-service unreachable", extra={"error": str(exc)})
            raise UpstreamDown(
                "Η υπηρεσία παραστατικών δεν είναι διαθέσιμη· η κλήση δεν χρεώθηκε",
                message_en="invoice-service is not reachable; the call was not charged",
            ) from exc
        except UpstreamTimedOut as exc:
            raise UpstreamTimeout(
                "Η υπηρεσία παραστατικών δεν απάντησε εγκαίρως· το παραστατικό ίσως έχει εκδοθεί:"
                " ξαναστείλτε το με το ίδιο Idempotency-Key",
                message_en="invoice-service did not answer in time; the invoice may exist:"
                " retry with the same Idempotency-Key",
            ) from exc
        except UpstreamBroken as exc:
            log.warning("invoice-service connection broke", extra={"error": str(exc)})
            raise ServiceUnavailable(
                "Η σύνδεση με την υπηρεσία παραστατικών διακόπηκε",
                message_en="The connection to invoice-service broke",
            ) from exc

    def _headers(self, customer: VerifiedCustomer, incoming: Mapping[str, str]) -> dict[str, str]:
        headers = {
            "Authorization": self._tokens.header(customer.customer_id, customer.issuer_vats),
            TENANT_HEADER: customer.customer_id,
            CUSTOMER_USERNAME_HEADER: customer.username,
            REQUEST_ID_HEADER: current_request_id() or "",
        }
        for name in PASSED_THROUGH:
            value = incoming.get(name)
            if value is not None:
                headers[name] = value
        return headers
