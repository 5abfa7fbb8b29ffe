"""Greek (default) and English: each site's message catalogs compiled from its
``locale/*/messages.po`` at start-up, and which language a request gets.

Message ids are English; the Greek catalog must translate every one (each site has a test that
extracts every template and Python message and fails on a missing or fuzzy translation). The
catalogs are compiled in memory when the process starts (no .mo file to forget or to go stale).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

Locale = Literal["el", "en"]
LOCALES: tuple[Locale, ...] = ("el", "en")
DEFAULT_LOCALE: Locale = "el"
DOMAIN = "messages"
# Babel's locale for numbers and money in each language.
NUMBER_LOCALES: dict[Locale, str] = {"el": "el_GR", "en": "en_GB"}


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class Message:
    """A message for the page: an id from the catalog and its named parameters."""

    text: str
    params: Mapping[str, object] = field(default_factory=dict)
    level: Literal["info", "error", "success"] = "info"


def as_locale(value: str | None) -> Locale | None:
    if value == "el":
        return "el"
    if value == "en":
        return "en"
    return None


def load_catalogs(locale_dir: Path) -> dict[Locale, gettext.NullTranslations]:
    """Every language's translations; English is the message ids themselves."""
    return {"el": compile_po(locale_dir / "el" / "LC_MESSAGES" / f"{DOMAIN}.po", "el"),
            "en": gettext.NullTranslations()}  # fmt: skip


def compile_po(path: Path, locale: str) -> gettext.GNUTranslations:
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
