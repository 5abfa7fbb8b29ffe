"""On-call's CLI (docs/runbooks/webhooks.md): the backlog per endpoint, one delivery's attempts,
and resending an endpoint's failed deliveries, which the running service then sends."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import TYPE_CHECKING

import pytest

from testkit.receiver import WebhookReceiver
from webhooks.cli import main

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import Events, Publish, SettingsFactory, WebhooksRunner


async def test_backlog_show_and_resend_of_failed_deliveries(
    running: WebhooksRunner, webhooks_settings: SettingsFactory, receiver: WebhookReceiver,
    publish: Publish, events: Events, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    tenant = f"t{uuid.uuid4().hex[:12]}"
    receiver.default_status = 500
    settings = await webhooks_settings(retry_window_s=0.5)
    monkeypatch.setenv("EINV_WEBHOOKS_DSN", settings.webhooks_dsn)
    async with running(settings) as webhooks:
        endpoint = (await webhooks.register(tenant, receiver.url))["endpoint"]
        gone = [events.transmitted(tenant) for _ in range(2)]
        for event in gone:
            await publish(event)
        failed = [await webhooks.wait_state(e.message_id, "failed") for e in gone]
        capsys.readouterr()
        await _run(["backlog"])
        (line,) = capsys.readouterr().out.splitlines()
        await _run(["show", str(failed[0]["id"])])
        shown = json.loads(capsys.readouterr().out)
        receiver.default_status = 200
        await _run(["resend", "--failed-of-endpoint", str(endpoint["id"])])
        resent = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
        for event in gone:
            await webhooks.wait_state(event.message_id, "delivered")
    backlog = json.loads(line)
    assert backlog["id"] == endpoint["id"] and backlog["failed"] == 2 and backlog["waiting"] == 0
    assert shown["attempts"][0]["status_code"] == 500
    assert [r["state"] for r in resent] == ["pending", "pending"]


async def _run(argv: list[str]) -> None:
    """The CLI runs its own event loop: off this one, in a thread."""
    await asyncio.to_thread(main, argv)
