"""Debian's Chromium for the browser tests (pytest-playwright-asyncio): Playwright downloads no
browser here, ``scripts/ensure-tools.sh chromium`` installs ``/usr/bin/chromium`` as root.

A conftest that drives a browser imports ``browser_type_launch_args`` (the fixture
pytest-playwright reads its launch options from); ``Shots`` saves each page's screenshot in
both languages (the sites' ``?lang=`` switch). The flags keep Chromium off the network it
would otherwise call at start-up (updates, sync, field trials), which a closed machine refuses.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from playwright.async_api import Page

CHROMIUM = os.environ.get("EINV_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"no Chromium at {CHROMIUM}: run scripts/ensure-tools.sh chromium (as root)")
    return {"executable_path": CHROMIUM, "args": LAUNCH_FLAGS, "headless": True}


@dataclass(frozen=True)
class Shots:
    directory: Path

    async def take(self, page: Page, name: str, *, both: bool = True) -> None:
        """Full-page screenshots ``<name>.<lang>.png``: the page as it is and, when ``both``
        (a page that a GET shows again), in the other language too, then back to this one."""
        lang = await page.get_attribute("html", "lang") or "xx"
        await self._save(page, f"{name}.{lang}.png")
        if not both:
            return
        url = page.url
        for other in (OTHER[lang], lang):
            await page.goto(_with_lang(url, other))
            if other != lang:
                await self._save(page, f"{name}.{other}.png")

    async def _save(self, page: Page, filename: str) -> None:
        path = self.directory / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(path), full_page=True)


OTHER = {"el": "en", "en": "el"}


def _with_lang(url: str, lang: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"] + [("lang", lang)]
    return urlunsplit(parts._replace(query=urlencode(query)))
