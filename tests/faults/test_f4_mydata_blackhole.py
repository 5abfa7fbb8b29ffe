"""F4: myDATA blackholed (requests accepted, never answered), then healed.

During the outage every invoice is answered at once with a temporary string
(transmissionFailure 2) once the breaker opens; after the heal the sweep sends the backlog.
Drain must take at most twice the outage.
"""

from __future__ import annotations

import asyncio

from .scenario import Scenario


async def test_f4_mydata_blackhole_then_heal(scenario: Scenario) -> None:
    config = scenario.config
    for _ in range(config.iterations):
        outage = config.outage(5.0, 60.0) * scenario.rng.uniform(1.0, 1.2)

        async def fault(outage: float = outage) -> None:
            await scenario.platform.aade_fault("blackhole")
            await asyncio.sleep(outage)
            await scenario.platform.aade_fault("none")

        report = await scenario.run(fault, load_s=outage + 4, drain_within_s=2 * outage)
        assert report.drain_s <= 2 * outage
        assert report.temporary > 0, "the outage never showed: no temporary string was issued"
