"""``GET /vat-registry/{vat}``: a registry entry, with the customer's stored GSIS codes."""
