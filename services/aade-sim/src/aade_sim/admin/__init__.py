"""Admin endpoints for tests and dev tools (``/_admin``), off unless enabled."""
