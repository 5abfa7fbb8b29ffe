"""What one send attempt ended as, in the terms the message's state machine needs.

- ``accepted``: the server or SMS provider took the message (a 250 after the data, a PENDING
  status);
- ``retry``: it certainly did not take it, and trying later may work (SMTP 4xx, HTTP 429/503,
  no connection);
- ``failed``: it certainly did not take it, and never will (SMTP 5xx, a rejected number or
  sender);
- ``unknown``: the request left and no answer came (a connection lost after the SMTP data, an
  HTTP timeout): it may have been taken. Never retried blindly (docs/adr/0008-notifier.md).

``HandOver`` is called by a channel right before its point of no return (the SMTP data, the SMS
request); it commits that moment and raises ``LeaseLost`` when the attempt is no longer this
worker's, so a worker that lost its lease never sends.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

OutcomeKind = Literal["accepted", "retry", "failed", "unknown"]
HandOver = Callable[[], Awaitable[None]]

_MAX_DETAIL = 500


class LeaseLost(Exception):
    """The attempt's lease expired or was taken over: this worker must not send."""


@dataclass(frozen=True, slots=True)
class SendOutcome:
    kind: OutcomeKind
    detail: str
    delivered: bool = False  # the SMS provider already reports the final delivery

    @classmethod
    def accepted(cls, detail: str, *, delivered: bool = False) -> SendOutcome:
        return cls("accepted", detail[:_MAX_DETAIL], delivered)

    @classmethod
    def retry(cls, detail: str) -> SendOutcome:
        return cls("retry", detail[:_MAX_DETAIL])

    @classmethod
    def failed(cls, detail: str) -> SendOutcome:
        return cls("failed", detail[:_MAX_DETAIL])

    @classmethod
    def unknown(cls, detail: str) -> SendOutcome:
        return cls("unknown", detail[:_MAX_DETAIL])


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:_MAX_DETAIL]
