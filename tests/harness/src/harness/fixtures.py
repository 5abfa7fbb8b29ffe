"""Pytest fixture: the whole platform (``harness.platform``), once per test package and worker.

Package-scoped: starting five services costs seconds, so the tests of one package share them
(each test creates its own customer, with its own database, package and token, and issues
unique invoices); yet the platform stops when the package's tests are done, because its
sweeps and relays run in the session's event loop and would otherwise slow down (and skew the
timings of) every later test on that worker. The package needs an ``__init__.py``.
Tests that switch aade-sim's faults must switch them back (``none``) before they end.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from harness.platform import Platform, start_platform


@pytest.fixture(scope="package")
async def platform() -> AsyncIterator[Platform]:
    started = await start_platform()
    try:
        yield started
    finally:
        await started.stop()
