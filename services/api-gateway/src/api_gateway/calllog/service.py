"""Recording one customer's call: a ``CallTrace`` started when the endpoint begins (only for a
customer whose log is on), finished with the answer the ERP gets — also when that answer is an
error raised on the way (quota, upstream down, timeout)."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from api_gateway.auth.schemas import VerifiedCustomer
from api_gateway.calllog.recorder import CallEntry, CallRecorder
from kit.errors import AppError, error_response
from kit.logs import current_request_id

# Longer bodies are cut (an invoice is a few kB; its answer with both XMLs some tens of kB).
BODY_LIMIT = 256 * 1024
CUT = "\n… [cut]"


def _text(body: bytes) -> str:
    text = body[:BODY_LIMIT].decode("utf-8", "replace").replace("\x00", "\ufffd")
    return text + CUT if len(body) > BODY_LIMIT else text


class CallTrace:
    """One call of a logged customer, from the endpoint's start to its answer."""

    __slots__ = ("_at", "_customer", "_log", "_request", "_started", "request_body")

    def __init__(self, log: CallLog, request: Request, customer: VerifiedCustomer) -> None:
        self._log = log
        self._request = request
        self._customer = customer
        self._started = time.perf_counter()
        self._at = datetime.now(UTC)
        self.request_body = b""

    def finish(self, status: int, response_body: bytes) -> None:
        request = self._request
        entry = CallEntry(
            customer_id=self._customer.customer_id, at=self._at, method=request.method,
            path=request.url.path, query=request.url.query, status=status,
            latency_ms=round((time.perf_counter() - self._started) * 1000, 3),
            request_id=current_request_id(), request_body=_text(self.request_body),
            response_body=_text(response_body),
        )  # fmt: skip
        self._log.recorder.offer(entry)

    async def around(self, answer: Awaitable[Response]) -> Response:
        """``answer``'s response, recorded; an error raised instead is recorded as the error
        answer the ERP gets, then raised on."""
        try:
            response = await answer
        except AppError as exc:
            self.finish(exc.status_code, bytes(error_response(exc).body))
            raise
        except Exception:
            self.finish(500, b"")
            raise
        self.finish(response.status_code, bytes(response.body))
        return response


class CallLog:
    def __init__(self, recorder: CallRecorder) -> None:
        self.recorder = recorder

    def trace(self, request: Request, customer: VerifiedCustomer) -> CallTrace:
        return CallTrace(self, request, customer)

    def refused(self, request: Request, customer: VerifiedCustomer, error: AppError) -> None:
        """A call refused before its endpoint ran (the rate limit)."""
        self.trace(request, customer).finish(error.status_code, bytes(error_response(error).body))
