"""Database access: engine factory, DSNs, the per-tenant engine cache, units of work.

Units of work (DESIGN.md §8): services and repositories never commit; the request, the
consumer, the background loop or the CLI command that owns the work opens ``transaction(engine)``
and passes the connection down. The one exception is a *workflow*: a service whose steps must
each be durable on their own, because no transaction may stay open across a network call that
can take seconds (or across a batch that must keep what it did if stopped). Such a workflow
commits each step with ``workflow_step(engine)``:

- invoice-service: issuance, across the transmit RPC; the portal's totals, whose day roll-up is
  committed before the range is read;
- mydata-sync: a transmission, across the myDATA call; a VAT-registry look-up, across GSIS (and
  the re-sealing of stored codes, one customer at a time);
- tenant-admin: provisioning and onboarding, across ``CREATE DATABASE``; ``migrate-tenants``,
  across each tenant's migration; the admin app's resends, across mydata-sync's resend API, and
  its database pages, which record the operator's act before the background job starts;
- notifier and webhooks: a send, across SMTP, the SMS provider or the receiver.

Grepping for ``workflow_step`` finds every place that commits on its own. A hot path whose
step is a single statement (a data-modifying CTE) runs it with ``single_statements``: the
statement is its own transaction, without BEGIN/COMMIT round trips.

Connection budget (DESIGN.md §3): processes × cached engines × (pool_size + max_overflow) must
stay under 80% of the server's ``max_connections``; ``TenantEngines`` keeps its share by bounding
the number of cached engines. invoice-service, whose pools are the ones that multiply (one per
cached tenant), calls ``enforce_budget`` at start-up and refuses to start when its pools could
pass it (a clear error naming the numbers); the other services hold one small pool each.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
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

    ``hide_parameters``: a failed statement's error (and so its log line) names the statement,
    never its values: invoice rows, customers' names, VAT numbers, e-mails and mobiles.
    """
    return create_async_engine(
        dsn,
        hide_parameters=True,
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


def libpq_dsn(dsn: str) -> str:
    """The plain libpq URL asyncpg takes, from a SQLAlchemy one (``postgresql+asyncpg://``)."""
    return make_url(dsn).set(drivername="postgresql").render_as_string(hide_password=False)


def sqlalchemy_dsn(dsn: str, database: str | None = None) -> str:
    """A SQLAlchemy asyncpg URL from a libpq or SQLAlchemy one, optionally another database."""
    url = make_url(dsn).set(drivername="postgresql+asyncpg")
    if database is not None:
        url = url.set(database=database)
    return url.render_as_string(hide_password=False)


# Only plain names: a database name is interpolated into CREATE DATABASE (identifiers cannot be
# bound as parameters).
SAFE_DATABASE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def database_name(dsn: str) -> str:
    """The database ``dsn`` names, refused unless it is a plain identifier."""
    name = make_url(dsn).database or ""
    if not SAFE_DATABASE_NAME.match(name):
        raise ValueError(f"refusing unusual database name {name!r}")
    return name


async def ensure_database(dsn: str, *, template: str | None = None) -> bool:
    """Create the database ``dsn`` names unless it exists; True when this call created it.

    Connects to the server's ``postgres`` database; a concurrent creator is not an error.
    """
    name = database_name(dsn)
    conn = await asyncpg.connect(libpq_dsn(with_database(dsn, "postgres")))
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        suffix = f' TEMPLATE "{database_name(with_database(dsn, template))}"' if template else ""
        await conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    except asyncpg.DuplicateDatabaseError:
        return False  # another process won the race
    finally:
        await conn.close()
    log.info("database created", extra={"database": name})
    return True


# SQLSTATE classes that mean "the server is not there right now", not "your statement is wrong":
# 08 connection exceptions, 57P operator intervention (shutting down, starting up), 53300 too
# many connections.
_UNAVAILABLE_SQLSTATES = ("08", "57P", "53300")


def is_database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` says the database cannot be reached now (retry later), False when it
    is a real error of the statement or the data. Works for SQLAlchemy and raw asyncpg."""
    if isinstance(exc, OSError | TimeoutError | asyncpg.InterfaceError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
            return True
        cause = getattr(exc.orig, "__cause__", None) or exc.orig
        return cause is not None and is_database_unavailable(cause)
    sqlstate = str(getattr(exc, "sqlstate", "") or "")
    return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


@asynccontextmanager
async def transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """The unit of work of a request or a consumer: one Core connection in one transaction,
    committed on success, rolled back on error."""
    async with engine.begin() as conn:
        yield conn


@asynccontextmanager
async def workflow_step(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One committed step of a workflow that spans a network call (see the module docstring):
    the only place outside ``transaction`` where a service's work is committed."""
    async with engine.begin() as conn:
        yield conn


@asynccontextmanager
async def single_statements(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection in autocommit: each statement commits on its own. For hot paths whose unit
    of work is ONE statement (a data-modifying CTE), so that it costs one round trip instead of
    BEGIN, the statements and COMMIT (ADR 0013). Never for two statements that must agree."""
    async with engine.connect() as conn:
        yield await conn.execution_options(isolation_level="AUTOCOMMIT")


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


async def enforce_budget(
    server_dsn: str, *, processes: int, engines: int, pool_size: int, max_overflow: int = 0
) -> int:
    """``check_budget`` against the server's own ``max_connections`` (read with one short
    connection to its ``postgres`` database); called at start-up so a mis-sized deployment fails
    before it serves. A server that cannot be reached raises what asyncpg raises (see
    ``is_database_unavailable``): the caller decides whether that may wait."""
    conn = await asyncpg.connect(libpq_dsn(with_database(server_dsn, "postgres")), timeout=5)
    try:
        max_connections = int(await conn.fetchval("SHOW max_connections"))
    finally:
        await conn.close()
    return check_budget(
        processes=processes,
        engines=engines,
        pool_size=pool_size,
        max_overflow=max_overflow,
        max_connections=max_connections,
    )


DsnResolver = Callable[[str], Awaitable[str]]


def _checked_out(engine: AsyncEngine) -> int:
    counter = getattr(engine.pool, "checkedout", None)
    return int(counter()) if counter is not None else 0


class TenantEngines:
    """One small engine per tenant database, least recently used disposed first.

    ``resolve`` maps a tenant id to its DSN (for example through tenant-admin's placement API);
    its answers are kept (a few bytes per tenant) apart from the engines, so that a tenant whose
    engine was evicted costs a new connection, not another look-up (ADR 0013); ``forget`` drops
    both. No lock: between awaits the check-and-create is atomic, and two concurrent look-ups
    of one tenant agree.
    """

    def __init__(self, resolve: DsnResolver, *, max_engines: int = 16, pool_size: int = 2) -> None:
        if max_engines < 1:
            raise ValueError("max_engines must be at least 1")
        self._resolve = resolve
        self.max_engines = max_engines
        self.pool_size = pool_size
        self._engines: OrderedDict[str, AsyncEngine] = OrderedDict()
        self._dsns: dict[str, str] = {}
        self._users: dict[AsyncEngine, int] = {}  # engines held by ``using`` blocks
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
        dsn = self._dsns.get(tenant_id) or await self._look_up(tenant_id)
        engine = self._engines.get(tenant_id)  # another task may have made it meanwhile
        if engine is None:
            engine = create_engine(dsn, pool_size=self.pool_size)
            self._engines[tenant_id] = engine
            self._evict_over_limit()
        return engine

    @asynccontextmanager
    async def using(self, tenant_id: str) -> AsyncIterator[AsyncEngine]:
        """The tenant's engine, not disposed before the block ends even if evicted meanwhile:
        for a unit of work with several steps and awaits between them (issuance around its
        RPC). A disposed engine used again would open connections nobody closes."""
        engine = await self.get(tenant_id)
        self._users[engine] = self._users.get(engine, 0) + 1
        try:
            yield engine
        finally:
            left = self._users.pop(engine) - 1
            if left:
                self._users[engine] = left

    async def _retire(self, engine: AsyncEngine, *, within_s: float = 30.0) -> None:
        """Dispose an evicted engine once nobody holds it and its connections are back.
        Disposing earlier closes only the idle ones: a connection still in a request's hands
        would go back to the discarded pool and stay open until garbage collection (at
        hundreds of tenants: "too many clients")."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within_s
        # The pool offers no event to wait on: poll.
        while (engine in self._users or _checked_out(engine)) and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        await engine.dispose()

    async def _look_up(self, tenant_id: str) -> str:
        dsn = self._dsns[tenant_id] = await self._resolve(tenant_id)
        return dsn

    def _evict_over_limit(self) -> None:
        while len(self._engines) > self.max_engines:
            old_id, old = self._engines.popitem(last=False)
            log.info("tenant engine evicted", extra={"tenant_id": old_id})
            task = asyncio.get_running_loop().create_task(self._retire(old))
            self._disposals.add(task)
            task.add_done_callback(self._disposals.discard)

    async def forget(self, tenant_id: str) -> None:
        """Drop and dispose a tenant's engine (its database was moved or recreated)."""
        self._dsns.pop(tenant_id, None)
        engine = self._engines.pop(tenant_id, None)
        if engine is not None:
            await engine.dispose()

    async def dispose_all(self) -> None:
        engines = list(self._engines.values())
        self._engines.clear()
        await asyncio.gather(*(e.dispose() for e in engines), *self._disposals)
