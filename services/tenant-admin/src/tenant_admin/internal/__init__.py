"""The internal API other services call (internal token required)."""
