"""``issuer`` and ``counterpart`` (PartyType: vatNumber country branch name? address?)."""

from __future__ import annotations

from mydata.erp.models import ErpInvoice
from mydata.invoices_doc._xml import Element, opt, sub

# Retail documents (A2, non-counterparted): myDATA forbids a counterpart.
NO_COUNTERPART_PREFIX = "11."
GREECE = "GR"


def add_issuer(invoice: Element, erp: ErpInvoice) -> None:
    country = (erp.is_country or GREECE).upper()
    party = sub(invoice, "issuer")
    sub(party, "vatNumber", erp.is_vat)
    sub(party, "country", country)
    sub(party, "branch", str(erp.is_branch))
    if country != GREECE:  # error 219: name (and so the postal identity) only for foreign issuers
        opt(party, "name", erp.is_name)
        _address(party, erp.is_address, erp.is_address_num, erp.is_zip, erp.is_city)


def has_counterpart(erp: ErpInvoice) -> bool:
    return bool(erp.cp_vat) and not erp.invtype.startswith(NO_COUNTERPART_PREFIX)


def add_counterpart(invoice: Element, erp: ErpInvoice) -> None:
    if not has_counterpart(erp):
        return
    country = (erp.cp_country or GREECE).upper()
    party = sub(invoice, "counterpart")
    sub(party, "vatNumber", erp.cp_vat)
    sub(party, "country", country)
    sub(party, "branch", str(erp.cp_branch or 0))
    if country != GREECE:  # error 220: counterpart name forbidden for Greek counterparts
        opt(party, "name", erp.cp_name)
    _address(party, erp.cp_address, erp.cp_address_num, erp.cp_zip, erp.cp_city)


def _address(
    party: Element, street: str | None, number: str | None, zip_code: str | None, city: str | None
) -> None:
    # AddressType requires postalCode and city; a partial address is left out rather than invalid.
    if not (zip_code and city):
        return
    address = sub(party, "address")
    opt(address, "street", street)
    opt(address, "number", number)
    sub(address, "postalCode", zip_code)
    sub(address, "city", city)
