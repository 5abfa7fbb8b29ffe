"""kit.db on a real PostgreSQL: the tenant engine LRU, the budget, units of work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import text

from kit.db import (
    ConnectionBudgetExceeded,
    TenantEngines,
    check_budget,
    create_engine,
    session_scope,
    transaction,
)

DatabaseFactory = Callable[[str], Awaitable[str]]


async def test_tenant_engines_keep_the_most_recent_and_dispose_the_oldest(
    new_database: DatabaseFactory,
) -> None:
    dsns = {name: await new_database(name) for name in ("lru_a", "lru_b", "lru_c")}
    resolved: list[str] = []

    async def resolve(tenant_id: str) -> str:
        resolved.append(tenant_id)
        return dsns[tenant_id]

    engines = TenantEngines(resolve, max_engines=2, pool_size=1)
    first = await engines.get("lru_a")
    await engines.get("lru_b")
    assert await engines.get("lru_a") is first  # cached: no second resolve
    await engines.get("lru_c")  # evicts lru_b, the least recently used
    assert resolved == ["lru_a", "lru_b", "lru_c"]
    assert "lru_b" not in engines and "lru_a" in engines and len(engines) == 2
    await engines.dispose_all()
    assert len(engines) == 0


async def test_an_evicted_tenant_comes_back_without_another_look_up(
    new_database: DatabaseFactory,
) -> None:
    dsns = {name: await new_database(name) for name in ("back_a", "back_b")}
    resolved: list[str] = []

    async def resolve(tenant_id: str) -> str:
        resolved.append(tenant_id)
        return dsns[tenant_id]

    engines = TenantEngines(resolve, max_engines=1, pool_size=1)
    for tenant in ("back_a", "back_b", "back_a", "back_b"):  # each get evicts the other
        async with (await engines.get(tenant)).connect() as conn:
            database = await conn.scalar(text("SELECT current_database()"))
            assert dsns[tenant].endswith("/" + database)
    assert resolved == ["back_a", "back_b"]
    await engines.forget("back_a")  # moved or recreated: asked again
    await engines.get("back_a")
    assert resolved == ["back_a", "back_b", "back_a"]
    await engines.dispose_all()


async def test_evicted_engine_releases_its_connections(new_database: DatabaseFactory) -> None:
    dsn_a, dsn_b = await new_database("evict_a"), await new_database("evict_b")
    engines = TenantEngines(_resolver(dsn_a, dsn_b), max_engines=1, pool_size=1)
    async with (await engines.get("a")).connect() as conn:
        await conn.execute(text("SELECT 1"))
    await engines.get("b")  # evicts "a"; its disposal closes the pooled connection
    await engines.dispose_all()
    probe = create_engine(dsn_b, pool_size=1)
    async with probe.connect() as conn:
        name = dsn_a.rsplit("/", 1)[1]
        count = await conn.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
        )
    await probe.dispose()
    assert count == 0


async def test_an_engine_evicted_while_in_use_closes_its_connection_once_given_back(
    new_database: DatabaseFactory,
) -> None:
    dsn_a, dsn_b = await new_database("busy_a"), await new_database("busy_b")
    engines = TenantEngines(_resolver(dsn_a, dsn_b), max_engines=1, pool_size=1)
    async with (await engines.get("a")).connect() as conn:
        await conn.execute(text("SELECT 1"))
        await engines.get("b")  # evicts "a" while its connection is in this request's hands
        await asyncio.sleep(0.1)
        assert await _sessions(dsn_b, dsn_a) == 1  # still in use: not cut
    await asyncio.sleep(0.2)  # given back: the retired engine closes it
    assert await _sessions(dsn_b, dsn_a) == 0
    await engines.dispose_all()


async def _sessions(probe_dsn: str, of_dsn: str) -> int:
    probe = create_engine(probe_dsn, pool_size=1)
    try:
        async with probe.connect() as conn:
            name = of_dsn.rsplit("/", 1)[1]
            sql = text("SELECT count(*) FROM pg_stat_activity WHERE datname = :n")
            return int(await conn.scalar(sql, {"n": name}) or 0)
    finally:
        await probe.dispose()


def _resolver(dsn_a: str, dsn_b: str) -> Callable[[str], Awaitable[str]]:
    async def resolve(tenant_id: str) -> str:
        return {"a": dsn_a, "b": dsn_b}[tenant_id]

    return resolve


def test_connection_budget_refuses_more_than_80_percent() -> None:
    assert (
        check_budget(processes=2, engines=8, pool_size=2, max_overflow=0, max_connections=100) == 32
    )
    with pytest.raises(ConnectionBudgetExceeded):
        check_budget(processes=4, engines=16, pool_size=2, max_overflow=0, max_connections=100)


async def test_units_of_work_commit_on_success_and_roll_back_on_error(
    new_database: DatabaseFactory,
) -> None:
    engine = create_engine(await new_database("uow"), pool_size=1)
    async with transaction(engine) as conn:
        await conn.execute(text("CREATE TABLE t (n int)"))
    async with session_scope(engine) as session:
        await session.execute(text("INSERT INTO t VALUES (1)"))
    with pytest.raises(RuntimeError):
        async with session_scope(engine) as session:
            await session.execute(text("INSERT INTO t VALUES (2)"))
            raise RuntimeError("the request failed")
    with pytest.raises(RuntimeError):
        async with transaction(engine) as conn:
            await conn.execute(text("INSERT INTO t VALUES (3)"))
            raise RuntimeError("the consumer failed")
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT n FROM t"))).scalars().all() == [1]
    await engine.dispose()
