"""The operators' admin app in a real browser (Debian's Chromium through
pytest-playwright-asyncio) and over plain HTTP, against the whole real platform (``harness``):
every page, both languages, screenshots of each.

Async Playwright on purpose: the platform's servers run in the session's event loop, which the
synchronous API would block.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from harness.browser import (
    Shots,
    browser_type_launch_args,  # noqa: F401  (pytest-playwright reads it)
)
from harness.fixtures import platform  # noqa: F401  (the package's platform)
from harness.platform import Platform


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    # An English-speaking browser: the admin app must still answer in Greek by default.
    return {"locale": "en-US", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def shots(tmp_path: Path) -> Shots:
    """Screenshots go to EINV_ADMIN_SCREENSHOTS (docs/screenshots/admin when refreshing them)."""
    target = os.environ.get("EINV_ADMIN_SCREENSHOTS")
    return Shots(Path(target) if target else tmp_path)


@pytest.fixture
async def operator(platform: Platform) -> str:  # noqa: F811
    """A new operator of the admin app (its password: ``harness.platform.OPERATOR_PASSWORD``)."""
    return await platform.create_operator()
