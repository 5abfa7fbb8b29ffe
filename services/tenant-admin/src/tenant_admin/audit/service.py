"""Recording operator actions and reading the trail back. Never commits: an action is recorded
in the transaction that does it, so the trail holds exactly what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from tenant_admin.audit import repository


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: an operator, from an address."""

    operator: str
    client_ip: str


@dataclass(frozen=True, slots=True)
class Subject:
    """Whose account an action concerns."""

    customer_id: str
    username: str


@dataclass(frozen=True, slots=True)
class AuditFilters:
    operator: str | None = None
    action: str | None = None
    customer_id: str | None = None
    username: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Action:
    id: int
    at: datetime
    operator: str
    action: str
    customer_id: str | None
    username: str | None
    detail: dict[str, Any]
    client_ip: str


async def record(
    conn: AsyncConnection,
    actor: Actor,
    action: str,
    subject: Subject | None = None,
    **detail: Any,
) -> None:
    """One line of the trail. ``detail`` never holds a secret (no password, no token)."""
    values: dict[str, Any] = {
        "operator": actor.operator,
        "action": action,
        "client_ip": actor.client_ip,
        "detail": detail,
        "customer_id": subject.customer_id if subject else None,
        "username": subject.username if subject else None,
    }
    await repository.insert_action(conn, values)


async def trail(
    conn: AsyncConnection,
    filters: AuditFilters,
    before: tuple[datetime, int] | None = None,
    limit: int = 50,
) -> list[Action]:
    rows = await repository.actions(conn, vars_of(filters), before, limit)
    return [Action(**dict(row)) for row in rows]


async def action_names(conn: AsyncConnection) -> list[str]:
    return await repository.action_names(conn)


def vars_of(filters: AuditFilters) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in AuditFilters.__dataclass_fields__}
