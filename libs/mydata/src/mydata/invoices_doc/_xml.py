"""Namespaces and small element helpers shared by the InvoicesDoc sections."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeAlias

from lxml import etree

from mydata.identifiers import money

INV = "http://www.aade.gr/myDATA/invoice/v1.0"
# "https" and the "Classificaton" typo are what the XSD declares.
ICLS = "https://www.aade.gr/myDATA/incomeClassificaton/v1.0"
ECLS = "https://www.aade.gr/myDATA/expensesClassificaton/v1.0"
NSMAP: dict[str | None, str] = {None: INV, "icls": ICLS, "ecls": ECLS}

# lxml ships no type information here, so this alias is effectively Any for mypy.
Element: TypeAlias = etree._Element


def sub(parent: Element, name: str, text: str | None = None, ns: str = INV) -> Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        element.text = text
    return element


def opt(parent: Element, name: str, value: object, ns: str = INV) -> None:
    """Add ``name`` only when there is a value (``None`` and ``""`` mean absent)."""
    if value is None or value == "":
        return
    sub(parent, name, _text(value), ns)


def flag(parent: Element, name: str, value: bool | None) -> None:
    # myDATA error 214: boolean header elements "must be sent only if true".
    if value:
        sub(parent, name, "true")


def amount(parent: Element, name: str, value: Decimal | None) -> None:
    sub(parent, name, money(value if value is not None else Decimal(0)))


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
