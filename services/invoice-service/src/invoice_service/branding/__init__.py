"""The customer's business details on the invoice view and PDF (PORTAL-10)."""
