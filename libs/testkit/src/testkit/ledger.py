"""A load generator that writes down every invoice it sends, and reconciles it afterwards.

``LoadGenerator`` plays one ERP: ``workers`` concurrent loops each issue new invoices (series +
increasing ``aa``, today's date in Athens) through the gateway with an ``Idempotency-Key``. A
request whose outcome is unknown (client timeout, connection error, 5xx) is *in doubt*: the ERP
sends the same body with the same key again until it gets a 2xx/4xx or ``resolve_within_s``
passes. Every entry of the ``Ledger`` keeps the natural key, the key, every attempt's result and
the final answer (status, code, MARK, authcode, temporary string, transmissionFailure).

``reconcile()`` (in ``testkit.reconcile``) compares the ledger with the tenant DB and aade-sim.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import orjson

from testkit.invoices import sample_invoice

# A request is in doubt when the ERP cannot know whether it was issued.
_IN_DOUBT_STATUSES = frozenset({500, 502, 503, 504})


def invoice_body(vat: str, series: str, aa: int) -> dict[str, Any]:
    """A valid seed-002 invoice (type 1.1, one line) dated now in Athens."""
    return sample_invoice(is_vat=vat, series=series, aa=str(aa))


@dataclass(slots=True)
class Attempt:
    started: float
    seconds: float
    status: int | None  # None: no HTTP answer (timeout, connection error)
    error: str = ""


@dataclass(slots=True)
class Entry:
    """One invoice the ERP wanted issued, however many times it had to send it."""

    natural_key: str  # issuer VAT + series + aa
    series: str
    aa: str
    idempotency_key: str
    body: bytes
    attempts: list[Attempt] = field(default_factory=list)
    status: int | None = None  # the final answer's status; None: never answered
    code: str | int | None = None
    mark: str | None = None
    authcode: str | None = None
    temporary: bool = False  # the answer carried a temporary string (not yet transmitted)
    transmission_failure: int | None = None
    replays: list[int | None] = field(default_factory=list)  # statuses of deliberate replays
    bad_shapes: list[str] = field(default_factory=list)  # answers not in our JSON error shape

    @property
    def in_doubt(self) -> bool:
        """Some attempt left the ERP not knowing whether the invoice was issued."""
        return any(a.status is None or a.status in _IN_DOUBT_STATUSES for a in self.attempts)

    @property
    def answered_2xx(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def seconds(self) -> float:
        """From the first send to the final answer (retries included)."""
        if not self.attempts:
            return 0.0
        last = self.attempts[-1]
        return last.started + last.seconds - self.attempts[0].started


@dataclass(slots=True)
class Ledger:
    entries: list[Entry] = field(default_factory=list)

    def by_natural_key(self) -> dict[str, Entry]:
        return {e.natural_key: e for e in self.entries}


@dataclass(slots=True)
class LoadGenerator:
    """One ERP sending invoices through the gateway; see the module docstring."""

    gateway_url: str
    api_token: str
    vat: str
    series: str = field(default_factory=lambda: "F" + uuid.uuid4().hex[:6].upper())
    workers: int = 8
    request_timeout_s: float = 15.0
    resolve_within_s: float = 120.0  # how long an in-doubt request is retried
    retry_pause_s: float = 0.5
    pause_s: float = 0.0  # between a worker's invoices (lowers the rate)
    replay_each: bool = False  # send every answered invoice once more (same body and key)
    ledger: Ledger = field(default_factory=Ledger)
    _next_aa: int = 0
    _client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> LoadGenerator:
        limits = httpx.Limits(max_connections=self.workers * 2)
        self._client = httpx.AsyncClient(
            base_url=self.gateway_url,
            timeout=self.request_timeout_s,
            limits=limits,
            headers={"Authorization": f"Bearer {self.api_token}"},
        )
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def run(self, seconds: float, stop: asyncio.Event | None = None) -> None:
        """Issue invoices for ``seconds`` (or until ``stop``), then resolve every doubt."""
        stop = stop or asyncio.Event()
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(self._worker(deadline, stop) for _ in range(self.workers)))

    async def issue_one(self) -> Entry:
        """One new invoice, sent until it has an answer (or the resolve bound passes)."""
        self._next_aa += 1
        aa = self._next_aa
        body = orjson.dumps(invoice_body(self.vat, self.series, aa))
        entry = Entry(
            f"{self.vat}-{self.series}-{aa}", self.series, str(aa), uuid.uuid4().hex, body
        )
        self.ledger.entries.append(entry)
        await self._send_until_answered(entry)
        if self.replay_each and entry.status is not None:
            await self.replay(entry)
        return entry

    async def replay(self, entry: Entry) -> int | None:
        """The same body and key once more (an ERP retry); the status is noted on the entry."""
        attempt = await self._post(entry)
        entry.replays.append(attempt.status)
        return attempt.status

    async def _worker(self, deadline: float, stop: asyncio.Event) -> None:
        while time.monotonic() < deadline and not stop.is_set():
            await self.issue_one()
            if self.pause_s:
                await asyncio.sleep(self.pause_s)

    async def _send_until_answered(self, entry: Entry) -> None:
        give_up = time.monotonic() + self.resolve_within_s
        while True:
            attempt = await self._post(entry)
            entry.attempts.append(attempt)
            if attempt.status is not None and attempt.status not in _IN_DOUBT_STATUSES:
                return
            if time.monotonic() >= give_up:
                return
            await asyncio.sleep(self.retry_pause_s)

    async def _post(self, entry: Entry) -> Attempt:
        assert self._client is not None, "use LoadGenerator as an async context manager"
        headers = {"Idempotency-Key": entry.idempotency_key, "Content-Type": "application/json"}
        started = time.monotonic()
        try:
            response = await self._client.post("/invoice-data", content=entry.body, headers=headers)
        except httpx.HTTPError as exc:
            return Attempt(started, time.monotonic() - started, None, type(exc).__name__)
        attempt = Attempt(started, time.monotonic() - started, response.status_code)
        _record_answer(entry, response)
        return attempt


def _record_answer(entry: Entry, response: httpx.Response) -> None:
    entry.status = response.status_code
    try:
        body = response.json()
    except ValueError:
        # Not our error shape (e.g. an HTML 500 page): a bug wherever it comes from.
        entry.bad_shapes.append(f"{response.status_code} {response.text[:60]!r}")
        return
    entry.code = body.get("code") if isinstance(body, dict) else None
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict) and response.status_code < 300:
        entry.mark = str(data.get("mark") or "") or None
        entry.authcode = data.get("authcode")
        entry.transmission_failure = data.get("transmissionFailure")
        entry.temporary = entry.mark in (None, "0")


# -- reconciliation ----------------------------------------------------------------------------
@dataclass(slots=True)
class Reconciliation:
    """What the ledger found against the tenant DB and aade-sim; see ``table()``."""

    scenario: str
    sent: int = 0
    attempts: int = 0
    ok_2xx: int = 0
    temporary: int = 0  # 2xx answers with a temporary string (myDATA not reached in time)
    err_4xx: int = 0
    err_5xx: int = 0  # final answers only; 5xx on the way are counted as in doubt
    in_doubt: int = 0
    unresolved: int = 0  # in doubt and still without a 2xx/4xx answer
    replays: int = 0  # deliberate re-sends of answered requests (same key)
    refused_228: int = 0  # re-sends myDATA refused as duplicates (the recovery path ran)
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)  # MARK answered/stored/registered differ
    drained: bool = False
    drain_s: float = 0.0
    latencies: list[float] = field(default_factory=list)
    slowest_attempt_s: float = 0.0  # one HTTP exchange; a hang shows here
    bad_shapes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        rows = [
            ("sent", self.sent), ("attempts", self.attempts), ("2xx", self.ok_2xx),
            ("temporary", self.temporary), ("4xx", self.err_4xx), ("5xx", self.err_5xx),
            ("in-doubt", self.in_doubt),
            ("unresolved", self.unresolved), ("replays", self.replays), ("lost", len(self.lost)),
            ("duplicated", len(self.duplicated)), ("mismatched", len(self.mismatched)),
            ("myDATA 228s", self.refused_228), ("bad shapes", len(self.bad_shapes)),
            ("drain", f"{self.drain_s:.1f}s" + ("" if self.drained else " (NOT drained)")),
            ("p50/p95/max", f"{_pct(lat, 50):.2f}/{_pct(lat, 95):.2f}/{lat[-1]:.2f}s"),
            ("slowest try", f"{self.slowest_attempt_s:.2f}s"),
        ]  # fmt: skip
        lines = [f"ledger {self.scenario}"] + [f"  {k:<12} {v}" for k, v in rows]
        lines += [f"  ! {n}" for n in self.notes]
        lines += [f"  lost: {k}" for k in self.lost[:10]]
        lines += [f"  duplicated: {k}" for k in self.duplicated[:10]]
        lines += [f"  mismatched: {k}" for k in self.mismatched[:10]]
        lines += [f"  bad shape: {k}" for k in self.bad_shapes[:10]]
        return "\n".join(lines)


def _pct(values: list[float], pct: int) -> float:
    return values[min(len(values) - 1, len(values) * pct // 100)]


class StateSource(Protocol):
    """What reconciliation reads; ``testkit.procs.Platform`` provides it."""

    async def tenant_query(self, customer: Any, sql: str, *args: Any) -> list[Any]: ...
    async def sync_query(self, sql: str, *args: Any) -> list[Any]: ...
    async def aade(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any: ...


_OPEN_INVOICES = "SELECT count(*) AS n FROM invoices WHERE state IN ('pending', 'deferred')"
_OPEN_TRANSMISSIONS = (
    "SELECT count(*) AS n FROM transmissions WHERE state IN ('pending', 'in_flight', 'deferred')"
)
_ROWS = "SELECT issuer_vat, series, aa, uid, state, mark FROM invoices"


async def drain(source: StateSource, customer: Any, within_s: float) -> tuple[bool, float]:
    """Wait until no invoice is pending/deferred and the resend list is empty (bounded)."""
    started = time.monotonic()
    while time.monotonic() - started < within_s:
        invoices = (await source.tenant_query(customer, _OPEN_INVOICES))[0]["n"]
        transmissions = (await source.sync_query(_OPEN_TRANSMISSIONS))[0]["n"]
        if invoices == 0 and transmissions == 0:
            return True, time.monotonic() - started
        await asyncio.sleep(0.5)
    return False, time.monotonic() - started


async def reconcile(
    scenario: str, ledger: Ledger, source: StateSource, customer: Any, drain_within_s: float
) -> Reconciliation:
    """Drain, then count lost, duplicated and mismatched invoices (all must be 0)."""
    report = Reconciliation(scenario)
    _count_answers(report, ledger)
    report.drained, report.drain_s = await drain(source, customer, drain_within_s)
    rows = await source.tenant_query(customer, _ROWS)
    registrations = await source.aade("GET", "/registrations")
    by_key: dict[str, list[Any]] = {}
    for row in rows:
        by_key.setdefault(f"{row['issuer_vat']}-{row['series']}-{row['aa']}", []).append(row)
    _find_lost(report, ledger, by_key)
    _find_duplicated(report, by_key, registrations)
    report.refused_228 = sum(registrations.get("duplicate_attempts", {}).values())
    await _find_mismatched(report, ledger, by_key, source)
    return report


def _count_answers(report: Reconciliation, ledger: Ledger) -> None:
    for entry in ledger.entries:
        report.sent += 1
        report.attempts += len(entry.attempts)
        status = entry.status or 0
        report.ok_2xx += 200 <= status < 300
        report.temporary += entry.answered_2xx and entry.temporary
        report.err_4xx += 400 <= status < 500
        report.err_5xx += status >= 500
        report.in_doubt += entry.in_doubt
        report.unresolved += entry.status is None or status in _IN_DOUBT_STATUSES
        report.latencies.append(entry.seconds)
        report.replays += len(entry.replays)
        if any(status != entry.status for status in entry.replays):
            report.mismatched.append(f"{entry.natural_key}: replays {entry.replays} vs {status}")
        report.bad_shapes += [f"{entry.natural_key}: {shape}" for shape in entry.bad_shapes]
        slowest = max((a.seconds for a in entry.attempts), default=0.0)
        report.slowest_attempt_s = max(report.slowest_attempt_s, slowest)
        if status >= 500:
            report.notes.append(f"{entry.natural_key}: final {status} {entry.code}")


def _find_lost(report: Reconciliation, ledger: Ledger, by_key: dict[str, list[Any]]) -> None:
    for entry in ledger.entries:
        if not entry.answered_2xx:
            continue
        rows = by_key.get(entry.natural_key, [])
        if not any(_terminal(row) for row in rows):
            states = ",".join(row["state"] for row in rows) or "no row"
            report.lost.append(f"{entry.natural_key} ({states})")


def _terminal(row: Any) -> bool:
    return (row["state"] == "transmitted" and bool(row["mark"])) or row["state"] == "rejected"


def _find_duplicated(
    report: Reconciliation, by_key: dict[str, list[Any]], registrations: dict[str, Any]
) -> None:
    for key, rows in by_key.items():
        if len(rows) > 1:
            report.duplicated.append(f"{key}: {len(rows)} invoice rows")
    for uid, accepted in registrations.get("by_uid", {}).items():
        if accepted > 1:
            report.duplicated.append(f"uid {uid}: registered {accepted} times at myDATA")


async def _find_mismatched(
    report: Reconciliation, ledger: Ledger, by_key: dict[str, list[Any]], source: StateSource
) -> None:
    answered = {e.natural_key: e.mark for e in ledger.entries if e.mark and e.mark != "0"}
    for key, rows in by_key.items():
        row = rows[0]
        if row["state"] != "transmitted":
            continue
        try:
            registered = (await source.aade("GET", f"/invoices/{row['uid']}")).get("mark")
        except httpx.HTTPStatusError:
            registered = None  # transmitted here, unknown to myDATA
        stored = row["mark"]
        if str(registered) != str(stored) or answered.get(key, stored) != stored:
            report.mismatched.append(f"{key}: answered {answered.get(key)} stored {stored} "
                                     f"registered {registered}")  # fmt: skip
