"""An invoice as it is printed, built from invoice-service's ``InvoiceView`` (seed 002's
``data``) and the customer's ``Branding``, in the viewer's language.

Everything here is plain data for the template, which escapes it: names and descriptions come
from ERPs and may hold anything, markup included.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from contracts.portal import Branding, InvoiceView
from portal_web.clients.invoices import Logo
from portal_web.documents import codes
from portal_web.documents.qr import qr_svg
from webkit.formats import decimal_of
from webkit.i18n import Locale

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    vat: str
    country: str
    branch: str
    address: str
    city: str
    zip_code: str


@dataclass(frozen=True, slots=True)
class Line:
    number: str
    description: str
    quantity: Any
    unit: str  # a message id (codes.UNITS) or the code
    net: Any
    vat_category: str
    vat: Any


@dataclass(frozen=True, slots=True)
class VatRow:
    category: str
    rate: str  # "24" … or "" when the category has a name instead
    name: str  # codes.VAT_NAMES, or ""
    net: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    net: Any
    vat: Any
    withheld: Any
    other_taxes: Any
    stamp_duty: Any
    fees: Any
    deductions: Any
    gross: Any


@dataclass(frozen=True, slots=True)
class Masthead:
    """The customer's business details in the viewer's language (PORTAL-10)."""

    header: str = ""
    details: str = ""
    footer: str = ""
    logo_src: str = ""  # a data: URI, so the view, the print and the PDF need no other request


@dataclass(frozen=True, slots=True)
class Document:
    uid: str
    mark: str
    authentication_code: str
    temporary_code: str
    temporary: bool
    rejected: bool
    errors: list[dict[str, str]]
    series: str
    number: str
    issue_date: str
    issue_time: str
    type_code: str
    type_name: str  # a message id, or "" (then the code is shown)
    currency: str
    issuer: Party
    counterpart: Party | None
    payment_method: str
    dispatch_date: str
    dispatch_time: str
    vehicle: str
    move_purpose: str
    correlated: str
    lines: list[Line]
    vat_rows: list[VatRow]
    totals: Totals
    qr_url: str
    qr_svg: Markup
    masthead: Masthead = field(default_factory=Masthead)


def build(
    view: InvoiceView, branding: Branding, logo: Logo | None, locale: Locale, issuer_name: str = ""
) -> Document:
    data = view.data
    issuer = _party(data, "is_")
    if not issuer.name and issuer_name:
        issuer = replace(issuer, name=issuer_name)
    rows = [line for line in data.get("einv02") or [] if _is_invoice_row(line)]
    return Document(
        uid=_text(data, "uid"), mark=_mark(data), authentication_code=_text(data, "authcode"),
        temporary_code=view.temporary_code, temporary=view.temporary,
        rejected=view.state == "rejected", errors=view.errors,
        series=_text(data, "series"), number=_text(data, "aa"),
        issue_date=_text(data, "issueDate"), issue_time=_text(data, "issueTime"),
        type_code=_text(data, "invoiceType"),
        type_name=codes.INVOICE_TYPES.get(_text(data, "invoiceType"), ""),
        currency=_text(data, "currency") or "EUR",
        issuer=issuer, counterpart=_counterpart(data),
        payment_method=_named(codes.PAYMENT_METHODS, data.get("payType")),
        dispatch_date=_text(data, "dispatchDate"), dispatch_time=_text(data, "dispatchTime"),
        vehicle=_text(data, "vehicleNumber"),
        move_purpose=_named(codes.MOVE_PURPOSES, data.get("movePurpose")),
        correlated=_text(data, "correlatedInvoices"),
        lines=[_line(row) for row in rows], vat_rows=vat_rows(rows), totals=_totals(data),
        qr_url=_text(data, "qrUrl"), qr_svg=qr_svg(_text(data, "qrUrl")),
        masthead=masthead(branding, logo, locale),
    )  # fmt: skip


def masthead(branding: Branding, logo: Logo | None, locale: Locale) -> Masthead:
    english = locale == "en"
    return Masthead(
        header=branding.header_en if english else branding.header_el,
        details=branding.details_en if english else branding.details_el,
        footer=branding.footer_en if english else branding.footer_el,
        logo_src=data_uri(logo) if logo else "",
    )


def data_uri(logo: Logo) -> str:
    return f"data:{logo.content_type};base64,{base64.b64encode(logo.content).decode()}"


def vat_rows(rows: list[dict[str, Any]]) -> list[VatRow]:
    """Net and VAT per VAT category (law 4308/2014 art. 8: net per rate, rate, VAT amount)."""
    net: dict[str, Decimal] = defaultdict(lambda: ZERO)
    vat: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        category = codes.code_key(row.get("vatCategory"))
        net[category] += decimal_of(row.get("netValue")) or ZERO
        vat[category] += decimal_of(row.get("vatAmount")) or ZERO
    return [
        VatRow(c, codes.VAT_RATES.get(c, ""), codes.VAT_NAMES.get(c, ""), net[c], vat[c])
        for c in sorted(net, key=_numeric_first)
    ]


def _is_invoice_row(line: dict[str, Any]) -> bool:
    # Seed 002 puts taxes-per-invoice entries in einv02 too: a tax type and no VAT category.
    return not (line.get("taxtype") and line.get("vatCategory") in (None, ""))


def _line(row: dict[str, Any]) -> Line:
    quantity = row.get("p105") if row.get("p105") not in (None, "") else row.get("quantity")
    description = row.get("p106") or row.get("lineComments") or ""
    return Line(
        number=_text(row, "lineNumber"), description=str(description), quantity=quantity,
        unit=_named(codes.UNITS, row.get("measurementUnit")), net=row.get("netValue"),
        vat_category=codes.code_key(row.get("vatCategory")), vat=row.get("vatAmount"),
    )  # fmt: skip


def _party(data: dict[str, Any], prefix: str) -> Party:
    vat_key = f"{prefix}vatNumber"
    return Party(
        name=_text(data, f"{prefix}name"), vat=_text(data, vat_key),
        country=_text(data, f"{prefix}country"), branch=_text(data, f"{prefix}branch"),
        address=" ".join(filter(None, [_text(data, f"{prefix}address"),
                                       _text(data, f"{prefix}address_num")])),
        city=_text(data, f"{prefix}city"), zip_code=_text(data, f"{prefix}zip"),
    )  # fmt: skip


def _counterpart(data: dict[str, Any]) -> Party | None:
    party = _party(data, "cp_")
    return party if party.vat or party.name else None


def _totals(data: dict[str, Any]) -> Totals:
    return Totals(
        net=data.get("totalNetValue"), vat=data.get("totalVatAmount"),
        withheld=data.get("totalWithheldAmount"), other_taxes=data.get("totalOtherTaxesAmount"),
        stamp_duty=data.get("totalStampDutyAmount"), fees=data.get("totalFeesAmount"),
        deductions=data.get("totalDeductionsAmount"), gross=data.get("totalGrossValue"),
    )  # fmt: skip


def _mark(data: dict[str, Any]) -> str:
    mark = _text(data, "mark")
    return "" if mark in ("", "0") else mark


def _named(names: dict[str, str], code: object) -> str:
    key = codes.code_key(code)
    return names.get(key, key)


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value)


def _numeric_first(category: str) -> tuple[int, str]:
    return (int(category), "") if category.isdigit() else (10**6, category)
