"""Hashes that identify an invoice: AADE's uid, our temporary authentication string, temp_code.

* ``invoice_uid`` — myDATA's uid (MYDATA.md §4): SHA-1 over the ISO-8859-7 bytes of
  ``{vat}-{yyyy-MM-dd}-{branch}-{type}-{series}-{aa}``, upper-case hex as AADE returns it.
* ``temporary_authentication_code`` — SPEC API-5: what the provider prints while myDATA is down.
  AADE never published its own concatenation, so this format is ours (see docs/mydata-mapping.md):
  ``{vat}-{yyyy-MM-dd}-{branch}-{type}-{series}-{aa}-{mark}-{gross:.2f}-{vat_amount:.2f}-{cp_vat}``,
  UTF-8, SHA-1, upper-case hex (same shape as AADE's authenticationCode, so prints look alike).
* ``temp_code`` — seed 001 temporary QR: SHA-256 over the UTF-8 bytes of
  ``{vat};{Ymd};{branch};{type};{series};{aa}``, lower-case hex (the seed's vector is UTF-8).
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value: Decimal) -> str:
    """Two decimals, half-up, as myDATA amounts are written."""
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def invoice_uid(
    issuer_vat: str,
    issue_date: date,
    branch: int,
    invoice_type: str,
    series: str,
    aa: str,
    *,
    variation_type: int | None = None,
    counterpart_vat: str | None = None,
) -> str:
    """AADE's uid. ``variation_type`` / ``counterpart_vat`` only for the types MYDATA.md §4 lists.

    Raises ``UnicodeEncodeError`` when a field has characters outside ISO-8859-7 (myDATA could not
    hash them either; :mod:`mydata.erp` rejects such series/aa up front).
    """
    fields = [issuer_vat, issue_date.isoformat(), str(branch), invoice_type, series, aa]
    if variation_type is not None:
        fields.append(str(variation_type))
    if counterpart_vat:
        fields.append(counterpart_vat)
    return hashlib.sha1("-".join(fields).encode("iso-8859-7")).hexdigest().upper()


def temporary_authentication_code(
    issuer_vat: str,
    issue_date: date,
    branch: int,
    invoice_type: str,
    series: str,
    aa: str,
    total_gross: Decimal,
    total_vat: Decimal,
    counterpart_vat: str | None,
    *,
    mark: int | str = 0,
) -> str:
    """SPEC API-5 temporary authentication string (MARK ``0`` until myDATA assigns one)."""
    fields = [
        issuer_vat,
        issue_date.isoformat(),
        str(branch),
        invoice_type,
        series,
        aa,
        str(mark),
        money(total_gross),
        money(total_vat),
        counterpart_vat or "",
    ]
    return hashlib.sha1("-".join(fields).encode("utf-8")).hexdigest().upper()


def temp_code(
    issuer_vat: str, issue_date: date, branch: int, invoice_type: str, series: str, aa: str
) -> str:
    """Seed 001 temporary-QR code (``094420307;20230309;0;1.1;ΤΠ-ΔΑ;26`` → ``5f0bb79e…``)."""
    fields = [issuer_vat, issue_date.strftime("%Y%m%d"), str(branch), invoice_type, series, aa]
    return hashlib.sha256(";".join(fields).encode("utf-8")).hexdigest()


def temp_qr_params(
    issuer_vat: str, issue_date: date, branch: int, invoice_type: str, series: str, aa: str
) -> dict[str, str]:
    """Query parameters of the seed-001 temporary QR link, in the seed's order."""
    return {
        "temp_code": temp_code(issuer_vat, issue_date, branch, invoice_type, series, aa),
        "issuer_vat": issuer_vat,
        "issue_date": issue_date.strftime("%Y%m%d"),
        "issuer_branch": str(branch),
        "invoice_type": invoice_type,
        "series": series,
        "aa": aa,
    }
