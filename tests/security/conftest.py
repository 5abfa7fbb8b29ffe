"""Security tests against the whole platform (``harness.fixtures``): fuzzing every API, the
access table, token attacks, hostile outside answers, secrets in logs (docs/security.md)."""

from harness.fixtures import platform  # noqa: F401  (the package's platform)
