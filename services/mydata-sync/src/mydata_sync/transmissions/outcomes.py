"""What one transmission attempt ended as, independent of how it was learnt."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mydata.errors import RawExchange
from mydata.response import ErrorItem

FinalState = Literal["transmitted", "deferred", "rejected"]


@dataclass(frozen=True, slots=True)
class Wire:
    """What went over the wire in this attempt (stored with the attempt, sent in events)."""

    http_status: int | None = None
    request_xml: str | None = None
    response_xml: str | None = None


NO_WIRE = Wire()


@dataclass(frozen=True, slots=True)
class Outcome:
    """``kind`` is the metric label and the attempt's ``outcome`` column: registered,
    duplicate_recovered, business_error, technical_error, timeout, auth_failed, circuit_open,
    answer_mismatch."""

    state: FinalState
    kind: str
    called: bool = True  # False when no request went out (circuit open)
    mark: str | None = None
    authentication_code: str | None = None
    qr_url: str | None = None
    errors: tuple[ErrorItem, ...] = ()
    error: str | None = None
    wire: Wire = field(default_factory=lambda: NO_WIRE)


def _text(body: bytes | None) -> str | None:
    return body.decode("utf-8", "replace") if body is not None else None


def wire(raw: RawExchange | None) -> Wire:
    if raw is None:
        return NO_WIRE
    return Wire(raw.status, _text(raw.request_body), _text(raw.response_body))


def circuit_open() -> Outcome:
    return Outcome("deferred", "circuit_open", called=False, error="myDATA circuit open")


def deferred(kind: str, error: str, raw: RawExchange | None = None) -> Outcome:
    return Outcome("deferred", kind, error=error, wire=wire(raw))
