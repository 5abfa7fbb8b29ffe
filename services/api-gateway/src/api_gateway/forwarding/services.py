"""Forwarding the ERP's smaller requests to the service that owns the answer (VAT registry and
status: mydata-sync; connection-loss notices: tenant-admin): the internal token bound to the
customer, the caller's language, and the owner's answer passed through as it came."""

from __future__ import annotations

from collections.abc import Mapping

from api_gateway.auth.schemas import VerifiedCustomer
from api_gateway.forwarding.client import Upstream, UpstreamError, UpstreamReply
from contracts.http import CUSTOMER_USERNAME_HEADER, REQUEST_ID_HEADER, TENANT_HEADER
from kit.auth import ServiceTokens
from kit.errors import ServiceUnavailable, language_named
from kit.logs import current_request_id


class OwnerUnavailable(ServiceUnavailable):
    """The service that owns the answer cannot be reached; nothing was done."""


class ServiceCaller:
    def __init__(self, upstream: Upstream, tokens: ServiceTokens, name: str) -> None:
        self.upstream = upstream
        self._tokens = tokens.to(name)  # addressed to the service it forwards to
        self._name = name

    async def call(
        self,
        method: str,
        path: str,
        customer: VerifiedCustomer | None,
        *,
        language: str | None = None,
        body: bytes | None = None,
    ) -> UpstreamReply:
        headers = self._headers(customer, language)
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            return await self.upstream.send(method, path, headers, body)
        except UpstreamError as exc:
            raise OwnerUnavailable(f"{self._name} is not available") from exc

    def _headers(self, customer: VerifiedCustomer | None, language: str | None) -> dict[str, str]:
        headers: dict[str, str] = {REQUEST_ID_HEADER: current_request_id() or ""}
        if customer is None:
            headers["Authorization"] = self._tokens.header()
        else:
            bound = self._tokens.header(customer.customer_id, customer.issuer_vats)
            headers |= {
                "Authorization": bound,
                TENANT_HEADER: customer.customer_id,
                CUSTOMER_USERNAME_HEADER: customer.username,
            }
        if language:
            headers["Accept-Language"] = language
        return headers


def passed_language(incoming: Mapping[str, str], lang: str | None) -> str | None:
    """What the owner should word its answer in: ``?lang=`` (seed 002's field) wins over the
    ERP's Accept-Language, which is passed on as it came."""
    return language_named(lang) or incoming.get("accept-language")
