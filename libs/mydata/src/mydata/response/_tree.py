"""Order-insensitive access to un-namespaced response documents."""

from __future__ import annotations

from typing import TypeAlias

from lxml import etree

from mydata._xmlparse import UnsafeXml, local_name, parse_xml
from mydata.errors import MalformedResponse

Element: TypeAlias = etree._Element  # effectively Any: lxml has no type information here
MAX_WRAPPING = 2  # <string> holding a ResponseDoc; deeper nesting is not a real answer


def load(data: bytes, expected: str) -> Element:
    """Root element named ``expected``, unwrapping ``<string>`` (escaped XML) if needed."""
    if not data or not data.strip():
        raise MalformedResponse("empty body")
    root = _parse(data)
    for _ in range(MAX_WRAPPING):
        if local_name(root) != "string":
            break
        root = _parse((root.text or "").encode("utf-8"))
    if local_name(root) != expected:
        raise MalformedResponse(f"expected {expected}, got <{local_name(root) or '?'}>")
    return root


def _parse(data: bytes) -> Element:
    try:
        return parse_xml(data.strip())
    except (etree.XMLSyntaxError, UnsafeXml, ValueError) as exc:
        raise MalformedResponse(f"not XML: {exc}") from None


def children(element: Element, name: str) -> list[Element]:
    return [c for c in element if local_name(c) == name]


def text(element: Element, name: str) -> str | None:
    for child in children(element, name):
        value = (child.text or "").strip()
        return value or None
    return None


def long(element: Element, name: str) -> int | None:
    value = text(element, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise MalformedResponse(f"<{name}> is not a number: {value!r}") from None
