"""VAT registry look-ups through GSIS RgWsPublic2, with each customer's sealed codes or the
provider's own (SPEC VAT-1, seed 003)."""
