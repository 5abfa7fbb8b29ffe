"""mydata-sync settings (``EINV_`` environment, see ``kit.settings``)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import SettingsConfigDict

from kit.settings import CommonSettings


class MydataSyncSettings(CommonSettings):
    model_config = SettingsConfigDict(populate_by_name=True)

    bind_host: str = "127.0.0.1"
    port: int = Field(default=8004, validation_alias=AliasChoices("EINV_MYDATA_SYNC_PORT", "port"))
    # The sync database: transmissions, attempts, raw XML (owned by this service only).
    sync_dsn: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/einv_sync"
    # Defaults point at aade-sim; production sets AADE's provider URL and credentials.
    mydata_base_url: str = "http://127.0.0.1:8090/myDataProvider"
    mydata_user_id: str = ""
    mydata_subscription_key: str = ""

    @model_validator(mode="after")
    def _require_mydata_credentials_in_prod(self) -> MydataSyncSettings:
        has_credentials = bool(self.mydata_user_id and self.mydata_subscription_key)
        if self.environment == "prod" and not has_credentials:
            raise ValueError(
                "EINV_MYDATA_USER_ID and EINV_MYDATA_SUBSCRIPTION_KEY are required in prod"
            )
        return self
