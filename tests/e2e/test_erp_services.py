"""The ERP's other routes through the gateway (issue 10): the VAT registry with the customer's
stored GSIS codes, the platform's status during a myDATA outage, connection-loss notices; all
free of calls, with English messages when asked and the same codes."""

from __future__ import annotations

from typing import Any

import httpx

from contracts.registry import REGISTRY_CODES_PATH
from harness.platform import Customer, Platform, wait_until

from . import invoices
from .calls import issue

CODES = {"username": "DEVCODES01", "password": "dev-only-codes-password"}


async def _store_codes(platform: Platform, customer: Customer) -> None:
    body = {"vat": "094420307", "codes": CODES}
    headers = platform.internal_headers_for(customer, to="mydata-sync")
    response = await platform.sync.post(REGISTRY_CODES_PATH, json=body, headers=headers)
    assert response.status_code == 200, response.text


async def _still_has_its_call(platform: Platform, customer: Customer) -> None:
    issued = await issue(platform, customer, invoices.sale())  # 400 customer_api_002 if spent
    assert issued["mark"]


async def test_vat_registry_through_the_gateway(platform: Platform) -> None:
    customer = await platform.create_customer(calls=1)
    get = platform.gateway.get
    missing = await get("/vat-registry/090000045", headers=customer.headers)
    assert missing.status_code == 409
    assert missing.json()["code"] == "vat_registry_codes_missing"
    assert "πύλη" in missing.json()["error"]["message"]
    english = await get("/vat-registry/090000045?lang=en", headers=customer.headers)
    assert english.json()["code"] == "vat_registry_codes_missing"
    assert english.json()["error"]["message"].startswith("No GSIS special codes")

    await _store_codes(platform, customer)
    found = await get("/vat-registry/EL 090 000 045", headers=customer.headers)
    assert found.status_code == 200, found.text
    entry = found.json()["registration"]
    assert entry["legal_name"] == "ΔΟΚΙΜΑΣΤΙΚΟΣ ΠΕΛΑΤΗΣ ΕΜΠΟΡΙΚΗ ΕΠΕ"
    assert entry["activities"][0]["kind"] == "main"

    wrong = await get("/vat-registry/090000046", headers=customer.headers)
    assert wrong.status_code == 400
    assert wrong.json()["data"]["validation_errors"] == ["vat: check digit does not match"]
    nobody = await get("/vat-registry/804000005", headers=customer.headers, params={"lang": "en"})
    assert nobody.status_code == 404 and nobody.json()["code"] == "vat_not_registered"
    assert nobody.json()["error"]["message"] == "No taxpayer has this VAT number"
    await platform.aade.set_registry(failure="soap_fault", times=1)
    down = await get("/vat-registry/801000000", headers=customer.headers)
    assert down.status_code == 503 and down.json()["code"] == "vat_registry_unavailable"
    assert (await get("/vat-registry/090000045")).status_code == 401
    # Every look-up was free: the package's one call is still there.
    await _still_has_its_call(platform, customer)


async def test_status_is_degraded_while_mydata_is_blackholed(platform: Platform) -> None:
    customer = await platform.create_customer(calls=10)

    async def status(**params: str) -> dict[str, Any]:
        response = await platform.gateway.get("/status", params=params, headers=customer.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    calm = await status()
    assert calm["status"] == "ok" and calm["accepting_invoices"]
    assert calm["mydata"]["customer_backlog"] == 0
    await platform.aade.set_fault("blackhole")
    try:
        for _ in range(2):
            data = await issue(platform, customer, invoices.sale())
            assert data["transmissionFailure"] == 2

        async def degraded() -> bool:
            return (await status())["status"] == "degraded"

        await wait_until(degraded, within=5)
        seen = await status(lang="en")
        assert seen["mydata"]["customer_backlog"] >= 2
        assert seen["message"].startswith("myDATA is not answering")
        public = (await platform.gateway.get("/status")).json()
        assert public["status"] == "degraded" and public["mydata"]["customer_backlog"] is None
    finally:
        await platform.aade.set_fault("none")

    async def healed() -> bool:
        now = await status()
        return now["status"] == "ok" and now["mydata"]["customer_backlog"] == 0

    await wait_until(healed, within=30, interval=0.5)


async def test_connection_loss_notices_get_receipts_and_are_matched(platform: Platform) -> None:
    customer = await platform.create_customer(calls=10)
    post = platform.gateway.post
    first = invoices.sale(series="ΑΒ", aa="0012")  # Greek capitals, a leading zero
    body = {"notices": [{"series": "AB", "number": "12"}, {"series": "AB", "aa": "13"}]}
    answer = await post("/connection-loss-notices", json=body, headers=customer.headers)
    assert answer.status_code == 200, answer.text
    receipts = answer.json()["receipts"]
    assert [r["repeated"] for r in receipts] == [False, False]
    assert all(r["receipt"].startswith("N") and r["vat"] == "094420307" for r in receipts)

    again = await post(
        "/connection-loss-notices", json={"series": "ab", "number": "012"}, headers=customer.headers
    )
    assert again.json()["receipts"][0] == receipts[0] | {"repeated": True}

    refused = await post(
        "/connection-loss-notices",
        json=[{"series": "A"}, {"vat": "1"}],
        headers=customer.headers,
        params={"lang": "en"},
    )
    assert refused.status_code == 400
    problems = refused.json()["data"]["validation_errors"]
    assert any(p.startswith("notices[0].number") for p in problems)
    assert any(p.startswith("notices[1].series") for p in problems)

    async def confirmed() -> bool:
        async with httpx.AsyncClient(base_url=platform.devmail_url) as devmail:
            mails = (await devmail.get("/_admin/messages")).json()["emails"]
        mine = [m for m in mails if m["rcpt_tos"] == [f"{customer.username}@example.gr"]]
        return len(mine) == 1 and receipts[1]["receipt"] in mine[0]["text"]

    await wait_until(confirmed, within=15)  # one e-mail: the repeat confirmed nothing new
    await issue(platform, customer, first | {"transmission_failure": 1})

    async def matched() -> bool:
        mine = await platform.gateway.get("/connection-loss-notices", headers=customer.headers)
        by_receipt = {r["receipt"]: r for r in mine.json()}
        return by_receipt[receipts[0]["receipt"]]["matched_at"] is not None

    await wait_until(matched, within=15)
    unmatched = await platform.tenant_admin_get(
        "/internal/connection-loss-notices/unmatched", older_than_h="0"
    )
    left = {n["receipt"] for n in unmatched if n["tenant_id"] == customer.tenant_id}
    assert left == {receipts[1]["receipt"]}
