"""The gateway's OpenAPI document, fetched and kept a minute (it changes only with a deploy),
and the Postman collection made from it (``kit.postman``), so the two never disagree."""

from __future__ import annotations

import time
from typing import Any

from kit.postman import postman_collection
from portal_web.clients.http import Upstream, UpstreamUnavailable, expect_ok

KEEP_S = 60.0


class ApiDocs:
    def __init__(self, upstream: Upstream, gateway_url: str, public_url: str) -> None:
        self._upstream = upstream
        self._url = gateway_url.rstrip("/") + "/openapi.json"
        self._public_url = public_url
        self._kept: tuple[float, dict[str, Any]] | None = None

    async def openapi(self) -> dict[str, Any]:
        if self._kept is not None and self._kept[0] > time.monotonic():
            return self._kept[1]
        reply = await self._upstream.call("GET", self._url)
        expect_ok(reply)
        document = reply.json()
        if not isinstance(document, dict) or "paths" not in document:
            raise UpstreamUnavailable("the gateway's OpenAPI document has no paths")
        document["servers"] = [{"url": self._public_url}]
        self._kept = (time.monotonic() + KEEP_S, document)
        return document

    async def postman(self) -> dict[str, Any]:
        return postman_collection(await self.openapi(), self._public_url)
