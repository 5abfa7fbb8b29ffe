"""End-to-end tests: the whole platform (``testkit.platform_fixtures``) through the gateway."""

from testkit.platform_fixtures import platform  # noqa: F401  (the session's platform)
