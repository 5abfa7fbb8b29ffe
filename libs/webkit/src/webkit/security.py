"""Security headers on every answer, and the checks every form post passes (CSRF).

CSRF (INTEGRATIONS.md §6): a synchronizer token (the session's ``csrf_token``, or before login a
random one in a cookie of its own) in a hidden field, compared in constant time, AND the request's
``Origin`` (or, when a browser sends none, its ``Referer``) must be this site. The session cookie
is ``SameSite=Lax`` besides, so a cross-site form post does not even carry it.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.errors import Forbidden

# No inline script or style anywhere (htmx is told not to inject its indicator style); images
# may be data: URIs (the customer's logo is embedded in the invoice).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Search URLs carry authentication strings: never hand them to another site.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
CSRF_FIELD = "csrf_token"


class SecurityHeadersMiddleware:
    """Pure ASGI: the headers above on every response, error pages and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str | None) -> bool:
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def own_origin(request: Request) -> str:
    """This site as the browser sees it (scheme from the trusted proxy headers, host as asked)."""
    host = request.headers.get("host", "")
    return f"{request.url.scheme}://{host}"


def check_origin(request: Request) -> None:
    """A state-changing request must come from one of this site's own pages."""
    expected = own_origin(request)
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        if origin != expected:
            raise Forbidden("the form was posted from another site")
        return
    referer = request.headers.get("referer")
    if referer is None:
        raise Forbidden("the browser named no origin for this form")
    parts = urlsplit(referer)
    if f"{parts.scheme}://{parts.netloc}" != expected:
        raise Forbidden("the form was posted from another site")


def check_csrf(request: Request, given: str | None, expected: str | None) -> None:
    check_origin(request)
    if not same_token(given, expected):
        raise Forbidden("the form's security token is missing or out of date; reload the page")
