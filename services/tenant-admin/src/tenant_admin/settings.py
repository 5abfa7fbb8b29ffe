"""tenant-admin's settings: ``EINV_`` environment variables on top of the common ones."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from kit.db import with_database
from kit.settings import CommonSettings


class TenantAdminSettings(CommonSettings):
    tenant_admin_port: int = Field(default=8002, ge=1, le=65535)
    bind_host: str = "127.0.0.1"
    catalog_pool_size: int = Field(default=5, ge=1, le=20)
    # Where tenant databases go on a fresh install; None means the catalog's own server.
    tenant_db_server_dsn: str | None = None
    default_db_server_name: str = "default"
    default_db_server_max_tenants: int = Field(default=500, ge=1)
    api_token_ttl_days: int = Field(default=3650, ge=1)
    operator_token_ttl_seconds: int = Field(default=8 * 3600, ge=60)
    migrate_concurrency: int = Field(default=4, ge=1, le=32)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)

    @property
    def default_server_dsn(self) -> str:
        return self.tenant_db_server_dsn or with_database(self.catalog_dsn, "postgres")

    @property
    def api_token_ttl_seconds(self) -> int:
        return self.api_token_ttl_days * 86400


@lru_cache(maxsize=1)
def get_settings() -> TenantAdminSettings:
    return TenantAdminSettings()
