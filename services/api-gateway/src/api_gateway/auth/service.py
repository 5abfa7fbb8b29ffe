"""Bearer verification: signature and claims locally, status through the cache."""

from __future__ import annotations

import time

from api_gateway.auth.cache import TokenStatusCache
from api_gateway.auth.schemas import VerifiedCustomer
from kit.auth import TokenCodec, bearer_token, token_fingerprint
from kit.db import is_database_unavailable
from kit.errors import ServiceUnavailable, Unauthorized


class Authenticator:
    def __init__(self, codec: TokenCodec, statuses: TokenStatusCache) -> None:
        self._codec = codec
        self._statuses = statuses

    async def authenticate(self, authorization: str | None) -> VerifiedCustomer:
        """The caller of a request, or ``Unauthorized`` (the reason is logged, never shown)."""
        token = bearer_token(authorization)
        claims = self._codec.verify(token)
        customer_id = str(claims["sub"])
        if str(claims.get("tid", customer_id)) != customer_id:
            raise Unauthorized("tid differs from sub")
        jti = str(claims["jti"])
        try:
            record = await self._statuses.get(jti)
        except Exception as exc:
            if not is_database_unavailable(exc):
                raise
            # The token may be fine: say "try again", not "unauthorized".
            raise ServiceUnavailable(
                "Ο κατάλογος πελατών δεν είναι διαθέσιμος",
                message_en="The customer catalog is not available",
            ) from exc
        if record.revoked:
            raise Unauthorized("token revoked or unknown")
        if record.customer_id != customer_id or record.token_hash != token_fingerprint(token):
            raise Unauthorized("token does not match the catalog")
        if record.expires_at <= time.time():
            raise Unauthorized("token expired in the catalog")
        return VerifiedCustomer(
            customer_id=customer_id,
            username=str(claims.get("usr", "")),
            jti=jti,
            issuer_vats=record.issuer_vats,
            call_log=record.call_log,
        )
