"""``/vat-registry``: a taxpayer's entry in AADE's registry, with the customer's GSIS codes."""
