"""Fault switches: make the provider API misbehave on purpose (down, blackhole, slow, …)."""
