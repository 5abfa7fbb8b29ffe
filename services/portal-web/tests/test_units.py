"""The portal's own rules, without a server: passwords, the temporary QR, formats, filters,
logos, file names, redirects."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image, ImageFile

from portal_web.account.logo import MAX_BYTES, checked_logo
from portal_web.auth.service import broken_rules, refusal_messages, safe_next
from portal_web.clients.http import PasswordRefused
from portal_web.clients.invoices import Logo
from portal_web.invoices.service import download, month_before, read_filters, xml_stem
from portal_web.public.service import normal_code, read_temp_qr
from webkit.formats import day, money, number, parse_day
from webkit.i18n import Message

SEED_QR = {"temp_code": "5f0bb79e9ee9a816494a7a93d061b8d7d40c573c5c681ffec90205eddc0532b7",
           "issuer_vat": "094420307", "issue_date": "20230309", "issuer_branch": "0",
           "invoice_type": "1.1", "series": "ΤΠ-ΔΑ", "aa": "26"}  # fmt: skip


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("Abcdef1!", []),
        ("abc", ["min_length", "upper", "digit", "symbol"]),
        ("ABCDEFGH", ["lower", "digit", "symbol"]),
        ("Ab1!", ["min_length"]),
        ("Αβγδεζη1!", []),  # Greek letters count as letters of either case
        ("Abcdefgh1 ", ["symbol"]),  # a space is not a symbol
    ],
)
def test_each_password_rule(password: str, broken: list[str]) -> None:
    assert broken_rules(password) == broken


def test_tenant_admins_refusal_becomes_one_message_per_rule() -> None:
    messages = refusal_messages(PasswordRefused(["upper", "digit"]))
    assert [m.text for m in messages] == [
        "The password must contain at least one upper-case letter.",
        "The password must contain at least one digit.",
    ]
    text_only = PasswordRefused(["new_password: needs an upper-case letter"])
    assert len(refusal_messages(text_only)) == 1
    wrong = refusal_messages(PasswordRefused(["current_password: x"], wrong_current=True))
    assert wrong[0].text == "The current password is not correct."


def test_the_seed_temporary_qr_vector_holds_and_a_changed_field_does_not() -> None:
    qr = read_temp_qr(SEED_QR)
    assert qr is not None and qr.holds()
    changed = read_temp_qr(SEED_QR | {"aa": "27"})
    assert changed is not None and not changed.holds()
    assert read_temp_qr(SEED_QR | {"issue_date": "2023-03-09"}) is None
    assert read_temp_qr({k: v for k, v in SEED_QR.items() if k != "series"}) is None


def test_codes_are_trimmed_and_odd_ones_find_nothing() -> None:
    assert normal_code("  ab12 CD34 ef56 ") == "ab12CD34ef56"
    assert normal_code("<script>") is None
    assert normal_code("abc") is None


def test_greek_and_english_formats() -> None:
    assert money(Decimal("1234.5"), "el") == "1.234,50\xa0€"
    assert money("1234.5", "en") == "€1,234.50"
    assert money(None, "el") == ""
    assert number("1.50000", "el") == "1,5"
    assert day("2026-03-09") == "09/03/2026" == day(date(2026, 3, 9))
    assert parse_day("9/3/2026") == date(2026, 3, 9) == parse_day("09-03-2026")
    assert parse_day("2026-03-09") is None


def test_the_default_range_is_the_last_month_up_to_today() -> None:
    assert month_before(date(2026, 3, 31)) == date(2026, 2, 28)
    assert month_before(date(2026, 1, 15)) == date(2025, 12, 15)
    filters = read_filters({})
    assert filters.query is not None
    assert filters.query.date_from == month_before(filters.query.date_to)
    assert read_filters({"date_from": "31/12/2026", "date_to": "01/01/2026"}).query is None
    assert read_filters({"date_from": "32/01/2026"}).problems
    assert read_filters({"loss": "bogus"}).values["loss"] == "any"


def _image(kind: str, size: tuple[int, int] = (60, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 90, 170)).save(out, kind)
    return out.getvalue()


def test_a_logo_is_judged_by_its_content(monkeypatch: pytest.MonkeyPatch) -> None:
    # As after the first PDF: WeasyPrint sets this process-wide flag when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    png, jpeg = _image("PNG", (300, 200)), _image("JPEG", (300, 200))
    assert checked_logo(png) == Logo(png, "image/png")
    assert checked_logo(jpeg) == Logo(jpeg, "image/jpeg")
    refused = [
        b"GIF89a" + png[6:],  # not PNG or JPEG magic
        png[:8] + b"<svg onload=alert(1)>",  # PNG magic, not a PNG
        png[: len(png) // 2],  # truncated
        _image("GIF"),
        b"\xff\xd8\xff" + b"\x00" * (MAX_BYTES + 1),  # over 2 MB
        _image("PNG", (4001, 1)),  # larger than a logo needs
    ]
    for content in refused:
        assert isinstance(checked_logo(content), Message)


def test_the_xml_file_is_named_after_series_and_number() -> None:
    xml = (
        '<InvoicesDoc xmlns="http://www.aade.gr/myDATA/invoice/v1.0"><invoice><invoiceHeader>'
        "<series>ΤΠ-ΔΑ</series><aa>26</aa></invoiceHeader></invoice></InvoicesDoc>"
    ).encode()
    assert xml_stem(xml) == "ΤΠ-ΔΑ-26"
    assert xml_stem(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>') == ""
    answer = download(xml, "ΤΠ-ΔΑ-26.xml", "application/xml")
    disposition = answer.headers["content-disposition"]
    assert 'filename="__-__-26.xml"' in disposition
    assert "filename*=UTF-8''%CE%A4%CE%A0-%CE%94%CE%91-26.xml" in disposition


def test_only_local_paths_are_followed_after_login() -> None:
    assert safe_next("/invoices?series=A") == "/invoices?series=A"
    for outside in ("https://evil.example/", "//evil.example/", "/\\evil.example", "", None):
        assert safe_next(outside) is None
