"""Reading requests safely, before any work (or any of the customer's calls) is spent on them:
a hard body-size cap, the JSON media type, and text parameters without control characters."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path, Query
from starlette.requests import ClientDisconnect, Request

from contracts.text import FORBIDDEN_TEXT
from kit.errors import AppError, InvalidRequest, Language, PayloadTooLarge, language_named

# How long our clients keep an idle connection to one of our services: less than uvicorn's
# ``timeout_keep_alive`` (5 s), so the client drops it before the server does. Otherwise a
# request can go out on a connection the server is closing ("Server disconnected"), which for
# an invoice is an unknown outcome instead of a clean answer.
INTERNAL_KEEPALIVE_S = 3.0


class ClientGone(AppError):
    """The client hung up while sending its body: nothing was spent, nothing to answer.

    Raised instead of Starlette's ``ClientDisconnect`` so that it is not logged as a crash."""

    status_code = 499  # nginx's "client closed request"; never seen by the client
    code = "client_closed_request"
    title = "Client closed request"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_media_type"
    title = "Μη υποστηριζόμενος τύπος περιεχομένου"
    title_en = "Unsupported media type"


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"Το σώμα του αιτήματος ξεπερνά τα {limit} bytes",
        message_en=f"The request body is larger than {limit} bytes",
        data=_named(f"body: larger than {limit} bytes"),
    )


async def read_capped_body(request: Request, limit: int) -> bytes:
    """The whole body, or ``PayloadTooLarge`` as soon as it passes ``limit`` bytes.

    ``Content-Length`` is checked first (cheap, nothing read); the streamed size is checked too,
    because chunked bodies carry no length and a client may lie about it.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise InvalidRequest(["Content-Length: must be a whole number"])
        if int(declared) > limit:
            raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        raise ClientGone() from None
    return b"".join(chunks)


def require_json(request: Request) -> None:
    """Refuse a body that does not say it is JSON (``application/json`` or ``…+json``), or
    says it is JSON in another charset than UTF-8 (RFC 8259 §8.1)."""
    raw = request.headers.get("content-type")
    if not raw:
        raise UnsupportedMediaType(
            "Content-Type: λείπει· στείλτε application/json",
            message_en="Content-Type: missing; send application/json",
            data=_named("Content-Type: missing; send application/json"),
        )
    media, _, params = raw.partition(";")
    media = media.strip().lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        raise UnsupportedMediaType(
            f"Content-Type: {media!r}· στείλτε application/json",
            message_en=f"Content-Type: {media!r} given; send application/json",
            data=_named(f"Content-Type: {media!r} given; send application/json"),
        )
    charset = _param(params, "charset")
    if charset is not None and charset.lower() not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(
            f"Content-Type: charset {charset!r}· το JSON είναι UTF-8",
            message_en=f"Content-Type: charset {charset!r} given; JSON is UTF-8",
            data=_named(f"Content-Type: charset {charset!r} given; JSON is UTF-8"),
        )


# Ids of database rows (BIGINT) in paths and queries: a number past the column's range is a 400
# naming the parameter, not an error from the database driver.
BIGINT_MAX = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=BIGINT_MAX)]
RowIdQuery = Annotated[int | None, Query(ge=1, le=BIGINT_MAX)]


def _named(problem: str) -> dict[str, object]:
    """The refused header and its rule, where every other refusal names its field."""
    return {"validation_errors": [problem]}


_LANG_FIELD = re.compile(rb'"lang"\s*:\s*"([^"\\]{0,16})"')


def body_language(raw: bytes) -> Language | None:
    """Seed 002's ``lang`` in a JSON body, found without parsing the body (the hot path parses it
    once, later, and an unparseable body must still be refused in the language asked for)."""
    if b'"lang"' not in raw:
        return None
    found = _LANG_FIELD.search(raw)
    return language_named(found.group(1).decode("utf-8", "replace")) if found else None


def forbidden_character(value: str) -> str | None:
    """The first character no text field may hold, as ``U+XXXX``; None when there is none."""
    found = FORBIDDEN_TEXT.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def check_text_params(**params: str | None) -> None:
    """Refuse query or path text holding control characters, naming each parameter."""
    problems = [
        f"{name}: must not contain control characters ({bad})"
        for name, value in params.items()
        if value is not None and (bad := forbidden_character(value))
    ]
    if problems:
        raise InvalidRequest(problems)


def _param(params: str, name: str) -> str | None:
    for part in params.split(";"):
        key, sep, value = part.partition("=")
        if sep and key.strip().lower() == name:
            return value.strip().strip('"')
    return None
