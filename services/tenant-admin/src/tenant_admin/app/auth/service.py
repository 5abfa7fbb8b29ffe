"""Logging operators in and out: a new server-side session at every login (the previous one
ended), throttled per operator and address (``AccountThrottle``), each in the audit trail."""

from __future__ import annotations

from kit.db import transaction
from kit.errors import TooManyRequests, Unauthorized
from tenant_admin.app.deps import PREFIX, AdminSite
from tenant_admin.audit import service as audit
from tenant_admin.audit.service import Actor
from tenant_admin.operators import service as operators
from tenant_admin.operators.service import OperatorSession
from webkit.i18n import N_, Message

HOME = PREFIX + "/users"


async def log_in(
    site: AdminSite, username: str, password: str, client_ip: str, previous: str | None
) -> OperatorSession | Message:
    """A new session, or why not (the same words for an unknown name and a wrong password)."""
    runtime = site.runtime
    try:
        async with transaction(runtime.engine) as conn:
            if previous:
                await operators.close_session(conn, previous)
            credentials = (username, password, client_ip)
            session = await operators.open_session(
                conn, runtime.operator_throttle, site.limits, credentials
            )
            await audit.record(conn, Actor(session.username, client_ip), "login")
    except Unauthorized:
        return Message(N_("Wrong username or password."), level="error")
    except TooManyRequests as throttled:
        seconds = int(throttled.headers.get("Retry-After", "60"))
        return Message(
            N_("Too many failed attempts. Try again in %(minutes)s minute(s)."),
            {"minutes": max(1, -(-seconds // 60))}, level="error",
        )  # fmt: skip
    return session


async def log_out(site: AdminSite, session: OperatorSession, actor: Actor) -> None:
    async with transaction(site.runtime.engine) as conn:
        await operators.close_session(conn, session.session_id)
        await audit.record(conn, actor, "logout")


def safe_next(wanted: str | None) -> str | None:
    """Only a page of this app (no scheme, no host, no ``//``): never an open redirect."""
    if not wanted or "\\" in wanted or wanted.startswith("//"):
        return None
    if wanted == PREFIX or wanted.startswith(PREFIX + "/"):
        return wanted
    return None
