"""The XML documents the provider API answers with (MYDATA.md §3.2, §3.4, §3.6).

Like the live service: no namespace on the elements, ``xmlns:xsi``/``xmlns:xsd`` declared on the
root, a double-quoted utf-8 declaration, and ``statusCode`` *before* ``errors`` in error answers
(the XSD says after; every captured live error response says before).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from aade_sim.provider.rules import RuleError
from aade_sim.state.store import Registration

XML_MEDIA_TYPE = "application/xml; charset=utf-8"
_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
_NSMAP = {
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsd": "http://www.w3.org/2001/XMLSchema",
}


@dataclass(frozen=True, slots=True)
class Reception:
    """What the recipient declared: its providers and e-invoice e-mail addresses."""

    providers: Sequence[str] = ()
    emails: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class InvoiceResult:
    index: int | None
    registration: Registration | None = None
    reception: Reception = Reception()
    errors: Sequence[RuleError] = field(default_factory=tuple)
    status: str = "ValidationError"


def _root(tag: str) -> etree._Element:
    return etree.Element(tag, nsmap=_NSMAP)  # type: ignore[arg-type]


def _add(parent: etree._Element, tag: str, text: object | None = None) -> etree._Element:
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = str(text)
    return child


def _serialize(root: etree._Element) -> bytes:
    body: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=False)
    return _DECLARATION + body


def response_doc(results: Iterable[InvoiceResult]) -> bytes:
    root = _root("ResponseDoc")
    for result in results:
        response = _add(root, "response")
        if result.index is not None:
            _add(response, "index", result.index)
        if result.registration is not None:
            _success(response, result.registration, result.reception)
        else:
            _failure(response, result)
    return _serialize(root)


def _success(response: etree._Element, reg: Registration, reception: Reception) -> None:
    _add(response, "invoiceUid", reg.uid)
    _add(response, "invoiceMark", reg.mark)
    _add(response, "authenticationCode", reg.authentication_code)
    _reception(response, reception)
    _add(response, "qrUrl", reg.qr_url)  # after receptionEmails since v2.0.1
    _add(response, "statusCode", "Success")


def _reception(parent: etree._Element, reception: Reception) -> None:
    if reception.providers:
        providers = _add(parent, "receptionProviders")
        for vat in reception.providers:
            _add(_add(providers, "ProviderInfo"), "VATNumber", vat)
    if reception.emails:
        emails = _add(parent, "receptionEmails")
        for email in reception.emails:
            _add(emails, "email", email)


def _failure(response: etree._Element, result: InvoiceResult) -> None:
    _add(response, "statusCode", result.status)
    errors = _add(response, "errors")
    for error in result.errors:
        item = _add(errors, "error")
        _add(item, "message", error.message)
        _add(item, "code", error.code)


def syntax_error_doc(detail: str) -> bytes:
    """101 for the whole message: the XSD failure is not tied to one invoice, so no index."""
    message = f"XML Syntax Validation Error: {detail}"
    error = RuleError(101, message)
    return response_doc([InvoiceResult(index=None, errors=[error], status="XMLSyntaxError")])


def requested_provider_doc(regs: Sequence[Registration], token: tuple[str, str] | None) -> bytes:
    root = _root("RequestedProviderDoc")
    if token is not None and regs:
        # The XSD pairs (continuationToken?, InvoiceProviderType): a token must precede an item.
        cont = _add(root, "continuationToken")
        _add(cont, "nextPartitionKey", token[0])
        _add(cont, "nextRowKey", token[1])
    for reg in regs:
        item = _add(root, "InvoiceProviderType")
        _add(item, "issuerVAT", reg.issuer_vat)
        _add(item, "invoiceProviderMark", reg.mark)
        _add(item, "invoiceUid", reg.uid)
        _add(item, "authenticationCode", reg.authentication_code)
    return _serialize(root)


def receiver_info_doc(reception: Reception) -> bytes:
    root = _root("ReceiverInfoDoc")
    _reception(root, reception)
    return _serialize(root)
