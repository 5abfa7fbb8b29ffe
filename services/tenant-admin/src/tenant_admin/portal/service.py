"""Portal users: login with throttling, server-side sessions, first login, password, token,
packages, auditors. Never commits: the request owns the transaction.

Sessions (``tenant_admin.sessions``): the id is shown once (portal-web's cookie) and stored as
its SHA-256; a new one at every login (no session fixation); an idle limit and an absolute one.

Throttling, per process (one tenant-admin): ``AccountThrottle`` (operators.throttle), so that a
guesser is slowed at once while the real user, from another address, is not locked out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.portal import (
    NewApiToken,
    PortalPackage,
    PortalSession,
    PortalUser,
    SeenCustomer,
)
from kit.auth import TokenCodec
from kit.errors import Forbidden, InvalidRequest, NotFound, Unauthorized
from tenant_admin.operators.throttle import AccountThrottle
from tenant_admin.packages.service import list_packages
from tenant_admin.passwords import (
    PASSWORD_RULES,
    broken_rules,
    hash_password,
    verify_known_or_decoy,
    verify_password,
)
from tenant_admin.portal import repository
from tenant_admin.sessions import (
    SessionLimits,
    hash_session_id,
    new_csrf_token,
    new_session_id,
)
from tenant_admin.tokens.service import issue_token

RULE_TEXT = dict(PASSWORD_RULES)


class SessionGone(NotFound):
    """Unknown, expired or idle too long: portal-web sends the user to /login."""

    code = "session_expired"
    title = "Session expired"


class WrongCredentials(Unauthorized):
    """The same answer for an unknown user and a wrong password (nothing to enumerate)."""


@dataclass(frozen=True, slots=True)
class LoadedSession:
    portal: PortalSession
    user_id: int


async def login(
    conn: AsyncConnection,
    throttle: AccountThrottle,
    limits: SessionLimits,
    credentials: tuple[str, str, str],
) -> PortalSession:
    """``credentials`` = (username, password, client address): a new session, or 401 / 429."""
    username, password, ip = credentials
    throttle.check(username, ip)
    row = await repository.user_by_name(conn, username)
    if not await verify_known_or_decoy(row.password_hash if row else None, password):
        throttle.failed(username, ip)
        raise WrongCredentials("portal login refused")
    assert row is not None
    throttle.succeeded(username, ip)
    session_id, csrf = new_session_id(), new_csrf_token()
    expires_at = datetime.now(UTC) + timedelta(seconds=limits.max_s)
    id_hash = hash_session_id(session_id)
    await repository.insert_session(conn, id_hash, row.user_id, csrf, ip, expires_at)
    return (await load_session(conn, limits, session_id)).portal


async def load_session(
    conn: AsyncConnection, limits: SessionLimits, session_id: str
) -> LoadedSession:
    row = await repository.live_session(conn, hash_session_id(session_id), limits.idle_s)
    if row is None:
        raise SessionGone("the session has ended; log in again")
    seen = await _seen(conn, row)
    acting = next((c for c in seen if c.customer_id == row["acting_for"]), None)
    portal = PortalSession(
        session_id=session_id,
        csrf_token=row["csrf_token"],
        user=_user(row, seen),
        acting_for=acting,
        created_at=row["created_at"],
        expires_at=row["expires_at"],
    )
    return LoadedSession(portal, int(row["user_id"]))


async def _seen(conn: AsyncConnection, row: RowMapping) -> list[SeenCustomer]:
    if row["role"] != "aade_user":
        return []
    found = await repository.customers_of_users(conn, list(row["sees_data_of"] or []))
    return [SeenCustomer.model_validate(dict(r)) for r in found]


def _user(row: RowMapping, seen: list[SeenCustomer]) -> PortalUser:
    fields: dict[str, Any] = {name: row[name] for name in PortalUser.model_fields if name != "sees"}
    return PortalUser(**fields, sees=seen)


async def logout(conn: AsyncConnection, session_id: str) -> None:
    await repository.delete_session(conn, hash_session_id(session_id))


def password_rules_error(rules: list[str]) -> InvalidRequest:
    problems = [f"new_password: needs {RULE_TEXT[rule]}" for rule in rules]
    error = InvalidRequest(problems, message="The new password breaks the password rules")
    error.code = "password_rules"
    assert error.data is not None
    error.data["rules"] = rules
    return error


async def change_password(
    conn: AsyncConnection, user: PortalUser, user_id: int, current: str, new: str
) -> None:
    """PORTAL-9: the current password, then every rule (all broken ones reported at once)."""
    stored = await repository.password_hash(conn, user_id)
    if stored is None or not await verify_password(stored, current):
        raise InvalidRequest(["current_password: does not match"], message="Wrong password")
    if rules := broken_rules(new):
        raise password_rules_error(rules)
    if new == current:
        raise InvalidRequest(["new_password: must differ from the current one"])
    await repository.set_password(conn, user_id, user.customer_id, await hash_password(new))


async def accept_terms(
    conn: AsyncConnection, user: PortalUser, contract: bool, usage: bool, ip: str
) -> None:
    """PORTAL-2: both or nothing; the address and time are recorded (ADMIN-3 shows them)."""
    missing = [name for name, given in (("contract", contract), ("usage", usage)) if not given]
    if missing:
        raise InvalidRequest([f"{name}: must be accepted" for name in missing])
    await repository.record_acceptance(conn, user.customer_id, ip)


def require_customer_role(user: PortalUser) -> None:
    if user.role != "customer":
        raise Forbidden("only a customer's own users may do this")


def require_ready(user: PortalUser) -> None:
    """Past first login: password changed and both terms accepted (else: guest only)."""
    if user.must_change_password or not user.accepted_terms:
        raise Forbidden("finish the first login: change the password and accept the terms")


async def new_api_token(
    conn: AsyncConnection, codec: TokenCodec, ttl_s: int, user: PortalUser
) -> NewApiToken:
    """PORTAL-9 "Generate token": shown once; the previous tokens are revoked at once (the
    token.revoked events reach every gateway)."""
    issued = await issue_token(conn, codec, user.customer_id, user.username, ttl_s)
    return NewApiToken(api_token=issued.api_token, revoked=len(issued.revoked))


async def packages(conn: AsyncConnection, customer_id: str) -> list[PortalPackage]:
    now = datetime.now(UTC)
    found = await list_packages(conn, customer_id)
    active = next(
        (p.id for p in sorted(found, key=lambda p: (p.ends_at, p.id))
         if p.starts_at <= now < p.ends_at and p.calls_used < p.call_limit),
        None,
    )  # fmt: skip
    return [PortalPackage(**p.model_dump(), active=p.id == active) for p in found]


async def act_for(
    conn: AsyncConnection, portal: PortalSession, customer_id: str, user_id: int, ip: str
) -> None:
    """An auditor picks one of the customers granted to them; refused otherwise (and the
    attempt is not a view, so it is not in the trail)."""
    if not any(c.customer_id == customer_id for c in portal.user.sees):
        raise Forbidden("this customer's data is not granted to you")
    await repository.set_acting_for(conn, hash_session_id(portal.session_id), customer_id)
    await repository.insert_audit_view(conn, user_id, customer_id, "opened the customer", ip)


async def record_view(
    conn: AsyncConnection, portal: PortalSession, user_id: int, what: str, ip: str
) -> None:
    if portal.acting_for is None:
        raise Forbidden("pick a customer first")
    await repository.insert_audit_view(conn, user_id, portal.acting_for.customer_id, what, ip)


async def purge_sessions(conn: AsyncConnection) -> int:
    """Delete the sessions past their absolute limit (idle ones are refused anyway)."""
    return await repository.delete_expired_sessions(conn)
