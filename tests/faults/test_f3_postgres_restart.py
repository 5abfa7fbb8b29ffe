"""F3: the PostgreSQL server restarted under load.

The platform's databases (catalog, sync, the customer's) live on a private server
(``testkit.pg_instance``) so that the shared one is never touched; it is stopped (fast shutdown:
committed work is on disk) and started again on the same port. While it is away requests must
fail fast in the JSON error shape (no hang, no HTML 500) and the ERP's retries with the same
Idempotency-Key must end in exactly one invoice each; afterwards the pools must recover.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from testkit.pg_instance import PgInstance
from testkit.procs import Platform

from .scenario import Scenario, platform_options

# Longest acceptable single exchange: the gateway's upstream timeout (10 s) plus slack.
HANG_LIMIT_S = 12.0


@pytest.fixture
def pg_server() -> Iterator[PgInstance]:
    server = PgInstance()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def platform(pg_server: PgInstance) -> AsyncIterator[Platform]:
    """Overrides conftest's: every database on the private server."""
    options = platform_options()
    options.pg_dsn = pg_server.dsn
    async with Platform(options) as running:
        yield running


def _stop(server: PgInstance) -> None:
    # PgInstance has no restart; pg_ctl through its runner keeps the same data and port.
    server._run("pg_ctl", "-D", str(server.data), "-m", "fast", "-w", "stop")


def _start(server: PgInstance) -> None:
    if not server._pg_ctl_start():
        raise RuntimeError(f"PostgreSQL did not come back; see {server.root / 'server.log'}")


async def test_f3_postgres_restart_under_load(scenario: Scenario, pg_server: PgInstance) -> None:
    config = scenario.config
    for _ in range(config.iterations):
        outage = config.outage(5.0, 30.0) * scenario.rng.uniform(1.0, 1.2)

        async def fault(outage: float = outage) -> None:
            await asyncio.to_thread(_stop, pg_server)
            try:
                await asyncio.sleep(outage)
            finally:
                await asyncio.to_thread(_start, pg_server)

        report = await scenario.run(fault, load_s=outage + 4, drain_within_s=60)
        assert report.slowest_attempt_s < HANG_LIMIT_S, "a request hung during the outage"
        assert report.in_doubt > 0, "the restart never showed to the ERP"
