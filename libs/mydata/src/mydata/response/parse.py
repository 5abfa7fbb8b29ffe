"""Parse ``ResponseDoc`` (the answer of every Send*/Cancel* call), independent of element order.

The live service writes ``statusCode`` before ``errors`` (against its own XSD), some gateways
wrap the document as escaped text in ``<string xmlns="…/Serialization/">``: both are accepted.
"""

from __future__ import annotations

from mydata.errors import MalformedResponse
from mydata.response._tree import Element, children, load, long, text
from mydata.response.results import (
    SUCCESS,
    TECHNICAL_ERROR,
    Acknowledged,
    BusinessRejected,
    ErrorItem,
    Registered,
    ResponseEntry,
    TechnicalRejected,
)


def parse_response_doc(data: bytes) -> tuple[ResponseEntry, ...]:
    """Every ``response`` entry, in document order; :class:`MalformedResponse` if unusable."""
    root = load(data, "ResponseDoc")
    responses = children(root, "response")
    if not responses:
        raise MalformedResponse("ResponseDoc without response entries")
    return tuple(_entry(r, position) for position, r in enumerate(responses, start=1))


def _entry(response: Element, position: int) -> ResponseEntry:
    index = long(response, "index") or position
    status = text(response, "statusCode")
    if status is None:
        raise MalformedResponse(f"response {index} has no statusCode")
    if status == SUCCESS:
        return _success(response, index)
    errors = _errors(response)
    if status == TECHNICAL_ERROR:
        return TechnicalRejected(index, errors)
    return BusinessRejected(index, status, errors)


def _success(response: Element, index: int) -> Registered | Acknowledged:
    uid, mark = text(response, "invoiceUid"), long(response, "invoiceMark")
    if uid and mark is not None:
        return Registered(
            index=index,
            uid=uid.upper(),
            mark=mark,
            authentication_code=text(response, "authenticationCode"),
            qr_url=text(response, "qrUrl"),
            reception_emails=_values(response, "receptionEmails", "email"),
            reception_providers=_provider_vats(response),
        )
    return Acknowledged(
        index=index,
        invoice_mark=mark,
        cancellation_mark=long(response, "cancellationMark"),
        payment_method_mark=long(response, "paymentMethodMark"),
        classification_mark=long(response, "classificationMark"),
    )


def _errors(response: Element) -> tuple[ErrorItem, ...]:
    found = []
    for container in children(response, "errors"):
        for error in children(container, "error"):
            found.append(ErrorItem(text(error, "code") or "", text(error, "message") or ""))
    return tuple(found)


def _values(parent: Element, container: str, item: str) -> tuple[str, ...]:
    out = []
    for group in children(parent, container):
        out += [(c.text or "").strip() for c in children(group, item) if (c.text or "").strip()]
    return tuple(out)


def _provider_vats(parent: Element) -> tuple[str, ...]:
    out: list[str] = []
    for group in children(parent, "receptionProviders"):
        for info in children(group, "ProviderInfo"):
            vat = text(info, "VATNumber")
            out += [vat] if vat else []
    return tuple(out)
