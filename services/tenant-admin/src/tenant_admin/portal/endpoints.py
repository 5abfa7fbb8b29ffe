"""The portal's internal API (``contracts.portal``), for portal-web only (internal token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from starlette.responses import Response

from contracts.portal import (
    ACCEPTANCE_TAIL,
    ACTING_FOR_TAIL,
    AUDIT_TAIL,
    PACKAGES_TAIL,
    PASSWORD_TAIL,
    PORTAL_LOGIN_PATH,
    PORTAL_SESSIONS_PATH,
    TOKEN_TAIL,
    Acceptance,
    ActingFor,
    AuditView,
    NewApiToken,
    PasswordChange,
    PortalLogin,
    PortalPackage,
    PortalSession,
)
from tenant_admin.deps import CatalogConn, RuntimeDep, require_internal
from tenant_admin.portal import service
from tenant_admin.portal.service import LoadedSession
from tenant_admin.sessions import SessionLimits

router = APIRouter(tags=["portal (internal)"], dependencies=[Depends(require_internal)])
SessionId = Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
SESSION = PORTAL_SESSIONS_PATH + "/{session_id}"


def limits(runtime: RuntimeDep) -> SessionLimits:
    settings = runtime.settings
    return SessionLimits(settings.portal_session_idle_s, settings.portal_session_max_s)


Limits = Annotated[SessionLimits, Depends(limits)]


async def current(session_id: SessionId, conn: CatalogConn, limits: Limits) -> LoadedSession:
    return await service.load_session(conn, limits, session_id)


Current = Annotated[LoadedSession, Depends(current)]


@dataclass(frozen=True, slots=True)
class Ready:
    """A customer's own user past first login: the account pages' precondition."""

    session: LoadedSession


async def ready(session: Current) -> Ready:
    service.require_customer_role(session.portal.user)
    service.require_ready(session.portal.user)
    return Ready(session)


ReadyUser = Annotated[Ready, Depends(ready)]


@router.post(PORTAL_LOGIN_PATH, summary="Log in: a new session (401 / 429 otherwise)")
async def login(
    body: PortalLogin, conn: CatalogConn, runtime: RuntimeDep, limits: Limits
) -> PortalSession:
    credentials = (body.username, body.password, body.client_ip)
    return await service.login(conn, runtime.portal_throttle, limits, credentials)


@router.get(SESSION, summary="The session and its user (404 once it has ended)")
async def get_session(session: Current) -> PortalSession:
    return session.portal


@router.delete(SESSION, status_code=204, summary="Log out")
async def logout(session_id: SessionId, conn: CatalogConn) -> Response:
    await service.logout(conn, session_id)
    return Response(status_code=204)


@router.post(SESSION + PASSWORD_TAIL, status_code=204, summary="Change the password (PORTAL-9)")
async def change_password(body: PasswordChange, session: Current, conn: CatalogConn) -> Response:
    user = session.portal.user
    await service.change_password(
        conn, user, session.user_id, body.current_password, body.new_password
    )
    return Response(status_code=204)


@router.post(SESSION + ACCEPTANCE_TAIL, summary="Accept the contract and usage terms")
async def accept(
    body: Acceptance, session: Current, conn: CatalogConn, limits: Limits
) -> PortalSession:
    await service.accept_terms(conn, session.portal.user, body.contract, body.usage, body.client_ip)
    return (await service.load_session(conn, limits, session.portal.session_id)).portal


@router.post(SESSION + TOKEN_TAIL, summary="A new API token, shown once; the old ones revoked")
async def new_token(user: ReadyUser, conn: CatalogConn, runtime: RuntimeDep) -> NewApiToken:
    ttl = runtime.settings.api_token_ttl_seconds
    return await service.new_api_token(conn, runtime.api_codec, ttl, user.session.portal.user)


@router.get(SESSION + PACKAGES_TAIL, summary="The customer's packages (PORTAL-8)")
async def packages(user: ReadyUser, conn: CatalogConn) -> list[PortalPackage]:
    return await service.packages(conn, user.session.portal.user.customer_id)


@router.put(SESSION + ACTING_FOR_TAIL, summary="An auditor opens one granted customer")
async def act_for(
    body: ActingFor, session: Current, conn: CatalogConn, limits: Limits
) -> PortalSession:
    await service.act_for(conn, session.portal, body.customer_id, session.user_id, body.client_ip)
    return (await service.load_session(conn, limits, session.portal.session_id)).portal


@router.post(SESSION + AUDIT_TAIL, status_code=204, summary="Record what an auditor viewed")
async def audit(body: AuditView, session: Current, conn: CatalogConn) -> Response:
    await service.record_view(conn, session.portal, session.user_id, body.what, body.client_ip)
    return Response(status_code=204)
