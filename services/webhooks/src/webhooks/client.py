"""The HTTP side of one delivery attempt: one POST, short timeouts, no redirects followed, only
the first bytes of the answer read, public addresses only unless the environment allows others.

``post`` never raises for the receiver's behaviour: every way an attempt can end is a
``Reply`` (a status code, or none with the reason), which the sending workflow turns into the
delivery's next state.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp

from webhooks.settings import WebhooksSettings
from webhooks.targets import GuardedResolver, TargetRefused, check_literal

# What is kept of the receiver's answer for the delivery log (the rest is not even read).
EXCERPT_BYTES = 512
USER_AGENT = "einvoicing-webhooks/1"


@dataclass(frozen=True, slots=True)
class Reply:
    status: int | None  # None: no HTTP answer (refused, unreachable, timed out)
    duration_ms: int
    error: str | None = None
    excerpt: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class WebhookClient:
    """One pooled aiohttp session per process (opened by the runtime, closed at stop)."""

    def __init__(self, settings: WebhooksSettings) -> None:
        self._allow_private = settings.private_targets_allowed
        self._timeout = aiohttp.ClientTimeout(
            total=settings.timeout_s, sock_connect=settings.connect_timeout_s
        )
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        resolver = None if self._allow_private else GuardedResolver()
        connector = aiohttp.TCPConnector(limit=100, limit_per_host=10, resolver=resolver)
        # trust_env off (the default): no proxy from the environment sees customers' events.
        return aiohttp.ClientSession(
            connector=connector, timeout=self._timeout, headers={"User-Agent": USER_AGENT}
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        started = time.perf_counter()
        try:
            check_literal(url, self._allow_private)
            status, excerpt = await self._post(url, body, headers)
        except TargetRefused as exc:
            return Reply(None, _since(started), f"refused target: {exc}")
        except TimeoutError:
            return Reply(None, _since(started), "timed out")
        except aiohttp.ClientError as exc:
            return Reply(None, _since(started), _describe(exc))
        error = None if 200 <= status < 300 else f"HTTP {status}"
        return Reply(status, _since(started), error, excerpt)

    async def _post(self, url: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, str]:
        if self._session is None:
            self._session = self._open()
        async with self._session.post(
            url, data=body, headers=dict(headers), allow_redirects=False
        ) as response:
            head = await response.content.read(EXCERPT_BYTES)
            return response.status, head.decode("utf-8", "replace")


def _since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or getattr(exc, "os_error", None)
    if isinstance(cause, TargetRefused):
        return f"refused target: {cause}"
    return f"{type(exc).__name__}: {exc}"[:300]
