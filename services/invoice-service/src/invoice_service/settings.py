"""invoice-service settings (``EINV_`` environment, see ``kit.settings``)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from kit.settings import CommonSettings


class InvoiceServiceSettings(CommonSettings):
    model_config = SettingsConfigDict(populate_by_name=True)

    bind_host: str = "127.0.0.1"
    # Every service has its own port variable so that one shell can run them all.
    port: int = Field(
        default=8003, validation_alias=AliasChoices("EINV_INVOICE_SERVICE_PORT", "port")
    )
    # The largest request body accepted, checked before parsing (DESIGN.md §6).
    max_body_bytes: int = 1_000_000
