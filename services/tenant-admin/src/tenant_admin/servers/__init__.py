"""PostgreSQL servers that host tenant databases, and operations on those servers."""
