"""Reading a request body with a hard cap, before any call is spent on it."""

from __future__ import annotations

from starlette.requests import ClientDisconnect, Request

from kit.errors import AppError, PayloadTooLarge


class ClientGone(AppError):
    """The client hung up while sending its body: nothing was spent, nothing to answer.

    Raised instead of Starlette's ``ClientDisconnect`` so that it is not logged as a crash."""

    status_code = 499  # nginx's "client closed request"; never seen by the client
    code = "client_closed_request"
    title = "Client closed request"


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than {limit} bytes")


async def read_capped_body(request: Request, limit: int) -> bytes:
    """The whole body, or ``PayloadTooLarge`` as soon as it passes ``limit`` bytes.

    ``Content-Length`` is checked first (cheap, nothing read); the streamed size is checked too,
    because chunked bodies carry no length and a client may lie about it.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise AppError("Content-Length is not a number", code="invalid_request")
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
