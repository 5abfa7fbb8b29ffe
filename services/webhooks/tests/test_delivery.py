"""Deliveries to a real receiver on loopback: signed and verifiable, public data only, once per
(endpoint, event id) however often the event arrives, both signatures during a rotation, the
back-off schedule, giving up after the window, resend keeping the id, 410 Gone, and a crashed
worker's attempt sent again."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from contracts.webhooks import DELIVERIES_PATH, ENDPOINTS_PATH
from testkit.receiver import Received, WebhookReceiver
from webhooks.signing import verify

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import Events, Publish, SettingsFactory, Webhooks, WebhooksRunner


def _new_tenant() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


def _count(n: int) -> Any:
    return lambda received: len(received) >= n


def _body(received: Received) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(received.body)
    return parsed


async def _attempts(webhooks: Webhooks, event_id: str) -> list[Any]:
    return await webhooks.query(
        "SELECT a.* FROM attempts a JOIN deliveries d ON d.id = a.delivery_id "
        "WHERE d.event_id = $1 ORDER BY a.id",
        event_id,
    )


async def test_an_event_arrives_signed_with_public_data_only(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver,
    publish: Publish, events: Events,
) -> None:  # fmt: skip
    tenant = _new_tenant()
    async with running(await webhooks_settings()) as webhooks:
        secret = (await webhooks.register(tenant, receiver.url))["secret"]
        event = events.deferred(tenant)
        await publish(event)
        (got,) = await receiver.wait_for(_count(1))
        await webhooks.wait_state(event.message_id, "delivered")
    body = _body(got)
    assert verify(secret, got.headers, got.body)
    assert got.headers["Webhook-Id"] == body["id"] == event.message_id
    assert body["type"] == "invoice.deferred" and body["created_at"].endswith("Z")
    assert body["data"] == {
        "uid": event.payload["uid"], "invoice_id": 8, "temporary_code": "c" * 40,
        "attempts": 1, "next_attempt_at": None,
    }  # fmt: skip
    assert b"10.0.0.5" not in got.body  # the internal reason is not a receiver's business


async def test_an_event_arriving_twice_is_delivered_once_per_endpoint(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver,
    publish: Publish, events: Events,
) -> None:  # fmt: skip
    tenant = _new_tenant()
    other = WebhookReceiver()
    await other.start()
    try:
        async with running(await webhooks_settings()) as webhooks:
            await webhooks.register(tenant, receiver.url)
            await webhooks.register(tenant, other.url, ["invoice.transmitted"])
            await webhooks.register(tenant, other.url + "?rejected-only", ["invoice.rejected"])
            await webhooks.register(_new_tenant(), other.url + "?another-customer")
            event = events.transmitted(tenant)
            for _ in range(3):  # the outbox relay published it again (a lost confirm)
                await publish(event)
            await receiver.wait_for(_count(1))
            await other.wait_for(_count(1))
            rows = await webhooks.wait_for(
                "SELECT * FROM deliveries WHERE event_id = $1", event.message_id,
                done=lambda rs: len(rs) == 2 and all(r["state"] == "delivered" for r in rs),
            )  # fmt: skip
    finally:
        await other.stop()
    assert len(rows) == 2
    assert len(receiver.received) == 1 and len(other.received) == 1
    assert _body(other.received[0])["data"]["mark"] == "400000000000123"
    assert "response_xml" not in _body(other.received[0])["data"]


async def test_during_a_rotation_both_secrets_verify_and_finishing_drops_the_old(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver,
    publish: Publish, events: Events,
) -> None:  # fmt: skip
    tenant = _new_tenant()
    async with running(await webhooks_settings()) as webhooks:
        created = await webhooks.register(tenant, receiver.url)
        old, path = created["secret"], f"{ENDPOINTS_PATH}/{created['endpoint']['id']}"
        async with webhooks.client(tenant) as http:
            rotated = (await http.post(path + "/secrets")).json()
            new = rotated["secret"]
            await publish(events.transmitted(tenant))
            (during,) = await receiver.wait_for(_count(1))
            twice = (await http.post(path + "/secrets")).json()  # a third: the oldest ends
            await publish(events.transmitted(tenant))
            await receiver.wait_for(_count(2))
            finished = (await http.post(path + "/secrets/finish")).json()
            await publish(events.transmitted(tenant))
            await receiver.wait_for(_count(3))
    after_three, after_finish = receiver.received[1], receiver.received[2]
    assert len(rotated["endpoint"]["secrets"]) == 2
    assert rotated["endpoint"]["secrets"][1]["expires_at"] is not None
    assert during.headers["Webhook-Signature"].count("v1=") == 2
    assert verify(new, during.headers, during.body) and verify(old, during.headers, during.body)
    assert len(twice["endpoint"]["secrets"]) == 2
    assert not verify(old, after_three.headers, after_three.body)
    assert verify(new, after_three.headers, after_three.body)
    assert [s["hint"] for s in finished["secrets"]] == ["…" + twice["secret"][-4:]]
    assert after_finish.headers["Webhook-Signature"].count("v1=") == 1
    assert verify(twice["secret"], after_finish.headers, after_finish.body)


async def test_failures_are_retried_on_the_schedule_until_delivered(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver,
    publish: Publish, events: Events,
) -> None:  # fmt: skip
    tenant = _new_tenant()
    receiver.answer_with(500, 503, 429)
    settings = await webhooks_settings(retry_backoff_s=(0.3, 0.6, 0.9))
    async with running(settings) as webhooks:
        secret = (await webhooks.register(tenant, receiver.url))["secret"]
        event = events.transmitted(tenant)
        await publish(event)
        await receiver.wait_for(_count(4))
        row = await webhooks.wait_state(event.message_id, "delivered")
        history = await _attempts(webhooks, event.message_id)
    gaps = [b.at - a.at for a, b in zip(receiver.received, receiver.received[1:], strict=False)]
    assert [round(g, 1) >= d for g, d in zip(gaps, (0.3, 0.6, 0.9), strict=True)] == [True] * 3
    assert {r.headers["Webhook-Id"] for r in receiver.received} == {event.message_id}
    assert len({r.body for r in receiver.received}) == 1  # the same bytes every time
    assert all(verify(secret, r.headers, r.body) for r in receiver.received)
    assert [(h["status_code"], h["outcome"], h["trigger"]) for h in history] == [
        (500, "retry", "first"), (503, "retry", "retry"), (429, "retry", "retry"),
        (200, "delivered", "retry"),
    ]  # fmt: skip
    assert row["attempts"] == 4 and row["last_status"] == 200 and row["last_error"] is None


async def test_a_delivery_is_given_up_after_its_window_and_resent_with_the_same_id(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver,
    publish: Publish, events: Events,
) -> None:  # fmt: skip
    tenant = _new_tenant()
    receiver.default_status = 500
    settings = await webhooks_settings(retry_backoff_s=(0.2,), retry_window_s=2.0)
    async with running(settings) as webhooks:
        secret = (await webhooks.register(tenant, receiver.url))["secret"]
        event = events.transmitted(tenant)
        await publish(event)
        failed = await webhooks.wait_state(event.message_id, "failed")
        tries = len(receiver.received)
        receiver.default_status = 200
        async with webhooks.client(tenant) as http:
            resent = await http.post(f"{DELIVERIES_PATH}/{failed['id']}/resend")
            await receiver.wait_for(_count(tries + 1))
            row = await webhooks.wait_state(event.message_id, "delivered")
            details = (await http.get(f"{DELIVERIES_PATH}/{failed['id']}")).json()
    assert 2 <= tries <= 12  # about two seconds of 0.2 s gaps; fewer when the machine is loaded
    assert failed["last_error"].startswith(f"gave up after {tries} attempts")
    assert failed["give_up_at"] - failed["created_at"] == timedelta(seconds=2)
    assert resent.status_code == 200 and resent.json()["resends"] == 1
    last = receiver.received[-1]
    assert last.headers["Webhook-Id"] == event.message_id and last.body == receiver.received[0].body
    assert verify(secret, last.headers, last.body)
    assert row["resends"] == 1 and row["attempts"] == tries + 1
    assert details["attempts"][-1]["trigger"] == "resend"
    assert json.loads(details["body"])["id"] == event.message_id


async def test_410_gone_fails_the_delivery_and_disables_the_endpoint(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver,
    publish: Publish, events: Events,
) -> None:  # fmt: skip
    tenant = _new_tenant()
    receiver.answer_with(410)
    async with running(await webhooks_settings()) as webhooks:
        endpoint = (await webhooks.register(tenant, receiver.url))["endpoint"]
        gone = events.transmitted(tenant)
        await publish(gone)
        row = await webhooks.wait_state(gone.message_id, "failed")
        await publish(events.transmitted(tenant))  # nothing is recorded for a disabled endpoint
        async with webhooks.client(tenant) as http:
            path = f"{ENDPOINTS_PATH}/{endpoint['id']}"
            disabled = (await http.get(path)).json()
            await http.patch(path, json={"active": True})
            await http.post(f"{DELIVERIES_PATH}/{row['id']}/resend")
        await webhooks.wait_state(gone.message_id, "delivered")
        count = await webhooks.query("SELECT count(*) AS n FROM deliveries")
    assert row["attempts"] == 1 and row["last_status"] == 410
    assert disabled["active"] is False and "410" in disabled["disabled_reason"]
    assert count[0]["n"] == 1 and len(receiver.received) == 2


async def test_a_crashed_workers_attempt_is_sent_again(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver,
    publish: Publish, events: Events,
) -> None:  # fmt: skip
    tenant = _new_tenant()
    receiver.answer_with(500)  # the first attempt fails: the delivery waits 30 s
    settings = await webhooks_settings(retry_backoff_s=(30.0,))
    async with running(settings) as webhooks:
        await webhooks.register(tenant, receiver.url)
        event = events.transmitted(tenant)
        await publish(event)
        await webhooks.wait_for(
            "SELECT * FROM deliveries WHERE event_id = $1 AND attempts = 1 AND state = 'pending'",
            event.message_id, done=bool,
        )  # fmt: skip
        # What a worker killed mid-attempt leaves behind: the lease over, the row "sending".
        await webhooks.query(
            "UPDATE deliveries SET state = 'sending', attempts = 2, lease_token = 'dead', "
            "lease_until = now() - interval '1 second' WHERE event_id = $1",
            event.message_id,
        )
        await webhooks.wait_state(event.message_id, "delivered")
        history = await _attempts(webhooks, event.message_id)
    assert [h["outcome"] for h in history] == ["retry", "recovered", "delivered"]
    assert len(receiver.received) == 2


async def test_the_test_event_reaches_one_endpoint(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver
) -> None:
    tenant = _new_tenant()
    async with running(await webhooks_settings()) as webhooks:
        created = await webhooks.register(tenant, receiver.url, ["invoice.rejected"])
        path = f"{ENDPOINTS_PATH}/{created['endpoint']['id']}"
        async with webhooks.client(tenant) as http:
            sent = await http.post(path + "/test")
            (got,) = await receiver.wait_for(_count(1))
            page = (await http.get(path + "/deliveries")).json()
    assert sent.status_code == 201
    assert _body(got)["type"] == "webhook.test"
    assert verify(created["secret"], got.headers, got.body)
    assert [d["event_type"] for d in page["items"]] == ["webhook.test"]
    assert page["next_before"] is None


async def test_the_recipient_email_event_carries_its_address(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver,
    publish: Publish, events: Events,
) -> None:  # fmt: skip
    tenant = _new_tenant()
    async with running(await webhooks_settings()) as webhooks:
        secret = (await webhooks.register(tenant, receiver.url, ["invoice.recipient_emailed"]))[
            "secret"
        ]
        await publish(events.transmitted(tenant))  # not chosen: not recorded
        emailed = events.recipient_emailed(tenant)
        await publish(emailed)
        (got,) = await receiver.wait_for(_count(1))
        await webhooks.wait_state(emailed.message_id, "delivered")
        rows = await webhooks.query("SELECT event_type FROM deliveries")
    body = _body(got)
    assert verify(secret, got.headers, got.body)
    assert body["type"] == "invoice.recipient_emailed"
    assert body["data"]["to"] == "invoices@client.example.gr"
    assert set(body["data"]) == {"uid", "invoice_id", "to", "sent_at", "notification_id"}
    assert [r["event_type"] for r in rows] == ["invoice.recipient_emailed"]
