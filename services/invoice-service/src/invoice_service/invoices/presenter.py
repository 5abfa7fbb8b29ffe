"""The ``data`` object of seed 002's answers, in the response's own field names.

The request is stored as the ERP sent it (validated); the answer renames its fields
(``is_vat`` → ``is_vatNumber``, ``tnetvalue`` → ``totalNetValue`` …) and adds what myDATA
assigned. ``einv03`` tells the invoice's myDATA state (SPEC API-2, API-4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import orjson
from sqlalchemy import Row

from invoice_service.invoices.errors import (
    DEFERRED_EN,
    DEFERRED_MESSAGE,
    REJECTED_EN,
    REJECTED_MESSAGE,
)
from kit.errors import current_language
from mydata.identifiers import temp_qr_params as _temp_qr_params

# Seed 002 types these as Number: the stored request keeps exact decimals as strings, and the
# answer writes them back as JSON numbers without a trip through float.
HEADER_NUMBERS = frozenset(
    {"exchrate", "tnetvalue", "tvat_am", "twthhld_am", "tfees_am", "tstamp_am", "ttax_am"}
    | {"tdeduction", "tgross_val"}
)
LINE_NUMBERS = frozenset(
    {"quantity", "netvalue", "fpavalue", "wthhld_am", "stampvalue", "fees_am", "otax_am"}
    | {"deducvalue", "taxamount", "taxunder", "p105"}
)

HEADER_NAMES = {
    "is_vat": "is_vatNumber",
    "is_country": "is_country",
    "is_branch": "is_branch",
    "is_name": "is_name",
    "is_address": "is_address",
    "is_address_num": "is_address_num",
    "is_city": "is_city",
    "is_zip": "is_zip",
    "cp_vat": "cp_vatNumber",
    "cp_country": "cp_country",
    "cp_branch": "cp_branch",
    "cp_name": "cp_name",
    "cp_address": "cp_address",
    "cp_address_num": "cp_address_num",
    "cp_city": "cp_city",
    "cp_zip": "cp_zip",
    "slr_taxr_name": "slr_taxr_name",
    "slr_taxr_vat": "slr_taxr_vat",
    "series": "series",
    "aa": "aa",
    "issuedate": "issueDate",
    "issuetime": "issueTime",
    "invtype": "invoiceType",
    "fuelinvoice": "fuelInvoice",
    "paytype": "payType",
    "vatpaysusp": "vatPaymentSuspension",
    "currency": "currency",
    "exchrate": "exchangeRate",
    "correlinv": "correlatedInvoices",
    "slfpricing": "selfPricing",
    "dispdate": "dispatchDate",
    "disptime": "dispatchTime",
    "vehiclenum": "vehicleNumber",
    "mvpurpose": "movePurpose",
    "tnetvalue": "totalNetValue",
    "tvat_am": "totalVatAmount",
    "twthhld_am": "totalWithheldAmount",
    "tfees_am": "totalFeesAmount",
    "tstamp_am": "totalStampDutyAmount",
    "ttax_am": "totalOtherTaxesAmount",
    "tdeduction": "totalDeductionsAmount",
    "tgross_val": "totalGrossValue",
    "p00": "p00",
    "pnr01": "pnr01",
}

LINE_NAMES = {
    "linenumber": "lineNumber",
    "rectype": "rectype",
    "quantity": "quantity",
    "fuelcode": "fuelCode",
    "munit": "measurementUnit",
    "invdtype": "invoiceDetailType",
    "netvalue": "netValue",
    "vatcat": "vatCategory",
    "vatexcat": "vatExemptionCategory",
    "appid": "applicationId",
    "appdate": "applicationDate",
    "doy": "doy",
    "shipid": "shipId",
    "discoption": "discountOption",
    "wthhld_am": "withheldAmount",
    "wthhldpcat": "withheldPercentCategory",
    "stampvalue": "stampDutyAmount",
    "stamppcat": "stampDutyPercentCategory",
    "fees_am": "feesAmount",
    "feestype": "feesPercentCategory",
    "otaxpcat": "otherTaxesPercentCategory",
    "otax_am": "otherTaxesAmount",
    "fpavalue": "vatAmount",
    "deducvalue": "deductionsAmount",
    "p104": "mydt10_p00",
    "comments": "lineComments",
    "taxtype": "taxtype",
    "taxcat": "taxcat",
    "taxamount": "taxamount",
    "taxunder": "taxunder",
    "p105": "p105",
    "p106": "p106",
}


def present(invoice: Row[Any], lines: Sequence[Row[Any]], portal_url: str) -> dict[str, Any]:
    """The full ``data`` object for an invoice row and its line rows."""
    request: dict[str, Any] = invoice.request
    data: dict[str, Any] = {
        "id": invoice.id,
        "uid": invoice.uid,
        "mark": invoice.mark if invoice.state == "transmitted" else "0",
        "authcode": current_code(invoice),
        "transmissionFailure": _transmission_failure(invoice),
        "entuid": "",
        "dmark": "",
    }
    data.update({out: _value(request, name, HEADER_NUMBERS) for name, out in HEADER_NAMES.items()})
    data["einv02"] = [_line(row.id, row.body) for row in lines]
    data["einv03"] = einv03(invoice)
    data["qrUrl"] = qr_url(invoice, portal_url)
    data["mydataQrUrl"] = invoice.qr_url
    data["request_xml"] = invoice.request_xml
    data["response_xml"] = invoice.response_xml
    return data


def current_code(invoice: Row[Any]) -> str:
    """The real authentication string once myDATA gave one, else the temporary one."""
    return str(invoice.authentication_code or invoice.temporary_code)


def _transmission_failure(invoice: Row[Any]) -> int:
    # 2 stays visible after a successful retry: the printed temporary string explains it.
    return int(invoice.transmission_failure)


def _line(line_id: int, body: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": line_id}
    out.update({dst: _value(body, src, LINE_NUMBERS) for src, dst in LINE_NAMES.items()})
    income = body.get("mydt61_p00") or body.get("mydt62_p00")
    out["classificationType"] = income
    out["classificationCategory"] = body.get("mydt57_p00") or body.get("mydt58_p00")
    out["vclassificationType"] = body.get("mydt62_p01")
    out["class_amount"] = _value(body, "netvalue", LINE_NUMBERS)
    return out


def _value(source: dict[str, Any], name: str, numbers: frozenset[str]) -> Any:
    value = source.get(name)
    if name in numbers and isinstance(value, str):
        return orjson.Fragment(value.encode())
    return value


def einv03(invoice: Row[Any]) -> dict[str, Any]:
    english = current_language() == "en"
    if invoice.state == "transmitted":
        return _einv03(1, "", "", "", invoice.response_xml)
    if invoice.state == "rejected":
        rejected = REJECTED_EN if english else REJECTED_MESSAGE
        return _einv03(0, "mydata_sync", "mydata_sync_004", rejected, invoice.response_xml)
    deferred = DEFERRED_EN if english else DEFERRED_MESSAGE
    return _einv03(0, "mydata_sync", "mydata_sync_005", deferred, invoice.response_xml)


def _einv03(ok: int, level: str, code: str, message: str, xml: str | None) -> dict[str, Any]:
    return {
        "ok": ok,
        "error_level": level,
        "error_code": code,
        "error_message": message,
        "mydata_response_xml": xml or "",
    }


def qr_url(invoice: Row[Any], portal_url: str) -> str:
    """Seed 001/002: the printed QR opens the portal's search; a temporary QR until myDATA
    answered (SPEC API-8)."""
    base = portal_url.rstrip("/") + "/search"
    if invoice.state == "transmitted" and invoice.authentication_code:
        return f"{base}?{urlencode({'auth_code': invoice.authentication_code})}"
    return f"{base}?{urlencode(temp_qr_params(invoice))}"


def temp_qr_params(invoice: Row[Any]) -> dict[str, str]:
    request = invoice.request
    return _temp_qr_params(
        invoice.issuer_vat,
        invoice.issue_date,
        int(request.get("is_branch") or 0),
        invoice.invoice_type,
        invoice.series,
        invoice.aa,
    )
