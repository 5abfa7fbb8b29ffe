"""Call packages sold to customers (ADMIN-10, API-9)."""
