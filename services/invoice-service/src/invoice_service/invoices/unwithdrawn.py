"""Which tenants' outboxes may hold a submission command this process left there.

Issuance withdraws its command once mydata-sync answered; only an unanswered RPC, or a failure
between the two steps, leaves one behind for the outbox sweep. Remembering those tenants lets the
sweep visit a handful of databases instead of every tenant's every few seconds (at hundreds of
customers each visit is a connection to another database). What a crashed process left is found
by the full sweep every process runs at start and then at a long interval.
"""

from __future__ import annotations

import time


class Unwithdrawn:
    def __init__(self) -> None:
        self._since: dict[str, float] = {}

    def mark(self, tenant_id: str) -> None:
        self._since[tenant_id] = time.monotonic()

    def due(self, grace_s: float) -> dict[str, float]:
        """Tenants marked at least ``grace_s`` ago (their commands are old enough to relay),
        with the time of their mark."""
        now = time.monotonic()
        return {t: at for t, at in self._since.items() if now - at >= grace_s}

    def clear(self, tenant_id: str, marked_at: float) -> None:
        """Forget a tenant swept clean, unless it was marked again since."""
        if self._since.get(tenant_id) == marked_at:
            del self._since[tenant_id]

    def __len__(self) -> int:
        return len(self._since)
