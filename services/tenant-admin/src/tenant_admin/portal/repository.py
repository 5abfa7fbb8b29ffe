"""SQL of the portal domain: users by name, sessions, acceptances, grants, the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import audit_views, customers, portal_sessions, users


@dataclass(frozen=True, slots=True)
class LoginRow:
    user_id: int
    customer_id: str
    username: str
    password_hash: str


async def user_by_name(conn: AsyncConnection, username: str) -> LoginRow | None:
    stmt = select(users.c.id, users.c.customer_id, users.c.username, users.c.password_hash)
    row = (await conn.execute(stmt.where(func.lower(users.c.username) == username.lower()))).first()
    return LoginRow(*row) if row else None


async def password_hash(conn: AsyncConnection, user_id: int) -> str | None:
    stmt = select(users.c.password_hash).where(users.c.id == user_id)
    return (await conn.execute(stmt)).scalar_one_or_none()


async def insert_session(
    conn: AsyncConnection, id_hash: str, user_id: int, csrf: str, ip: str, expires_at: datetime
) -> None:
    values = {"csrf_token": csrf, "client_ip": ip, "expires_at": expires_at}
    await conn.execute(insert(portal_sessions).values(id_hash=id_hash, user_id=user_id, **values))


_USER_COLUMNS = (
    users.c.id.label("user_id"), users.c.username, customers.c.id.label("customer_id"),
    customers.c.role, customers.c.company_name, customers.c.vat, customers.c.surname,
    customers.c.name, customers.c.email, customers.c.mobile, customers.c.language,
    customers.c.contract_serial, customers.c.must_change_password,
    customers.c.contract_accepted_at, customers.c.usage_accepted_at, customers.c.sees_data_of,
)  # fmt: skip


async def live_session(conn: AsyncConnection, id_hash: str, idle_s: int) -> RowMapping | None:
    """The session with its user, if it is neither past its absolute limit nor idle too long;
    its ``last_seen_at`` moves to now (the idle limit starts again)."""
    s = portal_sessions.c
    idle_cut = func.now() - func.make_interval(0, 0, 0, 0, 0, 0, idle_s)
    touched = (
        update(portal_sessions)
        .where(s.id_hash == id_hash, s.expires_at > func.now(), s.last_seen_at > idle_cut)
        .values(last_seen_at=func.now())
        .returning(s.user_id, s.csrf_token, s.acting_for, s.created_at, s.expires_at)
        .cte("touched")
    )
    stmt = (
        select(touched, *_USER_COLUMNS[1:])
        .join(users, users.c.id == touched.c.user_id)
        .join(customers, customers.c.id == users.c.customer_id)
    )
    row: RowMapping | None = (await conn.execute(stmt)).mappings().first()
    return row


async def delete_session(conn: AsyncConnection, id_hash: str) -> None:
    await conn.execute(delete(portal_sessions).where(portal_sessions.c.id_hash == id_hash))


async def delete_expired_sessions(conn: AsyncConnection) -> int:
    stmt = delete(portal_sessions).where(portal_sessions.c.expires_at < func.now())
    return int((await conn.execute(stmt)).rowcount or 0)


async def set_acting_for(conn: AsyncConnection, id_hash: str, customer_id: str | None) -> None:
    stmt = update(portal_sessions).where(portal_sessions.c.id_hash == id_hash)
    await conn.execute(stmt.values(acting_for=customer_id))


async def set_password(conn: AsyncConnection, user_id: int, customer_id: str, hashed: str) -> None:
    await conn.execute(update(users).where(users.c.id == user_id).values(password_hash=hashed))
    stmt = update(customers).where(customers.c.id == customer_id)
    await conn.execute(stmt.values(must_change_password=False, updated_at=func.now()))


async def record_acceptance(conn: AsyncConnection, customer_id: str, ip: str) -> None:
    values: dict[str, Any] = {
        "contract_accepted_ip": ip,
        "contract_accepted_at": func.now(),
        "usage_accepted_ip": ip,
        "usage_accepted_at": func.now(),
        "updated_at": func.now(),
    }
    await conn.execute(update(customers).where(customers.c.id == customer_id).values(**values))


async def customers_of_users(conn: AsyncConnection, usernames: list[str]) -> list[RowMapping]:
    """The customers behind ``usernames`` (an auditor's ``sees_data_of``), in that order."""
    if not usernames:
        return []
    stmt = (
        select(
            customers.c.id.label("customer_id"),
            users.c.username,
            customers.c.company_name,
            customers.c.vat,
        )
        .join(users, users.c.customer_id == customers.c.id)
        .where(func.lower(users.c.username).in_([u.lower() for u in usernames]))
        .where(customers.c.role == "customer")
    )
    rows = (await conn.execute(stmt)).mappings().all()
    order = {u.lower(): i for i, u in enumerate(usernames)}
    return sorted(rows, key=lambda r: order.get(str(r["username"]).lower(), len(order)))


async def insert_audit_view(
    conn: AsyncConnection, user_id: int, customer_id: str, what: str, ip: str
) -> None:
    values = {"user_id": user_id, "customer_id": customer_id, "what": what, "client_ip": ip}
    await conn.execute(insert(audit_views).values(**values))


async def audit_trail(conn: AsyncConnection, customer_id: str, limit: int) -> list[RowMapping]:
    stmt = (
        select(audit_views, users.c.username)
        .join(users, users.c.id == audit_views.c.user_id)
        .where(audit_views.c.customer_id == customer_id)
        .order_by(audit_views.c.at.desc(), audit_views.c.id.desc())
        .limit(limit)
    )
    return list((await conn.execute(stmt)).mappings().all())
