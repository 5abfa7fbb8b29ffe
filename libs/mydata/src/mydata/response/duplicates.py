"""Recognise "already sent" (228/233) errors and pull the original markings from their text.

MYDATA.md §10 gives the messages only abridged ("…already sent for another invoice (MARK)",
"UID: {uid} has already been sent"), so extraction is by label and is best effort: a field that
cannot be found is ``None`` and the caller falls back to ``RequestTransmittedDocs``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mydata.response.results import DUPLICATE_CODES, Duplicate, ErrorItem

_HEX40 = r"([0-9A-Fa-f]{40})"
_AUTH = re.compile(r"auth\w*[\s_-]*code\W{0,5}" + _HEX40, re.IGNORECASE)
_UID = re.compile(r"\buid\W{0,5}" + _HEX40, re.IGNORECASE)
_MARK = re.compile(r"(?:mark|μαρκ|ΜΑΡΚ)\W{0,5}(\d{6,19})\b", re.IGNORECASE)
_LONG = re.compile(r"(?<!\d)(\d{15})(?!\d)")  # observed MARKs have 15 digits


def find_duplicate(errors: Iterable[ErrorItem]) -> Duplicate | None:
    for error in errors:
        if error.code.strip() in DUPLICATE_CODES:
            return _extract(error)
    return None


def _extract(error: ErrorItem) -> Duplicate:
    text = error.message
    mark = _first(_MARK, text) or _first(_LONG, text)
    return Duplicate(
        code=error.code.strip(),
        mark=int(mark) if mark else None,
        uid=_upper(_first(_UID, text)),
        authentication_code=_upper(_first(_AUTH, text)),
    )


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None
