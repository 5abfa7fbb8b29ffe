"""What every fault scenario shares: its scale, the platform's test settings, the run itself.

A scenario = load through the gateway + one fault injected at a random moment (seeded) + heal +
drain + reconciliation of the ledger (``testkit.ledger``). Scale from the environment:

* ``EINV_FAULT_SCALE``: ``short`` (default; ``make test``: outages of a few seconds) or ``full``
  (``make faults``: the outages the runbooks talk about, 30–60 s);
* ``EINV_FAULT_ITERATIONS``: runs per scenario (default 1);
* ``EINV_FAULT_SEED``: the seed of the random timings (default: from the clock; always printed);
* ``EINV_FAULT_BROKER``: ``rabbitmqctl`` (default: stop the real broker's app) or ``proxy`` (a
  ``FaultProxy`` in front of it, for machines where others share the broker).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from testkit.ledger import LoadGenerator, Reconciliation, reconcile
from testkit.procs import Customer, Platform, PlatformOptions

# Short timeouts, sweeps and back-offs so that a heal is noticed in about a second: the
# scenarios measure recovery, not the production schedule (runbooks: 5 s … 5 min).
FAST_ENV: dict[str, dict[str, str]] = {
    "mydata-sync": {
        "EINV_MYDATA_TIMEOUT_S": "2",
        "EINV_MYDATA_CONNECT_TIMEOUT_S": "1",
        "EINV_LEASE_S": "6",
        "EINV_RETRY_BACKOFF_S": "[1, 2, 3]",
        "EINV_SWEEP_INTERVAL_S": "1",
        "EINV_BREAKER_COOLDOWN_S": "2",
        "EINV_QUEUE_RETRY_DELAYS_S": "[1, 2, 5]",
    },
    "invoice-service": {
        "EINV_TRANSMIT_RPC_TIMEOUT_S": "3",
        "EINV_OUTBOX_GRACE_S": "2",
        "EINV_OUTBOX_SWEEP_INTERVAL_S": "1",
    },
    "api-gateway": {
        "EINV_RATE_LIMIT_PER_S": "100000",
        "EINV_RATE_LIMIT_BURST": "100000",
        "EINV_UPSTREAM_TIMEOUT_S": "10",
    },
    "aade-sim": {"EINV_AADE_SIM_HANG_MAX_S": "30"},
}


@dataclass(frozen=True, slots=True)
class FaultConfig:
    full: bool
    iterations: int
    seed: int
    broker_mode: str

    @classmethod
    def from_env(cls) -> FaultConfig:
        seed = int(os.environ.get("EINV_FAULT_SEED") or time.time_ns() % 1_000_000)
        return cls(
            full=os.environ.get("EINV_FAULT_SCALE", "short") == "full",
            iterations=max(1, int(os.environ.get("EINV_FAULT_ITERATIONS", "1"))),
            seed=seed,
            broker_mode=os.environ.get("EINV_FAULT_BROKER", "rabbitmqctl"),
        )

    def outage(self, short_s: float, full_s: float) -> float:
        return full_s if self.full else short_s


def platform_options(env: dict[str, dict[str, str]] | None = None) -> PlatformOptions:
    """``FAST_ENV`` with a scenario's own per-service overrides on top."""
    merged = {name: dict(values) for name, values in FAST_ENV.items()}
    for name, values in (env or {}).items():
        merged.setdefault(name, {}).update(values)
    return PlatformOptions(env=merged)


Fault = Callable[[], Awaitable[None]]


@dataclass(slots=True)
class Scenario:
    """One scenario's runs against one platform; ``run()`` once per iteration."""

    name: str
    platform: Platform
    config: FaultConfig
    rng: random.Random
    workers: int = 6

    async def run(
        self,
        fault: Fault,
        *,
        load_s: float,
        drain_within_s: float,
        warmup_max_s: float = 2.0,
        replay_each: bool = False,
    ) -> Reconciliation:
        """Load for ``load_s``; ``fault`` (it injects, waits and heals) starts after a random
        warm-up; then drain and reconcile. Asserts nothing lost, nothing duplicated."""
        customer = await self.platform.create_customer()
        async with LoadGenerator(
            self.platform.gateway_url,
            customer.api_token,
            customer.vat,
            workers=self.workers,
            replay_each=replay_each,
        ) as load:
            await self._load_with_fault(load, fault, load_s, self.rng.uniform(0.5, warmup_max_s))
            report = await self._reconcile(load, customer, drain_within_s)
        return report

    async def _load_with_fault(
        self, load: LoadGenerator, fault: Fault, load_s: float, warmup_s: float
    ) -> None:
        traffic = asyncio.create_task(load.run(load_s))
        try:
            await asyncio.sleep(warmup_s)
            await fault()
        finally:
            await traffic

    async def _reconcile(
        self, load: LoadGenerator, customer: Customer, drain_within_s: float
    ) -> Reconciliation:
        report = await reconcile(self.name, load.ledger, self.platform, customer, drain_within_s)
        print("\n" + report.table(), flush=True)
        assert_clean(report)
        return report


def assert_clean(report: Reconciliation) -> None:
    """The fault tests' contract (DESIGN.md §6): nothing lost, nothing registered twice."""
    assert report.sent > 0, "no load was sent"
    assert report.lost == [], f"lost invoices: {report.lost[:5]}"
    assert report.duplicated == [], f"duplicated: {report.duplicated[:5]}"
    assert report.mismatched == [], f"MARK mismatches: {report.mismatched[:5]}"
    assert report.bad_shapes == [], f"answers not in the JSON error shape: {report.bad_shapes[:5]}"
    assert report.unresolved == 0, "in-doubt requests the ERP could never resolve"
    assert report.drained, f"not drained within the bound ({report.drain_s:.0f}s)"
