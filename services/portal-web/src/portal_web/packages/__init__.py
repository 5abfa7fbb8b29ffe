"""The customer's call packages (PORTAL-8)."""
