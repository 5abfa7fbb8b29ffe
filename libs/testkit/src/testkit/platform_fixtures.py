"""Pytest fixture: the whole platform (``testkit.platform``), once per session and xdist worker.

Session-scoped because starting five services costs seconds; tests stay independent by each
creating its own customer (own database, package and token) and issuing unique invoices.
Tests that switch aade-sim's faults must switch them back (``none``) before they end.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from testkit.platform import Platform, start_platform


@pytest.fixture(scope="session")
async def platform() -> AsyncIterator[Platform]:
    started = await start_platform()
    try:
        yield started
    finally:
        await started.stop()
