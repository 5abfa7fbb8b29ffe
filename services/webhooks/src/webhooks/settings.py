"""webhooks settings (``EINV_`` environment, see ``kit.settings``).

Fields another service also has (retry schedules, sweep, queue) carry their own
``EINV_WEBHOOKS_*`` name so that one shell runs every service. Plain ``http://`` targets and
private addresses are allowed in dev and test (receivers on this machine) and refused in prod,
where every delivery resolves its host itself and refuses private, loopback and link-local
addresses (docs/adr/0010-webhooks.md).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from contracts.queues import WEBHOOK_EVENTS
from kit.settings import CommonSettings, EnvName


class WebhooksSettings(CommonSettings):
    bind_host: str = "127.0.0.1"
    port: Annotated[int, EnvName("EINV_WEBHOOKS_PORT")] = 8006
    # The webhooks database: endpoints, their sealed secrets, deliveries and attempts.
    webhooks_dsn: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/einv_webhooks"
    pool_size: Annotated[int, EnvName("EINV_WEBHOOKS_POOL_SIZE")] = Field(default=3, ge=1)

    # --- delivery --------------------------------------------------------------------------
    # Short on purpose: a receiver is expected to store the event and answer at once.
    connect_timeout_s: Annotated[float, EnvName("EINV_WEBHOOKS_CONNECT_TIMEOUT_S")] = Field(
        default=5.0, gt=0
    )
    timeout_s: Annotated[float, EnvName("EINV_WEBHOOKS_TIMEOUT_S")] = Field(default=10.0, gt=0)
    # Delays between attempts, the last one repeating, until the window since the event's
    # first attempt (or its last resend) is over: then the delivery is given up (failed).
    retry_backoff_s: Annotated[tuple[float, ...], EnvName("EINV_WEBHOOKS_RETRY_BACKOFF_S")] = (
        10.0, 30.0, 120.0, 600.0, 1800.0, 3600.0,
    )  # fmt: skip
    retry_window_s: Annotated[float, EnvName("EINV_WEBHOOKS_RETRY_WINDOW_S")] = Field(
        default=86400.0, gt=0
    )
    # None: allowed in dev and test, refused in prod (where setting them true is refused too).
    allow_http: Annotated[bool | None, EnvName("EINV_WEBHOOKS_ALLOW_HTTP")] = None
    allow_private_targets: Annotated[
        bool | None, EnvName("EINV_WEBHOOKS_ALLOW_PRIVATE_TARGETS")
    ] = None

    # --- leases and the sweep -------------------------------------------------------------
    # How long one attempt belongs to one worker; a crashed worker's delivery is sent again
    # after it (at least once: the event id lets the receiver de-duplicate).
    lease_s: Annotated[float, EnvName("EINV_WEBHOOKS_LEASE_S")] = Field(default=60.0, gt=0)
    sweep_interval_s: Annotated[float, EnvName("EINV_WEBHOOKS_SWEEP_INTERVAL_S")] = Field(
        default=5.0, gt=0
    )
    sweep_batch: Annotated[int, EnvName("EINV_WEBHOOKS_SWEEP_BATCH")] = Field(default=200, ge=1)
    send_concurrency: Annotated[int, EnvName("EINV_WEBHOOKS_SEND_CONCURRENCY")] = Field(
        default=10, ge=1
    )

    # --- endpoints and secrets ------------------------------------------------------------
    max_endpoints: Annotated[int, EnvName("EINV_WEBHOOKS_MAX_ENDPOINTS")] = Field(default=10, ge=1)
    # How long the previous secret stays valid after a rotation (unless finished earlier).
    rotation_overlap_s: Annotated[float, EnvName("EINV_WEBHOOKS_ROTATION_OVERLAP_S")] = Field(
        default=86400.0, gt=0
    )

    # --- the event queue -------------------------------------------------------------------
    queue: Annotated[str, EnvName("EINV_WEBHOOKS_QUEUE")] = WEBHOOK_EVENTS.name
    queue_retry_delays_s: Annotated[
        tuple[int, ...], EnvName("EINV_WEBHOOKS_QUEUE_RETRY_DELAYS_S")
    ] = WEBHOOK_EVENTS.retry_delays
    prefetch: Annotated[int, EnvName("EINV_WEBHOOKS_PREFETCH")] = Field(default=20, ge=1)

    @model_validator(mode="after")
    def _https_and_public_targets_in_prod(self) -> WebhooksSettings:
        if self.environment == "prod" and (self.allow_http or self.allow_private_targets):
            raise ValueError(
                "EINV_WEBHOOKS_ALLOW_HTTP and EINV_WEBHOOKS_ALLOW_PRIVATE_TARGETS are refused in "
                "prod: deliveries go to public https endpoints only"
            )
        return self

    @model_validator(mode="after")
    def _lease_outlives_an_attempt(self) -> WebhooksSettings:
        if self.lease_s < 2 * (self.connect_timeout_s + self.timeout_s):
            raise ValueError(
                "EINV_WEBHOOKS_LEASE_S must be at least twice the connect + total timeout"
            )
        if not self.retry_backoff_s or min(self.retry_backoff_s) <= 0:
            raise ValueError("EINV_WEBHOOKS_RETRY_BACKOFF_S needs positive delays")
        return self

    @property
    def http_allowed(self) -> bool:
        return self.allow_http if self.allow_http is not None else self.environment != "prod"

    @property
    def private_targets_allowed(self) -> bool:
        allowed = self.allow_private_targets
        return allowed if allowed is not None else self.environment != "prod"

    def backoff_for(self, attempts: int) -> float:
        """Delay before the next try after ``attempts`` failed ones (≥ 1)."""
        delays = self.retry_backoff_s
        return delays[min(max(attempts, 1), len(delays)) - 1]
