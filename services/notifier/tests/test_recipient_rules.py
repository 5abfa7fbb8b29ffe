"""Seed 002's einv00 rules for the invoice e-mail (SPEC API-10): which address, which language;
and the e-mail itself: the PDF attached, the same bytes on every retry."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from typing import Any

import pytest

from notifier.channels.email import Attachment, OutgoingEmail, build_message
from notifier.recipients.resolving import notification_id_of
from notifier.recipients.rules import Delivery, choose_address, choose_language, delivery_of

DECLARED = ["e-invoices@demo-client.example.gr"]


def body(**einv00: Any) -> dict[str, Any]:
    return {"cp_vat": "090000045", "cp_country": "GR", "einv00": einv00 or None}


@pytest.mark.parametrize(
    ("options", "declared", "to", "source"),
    [
        ({}, DECLARED, DECLARED[0], "declared"),  # p01 absent: as 1
        ({"p01": 1}, DECLARED, DECLARED[0], "declared"),
        ({"p01": 1, "p010": "alt@erp.example.gr"}, DECLARED, DECLARED[0], "declared"),
        ({"p01": 2, "p010": "alt@erp.example.gr"}, DECLARED, DECLARED[0], "declared"),
        ({"p01": 2, "p010": "alt@erp.example.gr"}, [], "alt@erp.example.gr", "alternative"),
    ],
)
def test_the_declared_address_first_then_p010_only_under_p01_2(
    options: dict[str, Any], declared: list[str], to: str, source: str
) -> None:
    address = choose_address(delivery_of(body(**options)), declared)
    assert (address.to, address.source, address.reason) == (to, source, None)


@pytest.mark.parametrize(
    "options",
    [{}, {"p01": 1}, {"p01": 1, "p010": "alt@erp.example.gr"}, {"p01": 2}, {"p01": 2, "p010": ""}],
)
def test_nothing_is_sent_without_a_declared_address_and_an_allowed_alternative(
    options: dict[str, Any],
) -> None:
    address = choose_address(delivery_of(body(**options)), [])
    assert (address.to, address.reason) == (None, "no_declared_address")


def test_an_invoice_without_a_counterpart_says_so_and_still_takes_p010_under_p01_2() -> None:
    receipt = {"einv00": {"p01": 2, "p010": "alt@erp.example.gr"}}
    assert choose_address(delivery_of(receipt), []).to == "alt@erp.example.gr"
    bare = choose_address(delivery_of({}), [])
    assert (bare.to, bare.reason) == (None, "no_counterpart")


def test_only_a_greek_counterpart_is_looked_up_at_aade() -> None:
    assert delivery_of(body()).counterpart_vat == "090000045"
    assert delivery_of({"cp_vat": "090000045"}).counterpart_vat == "090000045"  # GR by default
    foreign = delivery_of({"cp_vat": "DE123456789", "cp_country": "DE"})
    assert foreign.counterpart_vat is None and foreign.has_counterpart


@pytest.mark.parametrize(
    ("options", "language"),
    [
        ({}, "el"),  # default Greek
        ({"p02": 1}, "en"),
        ({"p02": 1, "p020": "el"}, "en"),  # 1 means English, whatever p020 says
        ({"p02": 2, "p020": "en"}, "en"),
        ({"p02": 2, "p020": "EL"}, "el"),
        ({"p02": 2, "p020": "de"}, "en"),  # no German template: English, not Greek
        ({"p02": 2}, "el"),  # p020 missing: the default
        ({"p020": "en"}, "el"),  # p020 alone chooses nothing
    ],
)
def test_the_language(options: dict[str, Any], language: str) -> None:
    assert choose_language(delivery_of(body(**options))) == language


def test_unreadable_options_count_as_absent() -> None:
    delivery = delivery_of({"cp_vat": "090000045", "einv00": "nonsense"})
    assert delivery == Delivery("090000045", True)
    assert delivery_of(body(p01="x", p02=None)).p01 is None


def test_one_notification_id_per_invoice() -> None:
    assert notification_id_of("t1", "ABC") == notification_id_of("t1", "ABC")
    assert notification_id_of("t1", "ABC") != notification_id_of("t2", "ABC")
    assert len(notification_id_of("t1", "ABC")) == 32


def test_the_pdf_travels_attached_with_a_greek_name_and_the_same_bytes_every_time() -> None:
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 40
    attached = Attachment("ΤΠ-ΔΑ-26.pdf", "application/pdf", pdf)
    mail = OutgoingEmail(
        "<0123abcd@einvoicing.example.gr>", "e-invoices@demo-client.example.gr",
        "Παραστατικό ΤΠ-ΔΑ 26 από Εταιρεία", "Το παραστατικό επισυνάπτεται.\n", "el",
        datetime(2026, 11, 30, 12, 0, tzinfo=UTC), (attached,),
    )  # fmt: skip
    raw = build_message("e-invoicing <no-reply@einvoicing.example.gr>", mail)
    assert build_message("e-invoicing <no-reply@einvoicing.example.gr>", mail) == raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Content-Language"] == "el"
    assert parsed["Subject"] == mail.subject
    (part,) = list(parsed.iter_attachments())  # type: ignore[attr-defined]
    assert part.get_filename() == "ΤΠ-ΔΑ-26.pdf"
    assert part.get_content_type() == "application/pdf"
    assert part.get_payload(decode=True) == pdf
