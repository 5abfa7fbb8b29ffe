"""kit.tasks.retry_until_done: a start-up step that hangs is cut and tried again."""

from __future__ import annotations

import asyncio

from kit.tasks import retry_until_done


async def test_an_attempt_that_never_answers_is_cut_and_tried_again() -> None:
    attempts: list[int] = []

    async def step() -> None:
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            await asyncio.Event().wait()  # a handshake whose answer never comes

    async with asyncio.timeout(5):
        await retry_until_done("hanging step", step, first_delay_s=0.01, attempt_timeout_s=0.1)
    assert attempts == [1, 2]


async def test_a_failing_attempt_is_tried_again_until_it_succeeds() -> None:
    attempts: list[int] = []

    async def step() -> None:
        attempts.append(len(attempts) + 1)
        if len(attempts) < 3:
            raise ConnectionRefusedError("broker not there yet")

    await retry_until_done("failing step", step, first_delay_s=0.01, max_delay_s=0.02)
    assert attempts == [1, 2, 3]
