"""Every service's OpenAPI names the errors it can answer, in the platform's shape.

FastAPI documents only the success and its own 422 (in a shape the platform never sends: its
validation errors leave as ``InvalidRequest``). ``document_errors`` rewrites each operation once,
when the document is first asked for: the validation answer becomes ``InvalidRequest``'s, and
401, 403, 404, 429 and 503, and for writes 409, 413, 415 and 422, are added where not already
described, all with :class:`ErrorBody`. Fuzzers (tests/security) then check every answer
against a schema instead of meeting undocumented statuses.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from kit.errors import InvalidRequest

UNDOCUMENTED_PATHS = frozenset({"/healthz", "/readyz"})
WRITES = frozenset({"post", "put", "patch", "delete"})


class ErrorDetail(BaseModel):
    title: str
    message: str | None = None


class ErrorBody(BaseModel):
    """Every error: ``{"ok": 0, "code": ..., "error": {"title", "message"}}`` (seed 002);
    ``data.validation_errors`` names each refused field and its rule."""

    ok: int = 0
    code: str | int
    error: ErrorDetail
    data: dict[str, Any] | None = None


_REF = {"$ref": "#/components/schemas/ErrorBody"}
_DESCRIPTIONS = {
    "401": "Missing, malformed, expired or revoked bearer token, or one for another audience",
    "403": "The caller may not do this",
    "404": "No such resource (or not the caller's)",
    "409": "The request conflicts with the resource's state",
    "413": "The body is over the size cap",
    "415": "The body is not of the documented media type",
    "422": "The request is well formed but breaks a business rule",
    "429": "Too many requests; retry after ``Retry-After`` seconds",
    "503": "A database, the broker or a service behind is not reachable; retry",
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _REF}}}


def _statuses(method: str) -> list[str]:
    statuses = ["401", "403", "404", "429", "503"]
    if method in WRITES:  # some read their body raw, so none is declared
        statuses += ["409", "413", "415", "422"]
    return statuses


def _document(method: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)
    invalid = str(InvalidRequest.status_code)
    responses.setdefault(invalid, _error("Invalid request: each field and its rule"))
    for status in _statuses(method):
        responses.setdefault(status, _error(_DESCRIPTIONS[status]))


def document_errors(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorBody, ErrorDetail):
            own = model.model_json_schema(ref_template=_TEMPLATE)
            own.pop("$defs", None)
            schemas.setdefault(model.__name__, own)
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        for path, operations in schema.get("paths", {}).items():
            if path in UNDOCUMENTED_PATHS:
                continue
            for method, operation in operations.items():
                _document(method, operation)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


_TEMPLATE = "#/components/schemas/{model}"
