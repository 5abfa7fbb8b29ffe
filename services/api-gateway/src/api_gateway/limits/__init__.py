"""Protection before any work is done: per-customer rate limit and request body cap."""
