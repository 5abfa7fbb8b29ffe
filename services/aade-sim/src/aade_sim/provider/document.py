"""Reading an ``InvoicesDoc``: safe parsing, XSD validation and the facts the rules need.

Everything here is synchronous and self-contained so that a big body can be handled in a worker
thread (``asyncio.to_thread``) while a small one is handled inline on the event loop.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

NS = {
    "inv": "http://www.aade.gr/myDATA/invoice/v1.0",
    "icls": "https://www.aade.gr/myDATA/incomeClassificaton/v1.0",
    "ecls": "https://www.aade.gr/myDATA/expensesClassificaton/v1.0",
}
INVOICES_XSD = "InvoicesDoc-v2.0.1.xsd"
ZERO = Decimal("0")
_ROOT_TAG = f"{{{NS['inv']}}}InvoicesDoc"
_TAX_FIELDS = ("withheld", "fees", "stampDuty", "otherTaxes", "deductions")


@dataclass(frozen=True, slots=True)
class Party:
    vat: str
    country: str
    branch: int
    name: str | None


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    net: Decimal
    vat: Decimal
    vat_category: int
    exemption: int | None
    detail_type: int | None
    taxes: dict[str, Decimal | None]  # keys of _TAX_FIELDS; None = element absent
    # Sum of the line's classification amounts per group (income, expenses E3, expenses VAT):
    # each group sent must add up to the line's net value on its own (306). Empty: none sent.
    classified: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    net: Decimal
    vat: Decimal
    gross: Decimal
    taxes: dict[str, Decimal]


@dataclass(frozen=True, slots=True)
class Invoice:
    issuer: Party | None
    counterpart: Party | None
    series: str
    aa: str
    issue_date: date
    invoice_type: str
    variation_type: int | None
    transmission_failure: int | None
    lines: tuple[Line, ...]
    tax_totals: tuple[tuple[int, Decimal], ...]  # (taxType, taxAmount) from taxesTotals
    summary: Summary
    xml: str


@dataclass(frozen=True, slots=True)
class SyntaxFailure:
    """The body is not well-formed, carries a DTD, or breaks the XSD (error 101)."""

    detail: str


@dataclass(frozen=True, slots=True)
class ParsedDoc:
    invoices: tuple[Invoice, ...]


class InvoicesReader:
    """Holds the schema (loaded once) and turns a request body into ``ParsedDoc``."""

    def __init__(self, xsd_dir: Path, *, validate: bool = True) -> None:
        self._validate = validate
        path = xsd_dir / INVOICES_XSD
        if not path.is_file():
            raise FileNotFoundError(f"{INVOICES_XSD} not found in {xsd_dir} (EINV_MYDATA_XSD_DIR)")
        schema_doc = etree.parse(str(path), _safe_parser())
        # lxml validators and parsers are not meant for concurrent use: one per thread, all
        # compiled from the one schema document read here (the lock keeps compiles apart).
        self._schema_doc = schema_doc
        self._compile_lock = threading.Lock()
        self._local = threading.local()
        self._schema()  # compile now so a broken XSD fails at start-up

    def _schema(self) -> etree.XMLSchema:
        schema: etree.XMLSchema | None = getattr(self._local, "schema", None)
        if schema is None:
            with self._compile_lock:
                schema = self._local.schema = etree.XMLSchema(self._schema_doc)
            self._local.parser = _safe_parser()
        return schema

    def read(self, body: bytes) -> ParsedDoc | SyntaxFailure:
        schema = self._schema()
        try:
            root = etree.fromstring(body, self._local.parser)
        except etree.XMLSyntaxError as exc:
            return SyntaxFailure(str(exc))
        if root.getroottree().docinfo.doctype:
            return SyntaxFailure("DTDs are not allowed")
        if root.tag != _ROOT_TAG:
            return SyntaxFailure(f"the root element must be InvoicesDoc, not {root.tag}")
        if self._validate and not schema.validate(root):
            first = next(iter(schema.error_log))
            return SyntaxFailure(f"line {first.line}: {first.message}")
        return ParsedDoc(tuple(_invoice(el) for el in root.iterfind("inv:invoice", NS)))


def _safe_parser() -> etree.XMLParser:
    # No entity expansion, no DTD loading, no network: the body comes from outside.
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def _text(el: etree._Element, path: str) -> str | None:
    found = el.find(path, NS)
    return None if found is None or found.text is None else found.text.strip()


def _dec(el: etree._Element, path: str) -> Decimal | None:
    value = _text(el, path)
    return None if value is None else Decimal(value)


def _int(el: etree._Element, path: str) -> int | None:
    value = _text(el, path)
    return None if value is None else int(value)


def _party(el: etree._Element | None) -> Party | None:
    if el is None:
        return None
    return Party(
        vat=_text(el, "inv:vatNumber") or "",
        country=_text(el, "inv:country") or "",
        branch=_int(el, "inv:branch") or 0,
        name=_text(el, "inv:name"),
    )


def _line(el: etree._Element) -> Line:
    return Line(
        number=_int(el, "inv:lineNumber") or 0,
        net=_dec(el, "inv:netValue") or ZERO,
        vat=_dec(el, "inv:vatAmount") or ZERO,
        vat_category=_int(el, "inv:vatCategory") or 0,
        exemption=_int(el, "inv:vatExemptionCategory"),
        detail_type=_int(el, "inv:invoiceDetailType"),
        taxes={f: _dec(el, f"inv:{f}Amount") for f in _TAX_FIELDS},
        classified=_classified(el),
    )


def _classified(line: etree._Element) -> tuple[Decimal, ...]:
    """Per group, the sum of the line's classification amounts. An expense row carries its E3
    classification and its VAT one (``VAT_361``…, ``NOT_VAT_295``) side by side, each for the
    whole net value (AADE's own self-pricing example does), so they are summed apart."""
    groups: dict[str, Decimal] = {}
    for item in line.iterfind("inv:incomeClassification", NS):
        groups["income"] = groups.get("income", ZERO) + _amount(item, "icls")
    for item in line.iterfind("inv:expensesClassification", NS):
        kind = item.findtext("ecls:classificationType", "", NS).strip()
        group = "vat" if kind.startswith(("VAT_", "NOT_VAT_")) else "e3"
        groups[group] = groups.get(group, ZERO) + _amount(item, "ecls")
    return tuple(groups.values())


def _amount(item: etree._Element, prefix: str) -> Decimal:
    return Decimal(item.findtext(f"{prefix}:amount", "0", NS).strip() or "0")


def _summary(el: etree._Element) -> Summary:
    return Summary(
        net=_dec(el, "inv:totalNetValue") or ZERO,
        vat=_dec(el, "inv:totalVatAmount") or ZERO,
        gross=_dec(el, "inv:totalGrossValue") or ZERO,
        taxes={f: _dec(el, f"inv:total{f[0].upper()}{f[1:]}Amount") or ZERO for f in _TAX_FIELDS},
    )


def _tax_totals(el: etree._Element) -> tuple[tuple[int, Decimal], ...]:
    return tuple(
        (_int(t, "inv:taxType") or 0, _dec(t, "inv:taxAmount") or ZERO)
        for t in el.iterfind("inv:taxesTotals/inv:taxes", NS)
    )


def _invoice(el: etree._Element) -> Invoice:
    header = el.find("inv:invoiceHeader", NS)
    summary = el.find("inv:invoiceSummary", NS)
    assert header is not None and summary is not None  # both mandatory in the XSD
    return Invoice(
        issuer=_party(el.find("inv:issuer", NS)),
        counterpart=_party(el.find("inv:counterpart", NS)),
        series=_text(header, "inv:series") or "",
        aa=_text(header, "inv:aa") or "",
        # xs:date may carry a zone suffix ("2026-03-16+02:00"); the day is what counts.
        issue_date=date.fromisoformat((_text(header, "inv:issueDate") or "")[:10]),
        invoice_type=_text(header, "inv:invoiceType") or "",
        variation_type=_int(header, "inv:invoiceVariationType"),
        transmission_failure=_int(el, "inv:transmissionFailure"),
        lines=tuple(_line(line) for line in el.iterfind("inv:invoiceDetails", NS)),
        tax_totals=_tax_totals(el),
        summary=_summary(summary),
        xml=etree.tostring(el, encoding="unicode"),
    )
