"""Transmitting invoices to myDATA: the RPC, the claim/lease state machine, outcomes."""
