"""The error shape and the answers every public route shares, for OpenAPI: the gateway passes
the owners' bodies through, so these models describe, they do not validate."""

from __future__ import annotations

from typing import Any

from kit.openapi import ErrorBody

__all__ = ["RATE_LIMITED", "UNAUTHORIZED", "ErrorBody", "error_doc"]


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
