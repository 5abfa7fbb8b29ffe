"""SPEC API-1's rules for reading the body: liberal amounts and code zeros, strict elsewhere.

Each test fails when its rule is removed: amounts in myDATA's AmountType range, code fields whose
0 means "absent", control characters refused in every field, transmission_failure as the JSON
number 0 or 1, negative zero and underflow refused, numbers past 64 bits refused cleanly.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson
import pytest
from lxml import etree

from mydata.erp import (
    EmailOptions,
    ErpInvoice,
    ErpLine,
    check_invoice,
    loads_invoice_json,
    parse_erp_invoice,
)
from mydata.erp.codes import CODES, ZERO_IS_ABSENT, Numbers
from mydata.errors import InvoiceSchemaError, TransmissionFailureValueError
from mydata.invoices_doc import INV, build_invoices_doc
from mydata.xsd import SchemaValidator

Make = Callable[..., dict[str, Any]]
HEADER_AMOUNTS = ["tnetvalue", "tvat_am", "twthhld_am", "tfees_am", "tstamp_am", "ttax_am"]
HEADER_AMOUNTS += ["tdeduction", "tgross_val"]
LINE_AMOUNTS = ["netvalue", "fpavalue", "wthhld_am", "stampvalue", "fees_am", "otax_am"]
LINE_AMOUNTS += ["deducvalue", "taxamount", "taxunder"]
LINE_QUANTITIES = ["quantity", "p105"]
CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\ufffe", "\uffff"]
CONTROL += ["\ud800", "\udfff"]


def _place(body: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    """``body`` with ``field`` set where it lives: header, first line or einv00."""
    if field in ErpLine.model_fields:
        body["einv02"][0][field] = value
    elif field in EmailOptions.model_fields:
        body["einv00"][field] = value
    else:
        body[field] = value
    return body


def _path(field: str) -> str:
    if field in ErpLine.model_fields:
        return f"einv02[0].{field}"
    return f"einv00.{field}" if field in EmailOptions.model_fields else field


def _problems(data: Any) -> list[str]:
    with pytest.raises(InvoiceSchemaError) as caught:
        parse_erp_invoice(data)
    return caught.value.problems


def _value(invoice: ErpInvoice, field: str) -> Any:
    if field in ErpLine.model_fields:
        return getattr(invoice.einv02[0], field)
    if field in EmailOptions.model_fields:
        return getattr(invoice.einv00, field)
    return getattr(invoice, field)


def _json(body: dict[str, Any], **raw: str) -> bytes:
    """``body`` as JSON with ``raw`` header fields written as the given number literals."""
    text = orjson.dumps(body).decode()
    for field, literal in raw.items():
        text = text.replace("{", f'{{"{field}":{literal},', 1)
    return text.encode()


# --- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", HEADER_AMOUNTS + LINE_AMOUNTS)
def test_amounts_take_myDATA_s_range(body: Make, field: str) -> None:
    for value in ("9999999999999.99", "9999999999.99999", "150000", 150000.5, 0):
        assert _value(parse_erp_invoice(_place(body(), field, value)), field) == Decimal(value)


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("10000000000000", "too many digits before the decimal point (at most 13)"),
        ("99999999999.99999", "too many digits (at most 15 in all)"),
        ("0.000001", "too many decimal places (at most 5)"),
        ("-0.01", "must not be negative"),
        (Decimal("-0"), "must not be negative"),
        (-0.0, "must not be negative"),
        (Decimal("1E-400"), "too many decimal places (at most 5)"),
        ("1,50", "must be a number written with a decimal point (e.g. 1500.25)"),
        ("1e3", "must be a number written with a decimal point (e.g. 1500.25)"),
        ("NaN", "must be a number written with a decimal point (e.g. 1500.25)"),
        (float("inf"), "must be a finite number"),
        (True, "must be a number written with a decimal point (e.g. 1500.25)"),
    ],
)
@pytest.mark.parametrize("field", ["tgross_val", "netvalue", "taxamount"])
def test_amount_refusals_name_field_and_rule(body: Make, field: str, value: Any, rule: str) -> None:
    assert _problems(_place(body(), field, value)) == [f"{_path(field)}: {rule}"]


@pytest.mark.parametrize("field", LINE_QUANTITIES)
def test_quantities_take_15_digits_and_5_decimals(body: Make, field: str) -> None:
    assert _value(parse_erp_invoice(_place(body(), field, "123456789012345")), field) > 0
    assert _value(parse_erp_invoice(_place(body(), field, "1234567890.12345")), field) > 0
    assert _problems(_place(body(), field, "1234567890123456")) == [
        f"einv02[0].{field}: too many digits before the decimal point (at most 15)"
    ]
    assert _problems(_place(body(), field, "-0")) == [f"einv02[0].{field}: must not be negative"]


@pytest.mark.parametrize("changes", [{}, {"tnetvalue": 1500.0, "aa": 26}, {"p00": 0, "lang": ""}])
def test_a_stored_body_reads_back_the_same(body: Make, changes: dict[str, Any]) -> None:
    # invoice-service stores model_dump(mode="json") and mydata-sync parses it again.
    invoice = parse_erp_invoice(body(**changes))
    stored = orjson.loads(orjson.dumps(invoice.model_dump(mode="json", exclude_none=True)))
    assert parse_erp_invoice(loads_invoice_json(orjson.dumps(stored))) == invoice


def test_exponent_free_amounts_are_kept_so_that_a_stored_body_reads_again(body: Make) -> None:
    invoice = parse_erp_invoice(body(tnetvalue=Decimal("1.5E+3"), tvat_am=Decimal("360.0000000")))
    dumped = invoice.model_dump(mode="json")
    assert (dumped["tnetvalue"], dumped["tvat_am"]) == ("1500", "360.00000")
    assert parse_erp_invoice(dumped) == invoice


def _one_line(body: Make, net: str, vat: str, gross: str) -> dict[str, Any]:
    line = {"netvalue": net, "vatcat": "1", "fpavalue": vat, "mydt57_p00": "category1_1"}
    return body(einv02=[line], tnetvalue=net, tvat_am=vat, tgross_val=gross, paytype=None)


@pytest.mark.parametrize(
    ("net", "vat", "gross"),
    [
        ("1000000.00", "240000.00", "1240000.00"),
        ("9999999999999.99", "0", "9999999999999.99"),
        ("5000000000000.00", "4999999999999.99", "9999999999999.99"),
    ],
)
def test_large_amounts_build_xsd_valid_xml(
    body: Make, validator: SchemaValidator, net: str, vat: str, gross: str
) -> None:
    invoice = parse_erp_invoice(_one_line(body, net, vat, gross))
    assert check_invoice(invoice) == []
    xml = build_invoices_doc([invoice])
    assert validator.validate(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext(f".//{{{INV}}}netValue") == net
    assert root.findtext(f".//{{{INV}}}totalGrossValue") == gross


def test_totals_arithmetic_at_the_top_of_the_range(body: Make) -> None:
    invoice = parse_erp_invoice(_one_line(body, "5000000000000.00", "4999999999999.99", "1"))
    (problem,) = check_invoice(invoice)
    assert problem.endswith("= 9999999999999.99")  # exact: no float, no rounding


def test_rows_may_not_add_up_past_the_largest_amount(body: Make) -> None:
    lines = [
        {"netvalue": "9999999999999.99", "vatcat": "1", "fpavalue": "0"},
        {"netvalue": "0.01", "vatcat": "1", "fpavalue": "0"},
    ]
    totals = {"tnetvalue": "9999999999999.99", "tvat_am": "0", "tgross_val": "9999999999999.99"}
    problems = check_invoice(parse_erp_invoice(body(einv02=lines, paytype=None, **totals)))
    assert problems == [
        "einv02: the rows' netvalue add up to 10000000000000.00, more than myDATA's largest"
        " amount 9999999999999.99 (AmountType)"
    ]


def test_exchange_rate_is_at_most_50000(body: Make) -> None:
    assert check_invoice(parse_erp_invoice(body(currency="USD", exchrate="50000"))) == []
    assert check_invoice(parse_erp_invoice(body(currency="usd", exchrate="50000.00001"))) == [
        "exchrate: must be at most 50000 (myDATA ExchangeRateType)"
    ]


# --- code fields ------------------------------------------------------------------------------


@pytest.mark.parametrize("zero", [0, "0", " 0 ", "", None, Decimal(0)])
@pytest.mark.parametrize("field", sorted(ZERO_IS_ABSENT))
def test_code_zero_means_absent(body: Make, field: str, zero: Any) -> None:
    invoice = parse_erp_invoice(_place(body(), field, zero))
    assert _value(invoice, field) == ErpInvoice.model_fields.get(field, _Default()).default


class _Default:
    default = None


@pytest.mark.parametrize("field", sorted(CODES))
def test_codes_myDATA_does_not_have_are_refused(body: Make, field: str) -> None:
    accepted = CODES[field].accepted
    wrong = str(accepted.high + 1) if isinstance(accepted, Numbers) else "ZZ"
    wrong = "16" if field == "fuelcode" else wrong
    assert _problems(_place(body(), field, wrong)) == [f"{_path(field)}: {CODES[field].rule}"]


@pytest.mark.parametrize("zero", [0.0, False, "00", "-0"])
def test_only_a_plain_zero_is_taken_for_absent(body: Make, zero: Any) -> None:
    assert _problems(_place(body(), "vatexcat", zero))[0].startswith("einv02[0].vatexcat: ")


@pytest.mark.parametrize("literal", ["0.0", "0e0", "-0"])
def test_a_zero_written_otherwise_is_no_absent_code(body: Make, literal: str) -> None:
    raw = _json(body(paytype=None), paytype=literal)
    assert _problems(loads_invoice_json(raw))[0].startswith("paytype: ")


def test_codes_are_compared_as_myDATA_reads_them(body: Make) -> None:
    data = _place(body(currency="usd", exchrate="1.1", cp_country="us"), "vatcat", "01")
    invoice = parse_erp_invoice(_place(data, "mydt57_p00", "1_1"))
    assert (invoice.currency, invoice.einv02[0].vatcat) == ("usd", "01")


def test_zero_keeps_its_meaning_where_it_has_one(body: Make) -> None:
    data = body(is_branch=0, cp_branch="0", vatpaysusp=0)
    data["einv02"][0]["discoption"] = 0
    invoice = parse_erp_invoice(data)
    assert (invoice.is_branch, invoice.cp_branch, invoice.vatpaysusp) == (0, 0, False)
    assert (invoice.einv02[0].discoption, invoice.transmission_failure) == (0, 0)


def test_required_invoice_type_zero_is_refused(body: Make) -> None:
    assert _problems(body(invtype="0")) == [f"invtype: {CODES['invtype'].rule}"]


# --- control characters -----------------------------------------------------------------------

ALL_FIELDS = sorted(
    {*ErpInvoice.model_fields, *ErpLine.model_fields, *EmailOptions.model_fields}
    - {"einv02", "einv00", "transmission_failure"}  # transmission_failure: 009, below
)


@pytest.mark.parametrize("field", ALL_FIELDS)
def test_control_characters_are_refused_in_every_field(body: Make, field: str) -> None:
    assert _problems(_place(body(), field, "1\x00")) == [
        f"{_path(field)}: must not contain control characters (U+0000)"
    ]


@pytest.mark.parametrize("char", CONTROL)
def test_each_refused_character_is_named(body: Make, char: str) -> None:
    (problem,) = _problems(_place(body(), "comments", f"a{char}b"))
    assert problem == f"einv02[0].comments: must not contain control characters (U+{ord(char):04X})"


def test_a_control_character_alone_is_not_a_blank(body: Make) -> None:
    assert _problems(body(pnr01="\x1c")) == ["pnr01: must not contain control characters (U+001C)"]


def test_tab_newline_and_carriage_return_are_text(body: Make, validator: SchemaValidator) -> None:
    invoice = parse_erp_invoice(_place(body(), "comments", "α\tβ\r\nγ"))
    assert invoice.einv02[0].comments == "α\tβ\r\nγ"
    assert validator.validate(build_invoices_doc([invoice])) == []


def test_problems_never_carry_the_characters(body: Make) -> None:
    problems = _problems(body(**{"colour\x00": "red", "Χρώμα": 1, "a b": 2}))
    unknown = ": unknown field (not in the seed-002 field table)"
    assert problems == [f'["colour\\u0000"]{unknown}', f"Χρώμα{unknown}", f'["a b"]{unknown}']


# --- transmission_failure ---------------------------------------------------------------------


@pytest.mark.parametrize("literal", ["-0", "0.0", "1.0", "1e0", '"1"', "true", "2"])
def test_transmission_failure_is_the_json_number_0_or_1(body: Make, literal: str) -> None:
    # 1e0 goes the exact path (an exponent), 1.0 orjson's (a float): both are refused.
    raw = _json(body(transmission_failure=None), transmission_failure=literal)
    with pytest.raises(TransmissionFailureValueError):
        parse_erp_invoice(loads_invoice_json(raw))


@pytest.mark.parametrize("literal", ["0", "1", '""', "null"])
def test_transmission_failure_accepted_literals(body: Make, literal: str) -> None:
    raw = _json(body(transmission_failure=None, tvat_am="-0"), transmission_failure=literal)
    with pytest.raises(InvoiceSchemaError):  # the exact path (a minus sign) is taken
        parse_erp_invoice(loads_invoice_json(raw))
    ok = _json(body(transmission_failure=None), transmission_failure=literal)
    assert parse_erp_invoice(loads_invoice_json(ok)).transmission_failure in (0, 1)


# --- what orjson alone would hide -------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "orjson_reads", "rule"),
    [
        ("-0", 0, "must not be negative"),
        ("-0.0", 0, "must not be negative"),
        ("-0e5", 0, "must not be negative"),
        ("1e-400", 0, "too many decimal places (at most 5)"),
        ("-1e-400", 0, "must not be negative"),
        ("0.1000000000000000055511151231257827", 0.1, "too many decimal places (at most 5)"),
    ],
)
def test_negative_zero_underflow_and_lost_digits_are_refused(
    body: Make, literal: str, orjson_reads: float, rule: str
) -> None:
    raw = _json(body(tvat_am=None), tvat_am=literal)
    assert orjson.loads(raw)["tvat_am"] == orjson_reads  # what plain orjson.loads would hide
    assert _problems(loads_invoice_json(raw)) == [f"tvat_am: {rule}"]


def test_quantity_negative_zero_from_json(body: Make) -> None:
    raw = orjson.dumps(body()).replace(b'"quantity":"10"', b'"quantity":-0')
    assert _problems(loads_invoice_json(raw)) == ["einv02[0].quantity: must not be negative"]


@pytest.mark.parametrize(
    ("field", "literal"),
    [
        ("is_branch", "18446744073709551617"),
        ("cp_branch", "-9223372036854775809"),
        ("tnetvalue", "123456789012345678901234567890"),
        ("aa", "123456789012345678901"),
        ("mvpurpose", "99999999999999999999999"),
    ],
)
@pytest.mark.timeout(10)
def test_integers_past_64_bits_are_refused(body: Make, field: str, literal: str) -> None:
    raw = _json(body(**{field: None}), **{field: literal})
    assert orjson.loads(raw)[field] != int(literal)  # orjson alone turns them into floats
    assert [p.split(":")[0] for p in _problems(loads_invoice_json(raw))] == [field]


def test_transmission_failure_past_64_bits_is_009(body: Make) -> None:
    raw = _json(body(transmission_failure=None), transmission_failure="18446744073709551617")
    with pytest.raises(TransmissionFailureValueError):
        parse_erp_invoice(loads_invoice_json(raw))


@pytest.mark.timeout(10)
def test_huge_exponents_are_refused_without_building_the_number(body: Make) -> None:
    data = body()
    data["einv02"][0]["linenumber"] = "@"
    raw = orjson.dumps(data).replace(b'"@"', b"1e999999999")
    assert _problems(loads_invoice_json(raw)) == [
        "einv02[0].linenumber: must be a whole number of at most 19 digits"
    ]


def test_whole_numbers_in_text_fields_keep_every_digit(body: Make) -> None:
    raw = orjson.dumps(body()).replace(b'"comments":"', b'"p106":10000000000000000000001,"x":"')
    raw = raw.replace(b'"x":', b'"comments":')
    assert parse_erp_invoice(loads_invoice_json(raw)).einv02[1].p106 == "1" + "0" * 21 + "1"


def test_fractions_are_not_text(body: Make) -> None:
    assert _problems(body(aa=26.5)) == ["aa: must be text (or a whole number)"]


def test_marks_past_xs_long_are_refused(body: Make) -> None:
    assert parse_erp_invoice(body(invtype="5.1", correlinv="9223372036854775807")).correlinv
    assert _problems(body(invtype="5.1", correlinv="1, 9223372036854775808")) == [
        "correlinv: each MARK must be at most 9223372036854775807"
    ]
