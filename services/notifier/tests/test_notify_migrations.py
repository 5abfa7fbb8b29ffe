"""The notify history upgrades an empty database and leaves the model and the schema equal."""

from __future__ import annotations

from notifier.db.migrate import HISTORY, VERSION_TABLE
from notifier.db.tables import metadata
from testkit.migrations import assert_history_builds_the_model
from testkit.pg_fixtures import DatabaseFactory


async def test_upgrade_is_idempotent_and_matches_the_model(new_database: DatabaseFactory) -> None:
    dsn = await new_database("notify_schema")
    await assert_history_builds_the_model(HISTORY, dsn, metadata)
    assert VERSION_TABLE == "alembic_version_notify"
