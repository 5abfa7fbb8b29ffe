"""Login, logout and the first login (PORTAL-2, -11); the password rules (PORTAL-9)."""
