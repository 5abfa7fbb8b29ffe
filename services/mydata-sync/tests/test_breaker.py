"""The circuit breaker's state machine with a fake clock (no I/O)."""

from __future__ import annotations

from mydata_sync.breaker import BreakerState, CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _breaker(clock: Clock, changes: list[BreakerState] | None = None) -> CircuitBreaker:
    return CircuitBreaker(
        failure_threshold=3,
        connect_failure_threshold=2,
        cooldown_s=10,
        clock=clock,
        on_change=(changes.append if changes is not None else None),
    )


def test_opens_after_consecutive_failures_and_success_resets_the_count() -> None:
    breaker = _breaker(Clock())
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED and breaker.allow()
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN and not breaker.allow()


def test_connect_failures_open_it_sooner() -> None:
    breaker = _breaker(Clock())
    breaker.record_failure(connect=True)
    breaker.record_failure(connect=True)
    assert breaker.state is BreakerState.OPEN


def test_half_open_lets_exactly_one_probe_through() -> None:
    clock, changes = Clock(), []
    breaker = _breaker(clock, changes)
    for _ in range(3):
        breaker.record_failure()
    clock.now = 10
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow() and not breaker.allow()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED and breaker.allow()
    assert changes == [BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED]


def test_failed_probe_reopens_for_another_cooldown() -> None:
    clock = Clock()
    breaker = _breaker(clock)
    for _ in range(3):
        breaker.record_failure()
    clock.now = 10
    assert breaker.allow()
    breaker.record_failure()
    clock.now = 19
    assert breaker.state is BreakerState.OPEN and not breaker.allow()
    clock.now = 20
    assert breaker.allow()


def test_released_probe_lets_another_one_through() -> None:
    clock = Clock()
    breaker = _breaker(clock)
    for _ in range(3):
        breaker.record_failure()
    clock.now = 10
    assert breaker.allow()
    breaker.release()
    assert breaker.allow()
