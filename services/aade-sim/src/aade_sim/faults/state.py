"""The fault switch: which misbehaviour is on, for how many more requests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FaultMode = Literal[
    "none", "down", "blackhole", "slow", "garbage", "wrapped", "register_then_timeout",
    # A success answer that is not about the invoice sent: another invoiceUid, or no
    # authenticationCode (the invoice is registered; the answer is altered on the way back).
    "other_uid", "no_auth_code",
    # Hostile XML (aade_sim.hostile) instead of an answer; nothing is registered.
    "xxe_file", "xxe_network", "billion_laughs", "external_dtd",
]  # fmt: skip


class FaultConfig(BaseModel):
    """Body of ``POST /_admin/faults``."""

    model_config = ConfigDict(extra="forbid")

    mode: FaultMode = "none"
    # Only "slow" uses it: added before every answer.
    latency_ms: int = Field(default=1000, ge=0, le=600_000)
    # How many requests the fault applies to; None = until switched off.
    count: int | None = Field(default=None, ge=1)


class FaultStatus(BaseModel):
    mode: FaultMode
    latency_ms: int
    remaining: int | None
    applied: dict[str, int]
    # Requests being held without an answer right now (they end when their client gives up).
    held: int


@dataclass(frozen=True, slots=True)
class ActiveFault:
    mode: FaultMode
    latency_s: float


class Faults:
    def __init__(self) -> None:
        self._config = FaultConfig()
        self._remaining: int | None = None
        self._applied: Counter[str] = Counter()
        self._held = 0

    def set(self, config: FaultConfig) -> None:
        self._config = config
        self._remaining = config.count

    def reset(self) -> None:
        self.set(FaultConfig())
        self._applied.clear()

    def status(self) -> FaultStatus:
        c = self._config
        return FaultStatus(
            mode=c.mode,
            latency_ms=c.latency_ms,
            remaining=self._remaining,
            applied=dict(self._applied),
            held=self._held,
        )

    @contextmanager
    def holding(self) -> Iterator[None]:
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1

    def take(self, *, is_send: bool) -> ActiveFault | None:
        """The fault for this request, if any; spends one of ``count``. Never awaits."""
        mode = self._config.mode
        # The ambiguous case only exists where something gets registered.
        if mode == "none" or (mode == "register_then_timeout" and not is_send):
            return None
        fault = ActiveFault(mode, self._config.latency_ms / 1000)
        self._applied[mode] += 1
        if self._remaining is not None:
            self._remaining -= 1
            if self._remaining <= 0:
                self.set(FaultConfig())
        return fault
