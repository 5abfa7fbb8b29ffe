"""Provider query answers: ``RequestedProviderDoc`` (RequestTransmittedDocs) and
``ReceiverInfoDoc`` (RequestReceiverInfo).

Used to recover after an ambiguous failure: find the invoice we sent by its uid and take the MARK
and authentication code myDATA assigned to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mydata.errors import MalformedResponse
from mydata.response._tree import Element, children, load, long, text


@dataclass(frozen=True, slots=True)
class TransmittedInvoice:
    issuer_vat: str
    mark: int
    uid: str
    authentication_code: str | None


@dataclass(frozen=True, slots=True)
class ContinuationToken:
    next_partition_key: str
    next_row_key: str


@dataclass(frozen=True, slots=True)
class TransmittedDocs:
    invoices: tuple[TransmittedInvoice, ...]
    continuation: ContinuationToken | None = None

    def find_by_uid(self, uid: str) -> TransmittedInvoice | None:
        wanted = uid.upper()
        return next((i for i in self.invoices if i.uid == wanted), None)


@dataclass(frozen=True, slots=True)
class ReceiverInfo:
    provider_vats: tuple[str, ...]
    emails: tuple[str, ...]


def parse_transmitted_docs(data: bytes) -> TransmittedDocs:
    """``RequestedProviderDoc`` (provider channel; continuation tokens may be interleaved)."""
    root = load(data, "RequestedProviderDoc")
    invoices = tuple(_invoice(e) for e in children(root, "InvoiceProviderType"))
    tokens = [_token(e) for e in children(root, "continuationToken")]
    return TransmittedDocs(invoices, tokens[-1] if tokens else None)


def _invoice(element: Element) -> TransmittedInvoice:
    mark, uid = long(element, "invoiceProviderMark"), text(element, "invoiceUid")
    if mark is None or uid is None:
        raise MalformedResponse("InvoiceProviderType without invoiceProviderMark/invoiceUid")
    return TransmittedInvoice(
        issuer_vat=text(element, "issuerVAT") or "",
        mark=mark,
        uid=uid.upper(),
        authentication_code=text(element, "authenticationCode"),
    )


def _token(element: Element) -> ContinuationToken:
    return ContinuationToken(
        text(element, "nextPartitionKey") or "", text(element, "nextRowKey") or ""
    )


def parse_receiver_info(data: bytes) -> ReceiverInfo:
    """``ReceiverInfoDoc`` — no XSD exists; both spellings of the containers are accepted."""
    root = load(data, "ReceiverInfoDoc")
    vats: list[str] = []
    emails: list[str] = []
    for name in ("receptionProviders", "receptionsProviders"):
        for group in children(root, name):
            vats += [
                v for info in children(group, "ProviderInfo") if (v := text(info, "VATNumber"))
            ]
    for name in ("receptionEmails", "receptionsEmails"):
        for group in children(root, name):
            emails += [(e.text or "").strip() for e in children(group, "email") if e.text]
    return ReceiverInfo(tuple(vats), tuple(emails))
