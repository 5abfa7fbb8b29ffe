"""Carrying out one fault at the ASGI level, in front of the provider endpoints.

Hanging never blocks the loop: the request task just waits for the client to disconnect (the
server tells it through ``receive``) and then ends without an answer; other requests, /healthz
included, keep being served.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aade_sim.faults.state import ActiveFault, Faults
from aade_sim.hostile import hostile_document, is_hostile

# What Azure API Management answers when the backend is unavailable.
DOWN_BODY = b'{ "statusCode": 503, "message": "Service Unavailable" }'
GARBAGE_BODY = b"\x00\x1f<<garbage>> not XML at all {]"
WRAP_OPEN = b'<string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">'
WRAP_CLOSE = b"</string>"


async def send_body(send: Send, status: int, body: bytes, content_type: str | None) -> None:
    headers = [(b"content-length", str(len(body)).encode())]
    if content_type:
        headers.append((b"content-type", content_type.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def hang(receive: Receive, send: Send, limit_s: float, faults: Faults) -> None:
    """Answer nothing until the client gives up; after ``limit_s`` the API front's 504 ends it."""
    try:
        with faults.holding():
            async with asyncio.timeout(limit_s):
                while (await receive())["type"] != "http.disconnect":
                    pass
    except TimeoutError:
        await send_body(send, 504, b"", None)


async def capture(
    app: ASGIApp, scope: Scope, receive: Receive
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run the endpoint fully (so its effects happen) and keep its answer instead of sending it."""
    start: Message = {}
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, keep)
    return start.get("status", 500), list(start.get("headers", [])), b"".join(chunks)


def altered(body: bytes, mode: str) -> bytes:
    """A real answer with its ``invoiceUid`` replaced by another one, or its
    ``authenticationCode`` removed."""
    if mode == "other_uid":
        return re.sub(
            rb"<invoiceUid>[^<]*</invoiceUid>", b"<invoiceUid>" + b"F" * 40 + b"</invoiceUid>", body
        )
    return re.sub(rb"<authenticationCode>[^<]*</authenticationCode>", b"", body)


def wrap(body: bytes) -> bytes:
    # The .NET DataContract string envelope: the whole XML, declaration included, escaped.
    return WRAP_OPEN + escape(body.decode("utf-8")).encode("utf-8") + WRAP_CLOSE


@dataclass(frozen=True, slots=True)
class Hold:
    """How long a hanging fault may hold a request, and where held requests are counted."""

    limit_s: float
    faults: Faults


async def inject(
    fault: ActiveFault, app: ASGIApp, scope: Scope, receive: Receive, send: Send, hold: Hold
) -> None:
    mode = fault.mode
    if mode == "down":
        await send_body(send, 503, DOWN_BODY, "application/json")
    elif mode == "blackhole":
        await hang(receive, send, hold.limit_s, hold.faults)
    elif mode == "slow":
        await asyncio.sleep(fault.latency_s)
        await app(scope, receive, send)
    elif mode == "garbage":
        # Nothing is registered: the garbage comes from something in front of the service.
        await send_body(send, 200, GARBAGE_BODY, "application/xml; charset=utf-8")
    elif mode == "wrapped":
        status, _headers, body = await capture(app, scope, receive)
        await send_body(send, status, wrap(body), "application/xml; charset=utf-8")
    elif is_hostile(mode):
        document = hostile_document(mode, "ResponseDoc", "statusCode")
        await send_body(send, 200, document, "application/xml; charset=utf-8")
    elif mode in ("other_uid", "no_auth_code"):
        status, _headers, body = await capture(app, scope, receive)
        await send_body(send, status, altered(body, mode), "application/xml; charset=utf-8")
    elif mode == "register_then_timeout":
        await capture(app, scope, receive)
        await hang(receive, send, hold.limit_s, hold.faults)
    else:
        await app(scope, receive, send)
