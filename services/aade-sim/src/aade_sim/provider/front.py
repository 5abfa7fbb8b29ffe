"""The API front: what Azure API Management in front of myDATA does before the service sees a
call.

* paths are matched case-insensitively (the docs spell both ``myDataProvider`` and
  ``myDATAProvider``; the live service accepts either), so they are rewritten to one spelling;
* ``aade-user-id`` + ``ocp-apim-subscription-key`` must match a configured pair, else a bare
  401 with no body;
* the fault switch is applied (the API front or the backend misbehaving).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send

from aade_sim.faults.inject import Hold, inject, send_body
from aade_sim.faults.state import Faults

BASE = "/myDataProvider"
METHODS = ("SendInvoices", "RequestTransmittedDocs", "RequestReceiverInfo")
_CANONICAL = {f"{BASE}/{m}".lower(): f"{BASE}/{m}" for m in METHODS}
_USER_HEADER = b"aade-user-id"
_KEY_HEADER = b"ocp-apim-subscription-key"


def canonical_path(path: str) -> str | None:
    """The one spelling of a provider path, or None when the path is not a provider path."""
    lowered = path.rstrip("/").lower()
    if lowered in _CANONICAL:
        return _CANONICAL[lowered]
    if lowered.startswith(BASE.lower() + "/"):
        return BASE + path[len(BASE) :]  # unknown method: the router answers 404
    return None


def caller(scope: Scope, credentials: Mapping[str, str]) -> str | None:
    """The aade-user-id when its subscription key matches, else None."""
    headers = dict(scope.get("headers", ()))
    user = headers.get(_USER_HEADER, b"").decode("latin-1")
    key = headers.get(_KEY_HEADER, b"")
    expected = credentials.get(user)
    if not user or expected is None:
        return None
    return user if hmac.compare_digest(key, expected.encode("latin-1")) else None


class ProviderFront:
    def __init__(
        self, app: ASGIApp, credentials: Mapping[str, str], faults: Faults, hang_limit_s: float
    ) -> None:
        self.app = app
        self._credentials = credentials
        self._faults = faults
        self._hold = Hold(hang_limit_s, faults)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = canonical_path(scope["path"]) if scope["type"] == "http" else None
        if path is None:
            await self.app(scope, receive, send)
            return
        scope = {**scope, "path": path, "raw_path": path.encode()}
        if caller(scope, self._credentials) is None:
            await send_body(send, 401, b"", None)
            return
        fault = self._faults.take(is_send=path.endswith("/SendInvoices"))
        if fault is None:
            await self.app(scope, receive, send)
        else:
            await inject(fault, self.app, scope, receive, send, self._hold)
