"""Fault switches of the stand-ins (INTEGRATIONS.md §3): one for the SMTP server, one for the
SMS API, and the plan every delivery report follows. Each applies to the next ``count``
messages (None: until switched off) and counts how often it was applied."""

from __future__ import annotations

from collections import Counter
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

SmtpFaultMode = Literal[
    "none",
    "latency",  # answer after latency_ms
    "temporary_error",  # 451 after the data: not kept, the sender should retry
    "permanent_error",  # 550 after the data: not kept, the sender should give up
    "drop_after_data",  # keep the message, then drop the connection without answering
    "hang_after_data",  # keep the message, then answer nothing until hang_max_s
]
SmsFaultMode = Literal[
    "none",
    "latency",  # answer after latency_ms
    "server_error",  # answer `status` (5xx), accept nothing
    "rate_limited",  # 429 with Retry-After, accept nothing
    "accept_then_timeout",  # accept (and deliver) the message, then never answer
    "invalid_number",  # reject the destination (REJECTED group)
    "unapproved_sender",  # reject the sender id (REJECTED group)
]
ReportMode = Literal[
    "normal",  # one DELIVERED report after delay_ms
    "none",  # delivered, but no report is sent (only the logs API tells)
    "out_of_order",  # DELIVERED first, then a stale PENDING one
    "per_part",  # one DELIVERED report per part, each naming its part (see sms/reports.py)
    "undeliverable",  # one UNDELIVERABLE report: the handset never got it
]


class _Switch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int | None = Field(default=None, ge=1)


class SmtpFault(_Switch):
    mode: SmtpFaultMode = "none"
    latency_ms: int = Field(default=1000, ge=0, le=600_000)


class SmsFault(_Switch):
    mode: SmsFaultMode = "none"
    latency_ms: int = Field(default=1000, ge=0, le=600_000)
    status: int = Field(default=503, ge=500, le=599)


class ReportPlan(_Switch):
    mode: ReportMode = "normal"
    delay_ms: int | None = Field(default=None, ge=0, le=600_000)  # None: EINV_DEVMAIL_DLR_DELAY_S
    copies: int = Field(default=1, ge=1, le=5)  # each report sent this many times


F = TypeVar("F", SmtpFault, SmsFault, ReportPlan)


class Switch(Generic[F]):
    """The current setting of one switch; ``take`` spends one of its ``count``."""

    def __init__(self, off: F) -> None:
        self._off: F = off
        self.config: F = off
        self.remaining: int | None = None
        self.applied: Counter[str] = Counter()

    def set(self, config: F) -> None:
        self.config = config
        self.remaining = config.count

    def reset(self) -> None:
        self.set(self._off)
        self.applied.clear()

    def take(self) -> F:
        config = self.config
        if config.mode in ("none", "normal"):
            return config
        self.applied[config.mode] += 1
        if self.remaining is not None:
            self.remaining -= 1
            if self.remaining <= 0:
                self.set(self._off)
        return config


class Faults:
    def __init__(self) -> None:
        self.smtp: Switch[SmtpFault] = Switch(SmtpFault())
        self.sms: Switch[SmsFault] = Switch(SmsFault())
        self.reports: Switch[ReportPlan] = Switch(ReportPlan())

    def reset(self) -> None:
        for switch in (self.smtp, self.sms, self.reports):
            switch.reset()

    def status(self) -> dict[str, object]:
        return {
            name: {
                **switch.config.model_dump(),
                "remaining": switch.remaining,
                "applied": dict(switch.applied),
            }
            for name, switch in (("smtp", self.smtp), ("sms", self.sms), ("reports", self.reports))
        }
