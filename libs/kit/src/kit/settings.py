"""Settings shared by every service: read from the environment with the ``EINV_`` prefix.

Secrets have development defaults so that ``make run`` works on a fresh clone; outside the
``dev``/``test`` environments a default secret is refused at start-up.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_PREFIX = "dev-only-"
DEV_API_TOKEN_SECRET = DEV_SECRET_PREFIX + "api-token-secret-change-me-0123456789"
DEV_INTERNAL_TOKEN_SECRET = DEV_SECRET_PREFIX + "internal-token-secret-change-me-012345"
DEV_OPERATOR_TOKEN_SECRET = DEV_SECRET_PREFIX + "operator-token-secret-change-me-01234"

SECRET_FIELDS = ("api_token_secret", "internal_token_secret", "operator_token_secret")


class CommonSettings(BaseSettings):
    """Infrastructure every service needs; subclasses add their own fields."""

    model_config = SettingsConfigDict(env_prefix="EINV_", extra="ignore")

    environment: Literal["dev", "test", "prod"] = "dev"
    log_level: str = "INFO"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # The catalog database (owned by tenant-admin, read by the gateway).
    catalog_dsn: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/einv_catalog"
    api_token_secret: str = Field(default=DEV_API_TOKEN_SECRET, min_length=32)
    internal_token_secret: str = Field(default=DEV_INTERNAL_TOKEN_SECRET, min_length=32)
    operator_token_secret: str = Field(default=DEV_OPERATOR_TOKEN_SECRET, min_length=32)
    token_issuer: str = "einvoicing"
    tenant_admin_url: str = "http://127.0.0.1:8002"
    invoice_service_url: str = "http://127.0.0.1:8003"
    mydata_sync_url: str = "http://127.0.0.1:8004"

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> CommonSettings:
        if self.environment in ("dev", "test"):
            return self
        weak = [f for f in SECRET_FIELDS if getattr(self, f).startswith(DEV_SECRET_PREFIX)]
        if weak:
            raise ValueError(
                f"default secrets are refused in environment {self.environment!r}: "
                + ", ".join("EINV_" + f.upper() for f in weak)
            )
        return self
