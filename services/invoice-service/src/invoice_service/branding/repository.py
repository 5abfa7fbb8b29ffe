"""SQL of the branding row (``tenant_schema.invoices.branding``, one row per tenant)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from tenant_schema.invoices import branding

TEXTS = tuple(f"{part}_{lang}" for part in ("details", "header", "footer") for lang in ("el", "en"))


async def get(conn: AsyncConnection) -> Any:
    columns = [branding.c[name] for name in TEXTS]
    stmt = select(*columns, (branding.c.logo.is_not(None)).label("has_logo"))
    return (await conn.execute(stmt)).first()


async def save(conn: AsyncConnection, values: dict[str, Any]) -> None:
    stmt = insert(branding).values(id=1, **values)
    update = {**values, "updated_at": func.now()}
    await conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=update))


async def logo(conn: AsyncConnection) -> Any:
    stmt = select(branding.c.logo, branding.c.logo_type).where(branding.c.logo.is_not(None))
    return (await conn.execute(stmt)).first()
