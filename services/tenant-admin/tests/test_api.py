"""The JSON API: operator auth, tenant creation, the internal placement endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from contracts import Envelope
from kit.db import transaction
from kit.messaging import Broker
from tenant_admin.main import create_app
from tenant_admin.operators.service import create_operator
from tenant_admin.runtime import AdminRuntime
from tenant_admin.servers.service import add_server
from testkit.rabbit import unique_queue, wait_until

from .conftest import settings_for
from .helpers import unique_username

OPERATOR_PASSWORD = "operator-password-1"


@pytest.fixture
async def client(catalog: str, amqp_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings_for(catalog).model_copy(update={"amqp_url": amqp_url}))
    async with app.router.lifespan_context(app):
        runtime: AdminRuntime = app.state.runtime
        async with transaction(runtime.engine) as conn:
            await add_server(conn, "main", runtime.settings.default_server_dsn)
            await create_operator(conn, "op", OPERATOR_PASSWORD)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://admin") as http:
            http.app = app  # type: ignore[attr-defined]
            yield http


async def _operator_headers(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post(
        "/admin/login", json={"username": "op", "password": OPERATOR_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_operator_token_is_required(client: httpx.AsyncClient) -> None:
    response = await client.get("/admin/tenants")
    assert response.status_code == 401
    assert response.json() == {"ok": 0, "code": 401, "error": {"title": "Unauthorized"}}
    bad = await client.post("/admin/login", json={"username": "op", "password": "wrong-one"})
    assert bad.status_code == 401


async def test_create_tenant_and_read_its_placement(client: httpx.AsyncClient) -> None:
    headers = await _operator_headers(client)
    body = {"company_name": "Api SA", "vat": "800000001", "username": unique_username("api"),
            "email": "api@example.gr", "mobile": "6900000002", "calls": 10}  # fmt: skip
    created = await client.post("/admin/tenants", json=body, headers=headers)
    assert created.status_code == 201, created.text
    tenant_id = created.json()["tenant_id"]
    found = await client.get("/admin/tenants", params={"q": "800000"}, headers=headers)
    assert [t["tenant_id"] for t in found.json()["items"]] == [tenant_id]

    path = f"/internal/tenants/{tenant_id}/placement"
    assert (await client.get(path, headers=headers)).status_code == 401  # operator ≠ internal
    runtime: AdminRuntime = client.app.state.runtime  # type: ignore[attr-defined]
    internal, _ = runtime.internal_codec.issue("invoice-service", 60)
    placement = await client.get(path, headers={"Authorization": f"Bearer {internal}"})
    assert placement.status_code == 200
    assert placement.json()["status"] == "active"
    assert placement.json()["dsn"].endswith("/tenant_" + tenant_id)


async def test_internal_tenant_list_and_token_revocation_event(
    client: httpx.AsyncClient, broker: Broker
) -> None:
    revoked: list[Envelope] = []
    queue = unique_queue("revocations")
    await broker.declare_queue(queue, ["token.revoked"])

    async def collect(envelope: Envelope) -> None:
        revoked.append(envelope)

    await broker.consume(queue, collect)
    headers = await _operator_headers(client)
    body = {"company_name": "Ev SA", "vat": "800000002", "username": unique_username("ev"),
            "email": "ev@example.gr", "mobile": "6900000003", "calls": 5}  # fmt: skip
    created = await client.post("/admin/tenants", json=body, headers=headers)
    tenant_id = created.json()["tenant_id"]

    runtime: AdminRuntime = client.app.state.runtime  # type: ignore[attr-defined]
    internal, _ = runtime.internal_codec.issue("invoice-service", 60)
    listed = await client.get("/internal/tenants", headers={"Authorization": f"Bearer {internal}"})
    assert tenant_id in [t["tenant_id"] for t in listed.json()["items"]]

    # A new token revokes the first one; the relay in this process publishes the event.
    again = await client.post(f"/admin/tenants/{tenant_id}/tokens", json={}, headers=headers)
    assert again.status_code in (200, 201), again.text
    await wait_until(lambda: len(revoked) == 1, within=15)
    assert revoked[0].payload["customer_id"] == tenant_id
