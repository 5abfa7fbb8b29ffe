"""F2: ``kill -9`` of mydata-sync while its myDATA calls are in flight, then a restart.

aade-sim answers slowly (under mydata-sync's own timeout), so at the kill several invoices are
being registered at myDATA whose answer nobody will read. After the restart their leases run out,
the sweep sends them again, myDATA answers 228 and the original MARK must be kept: no invoice
lost, none registered twice, the stored MARK equal to myDATA's.
"""

from __future__ import annotations

import asyncio

from .scenario import Scenario


async def test_f2_kill_mydata_sync_mid_call(scenario: Scenario) -> None:
    platform, rng = scenario.platform, scenario.rng
    for _ in range(scenario.config.iterations):
        down_s = rng.uniform(1.0, scenario.config.outage(3.0, 10.0))

        async def fault(down_s: float = down_s) -> None:
            await platform.aade_fault("slow", latency_ms=1500)
            await asyncio.sleep(rng.uniform(0.8, 1.6))  # calls are now waiting on myDATA
            platform.kill("mydata-sync")
            await asyncio.sleep(down_s)
            await platform.restart("mydata-sync")
            await platform.aade_fault("none")

        await scenario.run(fault, load_s=down_s + 5, drain_within_s=60)
