"""GSIS RgWsPublic2 stand-in: the VAT registry's SOAP endpoint answering from fixture companies,
with the live service's quirks and error codes (INTEGRATIONS.md §1)."""
