"""Alembic environment of the webhooks history; run only through ``webhooks.db.migrate``."""

from webhooks.db.migrate import HISTORY
from webhooks.db.tables import metadata

HISTORY.run_env(metadata)
