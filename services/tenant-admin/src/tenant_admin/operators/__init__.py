"""Operators: the staff who use the admin app (ADMIN-1)."""
