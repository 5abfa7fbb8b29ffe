"""F9: ``kill -9`` of the gateway mid-request; the ERP retries with its Idempotency-Key.

Requests cut off by the kill are in doubt (connection reset); invoice-service may have issued
them already. After the restart the ERP sends the same body and key again and must get the
stored answer: exactly one invoice per request, no double registration.
"""

from __future__ import annotations

import asyncio

from .scenario import Scenario


async def test_f9_kill_gateway_mid_request(scenario: Scenario) -> None:
    platform, rng, config = scenario.platform, scenario.rng, scenario.config
    kills = 5 if config.full else 2
    for _ in range(config.iterations):

        async def fault() -> None:
            # A slow myDATA keeps requests inside the gateway when it dies.
            await platform.aade_fault("slow", latency_ms=800)
            for _ in range(kills):
                await asyncio.sleep(rng.uniform(0.5, 1.5))
                platform.kill("api-gateway")
                await asyncio.sleep(rng.uniform(0.2, 1.5))
                await platform.restart("api-gateway")
            await platform.aade_fault("none")

        report = await scenario.run(fault, load_s=4 * kills + 2, drain_within_s=60)
        assert report.in_doubt > 0, "no request was caught by a kill"
