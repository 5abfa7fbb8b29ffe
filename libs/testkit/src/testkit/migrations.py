"""The check every Alembic history gets: it upgrades an empty database, a second upgrade changes
nothing, and the schema it leaves equals the tables the code uses."""

from __future__ import annotations

from sqlalchemy import MetaData

from kit.migrations import History


async def assert_history_builds_the_model(history: History, dsn: str, metadata: MetaData) -> None:
    assert await history.current(dsn) is None
    await history.upgrade(dsn)
    await history.upgrade(dsn)
    assert await history.current(dsn) == history.head()
    assert await history.drift(dsn, metadata) == []
