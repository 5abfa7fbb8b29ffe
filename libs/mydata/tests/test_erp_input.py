"""Seed-002 field table: sizes, formats, codes 009/014, and the generic schema error."""

from collections.abc import Callable
from typing import Any

import pytest

from mydata.erp import parse_erp_invoice
from mydata.errors import (
    InvoiceSchemaError,
    IssuerVatMissing,
    TransmissionFailureValueError,
)

Make = Callable[..., dict[str, Any]]


def _problems(body: dict[str, Any]) -> list[str]:
    with pytest.raises(InvoiceSchemaError) as caught:
        parse_erp_invoice(body)
    return caught.value.problems


@pytest.mark.parametrize("value", [2, -1, "2", "x", True, 0.5, "0", "1", 0.0, 1.0, False])
def test_transmission_failure_must_be_0_or_1(body: Make, value: object) -> None:
    with pytest.raises(TransmissionFailureValueError) as caught:
        parse_erp_invoice(body(transmission_failure=value))
    fields = caught.value.error_fields()
    assert fields["code"] == "customer_api_009"
    assert fields["message"] == "Η τιμή του πεδίου transmission_failure μπορεί να είναι μόνο 0 ή 1"
    assert fields["status_code"] == 400
    (problem,) = fields["data"]["validation_errors"]
    assert problem.startswith("transmission_failure: ")


@pytest.mark.parametrize("value", [0, 1, "", None])
def test_transmission_failure_accepted_values(body: Make, value: object) -> None:
    assert parse_erp_invoice(body(transmission_failure=value)).transmission_failure in (0, 1)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_issuer_vat_is_014(body: Make, value: object) -> None:
    data = body()
    data["is_vat"] = value
    with pytest.raises(IssuerVatMissing) as caught:
        parse_erp_invoice(data)
    assert caught.value.error_fields()["code"] == "customer_api_014"
    assert caught.value.message == "Το ΑΦΜ Εκδότη δεν μπορεί να είναι κενό"
    assert caught.value.problems == ["is_vat: required and not blank"]


def test_009_is_reported_before_014(body: Make) -> None:
    with pytest.raises(TransmissionFailureValueError):
        parse_erp_invoice(body(transmission_failure=5, is_vat=""))


def test_string_size(body: Make) -> None:
    assert _problems(body(series="Α" * 21)) == ["series: String should have at most 20 characters"]


def test_numeric_decimals(body: Make) -> None:
    (problem,) = _problems(body(tnetvalue="1500.000001"))
    assert problem == "tnetvalue: too many decimal places (at most 5)"


def test_numeric_integer_digits(body: Make) -> None:
    (problem,) = _problems(body(tgross_val="12345678901234.5"))
    assert problem == "tgross_val: too many digits before the decimal point (at most 13)"


def test_totals_take_the_amount_range_not_the_seed_sizes(body: Make) -> None:
    # Seed: tfees_am Numeric 15,5, the other totals 13,5; all are myDATA AmountType now.
    assert parse_erp_invoice(body(ttax_am="1234567890.5")).ttax_am > 0
    assert parse_erp_invoice(body(tfees_am="9999999999999.99")).tfees_am > 0


def test_integer_size(body: Make) -> None:
    (problem,) = _problems(body(is_branch=100000))
    assert problem == "is_branch: Input should be less than or equal to 99999"


def test_negative_amount(body: Make) -> None:
    assert _problems(body(tvat_am="-1"))[0].startswith("tvat_am: ")


def test_date_format(body: Make) -> None:
    (problem,) = _problems(body(issuedate="09/03/2023"))
    assert problem == "issuedate: Value error, must be a date written YYYY-mm-dd"


def test_time_format(body: Make) -> None:
    assert _problems(body(issuetime="25:00:00"))[0].startswith("issuetime: String should match")


def test_code_fields_are_numeric(body: Make) -> None:
    assert _problems(body(paytype="cash"))[0].startswith("paytype: String should match")


def test_invoice_type_format(body: Make) -> None:
    assert _problems(body(invtype="invoice"))[0].startswith("invtype: ")


def test_line_field_is_named_with_its_index(body: Make) -> None:
    data = body()
    data["einv02"][1]["netvalue"] = "12345678901234.5"
    (problem,) = _problems(data)
    assert problem.startswith("einv02[1].netvalue: ")


def test_line_comment_size(body: Make) -> None:
    data = body()
    data["einv02"][0]["comments"] = "x" * 351
    assert _problems(data) == ["einv02[0].comments: String should have at most 350 characters"]


def test_unknown_fields_are_refused(body: Make) -> None:
    data = body(discount="5")
    data["einv02"][0]["colour"] = "red"
    assert sorted(_problems(data)) == [
        "discount: unknown field (not in the seed-002 field table)",
        "einv02[0].colour: unknown field (not in the seed-002 field table)",
    ]


def test_missing_required_fields(body: Make) -> None:
    assert _problems(body(series=None, einv02=[])) == [
        "series: required field is missing",
        "einv02: List should have at least 1 item after validation, not 0",
    ]


def test_email_options(body: Make) -> None:
    assert _problems(body(einv00={"p010": "not-an-email"}))[0].startswith("einv00.p010: ")
    assert _problems(body(einv00={"p02": 3}))[0].startswith("einv00.p02: ")


def test_series_must_fit_iso_8859_7(body: Make) -> None:
    assert _problems(body(series="A☃"))[0].startswith("series: Value error, must contain only")


def test_body_must_be_an_object() -> None:
    with pytest.raises(InvoiceSchemaError) as caught:
        parse_erp_invoice(["not", "a", "dict"])
    assert caught.value.problems == ["body: must be a JSON object"]
    assert caught.value.error_fields()["data"] == {"validation_errors": caught.value.problems}


def test_what_real_erps_send_is_accepted(body: Make) -> None:
    data = body(aa=26, is_branch="0", cp_vat=888888888, vatpaysusp=0, exchrate="", lang=None)
    data["einv02"][0]["fpavalue"] = 240.0  # a JSON float
    invoice = parse_erp_invoice(data)
    assert (invoice.aa, invoice.cp_vat, invoice.vatpaysusp) == ("26", "888888888", False)
    assert invoice.exchrate is None
