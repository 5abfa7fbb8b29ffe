"""Turn an ERP's JSON body into an :class:`ErpInvoice`, with seed-002 error codes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from mydata.erp.models import ErpInvoice
from mydata.errors import InvoiceSchemaError, IssuerVatMissing, TransmissionFailureValueError

_FRIENDLY = {
    "extra_forbidden": "unknown field (not in the seed-002 field table)",
    "missing": "required field is missing",
}


def parse_erp_invoice(body: Any) -> ErpInvoice:
    """Validate a decoded JSON body.

    Raises, in this order: :class:`TransmissionFailureValueError` (``customer_api_009``),
    :class:`IssuerVatMissing` (``customer_api_014``), :class:`InvoiceSchemaError` listing every
    other problem as ``field: message`` (lines as ``einv02[0].netvalue``, 0-based).
    """
    if not isinstance(body, Mapping):
        raise InvoiceSchemaError(["body: must be a JSON object"])
    _check_transmission_failure(body.get("transmission_failure"))
    _check_issuer_vat(body.get("is_vat"))
    try:
        return ErpInvoice.model_validate(dict(body))
    except ValidationError as exc:
        raise InvoiceSchemaError(describe_errors(exc)) from None


def _check_transmission_failure(value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool) or value not in (0, 1, "0", "1", Decimal(0), Decimal(1)):
        raise TransmissionFailureValueError()


def _check_issuer_vat(value: Any) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise IssuerVatMissing()


def describe_errors(exc: ValidationError) -> list[str]:
    """pydantic errors as ``field.path: message`` strings."""
    return [f"{_path(e['loc'])}: {_FRIENDLY.get(e['type'], e['msg'])}" for e in exc.errors()]


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"
