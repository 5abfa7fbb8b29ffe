"""Spending and refunding package calls: every statement the quota needs, nothing else.

The gateway runs these on its hot path with asyncpg directly (docs/adr/0003-quota-statement.md
explains the statement and why it cannot overspend under READ COMMITTED). Each call runs in its
own implicit transaction: one round trip, committed when it returns.

Public API: ``reserve_call``, ``refund_call``, ``QuotaExhausted`` (with its two reasons),
``QuotaState``.
"""

from __future__ import annotations

import enum
from typing import Any, Protocol

# The subquery picks the package that should pay (still valid, calls left, ending first) from
# the statement's snapshot. The outer ``calls_used < call_limit`` is what makes it safe: when a
# concurrent call updated that row first, PostgreSQL waits for it, then re-checks the outer
# WHERE against the newest row version (READ COMMITTED's EvalPlanQual), so a full package is
# skipped instead of being overspent. The CHECK constraint on ``packages`` is the backstop.
RESERVE_CALL = """
UPDATE packages
   SET calls_used = calls_used + 1, updated_at = now()
 WHERE id = (
        SELECT id FROM packages
         WHERE customer_id = $1
           AND starts_at <= now() AND ends_at > now()
           AND calls_used < call_limit
         ORDER BY ends_at, id
         LIMIT 1)
   AND calls_used < call_limit
RETURNING id
"""

# Only run when nothing was reserved; tells "no valid package" from "all used up", and whether
# another valid package still has calls (its sibling filled up concurrently: try again).
QUOTA_STATE = """
SELECT count(*) FILTER (WHERE calls_used < call_limit) AS with_calls,
       count(*) AS valid
  FROM packages
 WHERE customer_id = $1 AND starts_at <= now() AND ends_at > now()
"""

REFUND_CALL = """
UPDATE packages
   SET calls_used = calls_used - 1, updated_at = now()
 WHERE id = $1 AND calls_used > 0
RETURNING id
"""

# Several packages filling up at the same instant is the only reason to loop; bounded anyway.
MAX_ATTEMPTS = 5


class Executor(Protocol):
    """What the statements need: an ``asyncpg.Pool`` or ``asyncpg.Connection`` fits."""

    async def fetchval(self, query: str, *args: object) -> Any: ...

    async def fetchrow(self, query: str, *args: object) -> Any: ...


class QuotaState(enum.Enum):
    HAS_CALLS = "has_calls"
    EXPIRED = "expired"  # no package valid now: all ended, or none started yet
    USED_UP = "used_up"  # valid packages exist, every call spent


class QuotaExhausted(Exception):
    """No call could be reserved; ``state`` says why (``EXPIRED`` or ``USED_UP``)."""

    def __init__(self, state: QuotaState) -> None:
        super().__init__(state.value)
        self.state = state


async def reserve_call(db: Executor, customer_id: str) -> int:
    """Spend one call of the customer's active package; return the package id.

    Raises ``QuotaExhausted`` when no valid package has a call left.
    """
    for _ in range(MAX_ATTEMPTS):
        package_id = await db.fetchval(RESERVE_CALL, customer_id)
        if package_id is not None:
            return int(package_id)
        state = await quota_state(db, customer_id)
        if state is not QuotaState.HAS_CALLS:
            raise QuotaExhausted(state)
    raise QuotaExhausted(QuotaState.USED_UP)


async def quota_state(db: Executor, customer_id: str) -> QuotaState:
    row = await db.fetchrow(QUOTA_STATE, customer_id)
    with_calls, valid = row["with_calls"], row["valid"]
    if valid == 0:
        return QuotaState.EXPIRED
    return QuotaState.HAS_CALLS if with_calls else QuotaState.USED_UP


async def refund_call(db: Executor, package_id: int) -> bool:
    """Give one call back to ``package_id``; False when there was nothing to give back."""
    return await db.fetchval(REFUND_CALL, package_id) is not None
