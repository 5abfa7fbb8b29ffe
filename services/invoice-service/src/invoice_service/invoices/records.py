"""The stored form of a new invoice: identifiers, totals for the portal, the request as sent."""

from __future__ import annotations

from typing import Any

from invoice_service.invoices.repository import NewInvoice
from mydata.erp import ErpInvoice
from mydata.identifiers import invoice_uid, temporary_authentication_code


def new_invoice(erp: ErpInvoice, xml: str, idempotency_key: str | None) -> NewInvoice:
    request = erp.model_dump(mode="json", exclude_none=True)
    columns: dict[str, Any] = {
        "uid": uid_of(erp),
        "pnr01": erp.pnr01,
        "idempotency_key": idempotency_key,
        "state": "pending",
        "transmission_failure": erp.transmission_failure,
        "temporary_code": temporary_code_of(erp),
        "issuer_vat": erp.is_vat,
        "counterpart_vat": erp.cp_vat,
        "series": erp.series,
        "aa": erp.aa,
        "invoice_type": erp.invtype,
        "issue_date": erp.issuedate,
        "request": request,
        "request_xml": xml,
        **_totals(erp),
    }
    return NewInvoice(columns=columns, lines=list(request["einv02"]))


def uid_of(erp: ErpInvoice) -> str:
    return invoice_uid(erp.is_vat, erp.issuedate, erp.is_branch, erp.invtype, erp.series, erp.aa)


def temporary_code_of(erp: ErpInvoice) -> str:
    return temporary_authentication_code(
        erp.is_vat,
        erp.issuedate,
        erp.is_branch,
        erp.invtype,
        erp.series,
        erp.aa,
        erp.tgross_val,
        erp.tvat_am,
        erp.cp_vat,
    )


def _totals(erp: ErpInvoice) -> dict[str, Any]:
    return {
        "total_net": erp.tnetvalue,
        "total_vat": erp.tvat_am,
        "total_withheld": erp.twthhld_am,
        "total_fees": erp.tfees_am,
        "total_stamp_duty": erp.tstamp_am,
        "total_other_taxes": erp.ttax_am,
        "total_deductions": erp.tdeduction,
        "total_gross": erp.tgross_val,
    }
