"""The platform's error hierarchy and its one JSON shape.

Every error leaves a service as ``{"ok": 0, "code": ..., "error": {"title", "message"}}`` (seed
002), with an optional ``data`` object. The 401 body is fixed by the seed and carries no message.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("kit.errors")


class AppError(Exception):
    """An error with its HTTP status, machine code and human title/message."""

    status_code = 400
    code: str | int = "bad_request"
    title = "Bad request"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | int | None = None,
        title: str | None = None,
        status_code: int | None = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.title)
        self.message = message
        if code is not None:
            self.code = code
        if title is not None:
            self.title = title
        if status_code is not None:
            self.status_code = status_code
        self.data = data
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"title": self.title}
        if self.message:
            error["message"] = self.message
        out: dict[str, Any] = {"ok": 0, "code": self.code, "error": error}
        if self.data is not None:
            out["data"] = self.data
        return out


class InvalidRequest(AppError):
    """The request breaks a rule; ``problems`` name each field and its rule (``"field: rule"``)."""

    code = "invalid_request"
    title = "Invalid request"

    def __init__(self, problems: list[str], message: str = "The request is not valid") -> None:
        super().__init__(message, data={"validation_errors": problems})
        self.problems = problems


class Unauthorized(AppError):
    """Missing, malformed, expired or revoked credentials. The body is exactly seed 002's."""

    status_code = 401
    code = 401
    title = "Unauthorized"

    def __init__(self, reason: str = "") -> None:
        super().__init__("", headers={"WWW-Authenticate": "Bearer"})
        self.reason = reason  # logged, never shown


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    title = "Forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    title = "Not found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    title = "Conflict"


class TooManyRequests(AppError):
    status_code = 429
    code = "rate_limited"
    title = "Too many requests"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"
    title = "Payload too large"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"
    title = "Service unavailable"


class UpstreamTimeout(AppError):
    status_code = 504
    code = "upstream_timeout"
    title = "Upstream timeout"


def error_response(err: AppError) -> Response:
    return Response(
        orjson.dumps(err.body()),
        status_code=err.status_code,
        media_type="application/json",
        headers=err.headers,
    )


async def _app_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, Unauthorized) and exc.reason:
        log.info("unauthorized", extra={"reason": exc.reason})
    return error_response(exc)


async def _validation_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()
    ]
    return error_response(InvalidRequest(problems))


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 401:
        return error_response(Unauthorized())
    err = AppError(
        str(exc.detail), code=exc.status_code, title=str(exc.detail), status_code=exc.status_code
    )
    return error_response(err)


async def _unhandled(_: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    err = AppError(
        "An unexpected error occurred; it has been logged",
        code="internal_error",
        title="Internal error",
        status_code=500,
    )
    return error_response(err)


def install_error_handlers(app: FastAPI) -> None:
    """Make every failure, including unexpected ones, leave in the platform's JSON shape."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)
