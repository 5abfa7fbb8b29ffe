from datetime import date
from decimal import Decimal

from mydata.identifiers import (
    invoice_uid,
    money,
    temp_code,
    temp_qr_params,
    temporary_authentication_code,
)


def test_temp_code_matches_the_seed_001_vector() -> None:
    # 094420307;20230309;0;1.1;ΤΠ-ΔΑ;26 hashed as UTF-8 (ISO-8859-7 gives a different digest).
    code = temp_code("094420307", date(2023, 3, 9), 0, "1.1", "ΤΠ-ΔΑ", "26")
    assert code == "5f0bb79e9ee9a816494a7a93d061b8d7d40c573c5c681ffec90205eddc0532b7"


def test_temp_qr_params_carry_the_code_and_the_fields() -> None:
    params = temp_qr_params("094420307", date(2023, 3, 9), 0, "1.1", "ΤΠ-ΔΑ", "26")
    assert list(params) == [
        "temp_code",
        "issuer_vat",
        "issue_date",
        "issuer_branch",
        "invoice_type",
        "series",
        "aa",
    ]
    assert params["issue_date"] == "20230309"
    assert params["temp_code"].startswith("5f0bb79e")


def test_uid_reproduces_the_documented_formula() -> None:
    # synthetic_provider_send_invoices_success_response.xml states this input and digest.
    uid = invoice_uid("999999999", date(2026, 3, 16), 0, "2.1", "TPY", "57")
    assert uid == "3ACEDDA426DD1E5C2B5AEFDFAF81FDBFA8C67E95"


def test_uid_hashes_greek_series_as_iso_8859_7() -> None:
    import hashlib

    expected = hashlib.sha1("999999999-2020-10-22-0-1.1-Α-2".encode("iso-8859-7")).hexdigest()
    assert invoice_uid("999999999", date(2020, 10, 22), 0, "1.1", "Α", "2") == expected.upper()


def test_uid_appends_optional_fields() -> None:
    plain = invoice_uid("1", date(2024, 1, 1), 0, "14.1", "A", "1")
    with_cp = invoice_uid("1", date(2024, 1, 1), 0, "14.1", "A", "1", counterpart_vat="2")
    assert plain != with_cp


def test_temporary_authentication_code_format() -> None:
    args = ("094420307", date(2023, 3, 9), 0, "1.1", "ΤΠ-ΔΑ", "26")
    code = temporary_authentication_code(*args, Decimal("1860"), Decimal("360.0"), "888888888")
    import hashlib

    text = "094420307-2023-03-09-0-1.1-ΤΠ-ΔΑ-26-0-1860.00-360.00-888888888"
    assert code == hashlib.sha1(text.encode("utf-8")).hexdigest().upper()
    assert len(code) == 40 and code == code.upper()
    real_mark = temporary_authentication_code(
        *args, Decimal("1860"), Decimal("360"), "888888888", mark=400001868549304
    )
    assert real_mark != code


def test_temporary_authentication_code_without_counterpart() -> None:
    args = ("094420307", date(2023, 3, 9), 0, "11.1", "A", "1", Decimal("1.24"), Decimal("0.24"))
    assert temporary_authentication_code(*args, None) == temporary_authentication_code(*args, "")


def test_money_rounds_half_up_to_cents() -> None:
    assert money(Decimal("1.005")) == "1.01"
    assert money(Decimal("2")) == "2.00"
