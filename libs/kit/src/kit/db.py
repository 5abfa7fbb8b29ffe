"""Database access: engine factory, the per-tenant engine cache, request-scoped sessions.

Connection budget (DESIGN.md §3): processes × cached engines × (pool_size + max_overflow) must
stay under 80% of the server's ``max_connections``; ``TenantEngines`` enforces its share by
bounding the number of cached engines and disposing of the least recently used one.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

log = logging.getLogger("kit.db")


def create_engine(
    dsn: str,
    *,
    pool_size: int = 5,
    max_overflow: int = 0,
    pre_ping: bool = False,
    **kwargs: Any,
) -> AsyncEngine:
    """An asyncpg-backed engine with conservative pool limits.

    No ping per checkout by default: it is a round trip on every transaction of the hot path
    (measured: ~5% of mydata-sync's CPU). After a database restart the first statement on a
    stale connection fails; SQLAlchemy recognises the disconnect and invalidates the whole
    pool, so the next checkout reconnects (tests/faults F3 covers it).
    """
    return create_async_engine(
        dsn,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=pre_ping,
        pool_recycle=1800,
        pool_timeout=10,
        **kwargs,
    )


def with_database(dsn: str, database: str) -> str:
    """The same server and credentials as ``dsn``, another database."""
    return make_url(dsn).set(database=database).render_as_string(hide_password=False)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


@asynccontextmanager
async def transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A Core connection in one transaction: committed on success, rolled back on error."""
    async with engine.begin() as conn:
        yield conn


@asynccontextmanager
async def session_scope(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """An ORM session owned by the caller's unit of work: commit on success, else roll back.

    Services never commit; the request or the consumer that owns the work does, here.
    """
    async with AsyncSession(engine, expire_on_commit=False) as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


class ConnectionBudgetExceeded(RuntimeError):
    pass


def check_budget(
    *, processes: int, engines: int, pool_size: int, max_overflow: int, max_connections: int
) -> int:
    """Return the worst-case connection count, or raise if it passes 80% of the server limit."""
    worst = processes * engines * (pool_size + max_overflow)
    if worst > 0.8 * max_connections:
        raise ConnectionBudgetExceeded(
            f"{processes} processes × {engines} engines × {pool_size + max_overflow} connections"
            f" = {worst} > 80% of max_connections={max_connections}"
        )
    return worst


DsnResolver = Callable[[str], Awaitable[str]]


class TenantEngines:
    """One small engine per tenant database, least recently used disposed first.

    ``resolve`` maps a tenant id to its DSN (for example through tenant-admin's placement API);
    it is called once per cache miss.
    """

    def __init__(self, resolve: DsnResolver, *, max_engines: int = 16, pool_size: int = 2) -> None:
        if max_engines < 1:
            raise ValueError("max_engines must be at least 1")
        self._resolve = resolve
        self.max_engines = max_engines
        self.pool_size = pool_size
        self._engines: OrderedDict[str, AsyncEngine] = OrderedDict()
        self._lock = asyncio.Lock()
        self._disposals: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._engines)

    def __contains__(self, tenant_id: object) -> bool:
        return tenant_id in self._engines

    async def get(self, tenant_id: str) -> AsyncEngine:
        engine = self._engines.get(tenant_id)
        if engine is not None:
            self._engines.move_to_end(tenant_id)
            return engine
        async with self._lock:
            engine = self._engines.get(tenant_id)
            if engine is None:
                engine = create_engine(await self._resolve(tenant_id), pool_size=self.pool_size)
                self._engines[tenant_id] = engine
                self._evict_over_limit()
            return engine

    def _evict_over_limit(self) -> None:
        while len(self._engines) > self.max_engines:
            old_id, old = self._engines.popitem(last=False)
            log.info("tenant engine evicted", extra={"tenant_id": old_id})
            task = asyncio.get_running_loop().create_task(old.dispose())
            self._disposals.add(task)
            task.add_done_callback(self._disposals.discard)

    async def forget(self, tenant_id: str) -> None:
        """Drop and dispose a tenant's engine (its database was moved or recreated)."""
        engine = self._engines.pop(tenant_id, None)
        if engine is not None:
            await engine.dispose()

    async def dispose_all(self) -> None:
        engines = list(self._engines.values())
        self._engines.clear()
        await asyncio.gather(*(e.dispose() for e in engines), *self._disposals)
