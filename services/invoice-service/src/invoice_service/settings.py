"""invoice-service settings (``EINV_`` environment, see ``kit.settings``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kit.settings import CommonSettings, EnvName


class InvoiceServiceSettings(CommonSettings):
    bind_host: str = "127.0.0.1"
    # Every service has its own port variable so that one shell can run them all.
    port: Annotated[int, EnvName("EINV_INVOICE_SERVICE_PORT")] = 8003
    # The largest request body accepted, checked before parsing (DESIGN.md §6).
    max_body_bytes: int = 1_000_000
    # How long the POST waits for mydata-sync's answer before it issues a temporary string;
    # longer than mydata-sync's own myDATA timeout so that a slow but working myDATA still wins.
    transmit_rpc_timeout_s: float = Field(default=8.0, gt=0)
    # Tenant database engines kept open by this process, and each one's pool (DESIGN.md §3).
    tenant_engines_max: int = Field(default=16, ge=1)
    tenant_pool_size: int = Field(default=3, ge=1)
    # A submission command younger than this is left for the synchronous call to answer.
    outbox_grace_s: float = Field(default=10.0, ge=0)
    outbox_sweep_interval_s: float = Field(default=5.0, gt=0)
    # Every active tenant's outbox, for what a crashed process left (also at start).
    outbox_full_sweep_interval_s: float = Field(default=600.0, gt=0)
    # Where the printed QR code leads (portal-web's public search page).
    portal_public_url: str = "http://127.0.0.1:8001"
