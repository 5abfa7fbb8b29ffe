"""Invoices: the ERP's ``/invoice-data`` endpoints (SPEC API-1..API-5)."""
