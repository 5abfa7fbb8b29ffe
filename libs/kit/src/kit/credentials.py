"""Credentials before bodies: on a service's protected paths, a request whose bearer token does
not verify is answered 401 before anything reads or validates its body.

FastAPI reads and decodes a JSON body before it runs dependencies, so without this an
unauthenticated caller learns how the body is checked (a 400 naming fields) before being told
it may not call at all. The route's own dependency still verifies the token and its claims
(tenant binding, role); this is only the outer door.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send

from kit.auth import TokenCodec, bearer_token
from kit.errors import Unauthorized, error_response

CodecOf = Callable[[State], TokenCodec]


@dataclass(frozen=True, slots=True)
class Door:
    """Paths starting with ``prefix`` (but ``open_paths``) need a token ``codec_of`` verifies;
    ``codec_of`` reads it from the app's state (built by the lifespan)."""

    prefix: str
    codec_of: CodecOf
    open_paths: frozenset[str] = frozenset()


class CredentialsFirst:
    def __init__(self, app: ASGIApp, doors: Sequence[Door]) -> None:
        self.app = app
        self.doors = tuple(doors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        door = self._door(scope)
        if door is not None:
            try:
                door.codec_of(scope["app"].state).verify(bearer_token(_authorization(scope)))
            except Unauthorized as refused:
                await error_response(refused)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _door(self, scope: Scope) -> Door | None:
        if scope["type"] != "http":
            return None
        path: str = scope["path"]
        for door in self.doors:
            if path.startswith(door.prefix) and path not in door.open_paths:
                return door
        return None


def _authorization(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            text: str = value.decode("latin-1")
            return text
    return None
