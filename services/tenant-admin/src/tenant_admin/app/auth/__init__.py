"""Operator login and logout (ADMIN-1)."""
