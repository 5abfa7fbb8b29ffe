"""Creating, resuming and recreating tenant databases."""
