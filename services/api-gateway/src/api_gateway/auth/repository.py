"""Catalog reads for token status (the only SQL of the auth domain)."""

from __future__ import annotations

from typing import Any, Protocol

from api_gateway.auth.schemas import TokenRecord

TOKEN_STATUS = """
SELECT customer_id, token_hash, revoked_at IS NOT NULL AS revoked,
       extract(epoch FROM expires_at)::float8 AS expires_at
  FROM api_tokens
 WHERE id = $1
"""


class RowSource(Protocol):
    async def fetchrow(self, query: str, *args: object) -> Any: ...


async def load_token(db: RowSource, jti: str) -> TokenRecord | None:
    """The catalog's view of token ``jti``; None when the catalog does not know it."""
    row = await db.fetchrow(TOKEN_STATUS, jti)
    if row is None:
        return None
    return TokenRecord(
        customer_id=row["customer_id"],
        token_hash=row["token_hash"],
        revoked=row["revoked"],
        expires_at=row["expires_at"],
    )
