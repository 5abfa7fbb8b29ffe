"""The public pages (PORTAL-1, API-8): search by authentication string, the temporary QR."""
