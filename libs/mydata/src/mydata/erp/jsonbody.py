"""Decode the ERP's request body exactly: what a number says is what the validators see.

``orjson.loads`` alone is not exact: ``-0`` becomes ``0`` and ``1e-400`` becomes ``0.0`` (both
then pass as "zero" where the rules refuse a negative or a 400-decimal amount), and an integer past
64 bits becomes a float (``123456789012345678901234567890`` → ``1.2345678901234568e+29``).
:func:`loads_invoice_json` uses orjson only when no number of the body can be affected: no minus
sign, no exponent and no run of 16 or more digits outside strings. Every number orjson then reads
has at most 15 digits, which a float holds exactly. Otherwise the stdlib ``json`` module reads the
body with ``Decimal`` for every number, so that sign and digits survive for the model to judge.

Timing (``timeit``, best of 9, the tests' 888-byte sample body ``BASE_1_1`` of
libs/mydata/tests/conftest.py, two-core development box): ``orjson.loads`` 3.3–4.5 µs,
``loads_invoice_json`` 8.5 µs, a ratio of **about 2–2.5×** (the scan for risky numbers is ~4.6 µs
of it; parse_erp_invoice on the same body takes ~80 µs). The exact path, taken only for bodies
with a minus sign, an exponent or a 16+ digit number, is ~14 µs (3–4× orjson).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

from mydata.errors import InvoiceBodyNotJson

# Digits and the point all become "0" and "E" becomes "e", so that one literal search finds a
# digit run or an exponent ("0e") whatever the digits were; lengths stay the same.
_NUMBER_SHAPE = bytes.maketrans(b"123456789.E", b"0" * 10 + b"e")
_RISKY = (b"-", b"0e", b"0" * 16)  # sign, exponent, 16+ digits (with the point)
_STRING = r'"(?:[^"\\]|\\.)*"'
_NUMBER_GOES_ON = r"(?![0-9.eE+-])"


class JsonFraction(Decimal):
    """A JSON number written with a fraction or an exponent (``1.0``, ``1e0``): orjson would have
    made it a float, so it is never taken for the integer a field such as transmission_failure
    requires, nor turned into text."""


def is_integer_literal(value: Any) -> bool:
    """An int (not a bool), or a Decimal the exact path read from an integer literal."""
    if isinstance(value, Decimal):
        plain = not isinstance(value, JsonFraction) and value.is_finite()
        return plain and value.as_tuple().exponent == 0
    return isinstance(value, int) and not isinstance(value, bool)


class _Refused(Exception):
    """A token that reads as a number in Python but is not an acceptable JSON number."""

    def __init__(self, token: str, reason: str) -> None:
        super().__init__(token)
        self.token = token
        self.reason = reason


def loads_invoice_json(raw: bytes) -> Any:
    """The decoded body (a dict), numbers exact; see the module docstring.

    Raises :class:`~mydata.errors.InvoiceBodyNotJson` (``body: not valid JSON: <reason>: line L
    column C (char N)``) and :class:`~mydata.errors.InvoiceSchemaError` (``body: must be a JSON
    object``), each with that single problem.
    """
    body = _fast(raw) if _orjson_is_exact(raw) else _exact(raw)
    if not isinstance(body, dict):
        raise InvoiceBodyNotJson(["body: must be a JSON object"])
    return body


def _orjson_is_exact(raw: bytes) -> bool:
    """No minus sign, exponent or 16-digit run outside strings (inside them they are text)."""
    shape = _without_escaped_quotes(raw).translate(_NUMBER_SHAPE)
    sign, exponent, long_run = _RISKY
    return not (
        _outside_strings(shape, sign)
        or _outside_strings(shape, exponent)
        or _outside_strings(shape, long_run)
    )


def _without_escaped_quotes(raw: bytes) -> bytes:
    # Removing every "\\" pair first leaves a backslash before a quote only where the quote is
    # escaped; with both gone, the quotes left are exactly the string delimiters.
    if b"\\" not in raw:
        return raw
    return raw.replace(b"\\\\", b"").replace(b'\\"', b"")


def _outside_strings(shape: bytes, needle: bytes) -> bool:
    # An even number of quotes before a hit puts it outside any string. Quotes are counted
    # incrementally, so a body full of dates ("2023-03-09") stays linear.
    quotes, counted = 0, 0
    hit = shape.find(needle)
    while hit != -1:
        quotes += shape.count(b'"', counted, hit)
        counted = hit
        if quotes % 2 == 0:
            return True
        hit = shape.find(needle, hit + 1)
    return False


def _fast(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        # orjson refuses some JSON the stdlib reads (a BOM, a lone surrogate escape, which the
        # model then refuses by field); the exact path decides, and words any error.
        return _exact(raw)


def _exact(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_json(f"not UTF-8 ({exc.reason}): {_line_column(raw, exc.start)}") from None
    try:
        return json.loads(text, parse_float=_fraction, parse_int=_number, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise _not_json(str(exc)) from None
    except _Refused as exc:
        raise _not_json(f"{exc.reason}: {_where(text, exc.token)}") from None
    except RecursionError:
        raise _not_json(_orjson_reason(raw) or "nested too deeply") from None


def _orjson_reason(raw: bytes) -> str | None:
    # orjson stops at 1024 levels and says where; Python's own limit comes a little earlier.
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return str(exc)
    return None


def _line_column(raw: bytes, pos: int) -> str:
    line = raw.count(b"\n", 0, pos) + 1
    column = pos - raw.rfind(b"\n", 0, pos)
    return f"line {line} column {column} (byte {pos})"


def _number(token: str) -> Decimal:
    return Decimal(token)  # an integer literal: any number of digits, never out of range


def _fraction(token: str) -> JsonFraction:
    try:
        return JsonFraction(token)
    except InvalidOperation:  # an exponent past what Decimal holds (1e99999999999999999999)
        shown = token if len(token) <= 24 else f"{token[:24]}…"
        raise _Refused(token, f"number {shown} is out of range") from None


def _constant(token: str) -> Any:
    raise _Refused(token, f"{token} is not a JSON number")


def _where(text: str, token: str) -> str:
    """``line L column C (char N)`` of the first ``token`` outside a string, as json words it."""
    pattern = re.compile(f"{_STRING}|({re.escape(token)}){_NUMBER_GOES_ON}", re.DOTALL)
    starts = (found.start(1) for found in pattern.finditer(text) if found.group(1) is not None)
    pos = next(starts, 0)
    line = text.count("\n", 0, pos) + 1
    column = pos - text.rfind("\n", 0, pos)
    return f"line {line} column {column} (char {pos})"


def _not_json(reason: str) -> InvoiceBodyNotJson:
    return InvoiceBodyNotJson([f"body: not valid JSON: {reason}"])
