"""Short-lived internal tokens the gateway puts on forwarded requests.

Signing costs tens of microseconds; a token is reused for most of its life per tenant, so the
hot path signs about once a minute per customer instead of once per request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kit.auth import TokenCodec


class InternalTokens:
    def __init__(
        self,
        codec: TokenCodec,
        *,
        ttl_s: int = 60,
        clock: Callable[[], float] = time.time,
        max_tenants: int = 50_000,
    ) -> None:
        self._codec = codec
        self.ttl_s = ttl_s
        # Renew with a third of the life left: the receiver still has ample validity.
        self._renew_after_s = ttl_s * 2 / 3
        self._clock = clock
        self._max_tenants = max_tenants
        self._tokens: dict[str, tuple[float, str]] = {}

    def for_tenant(self, tenant_id: str) -> str:
        now = self._clock()
        cached = self._tokens.get(tenant_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        token, _ = self._codec.issue(tenant_id, self.ttl_s, tid=tenant_id)
        if len(self._tokens) >= self._max_tenants:
            self._tokens.clear()  # rare; re-signing is cheap
        self._tokens[tenant_id] = (now + self._renew_after_s, token)
        return token
