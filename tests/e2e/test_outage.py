"""myDATA outages (aade-sim's fault switch) seen through the gateway (SPEC API-5, API-6).

Each test switches the fault back to ``none`` before it ends and waits for its invoices to
reach their final state, so the breaker is closed again for the next test on the same platform.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from harness.platform import Customer, Platform, wait_until

from . import invoices
from .calls import assert_transmitted, issue, look_up

DEFERRED = (
    "Έχει εκδοθεί Συμβολοσειρά Αυθεντικοποίησης από τον πάροχο λόγω αδυναμίας επικοινωνίας με "
    "το myDATA. Θα γίνει εκ νέου προσπάθεια διαβίβασης σε δεύτερο χρόνο."
)
FINAL_WITHIN_S = 20.0


def temporary_string(body: invoices.Body) -> str:
    """SPEC API-5: SHA-1 over issuer VAT, date, branch, type, series, AA, MARK 0, gross, VAT,
    counterpart VAT, joined by dashes."""
    fields = [body["is_vat"], body["issuedate"], str(body["is_branch"]), body["invtype"]]
    fields += [body["series"], body["aa"], "0", body["tgross_val"], body["tvat_am"]]
    fields.append(body.get("cp_vat", ""))
    return hashlib.sha1("-".join(fields).encode()).hexdigest()


def assert_deferred(data: dict[str, Any], body: invoices.Body) -> None:
    assert data["transmissionFailure"] == 2
    assert data["authcode"].lower() == temporary_string(body)
    assert data["einv03"]["ok"] == 0
    assert data["einv03"]["error_level"] == "mydata_sync"
    assert data["einv03"]["error_code"] == "mydata_sync_005"
    assert data["einv03"]["error_message"] == DEFERRED


@asynccontextmanager
async def fault(platform: Platform, mode: str, **extra: Any) -> AsyncIterator[None]:
    await platform.aade.set_fault(mode, **extra)
    try:
        yield
    finally:
        await platform.aade.set_fault("none")


async def timed_issue(
    platform: Platform, customer: Customer, body: invoices.Body
) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    data = await issue(platform, customer, body)
    return data, time.monotonic() - started


async def when_final(platform: Platform, customer: Customer, code: str) -> dict[str, Any]:
    """The invoice behind temporary string ``code`` once myDATA's answer was applied."""
    found: dict[str, Any] = {}

    async def done() -> bool:
        found.update(await look_up(platform, customer, auth_code=code))
        return bool(found["einv03"]["error_code"] != "mydata_sync_005")

    await wait_until(done, within=FINAL_WITHIN_S, interval=0.2)
    return found


async def test_blackhole_defers_fast_once_the_breaker_opens_then_sends_each_exactly_once(
    platform: Platform,
) -> None:
    customer = await platform.create_customer(calls=20)
    bodies = [invoices.sale() for _ in range(5)]
    async with fault(platform, "blackhole"):
        # Two concurrent timeouts open the breaker (threshold 2); the next ones never wait.
        first = await asyncio.gather(*(timed_issue(platform, customer, b) for b in bodies[:2]))
        later = [await timed_issue(platform, customer, b) for b in bodies[2:]]
    for (data, _), body in zip(first + later, bodies, strict=True):
        assert_deferred(data, body)
    assert max(elapsed for _, elapsed in later) < 1.0, later
    for (deferred, _), body in zip(first + later, bodies, strict=True):
        real = await when_final(platform, customer, deferred["authcode"])
        assert_transmitted(real)
        assert real["authcode"] != deferred["authcode"]
        assert await look_up(platform, customer, auth_code=real["authcode"]) == real
        assert await look_up(platform, customer, pnr01=body["pnr01"]) == real
        assert await platform.aade.count(real["uid"]) == 1
    assert (await platform.resend_list())["total"] == 0


async def test_register_then_timeout_keeps_one_registration_and_the_original_mark(
    platform: Platform,
) -> None:
    customer = await platform.create_customer(calls=5)
    body = invoices.sale()
    async with fault(platform, "register_then_timeout", count=1):
        deferred = await issue(platform, customer, body)
    assert_deferred(deferred, body)
    real = await when_final(platform, customer, deferred["authcode"])
    assert_transmitted(real)
    original = await platform.aade.registered(real["uid"])
    assert real["mark"] == str(original["mark"])
    assert await platform.aade.count(real["uid"]) == 1


async def test_business_error_met_after_a_deferral_shows_as_004_on_look_up(
    platform: Platform,
) -> None:
    # The AA's letter passes our checks; myDATA refuses it (212) only once it is reachable.
    customer = await platform.create_customer(calls=5)
    body = invoices.sale(aa=invoices.letter_aa())
    async with fault(platform, "down"):
        deferred = await issue(platform, customer, body)
    assert_deferred(deferred, body)
    failed = await when_final(platform, customer, deferred["authcode"])
    assert failed["einv03"]["ok"] == 0
    assert failed["einv03"]["error_code"] == "mydata_sync_004"
    assert "212" in failed["einv03"]["mydata_response_xml"]
    assert await look_up(platform, customer, pnr01=body["pnr01"]) == failed
