"""The customer's account (PORTAL-9, -10): company data, password, API token, business details."""
