"""Issuing through the gateway with a real token, transmitted to aade-sim (SPEC API-1…4, API-9)."""

from __future__ import annotations

import uuid

import pytest

from harness.platform import Platform
from mydata.xsd import SchemaValidator

from . import invoices
from .calls import MARK, assert_transmitted, issue, look_up, post


@pytest.fixture(scope="module")
def xsd() -> SchemaValidator:
    validator = SchemaValidator()
    validator.load()
    return validator


async def test_valid_sale_is_transmitted_found_by_both_keys_and_charged_once(
    platform: Platform,
) -> None:
    customer = await platform.create_customer(calls=10)
    body = invoices.sale()
    data = await issue(platform, customer, body)
    assert MARK.match(data["mark"])
    assert data["uid"] and data["authcode"] and data["qrUrl"]
    assert data["einv03"]["ok"] == 1
    assert data["transmissionFailure"] == 0
    assert await look_up(platform, customer, auth_code=data["authcode"]) == data
    assert await look_up(platform, customer, pnr01=body["pnr01"]) == data
    assert await platform.calls_used(customer) == 1


async def test_a_customer_issues_only_under_its_own_vat_or_one_authorised_for_it(
    platform: Platform,
) -> None:
    other = "090000045"  # a valid VAT number that is not the test customers' own
    stranger = await platform.create_customer(calls=10)
    refused = await post(platform, stranger, invoices.sale(is_vat=other))
    assert refused.status_code == 400, refused.text
    answer = refused.json()
    assert answer["code"] == "issuer_vat_not_authorised"
    assert answer["data"]["validation_errors"] == [
        f"is_vat: {other} is neither the customer's nor authorised"
    ]
    assert await platform.calls_used(stranger) == 0
    assert (await issue(platform, stranger, invoices.sale()))["mark"]  # its own VAT still works
    authorised = await platform.create_customer(calls=10, issuer_vats=(other,))
    data = await issue(platform, authorised, invoices.sale(is_vat=other))
    assert MARK.match(data["mark"])
    assert await platform.calls_used(authorised) == 1


async def test_idempotency_key_replays_the_same_answer_uncharged_and_registered_once(
    platform: Platform,
) -> None:
    customer = await platform.create_customer(calls=10)
    body, key = invoices.sale(), uuid.uuid4().hex
    first = await post(platform, customer, body, key)
    again = await post(platform, customer, body, key)
    assert first.status_code == again.status_code == 200, again.text
    one, two = first.json()["data"], again.json()["data"]
    assert (two["id"], two["mark"], two["authcode"]) == (one["id"], one["mark"], one["authcode"])
    assert await platform.calls_used(customer) == 1  # the replay's call was refunded
    assert await platform.aade.count(one["uid"]) == 1


async def test_every_invoice_type_sent_validates_against_the_xsd(
    platform: Platform, xsd: SchemaValidator
) -> None:
    customer = await platform.create_customer(calls=10)
    sale = await issue(platform, customer, invoices.sale())
    bodies = [
        invoices.services_abroad(),
        invoices.credit_note(sale["mark"]),
        invoices.retail_receipt(),
        invoices.with_withheld_stamp_and_fees(),
    ]
    sent = [sale] + [await issue(platform, customer, body) for body in bodies]
    for data in sent:
        assert_transmitted(data)
        assert xsd.validate(data["request_xml"].encode()) == [], data["invoiceType"]
    assert [d["invoiceType"] for d in sent] == ["1.1", "2.1", "5.1", "11.1", "1.1"]
    assert sent[2]["correlatedInvoices"] == sale["mark"]
