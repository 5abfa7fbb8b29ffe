"""F5: every message delivered twice and every POST replayed with its Idempotency-Key.

``Duplicator`` republishes each ``invoice.submitted`` command and each outcome event (same
message id) after a random delay; the load generator sends every answered request once more.
Consumers must deduplicate (inbox, unique transmission per tenant+uid), replays must return the
stored answer with the same status, and nothing may be registered twice at myDATA. Half of the
load meets a slow myDATA so that submissions also travel through the outbox/command path.
"""

from __future__ import annotations

import asyncio

from .duplicator import Duplicator
from .scenario import Scenario


async def test_f5_duplicate_deliveries_and_replayed_posts(scenario: Scenario) -> None:
    platform, config = scenario.platform, scenario.config
    duplicator = Duplicator(platform.amqp_url, scenario.rng)
    await duplicator.start()
    try:
        for _ in range(config.iterations):
            load_s = config.outage(6.0, 40.0)

            async def fault(load_s: float = load_s) -> None:
                # Slower than the RPC deadline: these go deferred and through the sweep/queue.
                await platform.aade_fault("slow", latency_ms=3500)
                await asyncio.sleep(load_s / 2)
                await platform.aade_fault("none")

            report = await scenario.run(fault, load_s=load_s, drain_within_s=60, replay_each=True)
            assert report.replays == report.sent
    finally:
        await duplicator.stop()
    print(f"duplicator: {duplicator.copied} messages delivered a second time")
    assert duplicator.copied > 0
