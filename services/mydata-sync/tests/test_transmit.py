"""The transmit RPC against the real aade-sim: success, business rejection, idempotency, auth."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from mydata_sync.db.tables import attempts, transmissions

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import EventListener, SettingsFactory, Sim, SyncRunner

Invoice = Callable[..., dict[str, Any]]


async def _rows(sync: Any, table: Any) -> list[Any]:
    async with sync.runtime.engine.connect() as conn:
        return list((await conn.execute(select(table).order_by(table.c.id))).all())


async def test_valid_invoice_is_transmitted_with_a_mark_and_announced(
    running: SyncRunner,
    sync_settings: SettingsFactory,
    sim: Sim,
    invoice: Invoice,
    events: EventListener,
) -> None:
    body = invoice()
    async with running(await sync_settings()) as sync:
        answer = await sync.transmit(body)
        assert answer["state"] == "transmitted", answer
        assert re.fullmatch(r"\d{15}", answer["mark"])
        assert re.fullmatch(r"[0-9A-F]{40}", answer["authentication_code"])
        assert answer["qr_url"] and answer["uid"] == body["uid"]
        assert "<InvoicesDoc" in answer["request_xml"] and "invoiceMark" in answer["response_xml"]
        (event,) = await events.wait_for(body["uid"])
        [attempt] = await _rows(sync, attempts)
    assert event["type"] == "invoice.transmitted" and event["tenant_id"] == "t1"
    # The answer IS the published event: invoice-service applies whichever comes first, once.
    assert event["message_id"] == answer["message_id"]
    assert event["payload"]["mark"] == answer["mark"]
    assert event["payload"]["invoice_id"] == body["invoice_id"]
    assert attempt.outcome == "registered" and attempt.http_status == 200
    assert attempt.request_xml == body["xml"] and "invoiceMark" in attempt.response_xml
    assert await sim.count(body["uid"]) == 1


async def test_business_error_is_rejected_and_never_retried(
    running: SyncRunner,
    sync_settings: SettingsFactory,
    sim: Sim,
    invoice: Invoice,
    events: EventListener,
) -> None:
    body = invoice(cp_vat="094420307")  # issuer = counterpart → 235
    async with running(await sync_settings()) as sync:
        answer = await sync.transmit(body)
        assert answer["state"] == "rejected", answer
        assert "235" in [e["code"] for e in answer["errors"]]
        assert "mark" not in answer and answer["response_xml"]
        assert await sync.runtime.sweeper.sweep_once() == 0
        (event,) = await events.wait_for(body["uid"])
        [row] = await _rows(sync, transmissions)
    assert event["type"] == "invoice.rejected"
    assert "235" in [e["code"] for e in event["payload"]["errors"]]
    assert row.state == "rejected" and row.attempts == 1 and row.next_attempt_at is None
    assert await sim.count(body["uid"]) == 0


async def test_repeat_returns_the_stored_answer_without_calling_again(
    running: SyncRunner,
    sync_settings: SettingsFactory,
    sim: Sim,
    invoice: Invoice,
    events: EventListener,
) -> None:
    body = invoice()
    async with running(await sync_settings()) as sync:
        first = await sync.transmit(body)
        second = await sync.transmit(body)
        await events.wait_for(body["uid"])
        assert len(await _rows(sync, attempts)) == 1
    # The stored state again, as a new message (applying it twice changes nothing).
    assert second.pop("message_id") != first.pop("message_id")
    assert second == first
    assert await sim.count(body["uid"]) == 1
    assert len(events.for_uid(body["uid"])) == 1


async def test_same_uid_of_another_tenant_is_its_own_transmission(
    running: SyncRunner, sync_settings: SettingsFactory, invoice: Invoice
) -> None:
    body = invoice()
    async with running(await sync_settings()) as sync:
        first = await sync.transmit(body)
        other = await sync.transmit(body | {"tenant_id": "t2"})
        rows = await _rows(sync, transmissions)
    assert first["state"] == "transmitted"
    # myDATA already has the uid (same issuer): the 228 answer is recovered, not a new MARK.
    assert other["state"] == "transmitted" and other["mark"] == first["mark"]
    assert [(r.tenant_id, r.uid) for r in rows] == [("t1", body["uid"]), ("t2", body["uid"])]


async def test_internal_token_is_required(
    running: SyncRunner, sync_settings: SettingsFactory, invoice: Invoice
) -> None:
    async with running(await sync_settings()) as sync:
        missing = await sync.http.post("/internal/transmissions", json=invoice())
        bad = await sync.http.post(
            "/internal/transmissions", json=invoice(), headers={"Authorization": "Bearer x.y.z"}
        )
        listing = await sync.http.get("/internal/resend")
    for response in (missing, bad, listing):
        assert response.status_code == 401
        assert response.json() == {"ok": 0, "code": 401, "error": {"title": "Unauthorized"}}


async def test_invalid_invoice_body_is_refused(
    running: SyncRunner, sync_settings: SettingsFactory, invoice: Invoice
) -> None:
    body = invoice()
    body["invoice"] = body["invoice"] | {"no_such_field": 1}
    async with running(await sync_settings()) as sync:
        response = await sync.http.post("/internal/transmissions", json=body, headers=sync.headers)
        assert await _rows(sync, transmissions) == []
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
