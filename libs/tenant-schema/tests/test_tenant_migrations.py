"""The tenant history upgrades an empty database and leaves the model and the schema equal."""

from __future__ import annotations

import tenant_schema.invoices  # noqa: F401  (registers the invoice tables on metadata)
from tenant_schema.migrate import HISTORY
from tenant_schema.tables import metadata
from testkit.migrations import assert_history_builds_the_model
from testkit.pg_fixtures import DatabaseFactory


async def test_upgrade_is_idempotent_and_matches_the_model(new_database: DatabaseFactory) -> None:
    dsn = await new_database("tenant_schema")
    await assert_history_builds_the_model(HISTORY, dsn, metadata)
