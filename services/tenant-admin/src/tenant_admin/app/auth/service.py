"""Logging operators in and out: a new server-side session at every login (the previous one
ended), throttled per operator and address (``AccountThrottle``), each in the audit trail."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from kit.errors import TooManyRequests, Unauthorized
from tenant_admin.app.deps import PREFIX, AdminSite
from tenant_admin.audit import service as audit
from tenant_admin.audit.service import Actor
from tenant_admin.operators import service as operators
from tenant_admin.operators.service import OperatorSession
from webkit.i18n import N_, Message

HOME = PREFIX + "/users"


async def log_in(
    conn: AsyncConnection, site: AdminSite, credentials: tuple[str, str, str], previous: str | None
) -> OperatorSession:
    """A new session for (username, password, client address); ``Unauthorized`` (the same for
    an unknown name and a wrong password) or ``TooManyRequests`` otherwise."""
    runtime = site.runtime
    if previous:
        await operators.close_session(conn, previous)
    session = await operators.open_session(
        conn, runtime.operator_throttle, site.limits, credentials
    )
    await audit.record(conn, Actor(session.username, credentials[2]), "login")
    return session


def refusal(refused: Unauthorized | TooManyRequests) -> Message:
    """Why a log-in was refused, for the form."""
    if isinstance(refused, Unauthorized):
        return Message(N_("Wrong username or password."), level="error")
    seconds = int(refused.headers.get("Retry-After", "60"))
    return Message(
        N_("Too many failed attempts. Try again in %(minutes)s minute(s)."),
        {"minutes": max(1, -(-seconds // 60))}, level="error",
    )  # fmt: skip


async def log_out(conn: AsyncConnection, session: OperatorSession, actor: Actor) -> None:
    await operators.close_session(conn, session.session_id)
    await audit.record(conn, actor, "logout")


def safe_next(wanted: str | None) -> str | None:
    """Only a page of this app (no scheme, no host, no ``//``): never an open redirect."""
    if not wanted or "\\" in wanted or wanted.startswith("//"):
        return None
    if wanted == PREFIX or wanted.startswith(PREFIX + "/"):
        return wanted
    return None
