"""The customer's internal API (portal-web's calls): register (the secret answered once, only
its hint afterwards), refusals named per rule, enable/disable, events, delete, and every call
scoped to the tenant its token is bound to."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from contracts.webhooks import ENDPOINTS_PATH
from testkit.migrations import assert_history_builds_the_model
from testkit.pg_fixtures import DatabaseFactory
from webhooks.db.migrate import HISTORY, VERSION_TABLE
from webhooks.db.tables import metadata

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import SettingsFactory, WebhooksRunner


def _new_tenant() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


async def test_upgrade_is_idempotent_and_matches_the_model(new_database: DatabaseFactory) -> None:
    dsn = await new_database("webhooks_schema")
    await assert_history_builds_the_model(HISTORY, dsn, metadata)
    assert VERSION_TABLE == "alembic_version_webhooks"


async def test_register_shows_the_secret_once(
    running: WebhooksRunner, webhooks_settings: SettingsFactory
) -> None:
    tenant = _new_tenant()
    async with running(await webhooks_settings()) as webhooks:
        created = await webhooks.register(tenant, "https://erp.example.gr/hooks",
                                          ["invoice.rejected", "invoice.transmitted"])  # fmt: skip
        secret, endpoint = created["secret"], created["endpoint"]
        async with webhooks.client(tenant) as http:
            listed = (await http.get(ENDPOINTS_PATH)).json()
            one = (await http.get(f"{ENDPOINTS_PATH}/{endpoint['id']}")).json()
        stored = await webhooks.query("SELECT sealed, hint FROM endpoint_secrets")
    assert secret.startswith("whsec_")
    assert endpoint["events"] == ["invoice.transmitted", "invoice.rejected"]  # the portal's order
    assert [e["id"] for e in listed] == [endpoint["id"]] and one == listed[0]
    assert one["secrets"][0]["hint"] == "…" + secret[-4:]
    assert secret not in str(listed) and secret not in str([dict(r) for r in stored])


async def test_refusals_name_each_rule(
    running: WebhooksRunner, webhooks_settings: SettingsFactory
) -> None:
    tenant = _new_tenant()
    settings = await webhooks_settings(allow_http=False, allow_private_targets=False,
                                       max_endpoints=1)  # fmt: skip
    async with running(settings) as webhooks, webhooks.client(tenant) as http:
        bad = await http.post(ENDPOINTS_PATH, json={"url": "http://u:p@127.0.0.1/", "events": []})
        unknown = await http.post(ENDPOINTS_PATH, json={"url": "https://a.gr/", "events": ["x.y"]})
        first = await http.post(
            ENDPOINTS_PATH, json={"url": "https://a.gr/", "events": ["invoice.deferred"]}
        )
        second = await http.post(
            ENDPOINTS_PATH, json={"url": "https://b.gr/", "events": ["invoice.deferred"]}
        )
    assert bad.status_code == 422
    assert bad.json()["data"]["problems"] == [
        "url_scheme", "url_userinfo", "url_private", "events_empty",
    ]  # fmt: skip
    assert unknown.status_code == 400  # not one of the four event types
    assert first.status_code == 201
    assert second.status_code == 422
    assert second.json()["data"]["problems"] == ["too_many_endpoints"]


async def test_every_call_is_scoped_to_the_bound_tenant(
    running: WebhooksRunner, webhooks_settings: SettingsFactory
) -> None:
    owner, other = _new_tenant(), _new_tenant()
    async with running(await webhooks_settings()) as webhooks:
        endpoint = (await webhooks.register(owner, "https://erp.example.gr/h"))["endpoint"]
        path = f"{ENDPOINTS_PATH}/{endpoint['id']}"
        async with webhooks.client(other) as http:
            assert (await http.get(ENDPOINTS_PATH)).json() == []
            assert (await http.get(path)).status_code == 404
            assert (await http.delete(path)).status_code == 404
            assert (await http.post(path + "/secrets")).status_code == 404
            assert (await http.get(path + "/deliveries")).status_code == 404
            # A token bound to one tenant, X-Tenant-Id naming another: refused.
            http.headers["X-Tenant-Id"] = owner
            assert (await http.get(path)).status_code == 401
        async with webhooks.client(owner) as http:
            del http.headers["Authorization"]
            assert (await http.get(path)).status_code == 401


async def test_disable_change_events_and_delete(
    running: WebhooksRunner, webhooks_settings: SettingsFactory
) -> None:
    tenant = _new_tenant()
    async with running(await webhooks_settings()) as webhooks:
        endpoint = (await webhooks.register(tenant, "https://erp.example.gr/h"))["endpoint"]
        path = f"{ENDPOINTS_PATH}/{endpoint['id']}"
        async with webhooks.client(tenant) as http:
            off = (await http.patch(path, json={"active": False})).json()
            narrowed = (await http.patch(path, json={"events": ["invoice.rejected"]})).json()
            empty = await http.patch(path, json={"events": []})
            assert (await http.delete(path)).status_code == 204
            gone = await http.get(path)
        left = await webhooks.query("SELECT count(*) AS n FROM endpoint_secrets")
    assert off["active"] is False and narrowed["events"] == ["invoice.rejected"]
    assert empty.status_code == 422 and gone.status_code == 404
    assert left[0]["n"] == 0  # the secrets went with it
