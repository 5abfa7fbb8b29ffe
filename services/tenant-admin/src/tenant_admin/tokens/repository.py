"""SQL for ``api_tokens``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import api_tokens


async def insert_token(
    conn: AsyncConnection,
    jti: str,
    customer_id: str,
    fingerprint: str,
    expires_at: datetime,
    label: str | None = None,
) -> None:
    stmt = insert(api_tokens).values(
        id=jti, customer_id=customer_id, token_hash=fingerprint, expires_at=expires_at, label=label
    )
    await conn.execute(stmt)


async def is_active(conn: AsyncConnection, jti: str, customer_id: str, fingerprint: str) -> bool:
    """The token is the customer's, unrevoked and unexpired."""
    t = api_tokens.c
    stmt = select(t.id).where(
        t.id == jti, t.customer_id == customer_id, t.token_hash == fingerprint,
        t.revoked_at.is_(None), t.expires_at > func.now(),
    )  # fmt: skip
    return (await conn.execute(stmt)).first() is not None


async def revoke_active(conn: AsyncConnection, customer_id: str) -> list[str]:
    """Revoke every unrevoked, unexpired token of the customer; return their ids (jti)."""
    stmt = (
        update(api_tokens)
        .where(
            api_tokens.c.customer_id == customer_id,
            api_tokens.c.revoked_at.is_(None),
            api_tokens.c.expires_at > func.now(),
        )
        .values(revoked_at=func.now())
        .returning(api_tokens.c.id)
    )
    return list((await conn.execute(stmt)).scalars().all())
