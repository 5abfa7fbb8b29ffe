"""The long-lived objects one process needs: settings, catalog engine, token codecs, throttle.

Built once by the API's lifespan or by a CLI command, and passed down explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from kit.auth import API_AUDIENCE, INTERNAL_AUDIENCE, OPERATOR_AUDIENCE, TokenCodec
from kit.db import create_engine
from tenant_admin.operators.throttle import LoginThrottle
from tenant_admin.settings import TenantAdminSettings


@dataclass(frozen=True, slots=True)
class AdminRuntime:
    settings: TenantAdminSettings
    engine: AsyncEngine
    api_codec: TokenCodec
    operator_codec: TokenCodec
    internal_codec: TokenCodec
    throttle: LoginThrottle

    @classmethod
    def build(cls, settings: TenantAdminSettings) -> AdminRuntime:
        issuer = settings.token_issuer
        return cls(
            settings=settings,
            engine=create_engine(settings.catalog_dsn, pool_size=settings.catalog_pool_size),
            api_codec=TokenCodec(settings.api_token_secret, issuer, API_AUDIENCE),
            operator_codec=TokenCodec(settings.operator_token_secret, issuer, OPERATOR_AUDIENCE),
            internal_codec=TokenCodec(settings.internal_token_secret, issuer, INTERNAL_AUDIENCE),
            throttle=LoginThrottle(settings.login_max_failures, settings.login_window_seconds),
        )

    async def close(self) -> None:
        await self.engine.dispose()
