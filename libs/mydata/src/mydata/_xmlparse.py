"""One hardened lxml parser configuration for every document this package reads."""

from __future__ import annotations

from lxml import etree

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # far above myDATA's 5000-invoice limit; stops memory abuse


class UnsafeXml(ValueError):
    """The document declares a DTD (entity tricks) or is too large to be a myDATA document."""


def secure_parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse ``data``; raises ``etree.XMLSyntaxError`` or :class:`UnsafeXml`."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnsafeXml(f"document larger than {MAX_DOCUMENT_BYTES} bytes")
    root = etree.fromstring(data, parser=secure_parser())
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnsafeXml("documents with a DTD are refused")
    return root


def local_name(element: etree._Element) -> str:
    """Tag without namespace; comments/PIs give ''."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return str(etree.QName(tag).localname)
