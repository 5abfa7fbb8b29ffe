"""Signed webhooks end to end (issue 10, item 4): an ERP issues invoices through the gateway and a
real receiver on loopback, checking every delivery with README's own ``verify``, learns each
outcome — the real MARK after a myDATA outage without polling — and, across an outage of its
own, receives every event at least once (the ledger: the event ids mydata-sync published for
the customer ⊆ the ids received; duplicates counted). A tampered delivery fails the check."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from contracts.http import TENANT_HEADER
from contracts.webhooks import ENDPOINTS_PATH
from harness.platform import Customer, Platform, wait_until
from kit.auth import TokenCodec, internal_audience
from kit.settings import DEV_INTERNAL_TOKEN_SECRET
from testkit.postgres import asyncpg_dsn
from testkit.receiver import Received, WebhookReceiver

from . import invoices
from .calls import assert_transmitted, issue
from .test_outage import assert_deferred, fault, when_final

README = Path(__file__).resolve().parents[2] / "README.md"
EVENTS = ["invoice.transmitted", "invoice.deferred", "invoice.rejected",
          "invoice.recipient_emailed"]  # fmt: skip
Verify = Callable[..., bool]


def readme_verify() -> Verify:
    """README's signature check, executed as written (the code a customer copies)."""
    section = README.read_text(encoding="utf-8").split("\n## Webhooks\n", 1)[1].split("\n## ")[0]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # our own README's code
    verify: Verify = namespace["verify"]
    return verify


async def register(platform: Platform, customer: Customer, url: str) -> str:
    """An endpoint for every event, as the portal registers it; its signing secret."""
    codec = TokenCodec(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", internal_audience("webhooks"))
    token, _ = codec.issue("portal-web", 300, tid=customer.tenant_id, vats=[])
    headers = {"Authorization": f"Bearer {token}", TENANT_HEADER: customer.tenant_id}
    async with httpx.AsyncClient(base_url=platform.webhooks_url, headers=headers) as http:
        response = await http.post(ENDPOINTS_PATH, json={"url": url, "events": EVENTS})
    assert response.status_code == 201, response.text
    secret: str = response.json()["secret"]
    return secret


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    started = WebhookReceiver()
    await started.start()
    yield started
    await started.stop()


def events_of(receiver: WebhookReceiver) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.received]


def has_event(event_type: str, uid: str) -> Callable[[list[Received]], bool]:
    def found(received: list[Received]) -> bool:
        bodies = (json.loads(r.body) for r in received)
        return any(b["type"] == event_type and b["data"]["uid"] == uid for b in bodies)

    return found


async def published_event_ids(platform: Platform, customer: Customer) -> set[str]:
    """The ids of the outcome events mydata-sync's outbox published for this customer."""
    dsn = platform.app("mydata-sync").state.settings.sync_dsn
    conn = await asyncpg.connect(asyncpg_dsn(dsn))
    try:
        rows = await conn.fetch("SELECT message_id, body FROM outbox WHERE sent_at IS NOT NULL")
    finally:
        await conn.close()
    return {
        row["message_id"]
        for row in rows
        if json.loads(row["body"]).get("tenant_id") == customer.tenant_id
    }


async def test_the_erp_learns_the_real_mark_after_a_mydata_outage(
    platform: Platform, receiver: WebhookReceiver
) -> None:
    verify = readme_verify()
    customer = await platform.create_customer(calls=10)
    secret = await register(platform, customer, receiver.url)
    now = await issue(platform, customer, invoices.sale())
    assert_transmitted(now)
    await receiver.wait_for(has_event("invoice.transmitted", now["uid"]))
    bodies = [invoices.sale() for _ in range(2)]
    async with fault(platform, "blackhole"):
        later = [await issue(platform, customer, body) for body in bodies]
    for data, body in zip(later, bodies, strict=True):
        assert_deferred(data, body)
        await when_final(platform, customer, data["authcode"])
        await receiver.wait_for(has_event("invoice.transmitted", data["uid"]), within=20)
    by_uid: dict[str, dict[str, dict[str, Any]]] = {}
    for event in events_of(receiver):
        by_uid.setdefault(event["data"]["uid"], {})[event["type"]] = event
    assert by_uid[now["uid"]]["invoice.transmitted"]["data"]["mark"] == now["mark"]
    for data in later:
        deferred, real = by_uid[data["uid"]]["invoice.deferred"], by_uid[data["uid"]]
        mark = real["invoice.transmitted"]["data"]
        # The temporary string the ERP holds leads to the real MARK and authentication string.
        assert deferred["data"]["temporary_code"].lower() == data["authcode"].lower()
        assert mark["temporary_code"].lower() == data["authcode"].lower()
        assert re.fullmatch(r"\d{15}", mark["mark"]) and mark["authentication_code"]
        assert await platform.aade.count(data["uid"]) == 1
    assert all(verify(secret, r.headers, r.body) for r in receiver.received)
    sample = receiver.received[0]
    tampered_body = sample.body.replace(b'"data"', b'"data" ', 1)
    assert not verify(secret, sample.headers, tampered_body)
    forged = sample.headers.copy()
    forged["Webhook-Signature"] = "v1=" + "0" * 64
    assert not verify(secret, forged, sample.body)
    assert not verify("whsec_not-the-secret", sample.headers, sample.body)


async def test_every_event_arrives_at_least_once_across_a_receiver_outage(
    platform: Platform, receiver: WebhookReceiver
) -> None:
    verify = readme_verify()
    customer = await platform.create_customer(calls=20)
    secret = await register(platform, customer, receiver.url)
    await receiver.stop()  # the ERP's server is down
    issued = [await issue(platform, customer, invoices.sale()) for _ in range(4)]
    async with fault(platform, "blackhole"):  # deferred now, transmitted later
        issued += [await issue(platform, customer, invoices.sale()) for _ in range(2)]
    for data in issued[4:]:
        await when_final(platform, customer, data["authcode"])
    await asyncio.sleep(2.0)  # several failed attempts each (connection refused)
    expected = await published_event_ids(platform, customer)
    await receiver.start()

    async def all_received() -> bool:
        return expected <= {r.headers["Webhook-Id"] for r in receiver.received}

    await wait_until(all_received, within=30, interval=0.2)
    received = Counter(r.headers["Webhook-Id"] for r in receiver.received)
    duplicates = sum(n - 1 for n in received.values())
    lost = expected - set(received)
    print(f"\nwebhook ledger: expected {len(expected)}, received {len(received)} distinct, "
          f"lost {len(lost)}, duplicates {duplicates}")  # fmt: skip
    assert len(expected) == 4 + 2 * 2  # a transmitted each, and a deferred for the two
    assert not lost
    assert all(verify(secret, r.headers, r.body) for r in receiver.received)
    types = Counter(json.loads(r.body)["type"] for r in receiver.received)
    assert types["invoice.transmitted"] >= 6 and types["invoice.deferred"] >= 2
