"""Turn an ERP's JSON body into an :class:`ErpInvoice`, with seed-002 error codes.

Every refusal is one ``"<field path>: <rule>"`` string (lines as ``einv02[3].comments``, 0-based).
Decode the request body with :func:`mydata.erp.loads_invoice_json`, not ``orjson.loads``: only
the former keeps ``-0`` and ``1e-400`` as written, so that they can be refused here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from mydata.erp.jsonbody import is_integer_literal
from mydata.erp.models import CONTROL_CHARACTERS, ControlCharacters, ErpInvoice, is_blank
from mydata.errors import (
    InvoiceBodyNotJson,
    InvoiceSchemaError,
    IssuerVatMissing,
    TransmissionFailureValueError,
)

_FRIENDLY = {
    "extra_forbidden": "unknown field (not in the seed-002 field table)",
    "missing": "required field is missing",
    "string_type": "must be text (or a whole number)",
}


def parse_erp_invoice(body: Any) -> ErpInvoice:
    """Validate a decoded JSON body.

    Raises, in this order: :class:`TransmissionFailureValueError` (``customer_api_009``),
    :class:`IssuerVatMissing` (``customer_api_014``), :class:`InvoiceSchemaError` listing every
    other problem as ``field: message`` (lines as ``einv02[0].netvalue``, 0-based).
    """
    if not isinstance(body, Mapping):
        raise InvoiceBodyNotJson(["body: must be a JSON object"])
    _check_transmission_failure(body.get("transmission_failure"))
    _check_issuer_vat(body.get("is_vat"))
    try:
        return ErpInvoice.model_validate(dict(body))
    except ValidationError as exc:
        raise InvoiceSchemaError(describe_errors(exc)) from None


def _check_transmission_failure(value: Any) -> None:
    # SPEC API-3: the JSON number 0 or 1. Absent, null and "" mean 0; "1", true, 1.0, -0 or 2
    # are refused rather than guessed at.
    if value is None or is_blank(value):
        return
    if is_integer_literal(value) and str(value) in ("0", "1"):  # "-0" is no way to write 0
        return
    raise TransmissionFailureValueError(
        ['transmission_failure: must be the number 0 or 1 (absent, null or "" mean 0)']
    )


def _check_issuer_vat(value: Any) -> None:
    if value is None or is_blank(value):
        raise IssuerVatMissing(["is_vat: required and not blank"])


def describe_errors(exc: ValidationError) -> list[str]:
    """pydantic errors as ``field.path: message`` strings."""
    return [f"{_path(e['loc'])}: {_message(e)}" for e in exc.errors()]


def _message(error: ErrorDetails) -> str:
    given = error.get("input")
    if isinstance(given, ControlCharacters):
        return given.rule
    return _printable(_FRIENDLY.get(error["type"], error["msg"]))


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.isidentifier():  # an unknown field's name, quoted so the path stays a path
            out += f"[{_printable(json.dumps(part, ensure_ascii=False))}]"
        else:
            out += f".{part}" if out else part
    return out or "body"


def _printable(text: str) -> str:
    # An unknown field's name is the ERP's text: a NUL in it must not reach a log, a JSON answer
    # or PostgreSQL through the problem list.
    return CONTROL_CHARACTERS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
