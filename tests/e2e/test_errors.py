"""Every seed-002 error answer, each from a request that really produces it, and none charged.

A rejected request issues nothing, so the package's ``calls_used`` must not move (SPEC API-9).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness.platform import Customer, Platform

from . import invoices
from .calls import issue, post

UNAUTHORIZED = {"ok": 0, "code": 401, "error": {"title": "Unauthorized"}}
TITLE = "Πρόβλημα στη δημιουργία του παραστατικού"
MESSAGES = {
    "customer_api_001": "Έχουν λήξει οι υπολειπόμενες κλήσεις σας",
    "customer_api_002": "Έχουν καταναλωθεί όλες οι κλήσεις Ηλεκτρονικής τιμολόγησης",
    "customer_api_006": "Το παραστατικό έχει ξανασταλεί επιτυχώς",
    "customer_api_007": "Δεν μπόρεσε να καταχωρηθεί το παραστατικό Γενικό Λάθος",
    "customer_api_009": "Η τιμή του πεδίου transmission_failure μπορεί να είναι μόνο 0 ή 1",
    "customer_api_014": "Το ΑΦΜ Εκδότη δεν μπορεί να είναι κενό",
    "mydata_sync_003": "Η αποστολή στο myDATA απέτυχε (XML Validation)",
    "mydata_sync_004": "Βρέθηκαν σφάλματα από το myDATA",
}


async def rejected(platform: Platform, customer: Customer, body: Any, code: str) -> dict[str, Any]:
    """POST ``body`` (raw bytes or a JSON body); assert seed 002's 400 for ``code``, unpaid."""
    before = await platform.calls_used(customer)
    if isinstance(body, bytes):
        headers = customer.headers | {"Content-Type": "application/json"}
        response = await platform.gateway.post("/invoice-data", content=body, headers=headers)
    else:
        response = await post(platform, customer, body)
    assert response.status_code == 400, response.text
    answer: dict[str, Any] = response.json()
    assert (answer["ok"], answer["code"]) == (0, code), answer
    assert answer["error"]["message"] == MESSAGES[code]
    assert await platform.calls_used(customer) == before
    return answer


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic dXNlcjpwdw=="])
async def test_missing_or_wrong_token_is_401_with_the_seed_body(
    platform: Platform, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = await platform.gateway.post("/invoice-data", json=invoices.sale(), headers=headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


async def test_input_errors_009_014_007_are_answered_and_not_charged(platform: Platform) -> None:
    customer = await platform.create_customer(calls=5)
    await rejected(platform, customer, invoices.sale(transmission_failure=3), "customer_api_009")
    await rejected(platform, customer, invoices.sale(is_vat=""), "customer_api_014")
    await rejected(platform, customer, b"{this is not json", "customer_api_007")


async def test_too_long_field_and_wrong_totals_are_003_with_validation_errors(
    platform: Platform,
) -> None:
    customer = await platform.create_customer(calls=5)
    too_long = await rejected(platform, customer, invoices.sale(series="S" * 21), "mydata_sync_003")
    assert any("series" in p for p in too_long["data"]["validation_errors"])
    wrong_sum = invoices.sale(tgross_val="125.00")
    totals = await rejected(platform, customer, wrong_sum, "mydata_sync_003")
    assert totals["data"]["validation_errors"]


async def test_mydata_business_error_is_004_with_mydata_errors(platform: Platform) -> None:
    # A letter in AA passes our checks and the XSD; myDATA refuses it for a Greek issuer (212).
    customer = await platform.create_customer(calls=5)
    body = invoices.sale(aa=invoices.letter_aa())
    answer = await rejected(platform, customer, body, "mydata_sync_004")
    codes = [str(e["code"]) for e in answer["data"]["errors"]]
    assert codes == ["212"], answer["data"]["errors"]
    assert all(e["message"] for e in answer["data"]["errors"])


async def test_issuer_equal_to_counterpart_is_seed_002s_235_example(platform: Platform) -> None:
    customer = await platform.create_customer(calls=5)
    sale = invoices.sale()
    body = {**sale, "cp_vat": sale["is_vat"]}
    answer = await rejected(platform, customer, body, "mydata_sync_004")
    assert [(str(e["code"]), e["message"]) for e in answer["data"]["errors"]] == [
        ("235", "Issuer must be different from counterpart")
    ]
    assert answer["data"]["request_xml"] and answer["data"]["response_xml"]


async def test_the_same_invoice_again_without_idempotency_key_is_006(platform: Platform) -> None:
    customer = await platform.create_customer(calls=5)
    body = invoices.sale()
    await issue(platform, customer, body)
    await rejected(platform, customer, body, "customer_api_006")
    assert await platform.calls_used(customer) == 1


async def test_expired_package_is_001(platform: Platform) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=30)
    customer = await platform.create_customer(calls=5, days=1, starts_at=long_ago)
    await rejected(platform, customer, invoices.sale(), "customer_api_001")


async def test_used_up_package_is_002(platform: Platform) -> None:
    customer = await platform.create_customer(calls=1)
    await issue(platform, customer, invoices.sale())
    await rejected(platform, customer, invoices.sale(), "customer_api_002")
    assert await platform.calls_used(customer) == 1
