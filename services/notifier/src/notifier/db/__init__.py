"""The notify database: tables (SQLAlchemy Core) and its Alembic history (``db.migrate``)."""
