"""AADE users (seed 000's role): pick a granted customer, then read its invoices only."""
