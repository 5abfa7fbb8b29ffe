"""Registering customers and reading them back. Never commits: the caller owns the transaction."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.tenants import DatabaseStatus, TenantList, TenantPlacement, TenantRef
from tenant_admin.errors import InvalidInput, InvalidUsername, UnknownTenant, UsernameTaken
from tenant_admin.passwords import generate_portal_password, hash_password
from tenant_admin.servers.service import choose_server, tenant_database_name, tenant_dsn
from tenant_admin.tenants import repository
from tenant_admin.tenants.repository import UserRef
from tenant_admin.tenants.schemas import (
    CustomerChanges,
    NewCustomer,
    TenantDetail,
    TenantPage,
    TenantSummary,
)

USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,49}")


@dataclass(frozen=True, slots=True)
class RegisteredCustomer:
    customer_id: str
    username: str
    database: str | None
    server: str | None
    generated_password: str | None


def validate_username(username: str) -> str:
    if not USERNAME.fullmatch(username):
        raise InvalidUsername(
            f"username {username!r} must be a letter followed by up to 49 letters, digits, _ or -"
        )
    return username


async def not_customers(conn: AsyncConnection, usernames: list[str]) -> list[str]:
    """The names among ``usernames`` that are not an existing customer's (unknown, or an AADE
    user's): an auditor may be granted customers only."""
    roles = await repository.roles_of(conn, usernames)
    return [u for u in usernames if roles.get(u.lower()) != "customer"]


async def _check_role(conn: AsyncConnection, data: NewCustomer) -> None:
    if data.role != "aade_user":
        return
    if not data.sees_data_of:
        raise InvalidInput("an AADE user needs the usernames whose data it sees")
    missing = await not_customers(conn, data.sees_data_of)
    if missing:
        raise InvalidInput("not customers' usernames in sees_data_of: " + ", ".join(missing))


async def register_customer(conn: AsyncConnection, data: NewCustomer) -> RegisteredCustomer:
    """Customer + user + (for customers, not AADE users) a placement in ``provisioning``."""
    validate_username(data.username)
    await _check_role(conn, data)
    if await repository.find_user(conn, data.username):
        raise UsernameTaken(f"username {data.username!r} is taken")
    generated = None if data.password else generate_portal_password()
    password_hash = await hash_password(data.password or generated or "")
    customer_id = uuid.uuid4().hex
    try:
        async with conn.begin_nested():
            await repository.insert_customer(conn, customer_id, data)
            await repository.insert_user(conn, customer_id, data.username, password_hash)
    except IntegrityError:  # a concurrent registration took the name after our check
        raise UsernameTaken(f"username {data.username!r} is taken") from None
    if data.role == "aade_user":
        return RegisteredCustomer(customer_id, data.username, None, None, generated)
    server = await choose_server(conn)
    database = tenant_database_name(customer_id)
    await repository.insert_placement(conn, customer_id, server.id, database)
    return RegisteredCustomer(customer_id, data.username, database, server.name, generated)


async def find_user(conn: AsyncConnection, username: str) -> UserRef | None:
    return await repository.find_user(conn, username)


async def require_user(conn: AsyncConnection, username: str) -> UserRef:
    user = await repository.find_user(conn, username)
    if user is None:
        raise UnknownTenant(f"no user named {username!r}")
    return user


async def require_customer(conn: AsyncConnection, customer_id: str) -> UserRef:
    username = await repository.first_username(conn, customer_id)
    if username is None:
        raise UnknownTenant(f"no tenant with id {customer_id!r}")
    return UserRef(customer_id, username)


def _summary(row: RowMapping) -> TenantSummary:
    return TenantSummary(tenant_id=row["id"], **_common(row))


def _common(row: RowMapping) -> dict[str, object]:
    keys = ("username", "company_name", "vat", "role", "database", "server", "status")
    return {key: row[key] for key in keys} | {"created_at": row["created_at"]}


async def search_tenants(
    conn: AsyncConnection, query: str | None, limit: int = 50, offset: int = 0
) -> TenantPage:
    rows = await repository.search_tenants(conn, query, limit, offset)
    return TenantPage(items=[_summary(row) for row in rows], limit=limit, offset=offset)


_DETAIL_FIELDS = (
    "surname", "name", "email", "mobile", "language", "sees_data_of", "contract_serial",
    "address", "must_change_password", "api_call_log", "schema_revision", "last_error",
    "attempts", "step", "contract_accepted_at", "usage_accepted_at",
)  # fmt: skip


async def get_tenant(conn: AsyncConnection, customer_id: str) -> TenantDetail:
    row = await repository.get_tenant(conn, customer_id)
    if row is None:
        raise UnknownTenant(f"no tenant with id {customer_id!r}")
    # INET columns come back as ipaddress objects.
    addresses = {
        key: str(row[key]) if row[key] is not None else None
        for key in ("contract_accepted_ip", "usage_accepted_ip")
    }
    fields = {key: row[key] for key in _DETAIL_FIELDS}
    return TenantDetail(tenant_id=row["id"], **_common(row), **fields, **addresses)


async def placement(conn: AsyncConnection, customer_id: str) -> TenantPlacement:
    row = await repository.get_placement(conn, customer_id)
    if row is None:
        raise UnknownTenant(f"tenant {customer_id!r} has no database")
    return TenantPlacement(
        tenant_id=row.customer_id,
        database=row.database,
        server_id=row.server_id,
        dsn=tenant_dsn(row.server_dsn, row.database),
        status=row.status,  # type: ignore[arg-type]
    )


async def tenants_with_status(conn: AsyncConnection, status: DatabaseStatus) -> TenantList:
    rows = await repository.placements_with_status(conn, [status])
    return TenantList(items=[TenantRef(tenant_id=r.customer_id, database=r.database) for r in rows])


async def reset_password(conn: AsyncConnection, customer_id: str, username: str) -> str:
    """A new generated first password (PORTAL-9 rules) that must be changed at the next login;
    the user's portal sessions end."""
    password = generate_portal_password()
    await repository.reset_password(conn, customer_id, username, await hash_password(password))
    return password


async def set_password(
    conn: AsyncConnection, customer_id: str, username: str, password: str, *, must_change: bool
) -> None:
    """The password an operator generated (ADMIN-7 "Generate new"); the user's portal sessions
    end."""
    hashed = await hash_password(password)
    await repository.reset_password(conn, customer_id, username, hashed, must_change)


async def update_customer(
    conn: AsyncConnection, customer_id: str, changes: CustomerChanges
) -> None:
    """ADMIN-7: the user's data as the operator edited it (role and username stay)."""
    await repository.update_customer(conn, customer_id, changes.model_dump())
