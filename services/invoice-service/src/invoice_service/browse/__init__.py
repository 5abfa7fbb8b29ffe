"""The portal's reads of one customer's invoices: list, totals, one invoice, its XML."""
