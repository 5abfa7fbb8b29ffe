"""Alembic environment of the tenant history; run only through ``tenant_schema.migrate``."""

from tenant_schema.invoices import invoices as _invoices  # noqa: F401  (registers the tables)
from tenant_schema.migrate import HISTORY
from tenant_schema.tables import metadata

HISTORY.run_env(metadata)
