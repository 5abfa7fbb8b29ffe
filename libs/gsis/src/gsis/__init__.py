"""GSIS RgWsPublic2, the VAT registry (INTEGRATIONS.md §1): one request, one answer, one client."""
