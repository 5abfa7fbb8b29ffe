"""The error shape and the answers every public route shares, for OpenAPI: the gateway passes
the owners' bodies through, so these models describe, they do not validate."""

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


def error_doc(description: str, code: str | int, title: str, message: str | None) -> dict[str, Any]:
    example: dict[str, Any] = {"ok": 0, "code": code, "error": {"title": title}}
    if message:
        example["error"]["message"] = message
    return {
        "model": ErrorBody,
        "description": description,
        "content": {"application/json": {"example": example}},
    }


UNAUTHORIZED = error_doc(
    "Missing, malformed, expired or revoked bearer token", 401, "Unauthorized", None
)
RATE_LIMITED = error_doc(
    "Too many requests for this customer; retry after ``Retry-After`` seconds",
    "rate_limited",
    "Too many requests",
    "Slow down",
)
