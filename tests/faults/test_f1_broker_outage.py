"""F1: RabbitMQ unavailable under load, then back.

myDATA answers after invoice-service's RPC deadline (but before mydata-sync's own timeout), so
invoices are answered with a temporary string and their MARK must travel as an event
(mydata-sync's outbox → broker → invoice-service) — exactly the path the outage breaks.
Services must reconnect by themselves (robust connections) and their outbox relays must
publish what piled up.

``EINV_FAULT_BROKER=rabbitmqctl`` (default, CI's serial fault phase) stops the real broker's app;
``proxy`` cuts every AMQP connection at a ``FaultProxy`` instead (for shared machines).
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
from collections.abc import AsyncIterator

import pytest

from testkit.faultproxy import FaultProxy
from testkit.procs import Platform
from testkit.rabbit import broker_address, create_test_vhost, via_address

from .scenario import FaultConfig, Scenario, platform_options


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=120)


class BrokerSwitch:
    """Take the broker away and bring it back, by the configured means."""

    def __init__(self, proxy: FaultProxy | None) -> None:
        self.proxy = proxy

    async def down(self) -> None:
        if self.proxy is not None:
            self.proxy.cut()
        else:
            await asyncio.to_thread(_rabbitmqctl, "stop_app")

    async def up(self) -> None:
        if self.proxy is not None:
            self.proxy.heal()
        else:
            await asyncio.to_thread(_rabbitmqctl, "start_app")
            await asyncio.to_thread(_rabbitmqctl, "await_startup")


@pytest.fixture
async def broker(fault_config: FaultConfig) -> AsyncIterator[tuple[str, BrokerSwitch]]:
    """A vhost for this test, reached directly or through a ``FaultProxy``."""
    vhost = await asyncio.to_thread(create_test_vhost)
    proxy: FaultProxy | None = None
    url = vhost.url
    if fault_config.broker_mode == "proxy":
        proxy = FaultProxy(*broker_address(vhost.url))
        url = via_address(vhost.url, "127.0.0.1", await proxy.start())
    try:
        yield url, BrokerSwitch(proxy)
    finally:
        if proxy is not None:
            await proxy.close()
        with contextlib.suppress(Exception):
            await asyncio.to_thread(vhost.drop)


@pytest.fixture
async def platform(broker: tuple[str, BrokerSwitch]) -> AsyncIterator[Platform]:
    """Overrides conftest's: the services reach the broker as ``broker`` says."""
    # myDATA's answer (4 s) comes after the RPC deadline (3 s) but within mydata-sync's own
    # timeout: the MARK exists only as an outcome event that has to cross the broker.
    options = platform_options(
        {"mydata-sync": {"EINV_MYDATA_TIMEOUT_S": "6", "EINV_LEASE_S": "20"}}
    )
    options.amqp_url = broker[0]
    async with Platform(options) as running:
        yield running


async def test_f1_broker_outage_under_load(
    broker: tuple[str, BrokerSwitch], scenario: Scenario
) -> None:
    platform, switch = scenario.platform, broker[1]
    config = scenario.config
    for _ in range(config.iterations):
        outage = config.outage(5.0, 30.0) * scenario.rng.uniform(1.0, 1.2)

        async def fault(outage: float = outage) -> None:
            await platform.aade_fault("slow", latency_ms=4000)
            await switch.down()
            try:
                await asyncio.sleep(outage)
            finally:
                await switch.up()
            await platform.aade_fault("none")

        await scenario.run(fault, load_s=outage + 4, drain_within_s=max(60, 3 * outage))
