"""One aiohttp session for every internal call, the internal token on each, and the portal's
reading of the answers: a status the contract names becomes a typed refusal, anything else
``UpstreamUnavailable``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import orjson
from pydantic import BaseModel, TypeAdapter, ValidationError

from contracts.http import REQUEST_ID_HEADER, TENANT_HEADER
from kit.auth import ServiceTokens
from kit.errors import AppError, ServiceUnavailable
from kit.http import INTERNAL_KEEPALIVE_S
from kit.logs import request_id_var

Model = TypeVar("Model", bound=BaseModel)
T = TypeVar("T")


class UpstreamUnavailable(ServiceUnavailable):
    code = "upstream_unavailable"
    title = "A service the portal relies on is unavailable"


class LoginRefused(AppError):
    """Wrong username or password; tenant-admin does not say which (nor does the page)."""

    status_code = 401
    code = "login_refused"


class LoginThrottled(AppError):
    status_code = 429
    code = "login_throttled"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


class SessionGone(AppError):
    """The session expired (idle or absolute limit), was ended, or never existed."""

    status_code = 401
    code = "session_gone"


class PasswordRefused(AppError):
    """tenant-admin refused the new password (``problems``: one per broken rule) or the
    current one was wrong (``wrong_current``)."""

    status_code = 422
    code = "password_refused"

    def __init__(self, problems: list[str], *, wrong_current: bool = False) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.wrong_current = wrong_current


class NotAllowed(AppError):
    """The owning service refused: not this user's to see or do (403)."""

    status_code = 403
    code = "not_allowed"


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    headers: Mapping[str, str]

    def json(self) -> Any:
        return orjson.loads(self.body) if self.body else None

    def error_data(self) -> dict[str, Any]:
        """``data`` of the platform's error shape, or empty."""
        try:
            body = self.json()
        except orjson.JSONDecodeError:
            return {}
        data = body.get("data") if isinstance(body, dict) else None
        return data if isinstance(data, dict) else {}


@dataclass
class _Pool:
    """The one pooled session every ``Upstream.to(service)`` view shares."""

    timeout: aiohttp.ClientTimeout
    session: aiohttp.ClientSession | None = None


class Upstream:
    """The internal calls of one portal process (one pooled session, started by the lifespan).
    ``to(service)`` is the same pool with tokens addressed to ``service``: each client holds
    the view of the one service it calls."""

    def __init__(self, tokens: ServiceTokens, timeout_s: float) -> None:
        self.tokens = tokens
        timeout = aiohttp.ClientTimeout(total=timeout_s, sock_connect=min(3.0, timeout_s))
        self._pool = _Pool(timeout)

    def to(self, service: str) -> Upstream:
        view = Upstream.__new__(Upstream)
        view.tokens, view._pool = self.tokens.to(service), self._pool
        return view

    @property
    def _session(self) -> aiohttp.ClientSession | None:
        return self._pool.session

    async def start(self) -> None:
        # Idle connections go before uvicorn's 5 s keep-alive ends them: a POST on a connection
        # the server just closed fails ("Server disconnected") and is not retried.
        connector = aiohttp.TCPConnector(
            limit=100, ttl_dns_cache=300, keepalive_timeout=INTERNAL_KEEPALIVE_S
        )
        self._pool.session = aiohttp.ClientSession(connector=connector, timeout=self._pool.timeout)

    async def close(self) -> None:
        if self._pool.session is not None:
            await self._pool.session.close()
            self._pool.session = None

    async def call(
        self,
        method: str,
        url: str,
        *,
        tenant_id: str | None = None,
        json: BaseModel | None = None,
        params: Mapping[str, str] | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        language: str | None = None,
    ) -> Reply:
        """One request with the internal token (bound to ``tenant_id`` when given); refusals
        come back in ``language`` where the service words them itself."""
        if self._session is None:
            raise UpstreamUnavailable("the portal's HTTP client is not started")
        headers = self._headers(tenant_id)
        if language:
            headers["Accept-Language"] = language
        if json is not None:
            body, content_type = json.model_dump_json().encode(), "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        try:
            async with self._session.request(
                method, url, headers=headers, params=params, data=body
            ) as response:
                return Reply(response.status, await response.read(), dict(response.headers))
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise UpstreamUnavailable(f"{method} {url}: {type(exc).__name__}: {exc}") from None

    def _headers(self, tenant_id: str | None) -> dict[str, str]:
        headers = {"Authorization": self.tokens.header(tenant_id)}
        if tenant_id is not None:
            headers[TENANT_HEADER] = tenant_id
        request_id = request_id_var.get()
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        return headers


def parse(reply: Reply, model: type[Model]) -> Model:
    """The 200 answer as ``model``; any other status or shape is ``UpstreamUnavailable``."""
    expect_ok(reply)
    try:
        return model.model_validate_json(reply.body)
    except ValidationError as exc:
        raise UpstreamUnavailable(f"answer does not fit {model.__name__}: {exc}") from None


def parse_as(reply: Reply, adapter: TypeAdapter[T]) -> T:
    expect_ok(reply)
    try:
        return adapter.validate_json(reply.body)
    except ValidationError as exc:
        raise UpstreamUnavailable(f"answer does not fit the contract: {exc}") from None


def expect_ok(reply: Reply) -> None:
    if not 200 <= reply.status < 300:
        raise UpstreamUnavailable(f"answered {reply.status}: {reply.body[:300]!r}")


def retry_after_s(reply: Reply, default: int = 60) -> int:
    raw = reply.headers.get("Retry-After", "")
    return int(raw) if raw.isdigit() else default
