"""End-to-end tests: the whole platform (``harness.fixtures``) through the gateway."""

from harness.fixtures import platform  # noqa: F401  (the session's platform)
