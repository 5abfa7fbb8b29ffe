"""SQL for customers, users and tenant_databases (the catalog)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import RowMapping, Select, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import customers, db_servers, portal_sessions, tenant_databases, users
from tenant_admin.tenants.schemas import NewCustomer

_CUSTOMER_FIELDS = (
    "company_name", "vat", "surname", "name", "mobile", "email", "language", "role",
    "sees_data_of", "contract_serial", "address", "must_change_password", "api_call_log",
)  # fmt: skip
_ERROR_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class UserRef:
    customer_id: str
    username: str


@dataclass(frozen=True, slots=True)
class PlacementRow:
    customer_id: str
    database: str
    server_id: int
    server_name: str
    server_dsn: str
    status: str
    schema_revision: str | None


async def insert_customer(conn: AsyncConnection, customer_id: str, data: NewCustomer) -> None:
    values = {field: getattr(data, field) for field in _CUSTOMER_FIELDS}
    await conn.execute(insert(customers).values(id=customer_id, **values))


async def insert_user(
    conn: AsyncConnection, customer_id: str, username: str, password_hash: str
) -> None:
    stmt = insert(users).values(
        customer_id=customer_id, username=username, password_hash=password_hash
    )
    await conn.execute(stmt)


async def find_user(conn: AsyncConnection, username: str) -> UserRef | None:
    stmt = select(users.c.customer_id, users.c.username).where(
        func.lower(users.c.username) == username.lower()
    )
    row = (await conn.execute(stmt)).first()
    return UserRef(*row) if row else None


async def first_username(conn: AsyncConnection, customer_id: str) -> str | None:
    stmt = select(users.c.username).where(users.c.customer_id == customer_id)
    return (await conn.execute(stmt.order_by(users.c.id).limit(1))).scalar_one_or_none()


async def insert_placement(
    conn: AsyncConnection, customer_id: str, server_id: int, database: str
) -> None:
    stmt = insert(tenant_databases).values(
        customer_id=customer_id, server_id=server_id, database=database
    )
    await conn.execute(stmt)


def _placements() -> Select[tuple[str, str, int, str, str, str, str | None]]:
    td = tenant_databases.c
    return select(
        td.customer_id, td.database, td.server_id, db_servers.c.name.label("server_name"),
        db_servers.c.dsn.label("server_dsn"),
        td.status, td.schema_revision,
    ).join(db_servers, db_servers.c.id == td.server_id)  # fmt: skip


async def get_placement(conn: AsyncConnection, customer_id: str) -> PlacementRow | None:
    stmt = _placements().where(tenant_databases.c.customer_id == customer_id)
    row = (await conn.execute(stmt)).first()
    return PlacementRow(**row._mapping) if row else None


async def placements_with_status(
    conn: AsyncConnection, statuses: Sequence[str]
) -> list[PlacementRow]:
    stmt = _placements().where(tenant_databases.c.status.in_(statuses))
    rows = (await conn.execute(stmt.order_by(tenant_databases.c.created_at))).all()
    return [PlacementRow(**row._mapping) for row in rows]


async def _set_placement(conn: AsyncConnection, customer_id: str, **values: Any) -> None:
    stmt = (
        update(tenant_databases)
        .where(tenant_databases.c.customer_id == customer_id)
        .values(updated_at=func.now(), **values)
    )
    await conn.execute(stmt)


async def start_attempt(conn: AsyncConnection, customer_id: str) -> None:
    attempts = tenant_databases.c.attempts + 1
    await _set_placement(
        conn, customer_id, status="provisioning", attempts=attempts, step="create_database"
    )


async def set_step(conn: AsyncConnection, customer_id: str, step: str) -> None:
    await _set_placement(conn, customer_id, step=step)


async def mark_active(conn: AsyncConnection, customer_id: str, revision: str | None) -> None:
    await _set_placement(
        conn, customer_id, status="active", schema_revision=revision, last_error=None, step=None
    )


async def mark_failed(conn: AsyncConnection, customer_id: str, error: str) -> None:
    await _set_placement(conn, customer_id, status="failed", last_error=error[:_ERROR_LIMIT])


async def mark_recreating(conn: AsyncConnection, customer_id: str) -> None:
    await _set_placement(
        conn, customer_id, status="provisioning", schema_revision=None, step="drop_database"
    )


async def set_revision(conn: AsyncConnection, customer_id: str, revision: str | None) -> None:
    await _set_placement(conn, customer_id, schema_revision=revision)


async def try_provisioning_lock(conn: AsyncConnection, customer_id: str) -> bool:
    """A session-level advisory lock: one provisioner per tenant across all processes."""
    key = func.hashtext("einv:provision:" + customer_id)
    return bool((await conn.execute(select(func.pg_try_advisory_lock(key)))).scalar_one())


async def release_provisioning_lock(conn: AsyncConnection, customer_id: str) -> None:
    key = func.hashtext("einv:provision:" + customer_id)
    await conn.execute(select(func.pg_advisory_unlock(key)))


def _tenant_rows() -> Select[Any]:
    username = (
        select(users.c.username)
        .where(users.c.customer_id == customers.c.id)
        .order_by(users.c.id)
        .limit(1)
        .scalar_subquery()
    )
    td = tenant_databases.c
    return (
        select(
            customers,
            username.label("username"),
            td.database,
            td.status,
            td.schema_revision,
            td.last_error,
            td.attempts,
            td.step,
            db_servers.c.name.label("server"),
        )
        .outerjoin(tenant_databases, td.customer_id == customers.c.id)
        .outerjoin(db_servers, db_servers.c.id == td.server_id)
    )


async def search_tenants(
    conn: AsyncConnection, query: str | None, limit: int, offset: int
) -> Sequence[RowMapping]:
    """ADMIN-2: newest first, optionally filtered by VAT prefix or company name substring."""
    stmt = _tenant_rows()
    if query:
        pattern = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            or_(customers.c.vat.like(pattern + "%"), customers.c.company_name.ilike(f"%{pattern}%"))
        )
    stmt = stmt.order_by(customers.c.created_at.desc(), customers.c.id).limit(limit).offset(offset)
    rows: Sequence[RowMapping] = (await conn.execute(stmt)).mappings().all()
    return rows


async def get_tenant(conn: AsyncConnection, customer_id: str) -> RowMapping | None:
    stmt = _tenant_rows().where(customers.c.id == customer_id)
    row: RowMapping | None = (await conn.execute(stmt)).mappings().first()
    return row


async def reset_password(
    conn: AsyncConnection,
    customer_id: str,
    username: str,
    password_hash: str,
    must_change: bool = True,
) -> None:
    """A new password; the user's portal sessions end (whoever held the old one is out)."""
    user = func.lower(users.c.username) == username.lower()
    stmt = update(users).where(user).values(password_hash=password_hash, updated_at=func.now())
    await conn.execute(stmt)
    await conn.execute(
        update(customers)
        .where(customers.c.id == customer_id)
        .values(must_change_password=must_change, updated_at=func.now())
    )
    user_ids = select(users.c.id).where(user).scalar_subquery()
    await conn.execute(delete(portal_sessions).where(portal_sessions.c.user_id.in_(user_ids)))


async def update_customer(conn: AsyncConnection, customer_id: str, values: dict[str, Any]) -> None:
    stmt = update(customers).where(customers.c.id == customer_id)
    await conn.execute(stmt.values(updated_at=func.now(), **values))


async def roles_of(conn: AsyncConnection, usernames: Sequence[str]) -> dict[str, str]:
    """Lower-cased username → role of its customer, for the names that exist."""
    stmt = (
        select(func.lower(users.c.username), customers.c.role)
        .join(customers, customers.c.id == users.c.customer_id)
        .where(func.lower(users.c.username).in_([u.lower() for u in usernames]))
    )
    return {name: role for name, role in (await conn.execute(stmt)).all()}
