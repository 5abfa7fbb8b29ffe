"""The platform's error hierarchy and its one JSON shape.

Every error leaves a service as ``{"ok": 0, "code": ..., "error": {"title", "message"}}`` (seed
002), with an optional ``data`` object. The 401 body is fixed by the seed and carries no message.

Title and message are Greek unless the caller asked for English (``body("en")``); the code
never changes with the language. An error carries its English text beside the Greek
(``title_en``, ``message_en``); where it has none, the one text it has is used in both.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any, Literal

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("kit.errors")


Language = Literal["el", "en"]


class AppError(Exception):
    """An error with its HTTP status, machine code and human title/message."""

    status_code = 400
    code: str | int = "bad_request"
    title = "Λάθος αίτημα"
    title_en: str | None = "Bad request"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | int | None = None,
        title: str | None = None,
        status_code: int | None = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        message_en: str | None = None,
        title_en: str | None = None,
    ) -> None:
        super().__init__(message or self.title)
        self.message = message
        self.message_en = message_en
        if code is not None:
            self.code = code
        if title is not None:
            self.title = title
        if title_en is not None:
            self.title_en = title_en
        if status_code is not None:
            self.status_code = status_code
        self.data = data
        self.headers = headers or {}

    def body(self, language: Language = "el") -> dict[str, Any]:
        english = language == "en"
        error: dict[str, Any] = {"title": (english and self.title_en) or self.title}
        message = (english and self.message_en) or self.message
        if message:
            error["message"] = message
        out: dict[str, Any] = {"ok": 0, "code": self.code, "error": error}
        if self.data is not None:
            out["data"] = self.data
        return out


class InvalidRequest(AppError):
    """The request breaks a rule; ``problems`` name each field and its rule (``"field: rule"``)."""

    code = "invalid_request"
    title = "Μη έγκυρο αίτημα"
    title_en = "Invalid request"

    def __init__(
        self,
        problems: list[str],
        message: str = "Το αίτημα δεν είναι έγκυρο",
        message_en: str | None = "The request is not valid",
    ) -> None:
        # The problems themselves ("field: rule") stay as written: they name fields and rules
        # for the ERP's developer, in one language whatever the caller's.
        super().__init__(message, message_en=message_en, data={"validation_errors": problems})
        self.problems = problems


class Unauthorized(AppError):
    """Missing, malformed, expired or revoked credentials. The body is exactly seed 002's."""

    status_code = 401
    code = 401
    title = "Unauthorized"  # seed 002's exact body, in every language
    title_en = "Unauthorized"

    def __init__(self, reason: str = "") -> None:
        super().__init__("", headers={"WWW-Authenticate": "Bearer"})
        self.reason = reason  # logged, never shown


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    title = "Δεν επιτρέπεται"
    title_en = "Forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    title = "Δεν βρέθηκε"
    title_en = "Not found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    title = "Σύγκρουση"
    title_en = "Conflict"


class TooManyRequests(AppError):
    status_code = 429
    code = "rate_limited"
    title = "Πάρα πολλά αιτήματα"
    title_en = "Too many requests"

    @classmethod
    def after(cls, retry_after_s: int, *, el: str = "", en: str = "") -> TooManyRequests:
        """Retry after ``retry_after_s`` seconds; ``el``/``en`` name what was limited."""
        return cls(
            f"Πάρα πολλά αιτήματα{f' ({el})' if el else ''}· δοκιμάστε ξανά σε"
            f" {retry_after_s} δευτ.",
            message_en=f"Too many requests{f' ({en})' if en else ''}; retry after"
            f" {retry_after_s} s",
            headers={"Retry-After": str(retry_after_s)},
        )


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"
    title = "Πολύ μεγάλο αίτημα"
    title_en = "Payload too large"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"
    title = "Η υπηρεσία δεν είναι διαθέσιμη"
    title_en = "Service unavailable"


class UpstreamTimeout(AppError):
    status_code = 504
    code = "upstream_timeout"
    title = "Δεν υπήρξε απάντηση εγκαίρως"
    title_en = "Upstream timeout"


# Set where a request names its language in its body (seed 002's ``lang``); it wins over
# Accept-Language for the errors of that request.
REQUEST_LANGUAGE: ContextVar[Language | None] = ContextVar("einv_request_language", default=None)


def current_language() -> Language:
    """The language this request asked for, where it was decided (Greek by default)."""
    return REQUEST_LANGUAGE.get() or "el"


def request_language(request: Request) -> Language:
    """English when the request's body said so, or its Accept-Language prefers English over
    Greek; Greek otherwise (the default of seed 002)."""
    chosen = REQUEST_LANGUAGE.get()
    if chosen is not None:
        return chosen
    return preferred_language(request.headers.get("accept-language"))


_NAMES: dict[str, Language] = {
    "en": "en", "eng": "en", "english": "en",
    "el": "el", "ell": "el", "gre": "el", "gr": "el", "greek": "el",
}  # fmt: skip


def language_named(value: object) -> Language | None:
    """Seed 002's ``lang`` (String 3) as ERPs fill it: ``en``, ``EN``, ``eng``, ``en-US``,
    ``el``, ``ell``, ``gre``, ``GR``…; None for anything else (the default then applies)."""
    if not isinstance(value, str):
        return None
    tag = value.strip().lower().replace("_", "-").split("-")[0]
    return _NAMES.get(tag)


def preferred_language(header: str | None) -> Language:
    best: tuple[float, Language] = (0.0, "el")
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("el", "en"):
            continue
        weight = _quality(params)
        if weight > best[0]:
            best = (weight, "en" if primary == "en" else "el")
    return best[1]


def _quality(params: str) -> float:
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def error_response(err: AppError, language: Language = "el") -> Response:
    return Response(
        orjson.dumps(err.body(language)),
        status_code=err.status_code,
        media_type="application/json",
        headers=err.headers,
    )


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, Unauthorized) and exc.reason:
        log.info("unauthorized", extra={"reason": exc.reason})
    return error_response(exc, request_language(request))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()
    ]
    return error_response(InvalidRequest(problems), request_language(request))


# Starlette's own answers (no such path, wrong method), in Greek too.
_HTTP_TITLES = {404: "Δεν βρέθηκε", 405: "Η μέθοδος δεν επιτρέπεται"}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 401:
        return error_response(Unauthorized())
    detail = str(exc.detail)
    err = AppError(
        _HTTP_TITLES.get(exc.status_code, detail),
        message_en=detail,
        code=exc.status_code,
        title=_HTTP_TITLES.get(exc.status_code, detail),
        title_en=detail,
        status_code=exc.status_code,
    )
    return error_response(err, request_language(request))


async def _unhandled(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    err = AppError(
        "Παρουσιάστηκε απρόβλεπτο σφάλμα· έχει καταγραφεί",
        message_en="An unexpected error occurred; it has been logged",
        code="internal_error",
        title="Εσωτερικό σφάλμα",
        title_en="Internal error",
        status_code=500,
    )
    return error_response(err, request_language(request))


async def json_error_response(request: Request, exc: Exception) -> Response:
    """The platform's JSON answer for any exception (for apps whose other answers are pages but
    whose ``/internal/`` API is called by services)."""
    if isinstance(exc, AppError):
        return await _app_error(request, exc)
    if isinstance(exc, RequestValidationError):
        return await _validation_error(request, exc)
    if isinstance(exc, StarletteHTTPException):
        return await _http_error(request, exc)
    return await _unhandled(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    """Make every failure, including unexpected ones, leave in the platform's JSON shape."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)
