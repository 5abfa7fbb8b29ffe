"""Catalog reads for token status (the only SQL of the auth domain): one statement per cache
miss gives the token's state, the VAT numbers its customer may issue under and whether its
calls are logged."""

from __future__ import annotations

from typing import Any, Protocol

from api_gateway.auth.schemas import TokenRecord

TOKEN_STATUS = """
SELECT t.customer_id, t.token_hash, t.revoked_at IS NOT NULL AS revoked,
       extract(epoch FROM t.expires_at)::float8 AS expires_at,
       array_prepend(c.vat, ARRAY(SELECT v.vat FROM issuer_vats v
                                   WHERE v.customer_id = t.customer_id ORDER BY v.vat))
           AS issuer_vats,
       c.api_call_log AS call_log
  FROM api_tokens t JOIN customers c ON c.id = t.customer_id
 WHERE t.id = $1
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
        issuer_vats=tuple(row["issuer_vats"]),
        call_log=row["call_log"],
    )
