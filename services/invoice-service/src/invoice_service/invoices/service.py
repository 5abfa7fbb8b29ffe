"""Invoice rules, independent of HTTP. Services never commit; the endpoint owns the work."""

from __future__ import annotations

from typing import Literal

import orjson

from invoice_service.invoices.errors import (
    bad_transmission_failure,
    general_failure,
    missing_issuer_vat,
)
from invoice_service.invoices.schemas import (
    TRANSMISSION_FAILURE_VALUES,
    InvoiceBody,
    InvoiceHeader,
)


def parse_body(raw: bytes) -> InvoiceBody:
    """The JSON object of the request; anything else is seed 002's general failure."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise general_failure() from None
    if not isinstance(body, dict):
        raise general_failure()
    return body


def _transmission_failure(body: InvoiceBody) -> Literal[0, 1]:
    value = body.get("transmission_failure")
    if value is None:  # absent: issued online, the normal case
        return 0
    # bool is an int in Python; JSON true/false is not a value seed 002 allows.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise bad_transmission_failure()
    key = value.strip() if isinstance(value, str) else value
    if key not in TRANSMISSION_FAILURE_VALUES:
        raise bad_transmission_failure()
    return TRANSMISSION_FAILURE_VALUES[key]


def _issuer_vat(body: InvoiceBody) -> str:
    value = body.get("is_vat")
    vat = value.strip() if isinstance(value, str) else ("" if value is None else str(value))
    if not vat:
        raise missing_issuer_vat()
    return vat


def check_invoice(body: InvoiceBody) -> InvoiceHeader:
    """Apply seed 002's checks in its order (009 before 014); return the checked fields."""
    return InvoiceHeader(transmission_failure=_transmission_failure(body), is_vat=_issuer_vat(body))
