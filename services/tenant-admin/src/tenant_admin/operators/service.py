"""Creating operators, logging them in (the JSON API's token; the admin app's server-side
sessions) and reading a session back. Never commits: the request owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from kit.auth import TokenCodec
from kit.errors import Conflict, NotFound, Unauthorized
from tenant_admin.errors import InvalidInput
from tenant_admin.operators import repository
from tenant_admin.operators.schemas import LoginResponse
from tenant_admin.operators.throttle import AccountThrottle
from tenant_admin.passwords import hash_password, verify_known_or_decoy
from tenant_admin.sessions import SessionLimits, hash_session_id, new_csrf_token, new_session_id
from tenant_admin.tenants.service import validate_username

MIN_PASSWORD = 10
# (username, password, client address)
Credentials = tuple[str, str, str]


class OperatorSessionGone(NotFound):
    """Unknown, expired, idle too long, or its operator was disabled: log in again."""

    code = "session_expired"
    title = "Session expired"


@dataclass(frozen=True, slots=True)
class OperatorSession:
    session_id: str
    operator_id: int
    username: str
    csrf_token: str
    expires_at: datetime


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"an operator password needs at least {MIN_PASSWORD} characters")


async def create_operator(
    conn: AsyncConnection, username: str, password: str, *, or_update: bool = False
) -> bool:
    """A new operator (True); with ``or_update`` an existing one gets this password (False)
    instead of a ``Conflict`` — how ``make run`` keeps its demo operator's saved password."""
    validate_username(username)
    _check_password(password)
    hashed = await hash_password(password)
    if await repository.insert_operator(conn, username, hashed):
        return True
    if or_update and await repository.set_password(conn, username, hashed):
        return False
    raise Conflict(f"operator {username!r} exists")


async def _verified(
    conn: AsyncConnection, throttle: AccountThrottle, credentials: Credentials
) -> repository.OperatorRow:
    """The operator behind ``credentials``, or 401 (the same for an unknown name and a wrong
    password) / 429 (throttled, with Retry-After)."""
    username, password, client = credentials
    throttle.check(username, client)
    row = await repository.active_operator(conn, username)
    if not await verify_known_or_decoy(row.password_hash if row else None, password):
        throttle.failed(username, client)
        raise Unauthorized("bad operator credentials")
    assert row is not None
    throttle.succeeded(username, client)
    return row


async def login(
    conn: AsyncConnection,
    throttle: AccountThrottle,
    codec: TokenCodec,
    ttl_seconds: int,
    credentials: Credentials,
) -> LoginResponse:
    """The JSON API's login: an operator token."""
    row = await _verified(conn, throttle, credentials)
    token, _ = codec.issue(row.username.lower(), ttl_seconds, role="operator")
    return LoginResponse(access_token=token, expires_in=ttl_seconds)


async def open_session(
    conn: AsyncConnection,
    throttle: AccountThrottle,
    limits: SessionLimits,
    credentials: Credentials,
) -> OperatorSession:
    """The admin app's login: a NEW session (a new id at every login)."""
    row = await _verified(conn, throttle, credentials)
    session_id, csrf = new_session_id(), new_csrf_token()
    expires_at = datetime.now(UTC) + timedelta(seconds=limits.max_s)
    await repository.insert_session(
        conn, hash_session_id(session_id), row.id, csrf, credentials[2], expires_at
    )
    return OperatorSession(session_id, row.id, row.username, csrf, expires_at)


async def load_session(
    conn: AsyncConnection, limits: SessionLimits, session_id: str
) -> OperatorSession:
    row = await repository.live_session(conn, hash_session_id(session_id), limits.idle_s)
    if row is None:
        raise OperatorSessionGone("the session has ended; log in again")
    return OperatorSession(
        session_id, int(row["operator_id"]), row["username"], row["csrf_token"], row["expires_at"]
    )


async def close_session(conn: AsyncConnection, session_id: str) -> None:
    await repository.delete_session(conn, hash_session_id(session_id))


async def purge_sessions(conn: AsyncConnection) -> int:
    """Delete the sessions past their absolute limit (idle ones are refused anyway)."""
    return await repository.delete_expired_sessions(conn)
