"""Alembic environment of the notify history; run only through ``notifier.db.migrate``."""

from notifier.db.migrate import HISTORY
from notifier.db.tables import metadata

HISTORY.run_env(metadata)
