"""On-call's command line: list the messages that need a person, show one, resend it."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from notifier.cli import main

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import Devmail, EmailFactory, NotifierRunner, Publish, SettingsFactory


@pytest.fixture(autouse=True)
def keep_logging() -> Iterator[None]:
    """The CLI configures logging for its process; this test process keeps its own."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def _cli(*args: str) -> None:
    await asyncio.to_thread(main, list(args))  # the CLI runs its own event loop


async def test_list_show_and_a_forced_resend(
    running: NotifierRunner,
    notifier_settings: SettingsFactory,
    devmail: Devmail,
    publish: Publish,
    make_email: EmailFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = make_email()
    nid = command.notification_id
    settings = await notifier_settings()
    monkeypatch.setenv("EINV_NOTIFY_DSN", settings.notify_dsn)
    await devmail.fault("smtp", "drop_after_data", count=1)
    async with running(settings) as notifier:
        await publish(command)
        await notifier.wait_state(nid, "unknown")
        await _cli("list")
        listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        await _cli("show", nid)
        shown = json.loads(capsys.readouterr().out)
        with pytest.raises(SystemExit, match="force"):
            await _cli("resend", nid)
        await _cli("resend", nid, "--force")
        resent = json.loads(capsys.readouterr().out)
        await notifier.sweep()
        await notifier.wait_state(nid, "sent")
    assert [m["notification_id"] for m in listed] == [nid]
    assert shown["message_id"] == f"<{nid}@einvoicing.example.gr>"
    assert [a["outcome"] for a in shown["attempts"]] == ["unknown"]
    assert shown["holds_sealed_secret"] is False
    assert resent["state"] == "pending"
    assert len(await devmail.emails_for(nid)) == 2  # the deliberate copy
