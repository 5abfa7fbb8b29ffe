"""mydata-sync settings (``EINV_`` environment, see ``kit.settings``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from contracts.queues import TRANSMIT
from contracts.registry import RegistryCodes
from kit.settings import CommonSettings, EnvName

# aade-sim's development account (services/aade-sim/README.md); never used in prod.
DEV_MYDATA_USER_ID = "dev-provider"
DEV_MYDATA_KEY = "dev-only-subscription-key"
# aade-sim's RgWsPublic2 codes for the provider itself (the admin app's look-ups).
DEV_GSIS_USERNAME = "PROVIDER01"
DEV_GSIS_PASSWORD = "dev-only-provider-codes"


class MydataSyncSettings(CommonSettings):
    bind_host: str = "127.0.0.1"
    # Every service has its own port variable so that one shell can run them all.
    port: Annotated[int, EnvName("EINV_MYDATA_SYNC_PORT")] = 8004
    # The sync database: transmissions, attempts, raw XML (owned by this service only).
    sync_dsn: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/einv_sync"
    sync_pool_size: int = Field(default=5, ge=1, le=20)
    # Defaults point at aade-sim; production sets AADE's provider URL and credentials.
    mydata_base_url: str = "http://127.0.0.1:8090/myDataProvider"
    mydata_user_id: str = ""
    mydata_subscription_key: str = ""
    # Bounded waits on myDATA: an outage must cost seconds, not minutes, per invoice.
    mydata_connect_timeout_s: float = Field(default=2.0, gt=0)
    mydata_timeout_s: float = Field(default=5.0, gt=0)
    # Concurrent myDATA calls per process (the rest wait for a slot).
    mydata_max_in_flight: int = Field(default=20, ge=1)
    # Pages of RequestTransmittedDocs read to recover a duplicate's MARK.
    mydata_lookup_max_pages: int = Field(default=20, ge=1)
    # Circuit breaker: consecutive technical failures (connect failures) that open it.
    breaker_failure_threshold: int = Field(default=5, ge=1)
    breaker_connect_failure_threshold: int = Field(default=2, ge=1)
    breaker_cooldown_s: float = Field(default=30.0, gt=0)
    # A SendInvoices still unanswered after this counts as a failure toward opening the breaker,
    # and callers stop waiting once it opens (a hanging myDATA). Above myDATA's usual latency
    # and the 1 s "slow" fault; unset (None) to wait for mydata_timeout_s instead.
    breaker_slow_call_s: float | None = Field(default=2.0, gt=0)
    # How long a claimed transmission belongs to one worker; must outlive the myDATA calls.
    lease_s: float = Field(default=60.0, gt=0)
    # Delay before the n-th retry of a deferred transmission; the last one repeats forever.
    retry_backoff_s: tuple[float, ...] = (5.0, 30.0, 120.0, 300.0)
    sweep_interval_s: float = Field(default=60.0, gt=0)
    sweep_batch: int = Field(default=200, ge=1)
    sweep_concurrency: int = Field(default=5, ge=1)
    transmit_queue: str = TRANSMIT.name
    # Retry tiers (seconds) of the command queue before the DLQ; the sweep never gives up.
    queue_retry_delays_s: tuple[int, ...] = TRANSMIT.retry_delays
    consumer_prefetch: int = Field(default=10, ge=1)
    # How long a RequestReceiverInfo answer is reused (each look-up is a call to AADE).
    receiver_cache_ttl_s: float = Field(default=3600.0, ge=0)
    # GSIS RgWsPublic2 (the VAT registry); production: https://www1.gsis.gr/wsaade/RgWsPublic2/…
    gsis_url: str = "http://127.0.0.1:8090/wsaade/RgWsPublic2/RgWsPublic2"
    # The provider's own special access codes (the admin app's look-ups); none = not offered.
    gsis_username: str = ""
    gsis_password: str = ""
    gsis_timeout_s: float = Field(default=8.0, gt=0)
    # How long a registry answer is reused: each look-up notifies the taxpayer and counts.
    registry_cache_ttl_s: float = Field(default=86_400.0, ge=0)

    @model_validator(mode="after")
    def _require_mydata_credentials_in_prod(self) -> MydataSyncSettings:
        has_credentials = bool(self.mydata_user_id and self.mydata_subscription_key)
        if self.environment == "prod" and not has_credentials:
            raise ValueError(
                "EINV_MYDATA_USER_ID and EINV_MYDATA_SUBSCRIPTION_KEY are required in prod"
            )
        if not has_credentials:
            # `make run` on a fresh clone talks to aade-sim with its documented dev account.
            self.mydata_user_id = self.mydata_user_id or DEV_MYDATA_USER_ID
            self.mydata_subscription_key = self.mydata_subscription_key or DEV_MYDATA_KEY
        if self.environment != "prod" and not (self.gsis_username or self.gsis_password):
            self.gsis_username, self.gsis_password = DEV_GSIS_USERNAME, DEV_GSIS_PASSWORD
        return self

    def provider_registry_codes(self) -> RegistryCodes | None:
        if not (self.gsis_username and self.gsis_password):
            return None
        return RegistryCodes(username=self.gsis_username, password=self.gsis_password)

    @model_validator(mode="after")
    def _lease_outlives_calls(self) -> MydataSyncSettings:
        # A send and a duplicate look-up may both run under one lease; if the lease expired
        # first, a second worker could claim the invoice while the first is still talking.
        if self.lease_s < 3 * self.mydata_timeout_s:
            raise ValueError("EINV_LEASE_S must be at least 3 × EINV_MYDATA_TIMEOUT_S")
        if not self.retry_backoff_s:
            raise ValueError("EINV_RETRY_BACKOFF_S needs at least one delay")
        return self

    def backoff_for(self, attempts: int) -> float:
        """Delay before the next try after ``attempts`` failed ones (≥ 1)."""
        index = min(max(attempts, 1), len(self.retry_backoff_s)) - 1
        return self.retry_backoff_s[index]
