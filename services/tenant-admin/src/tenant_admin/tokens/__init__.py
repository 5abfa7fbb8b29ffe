"""Customers' API tokens: issued as JWTs, stored only as fingerprints, revocable."""
