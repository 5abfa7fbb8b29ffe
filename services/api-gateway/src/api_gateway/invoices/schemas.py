"""OpenAPI documentation of ``/invoice-data``: the gateway passes bodies through unparsed
(invoice-service validates them), so these models describe, they do not validate."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    title: str
    message: str | None = None


class ErrorBody(BaseModel):
    """Every error: ``{"ok": 0, "code": ..., "error": {"title", "message"}}`` (seed 002)."""

    ok: int = 0
    code: str | int
    error: ErrorDetail
    data: dict[str, Any] | None = None


def _error(description: str, code: str | int, title: str, message: str | None) -> dict[str, Any]:
    example: dict[str, Any] = {"ok": 0, "code": code, "error": {"title": title}}
    if message:
        example["error"]["message"] = message
    return {
        "model": ErrorBody,
        "description": description,
        "content": {"application/json": {"example": example}},
    }


UNAUTHORIZED = _error(
    "Missing, malformed, expired or revoked bearer token", 401, "Unauthorized", None
)
RATE_LIMITED = _error(
    "Too many requests for this customer; retry after ``Retry-After`` seconds",
    "rate_limited",
    "Too many requests",
    "Slow down",
)
TOO_LARGE = _error(
    "The body is over the size cap", "payload_too_large", "Payload too large", "Too large"
)
UNAVAILABLE = _error(
    "invoice-service could not be reached (the call is refunded)",
    "service_unavailable",
    "Service unavailable",
    "invoice-service is not reachable",
)
TIMED_OUT = _error(
    "invoice-service did not answer in time; the invoice may exist (the call is kept: retry with"
    " the same Idempotency-Key)",
    "upstream_timeout",
    "Upstream timeout",
    "invoice-service did not answer in time",
)
QUOTA = {
    "model": ErrorBody,
    "description": "Invalid invoice (invoice-service's codes, call refunded) or no call left:"
    " ``customer_api_001`` no valid package, ``customer_api_002`` all calls used",
    "content": {
        "application/json": {
            "examples": {
                "customer_api_001": {
                    "value": {
                        "ok": 0,
                        "code": "customer_api_001",
                        "error": {
                            "title": "Calls expired",
                            "message": "Έχουν λήξει οι υπολειπόμενες κλήσεις σας",
                        },
                    }
                },
                "customer_api_002": {
                    "value": {
                        "ok": 0,
                        "code": "customer_api_002",
                        "error": {
                            "title": "All calls used",
                            "message": "Έχουν καταναλωθεί όλες οι κλήσεις Ηλεκτρονικής τιμολόγησης",
                        },
                    }
                },
            }
        }
    },
}

COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: UNAUTHORIZED,
    429: RATE_LIMITED,
    503: UNAVAILABLE,
    504: TIMED_OUT,
}
ISSUE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The invoice as issued (seed 002 ``data``), from invoice-service"},
    400: QUOTA,
    413: TOO_LARGE,
    **COMMON_RESPONSES,
}
LOOK_UP_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The invoice and its myDATA state (seed 002 ``data``)"},
    400: _error("Not found or invalid look-up", "customer_api_007", "Not found", "..."),
    **COMMON_RESPONSES,
}
ISSUE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The invoice in seed 002's field names (``transmission_failure``,"
        " ``is_vat``, ..., ``einv02[]``); validated by invoice-service.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}
