"""AADE's example invoices (``shared/mydata-samples/invoices``) re-expressed as seed-002 bodies.

A test helper (``libs/mydata/tests`` and the end-to-end tests use it), not library code.
:func:`convert` maps every element of an example ``invoice`` that a seed-002 body has a field
for (docs/mydata-mapping.md §2–§3, the builder's own mapping read backwards) and lists every
element it could not map in :attr:`Converted.unmapped`, so that no difference goes unnoticed.
The examples are found through ``EINV_SHARED_DIR`` (default ``../shared``, as the library's
settings).

Elements deliberately not listed as unmapped, because the builder derives them from the body:
``invoiceSummary``'s classifications (summed from the rows) and the classification amounts when
they equal the row's ``netValue`` (the builder writes the row's net value, myDATA error 306).

    from testkit.aade_examples import example_body
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeAlias

from lxml import etree

from mydata._xmlparse import local_name, parse_xml
from mydata.invoices_doc import ECLS, ICLS, INV
from mydata.settings import DEFAULT_SHARED_DIR, SHARED_DIR_ENV

Body = dict[str, Any]
Element: TypeAlias = etree._Element  # lxml has no type information: effectively Any

# Types a provider may send (MYDATA.md §2.2, PROV201 §8.1); 14.x and 17.x are not among them.
PROVIDER_TYPES = frozenset(
    {
        *("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2"),
        *("5.1", "5.2", "6.1", "6.2", "7.1", "8.1", "8.2", "8.4", "8.5", "8.6", "9.3"),
        *("11.1", "11.2", "11.3", "11.4", "11.5"),
    }
)


# Examples whose taxes are per invoice (``taxesTotals``): their rows carry no taxes to compare.
TAXES_PER_INVOICE = [
    "aade_1.1_taxes_per_invoice.xml",
    "aade_1.5_third_party_settlement_taxes_per_invoice.xml",
    "aade_17.1_payroll_taxes_per_invoice.xml",
    "aade_2.1_service_invoice_taxes_per_invoice.xml",
]
# What a seed-002 body cannot carry, left out of the expected rows (the classification ``id``).
NOT_EXPRESSIBLE = {"buffos_1.1_sales_with_dispatch.xml": {f"{{{ICLS}}}id"}}
_PREFIXES = {INV: "", ICLS: "icls:", ECLS: "ecls:"}  # namespaces are compared too


def detail_rows(root: Element) -> list[Element]:
    """The ``invoiceDetails`` rows of an ``InvoicesDoc`` (or of one ``invoice``)."""
    return list(root.findall(f".//{{{INV}}}invoiceDetails"))


def flat(element: Element, drop: set[str], path: str = "") -> list[tuple[str, str]]:
    """(path, text) of every element in document order, numbers written canonically, so that
    two rows compare by value (``1000.00`` = ``1000.0``); tags in ``drop`` are left out."""
    out: list[tuple[str, str]] = []
    for child in element:
        if not isinstance(child.tag, str) or child.tag in drop:
            continue
        name = etree.QName(child)
        where = f"{path}/{_PREFIXES[name.namespace or '']}{name.localname}"
        out.append((where, _canonical((child.text or "").strip())))
        out += flat(child, drop, where)
    return out


def _canonical(text: str) -> str:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return format(number.normalize(), "f") if number.is_finite() else text


def examples_dir() -> Path:
    shared = os.environ.get(SHARED_DIR_ENV) or DEFAULT_SHARED_DIR
    return Path(shared) / "mydata-samples" / "invoices"


def example_names() -> list[str]:
    """File names of every example, sorted (``aade_1.1_self_pricing.xml``, …)."""
    return sorted(path.name for path in examples_dir().glob("*.xml"))


def example_xml(name: str) -> bytes:
    return (examples_dir() / _file_name(name)).read_bytes()


def _file_name(name: str) -> str:
    return name if name.endswith(".xml") else f"{name}.xml"


@dataclass
class Converted:
    """A seed-002 body, and the example's elements it could not carry (``section/element``)."""

    body: Body = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)


def convert_example(name: str) -> Converted:
    return convert(example_xml(name))


def convert(xml: bytes) -> Converted:
    """The first ``invoice`` of an ``InvoicesDoc`` as a seed-002 body."""
    invoice = _first(parse_xml(xml), "invoice")
    out = Converted()
    summary = _first(invoice, "invoiceSummary")
    for child in _elements(invoice):
        _INVOICE_PARTS.get(local_name(child), _unmapped_part)(child, out, summary)
    return out


def example_body(name: str, *, issuer_vat: str, issue_date: date, aa: str) -> Body:
    """The example ``name`` (file name, ``.xml`` optional) as a body the test customer can issue.

    ``is_vat`` becomes ``issuer_vat``, ``aa`` becomes ``aa`` and ``issuedate`` becomes
    ``issue_date``; ``dispdate`` and the lines' ``appdate`` move by the same number of days.
    Everything else is the example's: series ``A``, counterpart ``888888888`` (myDATA answers
    235 if that is also ``issuer_vat``) and, for the 5.1 credit note, the correlated MARK
    ``400000017716190``, which a live myDATA would not know. Raises ``ValueError`` for examples
    a provider may not send (types 14.x and 17.x; see :data:`PROVIDER_TYPES`).
    """
    body = copy.deepcopy(convert_example(name).body)
    if body["invtype"] not in PROVIDER_TYPES:
        raise ValueError(f"{name}: invoice type {body['invtype']} cannot be sent by a provider")
    shift = issue_date - date.fromisoformat(body["issuedate"])
    body |= {"is_vat": issuer_vat, "aa": str(aa), "issuedate": issue_date.isoformat()}
    if "dispdate" in body:
        body["dispdate"] = (date.fromisoformat(body["dispdate"]) + shift).isoformat()
    for line in body["einv02"]:
        if "appdate" in line:
            line["appdate"] = (date.fromisoformat(line["appdate"]) + shift).isoformat()
    return body


# --- the invoice's parts ----------------------------------------------------------------------

Part = Callable[[Element, Converted, Element], None]


def _first(parent: Element, name: str) -> Element:
    found = next((c for c in _elements(parent) if local_name(c) == name), None)
    if found is None:
        raise ValueError(f"no {name} in {local_name(parent)}")
    return found


def _elements(parent: Element) -> list[Element]:
    return [child for child in parent if isinstance(child.tag, str)]


def _text(element: Element) -> str:
    return (element.text or "").strip()


def _unmapped_part(element: Element, out: Converted, _: Element) -> None:
    out.unmapped.append(local_name(element))


def _transmission_failure(element: Element, out: Converted, _: Element) -> None:
    if _text(element) == "1":  # 2–4 are the provider's own, never the ERP's
        out.body["transmission_failure"] = 1
    else:
        out.unmapped.append("transmissionFailure")


_PARTY = {"vatNumber": "vat", "country": "country", "name": "name"}
_ADDRESS = {"street": "address", "number": "address_num", "postalCode": "zip", "city": "city"}


def _party(prefix: str) -> Part:
    def convert_party(element: Element, out: Converted, _: Element) -> None:
        where = local_name(element)
        for child in _elements(element):
            name = local_name(child)
            if name in _PARTY:
                out.body[f"{prefix}_{_PARTY[name]}"] = _text(child)
            elif name == "branch":
                out.body[f"{prefix}_branch"] = int(_text(child))
            elif name == "address":
                _address(child, prefix, out, where)
            else:
                out.unmapped.append(f"{where}/{name}")

    return convert_party


def _address(element: Element, prefix: str, out: Converted, where: str) -> None:
    for child in _elements(element):
        name = local_name(child)
        if name in _ADDRESS:
            out.body[f"{prefix}_{_ADDRESS[name]}"] = _text(child)
        else:
            out.unmapped.append(f"{where}/address/{name}")


_HEADER = {
    "series": "series",
    "aa": "aa",
    "issueDate": "issuedate",
    "invoiceType": "invtype",
    "currency": "currency",
    "exchangeRate": "exchrate",
    "dispatchDate": "dispdate",
    "dispatchTime": "disptime",
    "vehicleNumber": "vehiclenum",
    "movePurpose": "mvpurpose",
}
_HEADER_FLAGS = {
    "vatPaymentSuspension": "vatpaysusp",
    "selfPricing": "slfpricing",
    "fuelInvoice": "fuelinvoice",
}


def _header(element: Element, out: Converted, _: Element) -> None:
    marks = []
    for child in _elements(element):
        name = local_name(child)
        if name in _HEADER:
            out.body[_HEADER[name]] = _text(child)
        elif name in _HEADER_FLAGS:
            out.body[_HEADER_FLAGS[name]] = _text(child) == "true"
        elif name == "correlatedInvoices":
            marks.append(_text(child))
        else:
            out.unmapped.append(f"invoiceHeader/{name}")
    if marks:
        out.body["correlinv"] = ", ".join(marks)


def _payments(element: Element, out: Converted, summary: Element) -> None:
    # The seed carries one payment type; the builder pays the gross total with it.
    gross = _amount(_first(summary, "totalGrossValue"))
    for index, details in enumerate(_elements(element)):
        where = "paymentMethods/paymentMethodDetails"
        if index > 0:
            out.unmapped.append(f"{where}[{index}]")
            continue
        for child in _elements(details):
            name = local_name(child)
            if name == "type":
                out.body["paytype"] = _text(child)
            elif name != "amount" or _amount(child) != gross:
                out.unmapped.append(f"{where}/{name}")


def _summary(element: Element, out: Converted, _: Element) -> None:
    for child in _elements(element):
        name = local_name(child)
        if name in _TOTALS:
            out.body[_TOTALS[name]] = _text(child)
        elif name not in ("incomeClassification", "expensesClassification"):
            out.unmapped.append(f"invoiceSummary/{name}")


_TOTALS = {
    "totalNetValue": "tnetvalue",
    "totalVatAmount": "tvat_am",
    "totalWithheldAmount": "twthhld_am",
    "totalFeesAmount": "tfees_am",
    "totalStampDutyAmount": "tstamp_am",
    "totalOtherTaxesAmount": "ttax_am",
    "totalDeductionsAmount": "tdeduction",
    "totalGrossValue": "tgross_val",
}


def _amount(element: Element) -> Decimal:
    return Decimal(_text(element))


# --- lines: invoiceDetails rows and taxesTotals tax rows ---------------------------------------

_ROW = {
    "quantity": "quantity",
    "measurementUnit": "munit",
    "invoiceDetailType": "invdtype",
    "netValue": "netvalue",
    "vatCategory": "vatcat",
    "vatAmount": "fpavalue",
    "vatExemptionCategory": "vatexcat",
    "withheldAmount": "wthhld_am",
    "withheldPercentCategory": "wthhldpcat",
    "stampDutyAmount": "stampvalue",
    "stampDutyPercentCategory": "stamppcat",
    "feesAmount": "fees_am",
    "feesPercentCategory": "feestype",
    "otherTaxesPercentCategory": "otaxpcat",
    "otherTaxesAmount": "otax_am",
    "deductionsAmount": "deducvalue",
    "lineComments": "comments",
}
_ROW_NUMBERS = {"lineNumber": "linenumber", "recType": "rectype", "fuelCode": "fuelcode"}
_SHIP = {"applicationId": "appid", "applicationDate": "appdate", "doy": "doy", "shipId": "shipid"}


def _row(element: Element, out: Converted, _: Element) -> None:
    line: Body = {}
    number = len(out.body.setdefault("einv02", [])) + 1
    where = f"invoiceDetails[{number}]"
    for child in _elements(element):
        name = local_name(child)
        if name in _ROW:
            line[_ROW[name]] = _text(child)
        elif name in _ROW_NUMBERS:
            line[_ROW_NUMBERS[name]] = int(_text(child))
        elif name == "discountOption":
            line["discoption"] = 1 if _text(child) == "true" else 0
        elif name == "dienergia":
            _ship(child, line, out.unmapped, where)
        elif name not in ("incomeClassification", "expensesClassification"):
            out.unmapped.append(f"{where}/{name}")
    _classifications(element, line, out.unmapped, where)
    out.body["einv02"].append(line)


def _ship(element: Element, line: Body, unmapped: list[str], where: str) -> None:
    for child in _elements(element):
        name = local_name(child)
        if name in _SHIP:
            line[_SHIP[name]] = _text(child)
        else:
            unmapped.append(f"{where}/dienergia/{name}")


def _classifications(row: Element, line: Body, unmapped: list[str], where: str) -> None:
    net = Decimal(line.get("netvalue", "0"))
    income = [c for c in _elements(row) if local_name(c) == "incomeClassification"]
    expenses = [c for c in _elements(row) if local_name(c) == "expensesClassification"]
    if income:
        line["p104"] = 1
        _income(income, line, unmapped, where, net)
        unmapped += [f"{where}/expensesClassification" for _ in expenses]  # one side per row
    elif expenses:
        line["p104"] = 2
        _expenses(expenses, line, unmapped, where, net)


def _income(
    found: list[Element], line: Body, unmapped: list[str], where: str, net: Decimal
) -> None:
    first, *others = found
    parts = _classification(first, unmapped, f"{where}/incomeClassification", net)
    names = {"classificationCategory": "mydt57_p00", "classificationType": "mydt61_p00"}
    line |= {names[name]: value for name, value in parts.items()}
    unmapped += [f"{where}/incomeClassification" for _ in others]


def _expenses(
    found: list[Element], line: Body, unmapped: list[str], where: str, net: Decimal
) -> None:
    # The builder writes the E3/category pair first, then the VAT_ classification (mydt62_p01).
    for element in found:
        parts = _classification(element, unmapped, f"{where}/expensesClassification", net)
        kind = parts.get("classificationType", "")
        vat_only = kind.startswith("VAT_") and "classificationCategory" not in parts
        target = {"classificationType": "mydt62_p01"} if vat_only else _EXPENSE_FIELDS
        if any(target[name] in line for name in parts):
            unmapped.append(f"{where}/expensesClassification")  # a second one of that kind
            continue
        line |= {target[name]: value for name, value in parts.items()}


_EXPENSE_FIELDS = {"classificationType": "mydt62_p00", "classificationCategory": "mydt58_p00"}


def _classification(
    element: Element, unmapped: list[str], where: str, net: Decimal
) -> dict[str, str]:
    parts: dict[str, str] = {}
    for child in _elements(element):
        name = local_name(child)
        if name in ("classificationType", "classificationCategory"):
            parts[name] = _text(child)
        elif name != "amount" or _amount(child) != net:
            unmapped.append(f"{where}/{name}")
    return parts


_TAX = {
    "taxType": "taxtype",
    "taxCategory": "taxcat",
    "underlyingValue": "taxunder",
    "taxAmount": "taxamount",
}


def _taxes(element: Element, out: Converted, _: Element) -> None:
    for taxes in _elements(element):
        row: Body = {}
        for child in _elements(taxes):
            name = local_name(child)
            if name in _TAX:
                row[_TAX[name]] = _text(child)
            else:
                out.unmapped.append(f"taxesTotals/taxes/{name}")
        out.body.setdefault("einv02", []).append(row)


_INVOICE_PARTS: dict[str, Part] = {
    "transmissionFailure": _transmission_failure,
    "issuer": _party("is"),
    "counterpart": _party("cp"),
    "invoiceHeader": _header,
    "paymentMethods": _payments,
    "invoiceDetails": _row,
    "taxesTotals": _taxes,
    "invoiceSummary": _summary,
}
