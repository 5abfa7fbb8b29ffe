"""loads_invoice_json: orjson where it is exact, Decimal everywhere else, errors by position."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson
import pytest

from mydata.erp import loads_invoice_json, parse_erp_invoice
from mydata.errors import InvoiceBodyNotJson, InvoiceInputError, InvoiceSchemaError

Make = Callable[..., dict[str, Any]]


def test_plain_bodies_are_what_orjson_reads(body: Make) -> None:
    raw = orjson.dumps(body(tvat_am=360.5))  # dates and "ΤΠ-ΔΑ": minus signs inside strings
    decoded = loads_invoice_json(raw)
    assert decoded == orjson.loads(raw)
    assert isinstance(decoded["tvat_am"], float)  # the fast path was taken


@pytest.mark.parametrize(
    ("literal", "exact"),
    [
        ("-0", Decimal("-0")),
        ("-0.0", Decimal("-0.0")),
        ("1e-400", Decimal("1E-400")),
        ("1E+2", Decimal("1E+2")),
        ("-5", Decimal("-5")),
        ("123456789012345678901234567890", Decimal("123456789012345678901234567890")),
        ("0.1000000000000000055511151231257827", Decimal("0.1000000000000000055511151231257827")),
        ("1234567890123456", Decimal("1234567890123456")),
    ],
)
def test_risky_numbers_are_read_exactly(literal: str, exact: Decimal) -> None:
    value = loads_invoice_json(f'{{"s": "2023-03-09", "n": {literal}}}'.encode())["n"]
    assert isinstance(value, Decimal) and str(value) == str(exact)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": "x-1", "b": "1e5", "c": "12345678901234567890", "n": 7}',
        b'{"a": "\\u0393-\\\\", "n": 7}',  # escapes, a backslash before the closing quote
        b'{"a": true, "b": false, "c": null, "n": 7}',  # the e of true/false is no exponent
    ],
)
def test_risky_looking_text_keeps_the_fast_path(raw: bytes) -> None:
    assert type(loads_invoice_json(raw)["n"]) is int


def test_an_escaped_quote_does_not_hide_a_number() -> None:
    assert loads_invoice_json(b'{"a": "say \\"hi", "n": -1}')["n"] == Decimal(-1)
    assert loads_invoice_json(b'{"a": "\\\\", "n": -1}')["n"] == Decimal(-1)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"a": 1,}', "Expecting property name enclosed in double quotes: line 1 column 9"),
        (b'{"a":\n tru}', "Expecting value: line 2 column 2 (char 7)"),
        (b'{"a": NaN}', "NaN is not a JSON number: line 1 column 7 (char 6)"),
        (
            b'{"s": "NaN",\n"a": -Infinity}',
            "-Infinity is not a JSON number: line 2 column 6 (char 18)",
        ),
        (b'{"a": 1e99999999999999999999}', "number 1e99999999999999999999 is out of range: line 1"),
        (b'{"a": "\xff"}', "not UTF-8 (invalid start byte): line 1 column 8 (byte 7)"),
        (b'{"a": "x\x00"}', "Invalid control character at: line 1 column 9 (char 8)"),
        (b"[" * 5000, "depth limit exceeded: line 1 column"),
        (b"", "Expecting value: line 1 column 1 (char 0)"),
    ],
)
def test_invalid_json_names_the_reason_and_where(raw: bytes, reason: str) -> None:
    with pytest.raises(InvoiceBodyNotJson) as caught:
        loads_invoice_json(raw)
    (problem,) = caught.value.problems
    assert problem.startswith(f"body: not valid JSON: {reason}")
    assert isinstance(caught.value, InvoiceSchemaError)  # an InvoiceInputError like the others


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"12", b"null", b"[-1]"])
def test_the_body_must_be_an_object(raw: bytes) -> None:
    with pytest.raises(InvoiceInputError) as caught:
        loads_invoice_json(raw)
    assert caught.value.problems == ["body: must be a JSON object"]


def test_a_byte_order_mark_is_accepted() -> None:
    assert loads_invoice_json(b'\xef\xbb\xbf{"n": 7}') == {"n": Decimal(7)}


def test_a_lone_surrogate_escape_reaches_the_model_and_is_refused(body: Make) -> None:
    raw = orjson.dumps(body()).replace(b'"comments":"', b'"comments":"\\ud800')
    with pytest.raises(InvoiceSchemaError) as caught:
        parse_erp_invoice(loads_invoice_json(raw))
    assert caught.value.problems == [
        "einv02[1].comments: must not contain control characters (U+D800)"
    ]


def test_a_nul_escape_reaches_the_model_and_is_refused(body: Make) -> None:
    raw = orjson.dumps(body()).replace(b'"pnr01":"', b'"pnr01":"\\u0000')
    with pytest.raises(InvoiceSchemaError) as caught:
        parse_erp_invoice(loads_invoice_json(raw))
    assert caught.value.problems == ["pnr01: must not contain control characters (U+0000)"]


def test_exact_and_fast_paths_parse_to_the_same_invoice(body: Make) -> None:
    raw = orjson.dumps(body(tvat_am=360.0, tnetvalue=1500, cp_vat=888888888))
    risky = raw.replace(b'"aa":"26"', b'"aa":"26","p00":1e0').replace(b'"p00":1,', b"")
    fast, exact = loads_invoice_json(raw), loads_invoice_json(risky)
    assert isinstance(exact["tvat_am"], Decimal) and isinstance(fast["tvat_am"], float)
    assert parse_erp_invoice(fast) == parse_erp_invoice(exact)
