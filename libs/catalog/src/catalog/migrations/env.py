"""Alembic environment of the catalog history; run only through ``catalog.migrate``."""

from catalog.migrate import HISTORY
from catalog.tables import metadata

HISTORY.run_env(metadata)
