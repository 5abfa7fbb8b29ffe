"""notifier settings (``EINV_`` environment, see ``kit.settings``).

Fields another service also has (retry schedules, sweep, queue) carry their own ``EINV_NOTIFY_*``
name so that one shell runs every service. The defaults talk to devmail, the local stand-in of
the SMTP server and the SMS provider (Infobip dialect; docs/adr/0008-notifier.md).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from contracts.queues import INVOICE_EMAILS, NOTIFICATIONS
from kit.settings import CommonSettings, EnvName

# devmail's development credentials (services/devmail/settings.py); refused in prod.
DEV_SMS_API_KEY = "dev-only-sms-api-key"
DEV_CALLBACK_PASSWORD = "dev-only-dlr-password"
CALLBACK_PATH = "/sms/delivery-reports"


class NotifierSettings(CommonSettings):
    bind_host: str = "127.0.0.1"
    port: Annotated[int, EnvName("EINV_NOTIFIER_PORT")] = 8005
    # The notify database: every message, its attempts and delivery reports (this service only).
    notify_dsn: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/einv_notify"
    notify_pool_size: Annotated[int, EnvName("EINV_NOTIFY_POOL_SIZE")] = Field(default=3, ge=1)

    # --- e-mail (SMTP) ------------------------------------------------------------------------
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_username: str = ""
    smtp_password: str = ""
    # One SMTP conversation step (connect, each command, the data) may take this long.
    smtp_timeout_s: float = Field(default=10.0, gt=0)
    mail_from: str = "e-invoicing <no-reply@einvoicing.example.gr>"
    # The right-hand side of every Message-ID (<notification id>@this).
    message_id_domain: str = "einvoicing.example.gr"

    # --- SMS (Infobip HTTP API) -----------------------------------------------------------
    sms_base_url: str = "http://127.0.0.1:8091"
    sms_api_key: str = DEV_SMS_API_KEY
    # Pre-approved by the provider (≤ 11 letters and digits); any other is rejected.
    sms_sender: str = "EINVOICING"
    sms_connect_timeout_s: float = Field(default=2.0, gt=0)
    sms_timeout_s: float = Field(default=5.0, gt=0)
    # Where the SMS provider posts delivery reports: this service's public address + CALLBACK_PATH.
    sms_callback_url: str = "http://127.0.0.1:8005" + CALLBACK_PATH
    # HTTP Basic credentials the SMS provider sends with them (Infobip's BASIC webhook security).
    sms_callback_username: str = "einv-dlr"
    sms_callback_password: str = DEV_CALLBACK_PASSWORD
    # An SMS left unknown (timeout after the request left) is looked up after each delay in
    # turn, the last one repeating.
    sms_status_check_s: tuple[float, ...] = (10.0, 60.0, 300.0)
    # The SMS provider answered "no such message" this many times, the first at least this long
    # after the request left: it never arrived, and it is sent again (the ADR's one resend).
    sms_not_found_checks: int = Field(default=3, ge=1)
    sms_not_found_resend_after_s: float = Field(default=900.0, gt=0)

    # --- retries, leases, the sweep ---------------------------------------------------------
    retry_backoff_s: Annotated[tuple[float, ...], EnvName("EINV_NOTIFY_RETRY_BACKOFF_S")] = (
        5.0, 30.0, 120.0, 600.0, 1800.0,
    )  # fmt: skip
    # Transient failures after which a message is given up (failed); 4xx/5xx SMTP and the
    # SMS provider's refusals end it at once.
    max_attempts: Annotated[int, EnvName("EINV_NOTIFY_MAX_ATTEMPTS")] = Field(default=10, ge=1)
    # How long one attempt belongs to one worker; a crashed worker's message is recovered
    # after it (docs/adr/0008-notifier.md: retried, or unknown once handed over).
    lease_s: Annotated[float, EnvName("EINV_NOTIFY_LEASE_S")] = Field(default=60.0, gt=0)
    sweep_interval_s: Annotated[float, EnvName("EINV_NOTIFY_SWEEP_INTERVAL_S")] = Field(
        default=5.0, gt=0
    )
    sweep_batch: Annotated[int, EnvName("EINV_NOTIFY_SWEEP_BATCH")] = Field(default=100, ge=1)
    send_concurrency: Annotated[int, EnvName("EINV_NOTIFY_SEND_CONCURRENCY")] = Field(
        default=5, ge=1
    )

    # --- the command queue --------------------------------------------------------------------
    notify_queue: Annotated[str, EnvName("EINV_NOTIFY_QUEUE")] = NOTIFICATIONS.name
    queue_retry_delays_s: Annotated[
        tuple[int, ...], EnvName("EINV_NOTIFY_QUEUE_RETRY_DELAYS_S")
    ] = NOTIFICATIONS.retry_delays
    consumer_prefetch: Annotated[int, EnvName("EINV_NOTIFY_PREFETCH")] = Field(default=10, ge=1)
    # ``invoice.transmitted`` for the invoice e-mails (SPEC API-10); the same retry tiers as
    # the command queue.
    invoice_queue: Annotated[str, EnvName("EINV_NOTIFY_INVOICE_QUEUE")] = INVOICE_EMAILS.name

    # --- invoice e-mails: where the invoice, the declared address and the PDF come from ---------
    # portal-web's address for internal calls (the PDF), and its public one (the e-mail's link,
    # the same variable invoice-service prints in the QR code).
    portal_url: str = "http://127.0.0.1:8001"
    portal_public_url: str = "http://127.0.0.1:8001"
    # One call to invoice-service, mydata-sync or portal-web (a PDF takes about a second).
    upstream_timeout_s: Annotated[float, EnvName("EINV_NOTIFY_UPSTREAM_TIMEOUT_S")] = Field(
        default=15.0, gt=0
    )
    # How long this process keeps a counterpart's declared addresses (mydata-sync keeps them an
    # hour); within it, an invoice nobody is to receive is recorded as skipped at once.
    declared_cache_s: Annotated[float, EnvName("EINV_NOTIFY_DECLARED_CACHE_S")] = Field(
        default=300.0, ge=0
    )
    internal_token_ttl_s: int = Field(default=60, ge=10)
    # Invoice e-mails made at once by this process: each asks portal-web for a PDF, whose render
    # slots (EINV_PORTAL_PDF_CONCURRENCY) its visitors share. Raise both together.
    invoice_concurrency: Annotated[int, EnvName("EINV_NOTIFY_INVOICE_CONCURRENCY")] = Field(
        default=1, ge=1
    )

    # Delivery-report bodies larger than this are refused.
    callback_max_bytes: Annotated[int, EnvName("EINV_NOTIFY_CALLBACK_MAX_BYTES")] = Field(
        default=1_000_000, ge=1
    )

    @model_validator(mode="after")
    def _refuse_dev_credentials_in_prod(self) -> NotifierSettings:
        if self.environment != "prod":
            return self
        weak = [
            name
            for name, value, dev in (
                ("EINV_SMS_API_KEY", self.sms_api_key, DEV_SMS_API_KEY),
                ("EINV_SMS_CALLBACK_PASSWORD", self.sms_callback_password, DEV_CALLBACK_PASSWORD),
            )
            if value == dev
        ]
        if weak:
            raise ValueError("development credentials are refused in prod: " + ", ".join(weak))
        return self

    @model_validator(mode="after")
    def _lease_outlives_an_attempt(self) -> NotifierSettings:
        # Each attempt is cut at 80% of the lease (then it is retried or unknown); the lease
        # must leave room for a normal SMTP conversation or SMS request inside that.
        slowest = max(self.smtp_timeout_s, self.sms_connect_timeout_s + self.sms_timeout_s)
        if self.lease_s < 3 * slowest:
            raise ValueError(
                f"EINV_NOTIFY_LEASE_S must be at least 3 × {slowest:.1f} s (the SMTP step or "
                "SMS request timeout)"
            )
        if not self.retry_backoff_s or not self.sms_status_check_s:
            raise ValueError("EINV_NOTIFY_RETRY_BACKOFF_S and EINV_SMS_STATUS_CHECK_S need a delay")
        return self

    @property
    def attempt_deadline_s(self) -> float:
        """The longest one attempt may take: it ends well inside its lease."""
        return self.lease_s * 0.8

    def backoff_for(self, attempts: int) -> float:
        """Delay before the next try after ``attempts`` failed ones (≥ 1)."""
        return _nth(self.retry_backoff_s, attempts)

    def status_check_after(self, checks: int) -> float:
        """Delay before the next status look-up of an unknown SMS after ``checks`` of them."""
        return _nth(self.sms_status_check_s, checks + 1)


def _nth(delays: tuple[float, ...], n: int) -> float:
    return delays[min(max(n, 1), len(delays)) - 1]
