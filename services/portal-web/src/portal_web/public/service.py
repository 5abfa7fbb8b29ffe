"""Finding an invoice from what is printed on it: its authentication string (real or temporary)
or the seed-001 temporary QR. The owner of a string is asked of tenant-admin's directory of
public strings; tenant databases are never scanned."""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from mydata.identifiers import temp_code
from portal_web.clients.invoices import InvoiceClient
from portal_web.clients.tenant_admin import TenantAdminClient
from portal_web.documents.model import Document
from portal_web.documents.service import load_document
from webkit.i18n import Locale

# Authentication strings are hex (40 characters; temp_code 64); anything else finds nothing.
_CODE = re.compile(r"^[A-Za-z0-9]{8,128}$")
TEMP_QR_FIELDS = ("temp_code", "issuer_vat", "issue_date", "issuer_branch", "invoice_type",
                  "series", "aa")  # fmt: skip


@dataclass(frozen=True, slots=True)
class TempQr:
    """The seed-001 temporary QR's query: the invoice's key fields and their SHA-256."""

    temp_code: str
    issuer_vat: str
    issue_date: date
    issuer_branch: int
    invoice_type: str
    series: str
    aa: str

    def holds(self) -> bool:
        """``temp_code`` is the SHA-256 of the other fields (API-8): the QR was not made up."""
        expected = temp_code(self.issuer_vat, self.issue_date, self.issuer_branch,
                             self.invoice_type, self.series, self.aa)  # fmt: skip
        return hmac.compare_digest(expected, self.temp_code.lower())


def normal_code(text: str) -> str | None:
    code = "".join(text.split())
    return code if _CODE.match(code) else None


def read_temp_qr(params: Mapping[str, str]) -> TempQr | None:
    """The temporary QR's fields, or None when one is missing or malformed."""
    values = {name: params.get(name, "").strip() for name in TEMP_QR_FIELDS}
    if not all(values[name] for name in TEMP_QR_FIELDS if name != "issuer_branch"):
        return None
    try:
        issued = datetime.strptime(values["issue_date"], "%Y%m%d").date()
        branch = int(values["issuer_branch"] or "0")
    except ValueError:
        return None
    if max(len(v) for v in values.values()) > 100:
        return None
    return TempQr(values["temp_code"], values["issuer_vat"], issued, branch,
                  values["invoice_type"], values["series"], values["aa"])  # fmt: skip


async def find_by_code(
    tenant_admin: TenantAdminClient, invoices: InvoiceClient, code: str, locale: Locale
) -> Document | None:
    """The invoice a printed string names (a temporary one finds it too), or None."""
    entry = await tenant_admin.public_string(code)
    if entry is None and code != code.upper():
        entry = await tenant_admin.public_string(code.upper())
    if entry is None:
        return None
    issuer = entry.company_name or ""
    return await load_document(invoices, entry.tenant_id, entry.uid, locale, issuer)
