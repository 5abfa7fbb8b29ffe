"""F11: the invoice e-mail to its recipient (SPEC API-10) under faults — one e-mail per invoice.

The whole platform as real processes (``testkit.procs``). Invoices are issued through the
gateway to a counterpart that declared an address to AADE (aade-sim's receivers), while

* every issuance message — ``invoice.transmitted`` included — is delivered a second time, some
  after a delay, by a test consumer (``duplicator.Duplicator``, as in F5), and
* the notifier is killed (``kill -9``) mid-send: devmail's SMTP server holds each answer to the
  message data (0.7 s), and the kill comes while one e-mail's data is with it (others are being
  made meanwhile: invoice, address, PDF); it is restarted after a random pause.

Then the ledger: per invoice, how many e-mails devmail's SMTP server received (by Message-ID,
made from the notification id), the state the notify database gives it, and how many
``invoice.recipient_emailed`` events it wrote. The contract (DESIGN.md §6, ADR 0008): each
invoice received exactly once, except an e-mail recorded ``unknown`` — the worker died after
handing the data over — which is received at most once and waits for on-call (ADR 0008's
at-most-once choice), counted and reported; nothing lost, nothing duplicated, one event per sent
e-mail. Then on-call's step of the runbook (an unknown e-mail the mail server never got is
resent with force) and the ledger again: every invoice received exactly once.

F11b: portal-web (the PDF's source) killed while invoices are transmitted — each waits, recorded,
and is e-mailed once when it is back.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest

from contracts.notifications import NOTIFICATIONS_PATH
from kit.auth import TokenCodec, internal_audience
from kit.settings import DEV_INTERNAL_TOKEN_SECRET
from testkit.invoices import sample_invoice
from testkit.procs import Customer, Platform

from .duplicator import Duplicator
from .scenario import FaultConfig, platform_options

DECLARING_VAT = "090000045"  # aade-sim's receivers: declared e-invoices@demo-client.example.gr
DECLARED = "e-invoices@demo-client.example.gr"
CODEC = TokenCodec(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", internal_audience("notifier"))
# Short enough that a heal is noticed in about a second (the production schedule is minutes).
F11_ENV: dict[str, dict[str, str]] = {
    "notifier": {
        "EINV_SMTP_TIMEOUT_S": "2",
        "EINV_SMS_TIMEOUT_S": "1.5",
        "EINV_SMS_CONNECT_TIMEOUT_S": "0.5",
        "EINV_NOTIFY_LEASE_S": "6",
        "EINV_NOTIFY_SWEEP_INTERVAL_S": "0.5",
        "EINV_NOTIFY_RETRY_BACKOFF_S": "[0.5, 1]",
        "EINV_NOTIFY_QUEUE_RETRY_DELAYS_S": "[1, 2, 5]",
        "EINV_NOTIFY_UPSTREAM_TIMEOUT_S": "4",
    },
    "devmail": {"EINV_DEVMAIL_HANG_MAX_S": "10"},
}
_ROWS = """
SELECT e.uid, e.state AS row_state, e.reason, e.notification_id, e.attempts,
       m.state AS message_state, m.recipient
FROM invoice_emails e LEFT JOIN messages m ON m.notification_id = e.notification_id
"""
_HISTORY = """
SELECT m.notification_id, a.outcome FROM attempts a JOIN messages m ON m.id = a.message_pk
WHERE a.outcome IN ('unknown', 'recovered')
"""
_EVENTS = "SELECT body FROM outbox WHERE routing_key = 'invoice.recipient_emailed'"
_WAITING = (
    "SELECT uid FROM invoice_emails WHERE state = 'resolving' AND detail IS NOT NULL "
    "AND notification_id IS NULL"
)
_SENDING = (
    "SELECT count(*) AS n FROM messages WHERE state = 'sending' AND handed_over_at IS NOT NULL"
)
# Still ours to finish: being made, or a message not yet sent. An unknown e-mail is not: it
# waits for on-call.
_OPEN = """
SELECT count(*) AS n FROM invoice_emails e LEFT JOIN messages m
ON m.notification_id = e.notification_id
WHERE e.state = 'resolving' OR m.state IN ('pending', 'sending')
"""


@dataclass(slots=True)
class Issued:
    uid: str
    mark: str


@dataclass(slots=True)
class MailLedger:
    scenario: str
    issued: list[Issued]
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    received: Counter[str] = field(default_factory=Counter)  # by notification id
    events: Counter[str] = field(default_factory=Counter)  # invoice.recipient_emailed by uid
    went_unknown: set[str] = field(default_factory=set)
    recovered: set[str] = field(default_factory=set)
    copies: int = 0
    drained: bool = False
    drain_s: float = 0.0

    def received_for(self, uid: str) -> int:
        nid = self.rows.get(uid, {}).get("notification_id")
        return self.received[nid] if nid else 0

    def in_state(self, *states: str) -> list[str]:
        return [
            i.uid for i in self.issued if self.rows.get(i.uid, {}).get("message_state") in states
        ]

    @property
    def unknown(self) -> list[str]:
        return self.in_state("unknown")

    @property
    def lost(self) -> list[str]:
        """Never recorded, skipped or failed although an address was declared, or recorded sent
        and not received exactly once."""
        lost = [i.uid for i in self.issued if self.rows.get(i.uid, {}).get("row_state") != "queued"]
        lost += [uid for uid in self.in_state("sent", "delivered") if self.received_for(uid) != 1]
        return lost + [uid for uid in self.in_state("pending", "sending", "failed")]

    @property
    def duplicated(self) -> list[str]:
        return [f"{i.uid}: {n}" for i in self.issued if (n := self.received_for(i.uid)) > 1]

    @property
    def events_wrong(self) -> list[str]:
        """Sent e-mails must be announced once; others not at all."""
        sent = set(self.in_state("sent", "delivered"))
        return [
            f"{i.uid}: {self.events[i.uid]} events"
            for i in self.issued
            if self.events[i.uid] != (1 if i.uid in sent else 0)
        ]

    def table(self) -> str:
        unknown_received = sum(1 for uid in self.unknown if self.received_for(uid))
        rows = [
            ("invoices", len(self.issued)),
            ("e-mails received", sum(self.received_for(i.uid) for i in self.issued)),
            ("sent", len(self.in_state("sent", "delivered"))),
            ("unknown", f"{len(self.unknown)} (received: {unknown_received})"),
            ("worker died", len(self.recovered)),
            ("resolved > once", sum(1 for r in self.rows.values() if r["attempts"] > 1)),
            ("went unknown", len(self.went_unknown)),
            ("events announced", sum(self.events[i.uid] for i in self.issued)),
            ("messages copied", self.copies),
            ("lost", len(self.lost)), ("duplicated", len(self.duplicated)),
            ("events wrong", len(self.events_wrong)),
            ("drain", f"{self.drain_s:.1f}s" + ("" if self.drained else " (NOT drained)")),
        ]  # fmt: skip
        lines = [f"ledger {self.scenario}"] + [f"  {k:<18} {v}" for k, v in rows]
        lines += [f"  unknown: {uid}" for uid in self.unknown]
        lines += [f"  lost: {uid}" for uid in self.lost[:10]]
        lines += [f"  duplicated: {d}" for d in self.duplicated[:10]]
        lines += [f"  events: {e}" for e in self.events_wrong[:10]]
        return "\n".join(lines)

    def assert_clean(self) -> None:
        assert self.issued, "nothing was issued"
        assert self.drained, f"not drained within the bound ({self.drain_s:.0f}s)"
        assert self.lost == [], f"lost: {self.lost[:5]}"
        assert self.duplicated == [], f"duplicated: {self.duplicated[:5]}"
        assert self.events_wrong == [], f"events: {self.events_wrong[:5]}"
        assert all(self.rows[i.uid]["recipient"] == DECLARED for i in self.issued)


@pytest.fixture(scope="module")
async def platform() -> AsyncIterator[Platform]:
    async with Platform(platform_options(F11_ENV)) as running:
        yield running


async def _issue(
    http: httpx.AsyncClient, customer: Customer, count: int, seconds: float
) -> list[Issued]:
    """``count`` invoices spread over ``seconds``, each to the declaring counterpart."""
    issued = []
    headers = {"Authorization": f"Bearer {customer.api_token}"}
    for _ in range(count):
        body = sample_invoice(is_vat=customer.vat, cp_vat=DECLARING_VAT, series="F11")
        response = await http.post("/invoice-data", json=body, headers=headers)
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert data["einv03"]["ok"] == 1, data["einv03"]
        issued.append(Issued(data["uid"], data["mark"]))
        await asyncio.sleep(seconds / count)
    return issued


async def _in_flight(platform: Platform, within_s: float = 20.0) -> None:
    """Until an e-mail's data is with the SMTP server, its answer not yet back."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if (await platform.notify_query(_SENDING))[0]["n"]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("no e-mail was ever in flight")


async def _drain(platform: Platform, uids: set[str], within_s: float) -> tuple[bool, float]:
    started = time.monotonic()
    while time.monotonic() - started < within_s:
        known = {r["uid"] for r in await platform.notify_query("SELECT uid FROM invoice_emails")}
        still_open = (await platform.notify_query(_OPEN))[0]["n"]
        if uids <= known and still_open == 0:
            return True, time.monotonic() - started
        await asyncio.sleep(0.5)
    return False, time.monotonic() - started


async def reconcile(
    scenario: str, platform: Platform, issued: list[Issued], within_s: float
) -> MailLedger:
    ledger = MailLedger(scenario, issued)
    uids = {i.uid for i in issued}
    ledger.drained, ledger.drain_s = await _drain(platform, uids, within_s)
    ledger.rows = {
        r["uid"]: dict(r) for r in await platform.notify_query(_ROWS) if r["uid"] in uids
    }
    for mail in (await platform.devmail("GET", "/messages"))["emails"]:
        ledger.received[mail["message_id"].strip("<>").split("@", 1)[0]] += 1
    by_nid = {row["notification_id"]: uid for uid, row in ledger.rows.items()}
    for row in await platform.notify_query(_HISTORY):
        uid = by_nid.get(row["notification_id"])
        if uid is not None:
            (ledger.recovered if row["outcome"] == "recovered" else ledger.went_unknown).add(uid)
    for row in await platform.notify_query(_EVENTS):
        ledger.events[_event_uid(bytes(row["body"]))] += 1
    return ledger


def _event_uid(body: bytes) -> str:
    return str(orjson.loads(body)["payload"]["uid"])


async def test_f11_kill_the_notifier_mid_send_with_every_event_delivered_twice(
    platform: Platform, fault_config: FaultConfig
) -> None:
    rng = random.Random(f"{fault_config.seed}:f11")
    count = 60 if fault_config.full else 16
    customer = await platform.create_customer()
    await platform.devmail("POST", "/reset")
    # Held answers to the data: at the kill, e-mails wait for their 250.
    await platform.devmail("POST", "/faults/smtp", {"mode": "latency", "latency_ms": 700})
    duplicator = Duplicator(platform.amqp_url, rng)
    await duplicator.start()
    try:
        async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60) as http:
            load = asyncio.create_task(_issue(http, customer, count, seconds=count * 0.3))
            await asyncio.sleep(rng.uniform(1.0, 2.5))
            await _in_flight(platform)
            await asyncio.sleep(rng.uniform(0.0, 0.3))  # inside the held answer (0.7 s)
            platform.kill("notifier")
            await asyncio.sleep(rng.uniform(0.5, 2.5))
            await platform.restart("notifier")
            issued = await load
    finally:
        await duplicator.stop()
        await platform.devmail("POST", "/faults/smtp", {"mode": "none"})
    ledger = await reconcile("f11_kill_mid_send_twice", platform, issued, within_s=60)
    ledger.copies = duplicator.copied
    print("\n" + ledger.table(), flush=True)
    ledger.assert_clean()
    assert duplicator.copied >= count  # every invoice.transmitted was delivered twice
    await _on_call(platform, ledger, issued)


async def _on_call(platform: Platform, ledger: MailLedger, issued: list[Issued]) -> None:
    """The runbook's decision for each unknown e-mail: the mail server (devmail) never got it →
    resend with force; it did → leave it. Then every invoice has its one e-mail."""
    headers = {"Authorization": f"Bearer {CODEC.issue('f11-on-call', 300)[0]}"}
    async with httpx.AsyncClient(base_url=platform.url("notifier"), headers=headers) as notifier:
        for uid in ledger.unknown:
            if ledger.received_for(uid) == 0:
                nid = ledger.rows[uid]["notification_id"]
                response = await notifier.post(
                    f"{NOTIFICATIONS_PATH}/{nid}/resend", params={"force": "true"}
                )
                assert response.status_code == 200, response.text
    after = await reconcile("f11_after_on_call", platform, issued, within_s=30)
    print("\n" + after.table(), flush=True)
    after.assert_clean()
    assert all(after.received_for(i.uid) == 1 for i in issued), "an invoice without its e-mail"


async def test_f11b_portal_web_down_while_invoices_are_transmitted(
    platform: Platform, fault_config: FaultConfig
) -> None:
    """The PDF's source is away (``kill -9`` of portal-web): every invoice waits, recorded, and
    is e-mailed once after portal-web is back — late, never lost, never twice."""
    rng = random.Random(f"{fault_config.seed}:f11b")
    count = 30 if fault_config.full else 10
    customer = await platform.create_customer()
    await platform.devmail("POST", "/reset")
    platform.kill("portal-web")
    try:
        async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60) as http:
            issued = await _issue(http, customer, count, seconds=count * 0.1)
        await _all_waiting(platform, {i.uid for i in issued})
        await asyncio.sleep(rng.uniform(1.0, fault_config.outage(3.0, 30.0)))
    finally:
        await platform.restart("portal-web")
    ledger = await reconcile("f11b_portal_web_down", platform, issued, within_s=60)
    print("\n" + ledger.table(), flush=True)
    ledger.assert_clean()
    assert all(ledger.received_for(i.uid) == 1 for i in issued)


async def _all_waiting(platform: Platform, uids: set[str], within_s: float = 30.0) -> None:
    """Until every invoice is recorded and has met the missing source at least once."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        rows = await platform.notify_query(_WAITING)
        if uids <= {r["uid"] for r in rows}:
            return
        await asyncio.sleep(0.2)
    raise AssertionError("the invoices were not all recorded and waiting")
