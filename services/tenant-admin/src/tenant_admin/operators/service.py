"""Creating operators and logging them in. Never commits."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from kit.auth import TokenCodec
from kit.errors import Conflict, Unauthorized
from tenant_admin.errors import InvalidInput
from tenant_admin.operators import repository
from tenant_admin.operators.schemas import LoginResponse
from tenant_admin.operators.throttle import LoginThrottle
from tenant_admin.passwords import hash_password, verify_known_or_decoy
from tenant_admin.tenants.service import validate_username

MIN_PASSWORD = 10


async def create_operator(conn: AsyncConnection, username: str, password: str) -> None:
    validate_username(username)
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"an operator password needs at least {MIN_PASSWORD} characters")
    if not await repository.insert_operator(conn, username, await hash_password(password)):
        raise Conflict(f"operator {username!r} exists")


async def login(
    conn: AsyncConnection,
    throttle: LoginThrottle,
    codec: TokenCodec,
    ttl_seconds: int,
    credentials: tuple[str, str, str],
) -> LoginResponse:
    """``credentials`` = (username, password, client address)."""
    username, password, client = credentials
    user_key, client_key = "user:" + username.lower(), "ip:" + client
    throttle.check(user_key, client_key)
    stored = await repository.active_password_hash(conn, username)
    if not await verify_known_or_decoy(stored, password):
        throttle.failed(user_key, client_key)
        raise Unauthorized("bad operator credentials")
    throttle.succeeded(user_key)
    token, _ = codec.issue(username.lower(), ttl_seconds, role="operator")
    return LoginResponse(access_token=token, expires_in=ttl_seconds)
