"""The long-lived objects one process needs: settings, catalog engine, token codecs, login
throttles, the keyring that seals what must not rest in clear.

Built once by the API's lifespan or by a CLI command, and passed down explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from kit.auth import API_AUDIENCE, OPERATOR_AUDIENCE, TokenCodec, internal_audience
from kit.db import create_engine
from kit.secrets import Keyring
from tenant_admin.operators.throttle import AccountThrottle
from tenant_admin.settings import TenantAdminSettings

# The portal's limits (per user and address; the address and the user have wider ones).
PORTAL_MAX_FAILURES = 5
PORTAL_WINDOW_S = 900


@dataclass(frozen=True, slots=True)
class AdminRuntime:
    settings: TenantAdminSettings
    engine: AsyncEngine
    api_codec: TokenCodec
    operator_codec: TokenCodec
    internal_codec: TokenCodec
    operator_throttle: AccountThrottle
    portal_throttle: AccountThrottle
    keyring: Keyring

    @classmethod
    def build(cls, settings: TenantAdminSettings) -> AdminRuntime:
        issuer = settings.token_issuer
        return cls(
            settings=settings,
            engine=create_engine(settings.catalog_dsn, pool_size=settings.catalog_pool_size),
            api_codec=TokenCodec(settings.api_token_secret, issuer, API_AUDIENCE),
            operator_codec=TokenCodec(settings.operator_token_secret, issuer, OPERATOR_AUDIENCE),
            internal_codec=TokenCodec(
                settings.internal_token_secret, issuer, internal_audience("tenant-admin")
            ),
            operator_throttle=AccountThrottle.of(
                settings.login_max_failures, settings.login_window_seconds
            ),
            portal_throttle=AccountThrottle.of(PORTAL_MAX_FAILURES, PORTAL_WINDOW_S),
            keyring=settings.keyring(),
        )

    async def close(self) -> None:
        await self.engine.dispose()
