"""Issuing and revoking customers' API tokens. Never commits.

Every revocation also writes a ``token.revoked`` event to the catalog outbox in the same
transaction, so gateways drop the token from their caches exactly when the revocation commits.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts import TokenRevoked, envelope_of
from kit.auth import TokenCodec, token_fingerprint
from kit.errors import AppError
from tenant_admin.events.repository import add_event
from tenant_admin.tokens import repository
from tenant_admin.tokens.schemas import IssuedToken


async def revoke_tokens(conn: AsyncConnection, customer_id: str) -> list[str]:
    revoked = await repository.revoke_active(conn, customer_id)
    for jti in revoked:
        revoked_event = TokenRevoked(jti=jti, customer_id=customer_id)
        await add_event(conn, envelope_of(revoked_event, tenant_id=customer_id))
    return revoked


async def token_works(
    conn: AsyncConnection, codec: TokenCodec, customer_id: str, token: str
) -> bool:
    """Would the gateway accept ``token`` for this customer now (signature, expiry, not
    revoked)? For scripts that keep a token between runs (``make run``)."""
    try:
        claims = codec.verify(token)
    except AppError:
        return False
    if claims.get("tid") != customer_id:
        return False
    return await repository.is_active(conn, claims["jti"], customer_id, token_fingerprint(token))


async def issue_token(
    conn: AsyncConnection,
    codec: TokenCodec,
    customer_id: str,
    username: str,
    ttl_seconds: int,
    *,
    keep_previous: bool = False,
    label: str | None = None,
) -> IssuedToken:
    """A new API token (``sub``/``tid`` = customer id, ``usr`` = username); by default the
    customer's previous tokens are revoked."""
    revoked = [] if keep_previous else await revoke_tokens(conn, customer_id)
    token, claims = codec.issue(customer_id, ttl_seconds, tid=customer_id, usr=username)
    expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    fingerprint = token_fingerprint(token)
    await repository.insert_token(conn, claims["jti"], customer_id, fingerprint, expires_at, label)
    return IssuedToken(
        tenant_id=customer_id,
        username=username,
        api_token=token,
        jti=claims["jti"],
        expires_at=expires_at,
        revoked=revoked,
    )
