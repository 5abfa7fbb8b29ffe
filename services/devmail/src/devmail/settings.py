"""devmail settings (``EINV_`` environment, see ``kit.settings``).

Its own fields are ``EINV_DEVMAIL_*`` (``EnvName``) so that one shell runs it beside the
notifier, whose SMTP and SMS settings point here by default (README, Environment variables).
The development SMS key and delivery-report credentials are the notifier's defaults too.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from kit.settings import CommonSettings, EnvName

DEV_SMS_API_KEY = "dev-only-sms-api-key"
DEV_DLR_USERNAME = "einv-dlr"
DEV_DLR_PASSWORD = "dev-only-dlr-password"


class DevmailSettings(CommonSettings):
    bind_host: str = "127.0.0.1"
    # The page, the SMS provider's API and /_admin.
    port: Annotated[int, EnvName("EINV_DEVMAIL_PORT")] = 8091
    # The SMTP server (0 in tests: any free port, see app.state.smtp_port).
    smtp_port: Annotated[int, EnvName("EINV_DEVMAIL_SMTP_PORT")] = 2525
    # Infobip's "Authorization: App <key>" accepted by the SMS API.
    sms_api_key: Annotated[str, EnvName("EINV_DEVMAIL_SMS_API_KEY")] = DEV_SMS_API_KEY
    # Approved sender ids (comma-separated); any other is rejected like an unregistered one.
    sms_senders: Annotated[str, EnvName("EINV_DEVMAIL_SMS_SENDERS")] = "EINVOICING"
    # HTTP Basic credentials sent with every delivery report (Infobip's BASIC webhook security).
    dlr_username: Annotated[str, EnvName("EINV_DEVMAIL_DLR_USERNAME")] = DEV_DLR_USERNAME
    dlr_password: Annotated[str, EnvName("EINV_DEVMAIL_DLR_PASSWORD")] = DEV_DLR_PASSWORD
    # Default wait before a message's delivery report (a fault switch can change it).
    dlr_delay_s: Annotated[float, EnvName("EINV_DEVMAIL_DLR_DELAY_S")] = Field(default=0.2, ge=0)
    # None = on in dev/test, off in prod: the fault switches and the JSON lists.
    admin: Annotated[bool | None, EnvName("EINV_DEVMAIL_ADMIN")] = None
    # A hanging fault holds a request or an SMTP reply at most this long.
    hang_max_s: Annotated[float, EnvName("EINV_DEVMAIL_HANG_MAX_S")] = Field(default=30.0, gt=0)
    # How many e-mails and SMS are kept (the oldest are forgotten first).
    keep: Annotated[int, EnvName("EINV_DEVMAIL_KEEP")] = Field(default=10_000, ge=1)

    @model_validator(mode="after")
    def _refuse_prod(self) -> DevmailSettings:
        # A stand-in that accepts and keeps every message must never face real users.
        if self.environment == "prod":
            raise ValueError("devmail is a development stand-in and refuses EINV_ENVIRONMENT=prod")
        return self

    @property
    def admin_enabled(self) -> bool:
        return self.admin if self.admin is not None else self.environment in ("dev", "test")

    def approved_senders(self) -> frozenset[str]:
        return frozenset(s.strip() for s in self.sms_senders.split(",") if s.strip())
