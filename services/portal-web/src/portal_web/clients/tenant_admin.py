"""tenant-admin's portal API: login, the server-side sessions and what hangs off them, and the
directory of public strings (``contracts.portal``, which names every path and tail)."""

from __future__ import annotations

from urllib.parse import quote

from pydantic import BaseModel, TypeAdapter

from contracts.portal import (
    ACCEPTANCE_TAIL,
    ACTING_FOR_TAIL,
    AUDIT_TAIL,
    PACKAGES_TAIL,
    PASSWORD_TAIL,
    PORTAL_LOGIN_PATH,
    PUBLIC_STRINGS_PATH,
    TOKEN_TAIL,
    Acceptance,
    ActingFor,
    AuditView,
    NewApiToken,
    PasswordChange,
    PortalLogin,
    PortalPackage,
    PortalSession,
    PublicString,
    session_path,
)
from portal_web.clients.http import (
    LoginRefused,
    LoginThrottled,
    NotAllowed,
    PasswordRefused,
    Reply,
    SessionGone,
    Upstream,
    expect_ok,
    parse,
    parse_as,
    retry_after_s,
)

_PACKAGES = TypeAdapter(list[PortalPackage])
# tenant-admin's answer for a session that expired, was ended or never existed.
_GONE = (401, 404, 410)


class TenantAdminClient:
    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._base = base_url.rstrip("/")

    async def login(self, attempt: PortalLogin) -> PortalSession:
        """A NEW session (a new id at every login); refusals: wrong credentials, throttled."""
        reply = await self._post(PORTAL_LOGIN_PATH, attempt)
        if reply.status == 401:
            raise LoginRefused()
        if reply.status == 429:
            raise LoginThrottled(retry_after_s(reply))
        return parse(reply, PortalSession)

    async def session(self, session_id: str) -> PortalSession:
        """The session behind a cookie; each use moves its idle limit forward."""
        reply = await self._call("GET", session_path(_segment(session_id)))
        return parse(_live(reply), PortalSession)

    async def end_session(self, session_id: str) -> None:
        reply = await self._call("DELETE", session_path(_segment(session_id)))
        if reply.status not in _GONE:
            expect_ok(reply)

    async def change_password(self, session_id: str, change: PasswordChange) -> None:
        reply = _live(await self._post(self._path(session_id, PASSWORD_TAIL), change))
        if reply.status in (400, 422):  # kit's InvalidRequest: one problem per broken rule
            data = reply.error_data()
            problems = [str(p) for p in data.get("validation_errors", [])]
            rules = [str(r) for r in data.get("rules", [])]
            wrong = any(p.startswith("current_password") for p in problems)
            raise PasswordRefused(rules or problems, wrong_current=wrong)
        expect_ok(reply)

    async def accept_terms(self, session_id: str, acceptance: Acceptance) -> PortalSession:
        reply = await self._post(self._path(session_id, ACCEPTANCE_TAIL), acceptance)
        return parse(_live(reply), PortalSession)

    async def new_api_token(self, session_id: str) -> NewApiToken:
        """A new bearer token for the customer's ERP; tenant-admin revokes the older ones."""
        reply = await self._call("POST", self._path(session_id, TOKEN_TAIL))
        return parse(_allowed(_live(reply)), NewApiToken)

    async def packages(self, session_id: str) -> list[PortalPackage]:
        reply = await self._call("GET", self._path(session_id, PACKAGES_TAIL))
        return parse_as(_allowed(_live(reply)), _PACKAGES)

    async def act_for(self, session_id: str, choice: ActingFor) -> PortalSession:
        """An auditor picks a customer; tenant-admin refuses one not granted (403)."""
        url = self._base + self._path(session_id, ACTING_FOR_TAIL)
        reply = await self._upstream.call("PUT", url, json=choice)
        return parse(_allowed(_live(reply)), PortalSession)

    async def record_view(self, session_id: str, view: AuditView) -> None:
        reply = await self._post(self._path(session_id, AUDIT_TAIL), view)
        expect_ok(_allowed(_live(reply)))

    async def public_string(self, code: str) -> PublicString | None:
        """Which tenant's invoice a printed string names, or None when none does (yet)."""
        reply = await self._call("GET", f"{PUBLIC_STRINGS_PATH}/{_segment(code)}")
        if reply.status == 404:
            return None
        return parse(reply, PublicString)

    def _path(self, session_id: str, tail: str) -> str:
        return session_path(_segment(session_id), tail)

    async def _post(self, path: str, body: BaseModel) -> Reply:
        return await self._upstream.call("POST", self._base + path, json=body)

    async def _call(self, method: str, path: str) -> Reply:
        return await self._upstream.call(method, self._base + path)


def _segment(value: str) -> str:
    # Cookie and form values end up in a path: never let one add a segment or a query.
    return quote(value, safe="")


def _live(reply: Reply) -> Reply:
    if reply.status in _GONE:
        raise SessionGone()
    return reply


def _allowed(reply: Reply) -> Reply:
    if reply.status == 403:
        raise NotAllowed("refused by tenant-admin")
    return reply
