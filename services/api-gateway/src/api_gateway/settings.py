"""The gateway's settings (``EINV_`` environment), on top of what every service shares."""

from __future__ import annotations

from pydantic import Field

from kit.settings import CommonSettings


class GatewaySettings(CommonSettings):
    # Where uvicorn listens (EINV_GATEWAY_PORT, EINV_BIND_HOST) and how many processes it runs.
    gateway_port: int = Field(default=8000, ge=1, le=65535)
    bind_host: str = "127.0.0.1"
    gateway_workers: int = Field(default=1, ge=1, le=64)

    # Largest request body accepted; seed 002 bodies are a few kB, 1 MiB leaves room for lines.
    gateway_max_body_bytes: int = Field(default=1024 * 1024, ge=1024)

    # Connect failures mean "not sent" (refunded); a read timeout means "outcome unknown".
    upstream_connect_timeout_s: float = Field(default=3.0, gt=0)
    # invoice-service may wait for myDATA (through mydata-sync) before answering.
    upstream_timeout_s: float = Field(default=45.0, gt=0)
    upstream_max_connections: int = Field(default=100, ge=1)

    # How long a token's catalog status is trusted before it is read again; a token.revoked
    # event clears it at once, this bounds the staleness when an event is missed.
    token_cache_ttl_s: float = Field(default=30.0, gt=0)
    token_cache_size: int = Field(default=50_000, ge=1)

    # Per-customer token bucket, per gateway process.
    rate_limit_per_s: float = Field(default=50.0, gt=0)
    rate_limit_burst: int = Field(default=100, ge=1)

    # VAT registry look-ups (free of calls): a slower bucket of their own, per customer.
    registry_rate_per_s: float = Field(default=1.0, gt=0)
    registry_burst: int = Field(default=20, ge=1)
    # The VAT registry, status and notices are answered by mydata-sync and tenant-admin.
    services_timeout_s: float = Field(default=15.0, gt=0)

    # Small: a gateway process needs few catalog connections (one statement per request).
    catalog_pool_size: int = Field(default=4, ge=1, le=20)
    internal_token_ttl_s: int = Field(default=60, ge=10)

    # The API call log (ADMIN-9): calls waiting to be written, at most this many bytes; past
    # it a call is dropped (and counted), never waited for.
    api_call_log_buffer_bytes: int = Field(default=64 * 1024 * 1024, ge=1024 * 1024)
