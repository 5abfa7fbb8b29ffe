"""Property: whatever an ERP sends, reading it ends in XSD-valid XML or in named refusals.

Bodies are valid seed-002 ones (the 1.1 sample, or generated invoices whose totals add up, up to
a few thousand lines) mutated: sizes at and past their limits, Greek text, NUL and other control
characters, lone surrogates, numbers at and past the limits written as raw JSON literals (huge,
negative, ``-0``, exponents, ``1e-400``), wrong types, unknown fields, removed fields, corrupt
bytes. ``loads_invoice_json`` → ``parse_erp_invoice`` → ``validate_invoice`` →
``build_invoices_doc`` → XSD validation must then either give XML the XSD accepts, or raise an
``InvoiceInputError`` whose problems each start with a field path (009 and 014 included) and can
be sent as JSON. Any other exception fails the property.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mydata.erp import (
    EmailOptions,
    ErpInvoice,
    ErpLine,
    loads_invoice_json,
    parse_erp_invoice,
    validate_invoice,
)
from mydata.errors import InvoiceInputError
from mydata.invoices_doc import build_invoices_doc
from mydata.xsd import SchemaValidator

Make = Callable[..., dict[str, Any]]
# body | name | ["quoted name"], then .name, [index] or ["quoted name"] (parse._path)
_QUOTED = r'\["(?:[^"\\]|\\.)*"\]'
FIELD_PATH = re.compile(rf"^(?:\w+|{_QUOTED})(?:\.\w+|\[\d+\]|{_QUOTED})*: \S")
HEADER = sorted(set(ErpInvoice.model_fields) - {"einv02", "einv00"})
LINE = sorted(ErpLine.model_fields)
EMAIL = sorted(EmailOptions.model_fields)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Raw:
    """A JSON number written exactly so (``-0``, ``1e-400``): json.dumps cannot produce them."""

    literal: str


def encode(value: Any, ascii_only: bool) -> str:
    if isinstance(value, Raw):
        return value.literal
    if isinstance(value, dict):
        items = (f"{encode(k, ascii_only)}:{encode(v, ascii_only)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(encode(v, ascii_only) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


# --- values -----------------------------------------------------------------------------------

SIZES = [1, 2, 3, 4, 5, 6, 10, 11, 20, 21, 45, 46, 50, 51, 60, 61, 100, 101, 150, 151, 350, 351]
CONTROL = ["\x00", "\x01", "\x0b", "\x1c", "\x1f", "\ufffe", "\uffff", "\ud800", "\udfff"]
TEXTS = [
    *("", " ", "0", "00", "1", "2", "7", "31", "ΤΠ-ΔΑ", "Α", "€", "A☃", "\t", "α\r\nβ"),
    *("category1_1", "1_3", "category2_1", "E3_561_001", "E3_102_001", "VAT_361", "X"),
    *("EUR", "usd", "GR", "us", "XX", "1.1", "2.1", "5.1", "11.1", "14.1", "4", "99.9"),
    *("2023-03-09", "2023-02-30", "10:15:00", "25:00:00", "a@b.gr", "el", "1,5", "1e3", "NaN"),
    *("9999999999999.99", "10000000000000", "-0", "-1", "0.000001", "400000017716190"),
    *("9223372036854775808", "400000017716190, 400000017716191"),
]
LITERALS = [
    *("0", "-0", "-0.0", "0.0", "0e5", "1e-400", "-1e-400", "1E400", "1e5", "1.5", "-1"),
    *("1", "2", "3", "5", "7", "10", "31", "99999", "100000", "2147483647", "2147483648"),
    *("9999999999999.99", "10000000000000", "9999999999999.995", "99999999999.99999"),
    *("0.00001", "0.000001", "18446744073709551617", "123456789012345678901234567890"),
    *("9223372036854775808", "0.1000000000000000055511151231257827", "1e999999999"),
]


def texts() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(TEXTS),
        st.text(max_size=25),
        st.builds(lambda n, c: c * n, st.sampled_from(SIZES), st.sampled_from(["x", "Ω", "€"])),
        st.builds(
            lambda a, c, b: a + c + b,
            st.text(max_size=4),
            st.sampled_from(CONTROL),
            st.text(max_size=4),
        ),
    )


def numbers() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from([Raw(x) for x in LITERALS]),
        st.integers(-(2**70), 2**70).map(lambda i: Raw(str(i))),
        st.decimals(min_value=0, max_value=Decimal("1e14"), places=2).map(lambda d: Raw(str(d))),
        st.floats(allow_nan=False, allow_infinity=False).map(lambda f: Raw(repr(f))),
    )


def values() -> st.SearchStrategy[Any]:
    others = st.sampled_from([True, False, None, [], {}, [1], {"p01": 1}])
    return st.one_of(texts(), numbers(), others)


def keys() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(st.sampled_from("abcxyz_ΑΒΓ019"), min_size=1, max_size=12),
        st.just("colour\x00"),
    )


# --- bodies -----------------------------------------------------------------------------------


def consistent_lines(draw: st.DrawFn) -> dict[str, Any]:
    """Rows and totals that add up, so that the builder and the XSD are reached."""
    net = draw(
        st.one_of(
            st.decimals(min_value=0, max_value=Decimal(10**9), places=2),
            st.sampled_from([Decimal("1000000.00"), Decimal("9999999999999.99")]),
        )
    )
    count = draw(st.one_of(st.integers(1, 5), st.integers(200, 2500)))
    vat = (net * Decimal("0.24")).quantize(CENT)
    line = {"netvalue": str(net), "vatcat": "1", "fpavalue": str(vat)}
    line |= {"mydt57_p00": "category1_1", "mydt61_p00": "E3_561_001", "quantity": "1"}
    totals = {"tnetvalue": net * count, "tvat_am": vat * count}
    totals["tgross_val"] = totals["tnetvalue"] + totals["tvat_am"]
    return {"einv02": [dict(line) for _ in range(count)], **{k: str(v) for k, v in totals.items()}}


def mutate(draw: st.DrawFn, body: dict[str, Any]) -> None:
    kind = draw(st.sampled_from(["header", "line", "email", "drop", "unknown", "nested"]))
    if kind == "header":
        body[draw(st.sampled_from(HEADER))] = draw(values())
    elif kind == "line" and isinstance(body["einv02"][0], dict):
        body["einv02"][0][draw(st.sampled_from(LINE))] = draw(values())
    elif kind == "email" and isinstance(body.get("einv00"), dict):
        body["einv00"][draw(st.sampled_from(EMAIL))] = draw(values())
    elif kind == "drop":
        body.pop(draw(st.sampled_from(HEADER)), None)
    elif kind == "unknown":
        target = draw(st.sampled_from([body, body["einv02"][0]]))
        if isinstance(target, dict):
            target[draw(keys())] = draw(values())
    else:
        body[draw(st.sampled_from(["einv02", "einv00"]))] = draw(values())


@st.composite
def raw_bodies(draw: st.DrawFn, make: Make) -> bytes:
    body = make(**consistent_lines(draw)) if draw(st.booleans()) else make()
    for _ in range(draw(st.integers(0, 4))):
        if isinstance(body.get("einv02"), list) and body["einv02"]:
            mutate(draw, body)
    text = encode(body, ascii_only=draw(st.booleans()))
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # corrupt bytes
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=3)) + raw[cut + 1 :]
    return raw


# --- the property -----------------------------------------------------------------------------


def _assert_named(exc: InvoiceInputError) -> None:
    orjson.dumps(exc.error_fields())  # sendable: no lone surrogate can be in a message
    assert exc.problems
    for problem in exc.problems:
        assert FIELD_PATH.match(problem), problem


@settings(
    max_examples=150,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the working tree
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # ``body`` only hands out fresh copies
    ],
)
@given(data=st.data())
def test_any_body_ends_in_valid_xml_or_named_refusals(
    body: Make, validator: SchemaValidator, data: st.DataObject
) -> None:
    raw = data.draw(raw_bodies(body))
    try:
        invoice = parse_erp_invoice(loads_invoice_json(raw))
        validate_invoice(invoice)
        xml = build_invoices_doc([invoice])
    except InvoiceInputError as exc:
        event(f"refused: {type(exc).__name__}")
        _assert_named(exc)
        return
    event("built")
    assert validator.validate(xml) == []
