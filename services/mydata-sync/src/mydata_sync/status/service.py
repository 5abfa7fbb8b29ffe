"""The status answer: the breaker as this process knows it, and the backlog from the database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.status import Circuit, MydataStatus
from kit.errors import ServiceUnavailable
from mydata_sync.breaker import BreakerState, CircuitBreaker
from mydata_sync.status import repository

_CIRCUIT: dict[BreakerState, Circuit] = {
    BreakerState.CLOSED: "closed",
    BreakerState.HALF_OPEN: "half_open",
    BreakerState.OPEN: "open",
}


async def mydata_status(
    engine: AsyncEngine, breaker: CircuitBreaker, tenant_id: str | None
) -> MydataStatus:
    try:
        async with engine.connect() as conn:
            backlog, oldest = await repository.backlog(conn, None)
            mine = (await repository.backlog(conn, tenant_id))[0] if tenant_id else None
    except (OSError, SQLAlchemyError) as exc:
        raise ServiceUnavailable("the sync database cannot be read") from exc
    return MydataStatus(
        circuit=_CIRCUIT[breaker.state],
        last_success_at=_moment(breaker.last_success_at),
        last_failure_at=_moment(breaker.last_failure_at),
        backlog=backlog,
        oldest_waiting_since=oldest,
        customer_backlog=mine,
    )


def _moment(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None
