"""The identifiers myDATA assigns: uid, MARK, authentication code and qrUrl (MYDATA.md §4).

uid follows the published recipe (SHA-1 over the ISO-8859-7 bytes of
``{vat}-{yyyy-MM-dd}-{branch}-{invoiceType}-{series}-{aa}``). The authentication code's exact
concatenation is unpublished; the simulator hashes the documented fields in the same dash-joined
style, so it looks like the real thing (40 upper-case hex digits) but clients must treat it as
opaque and never recompute it.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from aade_sim.provider.document import Invoice

# Types whose uid also carries the recipient's VAT (B1/B2 recipient-side documents, §4).
_RECIPIENT_UID_PREFIXES = ("13.", "14.")
_RECIPIENT_UID_TYPES = {"15.1", "16.1"}
_CENT = Decimal("0.01")


def _sha1_upper(text: str) -> str:
    # Characters outside ISO-8859-7 cannot be encoded by the real service either; "?" keeps
    # the hash defined instead of failing the whole request.
    return hashlib.sha1(text.encode("iso-8859-7", errors="replace")).hexdigest().upper()


def uid_source(
    vat: str, issue_date: date, branch: int, invoice_type: str, series: str, aa: str
) -> str:
    return f"{vat}-{issue_date.isoformat()}-{branch}-{invoice_type}-{series}-{aa}"


def invoice_uid(inv: Invoice) -> str:
    issuer_vat = inv.issuer.vat if inv.issuer else ""
    branch = inv.issuer.branch if inv.issuer else 0
    parts = [uid_source(issuer_vat, inv.issue_date, branch, inv.invoice_type, inv.series, inv.aa)]
    if inv.variation_type is not None:
        parts.append(str(inv.variation_type))
    if _needs_recipient(inv.invoice_type) and inv.counterpart:
        parts.append(inv.counterpart.vat)
    return _sha1_upper("-".join(parts))


def _needs_recipient(invoice_type: str) -> bool:
    return invoice_type.startswith(_RECIPIENT_UID_PREFIXES) or invoice_type in _RECIPIENT_UID_TYPES


def authentication_code(inv: Invoice, mark: int) -> str:
    issuer_vat = inv.issuer.vat if inv.issuer else ""
    branch = inv.issuer.branch if inv.issuer else 0
    fields = [
        uid_source(issuer_vat, inv.issue_date, branch, inv.invoice_type, inv.series, inv.aa),
        str(mark),
        str(inv.summary.gross.quantize(_CENT)),
        str(inv.summary.vat.quantize(_CENT)),
        inv.counterpart.vat if inv.counterpart else "",
    ]
    return _sha1_upper("-".join(fields))


def qr_url(public_url: str, mark: int, uid: str) -> str:
    # The real q= token is opaque base64 (percent-encoded "="); ours decodes to "mark:uid"
    # so the simulator's own QRInfo page can find the invoice again.
    token = base64.b64encode(f"{mark}:{uid}".encode()).decode()
    return f"{public_url.rstrip('/')}/TimologioQR/QRInfo?q={quote(token, safe='')}"


def parse_qr_token(token: str) -> int | None:
    try:
        mark, _, _uid = base64.b64decode(token, validate=True).decode().partition(":")
        return int(mark)
    except ValueError:
        return None
