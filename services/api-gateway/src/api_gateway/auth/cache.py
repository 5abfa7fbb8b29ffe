"""In-process cache of token status, keyed by ``jti``.

A hit costs no I/O, so the hot path never waits on the catalog for a known token. Entries live
``ttl_s`` (revocations missed while the broker was away are seen after that), a ``token.revoked``
event replaces the entry with a revoked one at once, and concurrent misses for one ``jti`` share
a single catalog read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from api_gateway.auth.schemas import TokenRecord

Loader = Callable[[str], Awaitable[TokenRecord | None]]

# Unknown and revoked tokens are cached too, so a replayed bad token cannot hammer the catalog.
_REVOKED = TokenRecord(customer_id="", token_hash="", revoked=True, expires_at=0.0)


class TokenStatusCache:
    def __init__(
        self,
        load: Loader,
        *,
        ttl_s: float,
        max_entries: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[float, TokenRecord]] = {}
        self._inflight: dict[str, asyncio.Future[TokenRecord]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, jti: str) -> TokenRecord:
        """The token's status; a revoked placeholder when the catalog does not know it."""
        entry = self._entries.get(jti)
        if entry is not None and entry[0] > self._clock():
            return entry[1]
        pending = self._inflight.get(jti)
        if pending is not None:
            return await asyncio.shield(pending)
        return await self._refresh(jti)

    async def _refresh(self, jti: str) -> TokenRecord:
        future: asyncio.Future[TokenRecord] = asyncio.get_running_loop().create_future()
        self._inflight[jti] = future
        try:
            record = await self._load(jti) or _REVOKED
        except BaseException as exc:
            self._forget(jti, future)
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters (if any) re-raise it themselves
            raise
        # ``revoke`` drops the in-flight read: a revocation that arrived meanwhile wins.
        if self._forget(jti, future):
            self._store(jti, record)
        else:
            record = _REVOKED
        future.set_result(record)
        return record

    def _forget(self, jti: str, future: asyncio.Future[TokenRecord]) -> bool:
        if self._inflight.get(jti) is future:
            del self._inflight[jti]
            return True
        return False

    def revoke(self, jti: str) -> None:
        """A ``token.revoked`` event: refuse the token from now on (without a catalog read)."""
        self._inflight.pop(jti, None)
        self._store(jti, _REVOKED)

    def _store(self, jti: str, record: TokenRecord) -> None:
        if len(self._entries) >= self.max_entries and jti not in self._entries:
            # Oldest insertion first; a dropped entry is simply read again when needed.
            self._entries.pop(next(iter(self._entries)))
        self._entries[jti] = (self._clock() + self.ttl_s, record)
