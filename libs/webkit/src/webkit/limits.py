"""Request bodies are capped before anything parses them (DESIGN.md §6): forms are small; only
the paths a site names carry a file (the portal's logo: ≤ 2 MB plus its text fields)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM_LIMIT = 64 * 1024
UPLOAD_LIMIT = 2 * 1024 * 1024 + 64 * 1024


class BodyLimitMiddleware:
    """413 for a declared or streamed body over the path's limit; 411 for a post without a
    length (browsers always send one for forms)."""

    def __init__(self, app: ASGIApp, *, upload_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = UPLOAD_LIMIT if scope["path"] in self.upload_paths else FORM_LIMIT
        declared = _content_length(scope)
        if declared is None or declared > limit:
            await _refuse(send, 411 if declared is None else 413)
            return
        await self.app(scope, _capped(receive, limit), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1")
            return int(text) if text.isdigit() else None
    return None


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:  # more than declared: the server normally stops this first
            return {"type": "http.disconnect"}
        return message

    return capped


async def _refuse(send: Send, status: int) -> None:
    body = b"Request body too large" if status == 413 else b"Content-Length required"
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
