"""Alembic environment of the sync history; run only through ``mydata_sync.db.migrate``."""

from mydata_sync.db.migrate import HISTORY
from mydata_sync.db.tables import metadata

HISTORY.run_env(metadata)
