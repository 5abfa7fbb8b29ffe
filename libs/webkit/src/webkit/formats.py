"""Numbers, money and dates as each language writes them: Greek ``1.234,50 €``, English
``€1,234.50``; dates ``DD/MM/YYYY`` in both (the seed's form), times in Athens."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_currency, format_decimal

from webkit.i18n import NUMBER_LOCALES, Locale

ATHENS = ZoneInfo("Europe/Athens")
DAY_FORMAT = "%d/%m/%Y"


def decimal_of(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money(value: Any, locale: Locale, currency: str | None = "EUR") -> str:
    amount = decimal_of(value)
    if amount is None:
        return ""
    return format_currency(amount, currency or "EUR", locale=NUMBER_LOCALES[locale])


def number(value: Any, locale: Locale) -> str:
    """A quantity or rate: as many decimals as it has, up to five."""
    amount = decimal_of(value)
    if amount is None:
        return ""
    return format_decimal(amount, format="#,##0.#####", locale=NUMBER_LOCALES[locale])


def day(value: date | str | None) -> str:
    """``DD/MM/YYYY`` from a date or an ISO date string (seed 002 dates are ISO)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        return value.strftime(DAY_FORMAT)
    try:
        return date.fromisoformat(value[:10]).strftime(DAY_FORMAT)
    except ValueError:
        return value


def moment(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(ATHENS).strftime(DAY_FORMAT + " %H:%M")


def parse_day(text: str | None) -> date | None:
    """``DD/MM/YYYY`` (also with ``-`` or ``.``, one-digit day or month) → date, else None."""
    if not text:
        return None
    cleaned = text.strip().replace("-", "/").replace(".", "/")
    try:
        return datetime.strptime(cleaned, DAY_FORMAT).date()
    except ValueError:
        return None


def today_in_athens() -> date:
    return datetime.now(ATHENS).date()
