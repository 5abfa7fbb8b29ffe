"""kit's outbox relay with a cancellation-safe pause.

On Python 3.11 ``asyncio.wait_for`` can swallow a cancellation that arrives just as the awaited
event fires (CPython gh-86296). kit's relay pauses with ``wait_for(self._wake.wait(), …)`` and
mydata-sync wakes it after every commit, so ``OutboxRelay.stop()`` could wait forever at
shutdown (seen in our tests). ``asyncio.timeout`` has no such race. To be removed once kit's
relay pauses the same way (reported to kit's owner).
"""

from __future__ import annotations

import asyncio
import contextlib

from kit.outbox import OutboxRelay


class SyncOutboxRelay(OutboxRelay):
    async def _pause(self, seconds: float) -> None:
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()
