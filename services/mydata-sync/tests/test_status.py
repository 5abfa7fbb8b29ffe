"""``GET /internal/status``: the circuit, the last answers and the backlog, as ERPs are told."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from contracts.status import STATUS_PATH
from kit.auth import TokenCodec, internal_audience
from kit.settings import DEV_INTERNAL_TOKEN_SECRET

from .conftest import SettingsFactory, Sim, SyncRunner

Invoice = Callable[..., dict[str, Any]]


def _as_tenant(tenant: str) -> dict[str, str]:
    codec = TokenCodec(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", internal_audience("mydata-sync"))
    token = codec.issue("api-gateway", 300, tid=tenant, vats=[])[0]
    return {"Authorization": f"Bearer {token}", "X-Tenant-Id": tenant}


async def test_status_follows_an_outage_and_its_recovery(
    running: SyncRunner, sync_settings: SettingsFactory, sim: Sim, invoice: Invoice
) -> None:
    # The cool-down outlasts the third transmit and the status read that must see "open".
    settings = await sync_settings(breaker_cooldown_s=3.0, breaker_failure_threshold=2)
    async with running(settings) as sync:
        calm = (await sync.http.get(STATUS_PATH, headers=sync.headers)).json()
        assert calm["circuit"] == "closed" and calm["backlog"] == 0
        assert calm["customer_backlog"] is None

        await sim.fault("blackhole")
        for _ in range(2):
            assert (await sync.transmit(invoice(tenant_id="t-status")))["state"] == "deferred"
        await sync.transmit(invoice(tenant_id="t-other"))
        down = (await sync.http.get(STATUS_PATH, headers=_as_tenant("t-status"))).json()
        assert down["circuit"] == "open"
        assert down["backlog"] == 3 and down["customer_backlog"] == 2
        assert down["last_failure_at"] is not None and down["oldest_waiting_since"] is not None

        await sim.fault("none")
        healed = down
        for _ in range(150):  # the cool-down and the retry delay pass, then a sweep sends all
            await asyncio.sleep(0.1)
            await sync.runtime.sweeper.sweep_once()
            healed = (await sync.http.get(STATUS_PATH, headers=sync.headers)).json()
            if healed["backlog"] == 0:
                break
        assert healed["circuit"] == "closed" and healed["backlog"] == 0
        assert healed["last_success_at"] > down["last_failure_at"]


async def test_a_tenant_header_needs_a_token_bound_to_it(
    running: SyncRunner, sync_settings: SettingsFactory
) -> None:
    async with running(await sync_settings()) as sync:
        forged = sync.headers | {"X-Tenant-Id": "t-someone"}
        assert (await sync.http.get(STATUS_PATH, headers=forged)).status_code == 401
        assert (await sync.http.get(STATUS_PATH)).status_code == 401
