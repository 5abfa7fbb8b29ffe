"""A site's cookies: the opaque session id, the pre-login CSRF token, the language.

The session cookie holds only an opaque id (the session lives server-side): HttpOnly,
SameSite=Lax, Secure behind TLS, no Max-Age (gone with the browser; the session's owner
enforces the idle and absolute limits anyway). Cookies ignore the port, so each site on one
host names its own (``CookieNames``); a site served under a path prefix (the admin app, beside
tenant-admin's JSON API) scopes its cookies to that prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webkit.i18n import as_locale

LANG_MAX_AGE_S = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class CookieNames:
    session: str
    login_csrf: str
    lang: str
    path: str = "/"  # where the session and language cookies are sent
    login_path: str = "/login"  # the login form's own cookie goes only there


PORTAL_COOKIES = CookieNames("einv_session", "einv_login_csrf", "einv_lang")


def is_secure(request: Request, configured: bool) -> bool:
    return configured or request.url.scheme == "https"


def set_session_cookie(
    response: Response, names: CookieNames, session_id: str, secure: bool
) -> None:
    response.set_cookie(
        names.session, session_id, httponly=True, samesite="lax", secure=secure, path=names.path
    )


def drop_session_cookie(response: Response, names: CookieNames, secure: bool) -> None:
    response.delete_cookie(
        names.session, httponly=True, samesite="lax", secure=secure, path=names.path
    )


def set_login_csrf_cookie(response: Response, names: CookieNames, token: str, secure: bool) -> None:
    response.set_cookie(
        names.login_csrf, token, httponly=True, samesite="strict", secure=secure,
        path=names.login_path,
    )  # fmt: skip


def drop_login_csrf_cookie(response: Response, names: CookieNames, secure: bool) -> None:
    """Gone once the login succeeded, with the attributes it was set with."""
    response.delete_cookie(
        names.login_csrf, httponly=True, samesite="strict", secure=secure,
        path=names.login_path,
    )  # fmt: skip


class LanguageCookieMiddleware:
    """``?lang=el|en`` on any page chooses the language and is remembered in a cookie; the
    choice (this request's, else the cookie's) is left in ``scope["state"]["lang"]``.

    Also drops the session cookie when a page found its session gone
    (``scope["state"]["drop_session"]``), whatever response the page made.
    """

    def __init__(self, app: ASGIApp, *, names: CookieNames, secure: bool) -> None:
        self.app = app
        self.names = names
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        asked = as_locale(request.query_params.get("lang"))
        state = scope.setdefault("state", {})
        state["lang"] = asked or as_locale(request.cookies.get(self.names.lang))
        secure = self.secure or request.url.scheme == "https"

        async def with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if asked:
                    headers.append("set-cookie", _lang_cookie(self.names, asked, secure))
                if state.get("drop_session"):
                    headers.append("set-cookie", _expired_session_cookie(self.names, secure))
            await send(message)

        await self.app(scope, receive, with_cookies)


def _lang_cookie(names: CookieNames, locale: str, secure: bool) -> str:
    flags = f"; Path={names.path}; SameSite=Lax" + ("; Secure" if secure else "")
    return f"{names.lang}={locale}; Max-Age={LANG_MAX_AGE_S}{flags}"


def _expired_session_cookie(names: CookieNames, secure: bool) -> str:
    flags = "; Secure" if secure else ""
    return f"{names.session}=; Max-Age=0; Path={names.path}; HttpOnly; SameSite=Lax{flags}"
