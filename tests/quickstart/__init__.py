"""The README's quick start, run as written (``make run`` + the demo curl commands)."""
