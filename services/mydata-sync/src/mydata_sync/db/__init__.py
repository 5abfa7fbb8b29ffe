"""The sync database: tables (SQLAlchemy Core) and its Alembic history (``db.migrate``)."""
