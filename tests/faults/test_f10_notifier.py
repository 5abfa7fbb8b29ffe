"""F10: the notifier under faults — every message sent once, or recorded ``unknown`` and listed.

One platform of real processes (``testkit.procs``) serves the four scenarios in turn; each
publishes its own ``notification.requested`` commands (SMS with a sealed password, e-mails) as
tenant-admin's outbox relay would, injects its fault, heals, drains and reconciles a ledger with
what devmail's SMTP server and SMS provider received and what the notify database says:

* F10a ``kill -9`` of the notifier while SMTP answers and SMS requests are held (latency);
* F10b the SMTP server drops the connection after the message data (kept, never answered);
* F10c the SMS provider accepts, then never answers (some without a delivery report);
* F10d every command delivered twice (two publishes, and each delivery copied by a test
  consumer), with duplicated and out-of-order delivery reports.

The contract (DESIGN.md §6, SPEC NOTE-1): each notification received exactly once by the
stand-ins, except those recorded ``unknown``, which are listed and received at most once — never
resent behind on-call's back; nothing left pending; no password in the notify database in clear,
and none left even sealed on a message that was sent or failed.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import pytest
from aio_pika.abc import AbstractExchange, AbstractIncomingMessage, AbstractRobustConnection

from contracts.events import NotificationRequested, envelope_of
from kit.messaging import EVENTS_EXCHANGE
from kit.secrets import DEV_SEAL_KEYS, Keyring
from notifications import new_notification_id, password_sms, username_email
from testkit.procs import Platform

from .scenario import FaultConfig, platform_options

KEYRING = Keyring.parse(DEV_SEAL_KEYS)
# Short enough that a heal is noticed in about a second (the production schedule is minutes).
NOTIFY_ENV: dict[str, dict[str, str]] = {
    "notifier": {
        "EINV_SMTP_TIMEOUT_S": "1.5",
        "EINV_SMS_TIMEOUT_S": "1.5",
        "EINV_SMS_CONNECT_TIMEOUT_S": "0.5",
        "EINV_NOTIFY_LEASE_S": "6",
        "EINV_NOTIFY_SWEEP_INTERVAL_S": "0.5",
        "EINV_NOTIFY_RETRY_BACKOFF_S": "[0.5, 1]",
        "EINV_SMS_STATUS_CHECK_S": "[0.5, 1]",
        "EINV_SMS_NOT_FOUND_CHECKS": "2",
        "EINV_SMS_NOT_FOUND_RESEND_AFTER_S": "2",
        "EINV_NOTIFY_QUEUE_RETRY_DELAYS_S": "[1, 2, 5]",
    },
    "devmail": {"EINV_DEVMAIL_DLR_DELAY_S": "0.2", "EINV_DEVMAIL_HANG_MAX_S": "10"},
}
# Open: still ours to finish. An unknown e-mail is not open (it waits for on-call); an unknown
# SMS is (its look-up resolves it).
_OPEN = "state IN ('pending', 'sending') OR (state = 'unknown' AND channel = 'sms')"
_ROWS = "SELECT notification_id, state, channel, sealed_params IS NOT NULL AS sealed FROM messages"
# What each message went through: an attempt without an answer, a dead worker's attempt.
_HISTORY = """
SELECT m.notification_id, a.outcome, a.handed_over FROM attempts a
JOIN messages m ON m.id = a.message_pk WHERE a.outcome IN ('unknown', 'recovered')
"""
_DUMP = """
SELECT coalesce(string_agg(t, ' '), '') AS dump FROM (
    SELECT row_to_json(m)::text AS t FROM messages m
    UNION ALL SELECT row_to_json(a)::text FROM attempts a
    UNION ALL SELECT row_to_json(r)::text FROM delivery_reports r
) everything
"""


# --- the producer ---------------------------------------------------------------------------


@dataclass(slots=True)
class Requested:
    notification_id: str
    channel: str
    secret: str | None  # the SMS's password, looked for where it must never be


@dataclass(slots=True)
class Producer:
    """Publishes commands to ``einv.events`` like an outbox relay (persistent, confirmed)."""

    exchange: AbstractExchange
    rng: random.Random
    requested: list[Requested] = field(default_factory=list)

    def _command(self) -> tuple[NotificationRequested, Requested]:
        nid = new_notification_id()
        if self.rng.random() < 0.5:
            secret = f"F10-{uuid.uuid4().hex[:12]}!"
            language = self.rng.choice(("el", "en"))
            command = password_sms(
                KEYRING, notification_id=nid, customer_id="f10", mobile="6900000000",
                language=language, password=secret,
            )  # fmt: skip
            return command, Requested(nid, "sms", secret)
        command = username_email(
            notification_id=nid, customer_id="f10", email="it@acme.example.gr",
            language=self.rng.choice(("el", "en")), username="acme", serial="SN-F10",
        )  # fmt: skip
        return command, Requested(nid, "email", None)

    async def publish(self, command: NotificationRequested) -> None:
        envelope = envelope_of(command)
        message = aio_pika.Message(
            envelope.model_dump_json().encode(), message_id=envelope.message_id,
            content_type="application/json", delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )  # fmt: skip
        await self.exchange.publish(message, routing_key=envelope.type)

    async def run(self, count: int, seconds: float, *, twice: bool = False) -> None:
        """``count`` commands spread over ``seconds``; each published twice when ``twice``."""
        for _ in range(count):
            command, requested = self._command()
            self.requested.append(requested)
            await self.publish(command)
            if twice:
                await self.publish(command)  # a relay's retry: a new message id, the same command
            await asyncio.sleep(seconds / count)


class Copier:
    """Delivers every ``notification.requested`` a second time (same message id) after a random
    delay, from its own queue: the notifier's consumer sees each command twice or more."""

    def __init__(self, exchange: AbstractExchange, rng: random.Random) -> None:
        self.exchange = exchange
        self.rng = rng
        self.copied = 0
        self._pending: set[asyncio.Task[None]] = set()

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        async with message.process():
            if (message.headers or {}).get("x-fault-copy"):
                return
            task = asyncio.create_task(self._copy(message))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

    async def _copy(self, message: AbstractIncomingMessage) -> None:
        await asyncio.sleep(self.rng.uniform(0, 1.0))
        copy = aio_pika.Message(
            message.body, headers={**(message.headers or {}), "x-fault-copy": 1},
            message_id=message.message_id, content_type=message.content_type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )  # fmt: skip
        await self.exchange.publish(copy, routing_key=message.routing_key or "")
        self.copied += 1

    async def drain(self) -> None:
        await asyncio.gather(*self._pending, return_exceptions=True)


# --- the ledger -----------------------------------------------------------------------------


@dataclass(slots=True)
class NotifyLedger:
    """What was requested against what the stand-ins received and the notify DB says."""

    scenario: str
    requested: list[Requested]
    received: Counter[str] = field(default_factory=Counter)
    states: dict[str, str] = field(default_factory=dict)
    sealed_left: list[str] = field(default_factory=list)
    went_unknown: set[str] = field(default_factory=set)  # some attempt ended without an answer
    recovered: set[str] = field(default_factory=set)  # some attempt's worker died
    secrets_in_clear: list[str] = field(default_factory=list)
    drained: bool = False
    drain_s: float = 0.0
    notes: list[str] = field(default_factory=list)

    def with_state(self, *states: str) -> list[Requested]:
        return [r for r in self.requested if self.states.get(r.notification_id) in states]

    @property
    def unknown(self) -> list[Requested]:
        return self.with_state("unknown")

    @property
    def duplicated(self) -> list[str]:
        return [f"{nid}: received {n}" for nid, n in self.received.items() if n > 1]

    @property
    def lost(self) -> list[str]:
        """Requested but never recorded, or recorded sent/delivered and never received."""
        lost = [r.notification_id for r in self.requested if r.notification_id not in self.states]
        done = self.with_state("sent", "delivered")
        return lost + [r.notification_id for r in done if self.received[r.notification_id] != 1]

    def table(self) -> str:
        by_channel = Counter(r.channel for r in self.requested)
        resolved = len(self.went_unknown - {r.notification_id for r in self.unknown})
        rows = [
            ("requested", f"{len(self.requested)} (sms {by_channel['sms']}, "
                          f"email {by_channel['email']})"),
            ("received", sum(self.received[r.notification_id] for r in self.requested)),
            ("sent", len(self.with_state("sent"))),
            ("delivered", len(self.with_state("delivered"))),
            ("failed", len(self.with_state("failed"))), ("unknown", len(self.unknown)),
            ("unknown, received", sum(1 for r in self.unknown if self.received[r.notification_id])),
            ("went unknown", f"{len(self.went_unknown)} (then resolved: {resolved})"),
            ("worker died", len(self.recovered)),
            ("lost", len(self.lost)), ("duplicated", len(self.duplicated)),
            ("sealed left", len(self.sealed_left)), ("in clear", len(self.secrets_in_clear)),
            ("drain", f"{self.drain_s:.1f}s" + ("" if self.drained else " (NOT drained)")),
        ]  # fmt: skip
        lines = [f"ledger {self.scenario}"] + [f"  {k:<18} {v}" for k, v in rows]
        lines += [f"  unknown: {r.channel} {r.notification_id}" for r in self.unknown]
        lines += [f"  lost: {nid}" for nid in self.lost[:10]]
        lines += [f"  duplicated: {d}" for d in self.duplicated[:10]]
        lines += [f"  ! {note}" for note in self.notes]
        return "\n".join(lines)

    def assert_clean(self) -> None:
        assert self.requested, "nothing was requested"
        assert self.drained, f"not drained within the bound ({self.drain_s:.0f}s)"
        assert self.lost == [], f"lost: {self.lost[:5]}"
        assert self.duplicated == [], f"duplicated: {self.duplicated[:5]}"
        assert self.with_state("failed") == [], "a message failed under a transient fault"
        assert self.sealed_left == [], f"secrets kept after sending: {self.sealed_left[:5]}"
        assert self.secrets_in_clear == [], "a password is in the notify database in clear"


async def _received(platform: Platform) -> Counter[str]:
    """Per notification id: e-mails by Message-ID, SMS by the callback data we gave."""
    messages = await platform.devmail("GET", "/messages")
    counts: Counter[str] = Counter()
    for mail in messages["emails"]:
        counts[mail["message_id"].strip("<>").split("@", 1)[0]] += 1
    for sms in messages["sms"]:
        counts[sms["callback_data"]] += 1
    return counts


async def _drain(platform: Platform, ids: set[str], within_s: float) -> tuple[bool, float]:
    started = time.monotonic()
    while time.monotonic() - started < within_s:
        rows = await platform.notify_query(f"SELECT notification_id FROM messages WHERE {_OPEN}")
        known = {r["notification_id"] for r in await platform.notify_query(_ROWS)}
        if ids <= known and not ids & {r["notification_id"] for r in rows}:
            return True, time.monotonic() - started
        await asyncio.sleep(0.5)
    return False, time.monotonic() - started


async def reconcile(
    scenario: str, platform: Platform, requested: list[Requested], within_s: float
) -> NotifyLedger:
    ledger = NotifyLedger(scenario, list(requested))
    ids = {r.notification_id for r in requested}
    ledger.drained, ledger.drain_s = await _drain(platform, ids, within_s)
    ledger.received = await _received(platform)
    for row in await platform.notify_query(_ROWS):
        if row["notification_id"] in ids:
            ledger.states[row["notification_id"]] = row["state"]
            if row["sealed"] and row["state"] in ("sent", "delivered", "failed"):
                ledger.sealed_left.append(row["notification_id"])
    for row in await platform.notify_query(_HISTORY):
        if row["notification_id"] in ids and row["outcome"] == "recovered":
            ledger.recovered.add(row["notification_id"])
        if row["notification_id"] in ids and (row["outcome"] == "unknown" or row["handed_over"]):
            ledger.went_unknown.add(row["notification_id"])
    dump = str((await platform.notify_query(_DUMP))[0]["dump"])
    ledger.secrets_in_clear = [
        r.notification_id for r in requested if r.secret and r.secret in dump
    ]
    print("\n" + ledger.table(), flush=True)
    return ledger


# --- the platform and the runs --------------------------------------------------------------


@dataclass(slots=True)
class Bench:
    platform: Platform
    config: FaultConfig
    exchange: AbstractExchange
    connection: AbstractRobustConnection

    def producer(self, name: str, iteration: int) -> Producer:
        # One random stream per run, derived from the printed seed: a failure replays.
        return Producer(self.exchange, random.Random(f"{self.config.seed}:{name}:{iteration}"))

    def size(self, short: int, full: int) -> int:
        return full if self.config.full else short

    async def fault(self, switch: str, mode: str, **extra: Any) -> None:
        await self.platform.devmail("POST", f"/faults/{switch}", {"mode": mode, **extra})

    async def heal(self) -> None:
        await self.platform.devmail("POST", "/faults/smtp", {"mode": "none"})
        await self.platform.devmail("POST", "/faults/sms", {"mode": "none"})
        await self.platform.devmail("POST", "/faults/reports", {"mode": "normal"})


@pytest.fixture(scope="module")
async def bench(fault_config: FaultConfig) -> AsyncIterator[Bench]:
    options = platform_options(NOTIFY_ENV)
    options.services = ("devmail", "notifier")  # nothing else takes part
    async with Platform(options) as platform:
        connection = await aio_pika.connect_robust(platform.amqp_url)
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(EVENTS_EXCHANGE, ensure=False)
        yield Bench(platform, fault_config, exchange, connection)
        await connection.close()


Fault = Callable[[Producer], Awaitable[None]]


async def run_scenario(
    bench: Bench, name: str, fault: Fault, drain_within_s: float
) -> list[NotifyLedger]:
    ledgers = []
    for iteration in range(bench.config.iterations):
        await bench.platform.devmail("POST", "/reset")
        producer = bench.producer(name, iteration)
        try:
            await fault(producer)
        finally:
            await bench.heal()
        ledger = await reconcile(name, bench.platform, producer.requested, drain_within_s)
        ledger.assert_clean()
        ledgers.append(ledger)
    return ledgers


async def test_f10a_kill_notifier_mid_send(bench: Bench) -> None:
    platform, count = bench.platform, bench.size(24, 120)

    async def fault(producer: Producer) -> None:
        # Held answers: at the kill, e-mails wait for their 250 and SMS for their answer.
        await bench.fault("smtp", "latency", latency_ms=700)
        await bench.fault("sms", "latency", latency_ms=700)
        load = asyncio.create_task(producer.run(count, seconds=bench.size(3, 15)))
        await asyncio.sleep(producer.rng.uniform(0.8, 1.6))
        platform.kill("notifier")
        await asyncio.sleep(producer.rng.uniform(0.5, bench.size(1.5, 5.0)))
        await platform.restart("notifier")
        await load

    await run_scenario(bench, "test_f10a_kill_notifier_mid_send", fault, drain_within_s=40)


async def test_f10b_smtp_drops_the_connection_after_the_data(bench: Bench) -> None:
    count = bench.size(20, 100)

    async def fault(producer: Producer) -> None:
        await bench.fault("smtp", "drop_after_data", count=bench.size(3, 10))
        await producer.run(count, seconds=bench.size(2, 10))

    ledgers = await run_scenario(bench, "test_f10b_smtp_drops_after_data", fault, 30)
    # Each dropped e-mail arrived, and is unknown: listed, never sent a second time.
    assert all(len(ledger.unknown) == bench.size(3, 10) for ledger in ledgers)


async def test_f10c_sms_gateway_accepts_then_times_out(bench: Bench) -> None:
    count = bench.size(20, 100)

    async def fault(producer: Producer) -> None:
        await bench.fault("sms", "accept_then_timeout", count=bench.size(4, 12))
        # Half of the reports never come: those are resolved by the status look-up alone.
        await bench.fault("reports", "none", count=bench.size(4, 20))
        await producer.run(count, seconds=bench.size(2, 10))

    ledgers = await run_scenario(bench, "test_f10c_sms_accepts_then_times_out", fault, 30)
    # Every SMS the SMS provider held resolved by its report or a look-up: none is left unknown.
    assert all(len(ledger.went_unknown) == bench.size(4, 12) for ledger in ledgers)


async def test_f10d_every_command_delivered_twice(bench: Bench) -> None:
    channel = await bench.connection.channel(publisher_confirms=True)
    copier = Copier(bench.exchange, random.Random(f"{bench.config.seed}:copier"))
    queue = await channel.declare_queue("fault.f10.copier", exclusive=True, auto_delete=True)
    await queue.bind(bench.exchange, routing_key=NotificationRequested.TYPE)
    await queue.consume(copier.on_message)
    count = bench.size(20, 100)

    async def fault(producer: Producer) -> None:
        await bench.fault("reports", "out_of_order", copies=2)
        await producer.run(count, seconds=bench.size(2, 10), twice=True)
        await copier.drain()

    try:
        await run_scenario(bench, "test_f10d_every_command_twice", fault, drain_within_s=30)
    finally:
        await channel.close()
    print(f"copier: {copier.copied} commands delivered once more")
    assert copier.copied >= 2 * count
