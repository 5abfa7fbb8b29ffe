"""Outbox rows in the catalog, written in the caller's transaction and published by the relay
that tenant-admin's service process runs (``main.py``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.tables import outbox
from contracts import Envelope
from kit.outbox import add_to_outbox


async def add_event(conn: AsyncConnection, envelope: Envelope) -> None:
    await add_to_outbox(conn, outbox, envelope)
