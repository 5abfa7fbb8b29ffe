"""The webhooks service's internal API for one customer's endpoints and deliveries; every call
carries a token bound to that tenant and ``X-Tenant-Id`` (``contracts.webhooks``)."""

from __future__ import annotations

from typing import cast

from pydantic import TypeAdapter

from contracts.webhooks import (
    DELIVERIES_PATH,
    ENDPOINTS_PATH,
    DeliveryDetails,
    DeliveryPage,
    EndpointChange,
    EndpointProblem,
    EndpointView,
    NewEndpoint,
    SecretIssued,
)
from portal_web.clients.http import Reply, Upstream, expect_ok, parse, parse_as

ENDPOINT_LIST = TypeAdapter(list[EndpointView])


class EndpointRefused(Exception):
    """The webhooks service refused the endpoint; ``problems`` says why, one code per rule."""

    def __init__(self, problems: list[EndpointProblem]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


class WebhooksClient:
    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._base = base_url.rstrip("/")

    async def endpoints(self, tenant_id: str) -> list[EndpointView]:
        return parse_as(await self._call(tenant_id, "GET", ENDPOINTS_PATH), ENDPOINT_LIST)

    async def endpoint(self, tenant_id: str, endpoint_id: int) -> EndpointView | None:
        reply = await self._call(tenant_id, "GET", _endpoint(endpoint_id))
        return None if reply.status == 404 else parse(reply, EndpointView)

    async def register(self, tenant_id: str, new: NewEndpoint) -> SecretIssued:
        """The endpoint and its secret, or ``EndpointRefused``."""
        reply = await self._call(tenant_id, "POST", ENDPOINTS_PATH, new)
        if reply.status == 422:
            raise EndpointRefused(_problems(reply))
        return parse(reply, SecretIssued)

    async def change(self, tenant_id: str, endpoint_id: int, change: EndpointChange) -> None:
        reply = await self._call(tenant_id, "PATCH", _endpoint(endpoint_id), change)
        if reply.status == 422:
            raise EndpointRefused(_problems(reply))
        expect_ok(reply)

    async def delete(self, tenant_id: str, endpoint_id: int) -> None:
        reply = await self._call(tenant_id, "DELETE", _endpoint(endpoint_id))
        if reply.status != 404:
            expect_ok(reply)

    async def rotate(self, tenant_id: str, endpoint_id: int) -> SecretIssued:
        reply = await self._call(tenant_id, "POST", _endpoint(endpoint_id) + "/secrets")
        return parse(reply, SecretIssued)

    async def finish_rotation(self, tenant_id: str, endpoint_id: int) -> None:
        expect_ok(await self._call(tenant_id, "POST", _endpoint(endpoint_id) + "/secrets/finish"))

    async def send_test(self, tenant_id: str, endpoint_id: int) -> bool:
        """False when the endpoint is disabled (nothing sent)."""
        reply = await self._call(tenant_id, "POST", _endpoint(endpoint_id) + "/test")
        if reply.status == 409:
            return False
        expect_ok(reply)
        return True

    async def deliveries(
        self, tenant_id: str, endpoint_id: int, before: int | None, limit: int
    ) -> DeliveryPage:
        params = {"limit": str(limit)} | ({"before": str(before)} if before else {})
        path = _endpoint(endpoint_id) + "/deliveries"
        return parse(await self._call(tenant_id, "GET", path, params=params), DeliveryPage)

    async def delivery(self, tenant_id: str, delivery_id: int) -> DeliveryDetails | None:
        reply = await self._call(tenant_id, "GET", f"{DELIVERIES_PATH}/{delivery_id}")
        return None if reply.status == 404 else parse(reply, DeliveryDetails)

    async def resend(self, tenant_id: str, delivery_id: int) -> bool:
        """False while an attempt is in progress (409)."""
        reply = await self._call(tenant_id, "POST", f"{DELIVERIES_PATH}/{delivery_id}/resend")
        if reply.status == 409:
            return False
        expect_ok(reply)
        return True

    async def _call(
        self, tenant_id: str, method: str, path: str,
        json: NewEndpoint | EndpointChange | None = None, params: dict[str, str] | None = None,
    ) -> Reply:  # fmt: skip
        return await self._upstream.call(
            method, self._base + path, tenant_id=tenant_id, json=json, params=params
        )


def _endpoint(endpoint_id: int) -> str:
    return f"{ENDPOINTS_PATH}/{endpoint_id}"


def _problems(reply: Reply) -> list[EndpointProblem]:
    return cast(list[EndpointProblem], reply.error_data().get("problems") or ["url_invalid"])
