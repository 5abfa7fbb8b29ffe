"""Outbox rows in the catalog, written in the caller's transaction.

kit.outbox's relay publishes them; until it is wired in, rows simply wait (nothing is lost).
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import outbox
from contracts import Envelope


async def add_event(conn: AsyncConnection, envelope: Envelope) -> None:
    await conn.execute(
        insert(outbox).values(
            message_id=envelope.message_id,
            routing_key=envelope.type,
            body=envelope.model_dump_json().encode(),
        )
    )
