"""The API call log (ADMIN-9) in the gateway: a customer whose log is on has each call recorded
(time, method, path and query, status, latency, request id, both bodies), errors and the rate
limit included; one whose log is off has nothing recorded; the buffer drops (and counts) instead
of waiting when full, and a failed write loses its batch, counted, without stopping the next."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from api_gateway.calllog.recorder import DROPPED, WRITTEN, CallEntry, CallRecorder

from .conftest import Catalog, GatewayFactory


async def _logged(catalog: Catalog, customer_id: str, count: int) -> list[Any]:
    deadline = time.monotonic() + 10
    while True:
        rows = await catalog.pool.fetch(
            "SELECT * FROM api_calls WHERE customer_id = $1 ORDER BY at, id", customer_id
        )
        if len(rows) >= count or time.monotonic() > deadline:
            return list(rows)
        await asyncio.sleep(0.1)


async def _customer(catalog: Catalog, log: bool) -> tuple[str, dict[str, str]]:
    customer_id = await catalog.customer((10, 0, -1, 30))
    await catalog.pool.execute(
        "UPDATE customers SET api_call_log = $2 WHERE id = $1", customer_id, log
    )
    token, _ = await catalog.token(customer_id)
    return customer_id, {"Authorization": f"Bearer {token}"}


async def test_a_logged_customers_calls_are_recorded_with_both_bodies(
    http: httpx.AsyncClient, gateway: str, catalog: Catalog
) -> None:
    customer_id, headers = await _customer(catalog, log=True)
    body = b'{"aa": "17", "series": "A"}'
    issued = await http.post(
        f"{gateway}/invoice-data?answer=200", content=body,
        headers=headers | {"Content-Type": "application/json", "X-Request-Id": "rid-log-1"},
    )  # fmt: skip
    refused = await http.post(
        f"{gateway}/invoice-data?answer=422", content=body,
        headers=headers | {"Content-Type": "application/json"},
    )  # fmt: skip
    looked_up = await http.get(f"{gateway}/invoice-data?auth_code=ABC", headers=headers)
    unsupported = await http.post(f"{gateway}/invoice-data", content=b"x", headers=headers)
    rows = await _logged(catalog, customer_id, 4)
    assert [(r["method"], r["path"], r["status"]) for r in rows] == [
        ("POST", "/invoice-data", 200), ("POST", "/invoice-data", 422),
        ("GET", "/invoice-data", 200), ("POST", "/invoice-data", 415),
    ]  # fmt: skip
    first = rows[0]
    assert first["query"] == "answer=200" and first["request_id"] == "rid-log-1"
    assert first["request_body"] == body.decode() and first["latency_ms"] > 0
    assert first["response_body"] == issued.text
    assert rows[1]["response_body"] == refused.text
    assert rows[2]["query"] == "auth_code=ABC" and rows[2]["response_body"] == looked_up.text
    assert rows[3]["response_body"] == unsupported.text  # the error the ERP got


async def test_a_customer_without_the_log_is_not_recorded(
    http: httpx.AsyncClient, gateway: str, catalog: Catalog
) -> None:
    customer_id, headers = await _customer(catalog, log=False)
    written = WRITTEN._value.get()
    answer = await http.get(f"{gateway}/invoice-data?auth_code=X", headers=headers)
    assert answer.status_code == 200
    await asyncio.sleep(1.0)  # longer than a batch waits
    assert await _logged(catalog, customer_id, 0) == []
    assert WRITTEN._value.get() == written


async def test_the_rate_limit_is_recorded_too(
    http: httpx.AsyncClient, gateway_factory: GatewayFactory, catalog: Catalog
) -> None:
    limited = await gateway_factory(rate_limit_per_s=0.001, rate_limit_burst=1)
    customer_id, headers = await _customer(catalog, log=True)
    statuses = [
        (await http.get(f"{limited}/invoice-data?auth_code=A", headers=headers)).status_code
        for _ in range(2)
    ]
    assert statuses == [200, 429]
    rows = await _logged(catalog, customer_id, 2)
    assert [r["status"] for r in rows] == [200, 429]
    assert '"code":"rate_limited"' in rows[1]["response_body"]


def _entry(size: int) -> CallEntry:
    return CallEntry(
        customer_id="c", at=datetime.now(UTC), method="GET", path="/invoice-data", query="",
        status=200, latency_ms=1.0, request_id=None, request_body="x" * size, response_body="",
    )  # fmt: skip


async def test_a_full_buffer_drops_instead_of_waiting() -> None:
    release = asyncio.Event()
    written: list[int] = []

    async def slow_catalog(rows: list[tuple[object, ...]]) -> None:
        await release.wait()
        written.append(len(rows))

    recorder = CallRecorder(slow_catalog, budget_bytes=10_000)
    dropped = DROPPED.labels("buffer_full")._value.get()
    recorder.start()
    accepted = [recorder.offer(_entry(1000)) for _ in range(20)]
    assert accepted.count(True) == 7 and accepted.count(False) == 13  # 1,300 bytes each
    assert DROPPED.labels("buffer_full")._value.get() == dropped + 13
    release.set()
    await recorder.close()
    assert sum(written) == 7 and recorder.held_bytes == 0


async def test_a_failed_write_loses_its_batch_only() -> None:
    calls: list[int] = []

    async def flaky(rows: list[tuple[object, ...]]) -> None:
        calls.append(len(rows))
        if len(calls) == 1:
            raise OSError("catalog gone")

    recorder = CallRecorder(flaky, budget_bytes=1_000_000)
    lost = DROPPED.labels("write_failed")._value.get()
    recorder.start()
    recorder.offer(_entry(10))
    await asyncio.sleep(0.8)  # the first batch is written (and fails)
    recorder.offer(_entry(10))
    await recorder.close()
    assert calls == [1, 1]
    assert DROPPED.labels("write_failed")._value.get() == lost + 1
