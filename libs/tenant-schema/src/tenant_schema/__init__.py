"""The tenant database (one per customer): its tables and its Alembic history.

Public API:

- ``tenant_schema.tables``: ``metadata`` with ``outbox``, ``inbox``, ``tenant_meta`` (invoice
  tables arrive with the invoice work)
- ``tenant_schema.migrate``: ``await upgrade(dsn)``, ``await current_revision(dsn)``,
  ``head_revision()``, ``VERSION_TABLE``
"""
