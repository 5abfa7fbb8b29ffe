"""Hostile answers from outside (OWASP API10, unsafe consumption of APIs), fed through the
stand-ins to the real parsers: myDATA's ResponseDoc and GSIS's SOAP with XXE (a local file, a
network fetch), billion laughs and an external DTD each end in a typed failure within seconds,
never a file read, a fetch or a blow-up; a myDATA "Success" about another invoice, or without
an authentication code, is never printed as the invoice's proof."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from aade_sim.hostile import HOSTILE_DOCUMENTS
from contracts.registry import REGISTRY_CODES_PATH
from harness.platform import Customer, Platform, wait_until
from testkit.invoices import sample_invoice

# A hostile answer is refused as fast as garbage: well under the myDATA timeout.
REFUSED_WITHIN_S = 5.0
FINAL_WITHIN_S = 30.0
TEMPORARY = "mydata_sync_005"
CODES = {"username": "DEVCODES01", "password": "dev-only-codes-password"}


async def _issue(platform: Platform, customer: Customer) -> tuple[dict[str, Any], float]:
    body = sample_invoice(pnr01=f"SEC-{uuid.uuid4().hex}")
    started = time.monotonic()
    answer = await platform.gateway.post("/invoice-data", json=body, headers=customer.headers)
    elapsed = time.monotonic() - started
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data, elapsed


async def when_final(platform: Platform, customer: Customer, code: str) -> dict[str, Any]:
    found: dict[str, Any] = {}

    async def done() -> bool:
        answer = await platform.gateway.get(
            "/invoice-data", params={"auth_code": code}, headers=customer.headers
        )
        found.update(answer.json()["data"])
        return bool(found["einv03"]["error_code"] != TEMPORARY)

    await wait_until(done, within=FINAL_WITHIN_S, interval=0.2)
    return found


async def _one_hostile_answer(platform: Platform, mode: str) -> None:
    await platform.aade.set_fault(mode, count=1)
    try:
        customer = await platform.create_customer(calls=5)
        deferred, elapsed = await _issue(platform, customer)
        assert (await platform.aade.faults())["remaining"] is None, f"{mode}: never sent"
    finally:
        await platform.aade.set_fault("none")
    assert deferred["einv03"]["error_code"] == TEMPORARY, (mode, deferred["einv03"])
    assert elapsed < REFUSED_WITHIN_S, (mode, elapsed)
    assert "root:" not in str(deferred)  # /etc/passwd never read into anything
    real = await when_final(platform, customer, deferred["authcode"])
    assert real["einv03"]["ok"] == 1 and real["mark"], (mode, real["einv03"])


@pytest.mark.parametrize("mode", HOSTILE_DOCUMENTS)
async def test_hostile_mydata_answers_defer_the_invoice_then_it_is_sent(
    platform: Platform, mode: str
) -> None:
    await _one_hostile_answer(platform, mode)


@pytest.mark.parametrize("mode", ["other_uid", "no_auth_code"])
async def test_a_success_that_is_not_this_invoices_proof_is_not_printed(
    platform: Platform, mode: str
) -> None:
    """myDATA registered the invoice, but the answer that came back names another uid or has no
    authentication code: the invoice stays temporary until the retry's duplicate answer is
    recovered by its own uid, and then carries myDATA's real MARK and code."""
    await platform.aade.set_fault(mode, count=1)
    try:
        customer = await platform.create_customer(calls=5)
        deferred, _ = await _issue(platform, customer)
    finally:
        await platform.aade.set_fault("none")
    assert deferred["einv03"]["error_code"] == TEMPORARY, deferred["einv03"]
    assert deferred["mark"] in ("", None, "0") or not deferred["mark"]
    real = await when_final(platform, customer, deferred["authcode"])
    registered = await platform.aade.registered(real["uid"])
    assert real["mark"] == str(registered["mark"])
    assert real["authcode"].upper() == registered["authentication_code"].upper()
    assert await platform.aade.count(real["uid"]) == 1


@pytest.mark.parametrize("failure", HOSTILE_DOCUMENTS)
async def test_hostile_gsis_answers_are_a_typed_503(platform: Platform, failure: str) -> None:
    customer = await platform.create_customer(calls=1)
    stored = await platform.sync.post(
        REGISTRY_CODES_PATH,
        json={"vat": "094420307", "codes": CODES},
        headers=platform.internal_headers_for(customer, to="mydata-sync"),
    )
    assert stored.status_code == 200, stored.text
    await platform.aade.set_registry(failure=failure, times=1)
    started = time.monotonic()
    answer = await platform.gateway.get("/vat-registry/801000000", headers=customer.headers)
    assert time.monotonic() - started < REFUSED_WITHIN_S
    assert answer.status_code == 503, answer.text
    assert answer.json()["code"] == "vat_registry_unavailable"
    assert "root:" not in answer.text
    assert (await platform.aade.registry_calls())["switch"] is None  # it was consumed
