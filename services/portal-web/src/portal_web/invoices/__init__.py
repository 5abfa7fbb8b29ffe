"""The customer's invoices (PORTAL-3, -4, -5): list with filters and totals, view, XML, PDF."""
