"""E-mail lookup (PORTAL-7): the addresses a VAT number declared to AADE for e-invoices."""
