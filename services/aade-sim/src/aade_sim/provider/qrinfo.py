"""``GET /TimologioQR/QRInfo?q=…``: the page a printed qrUrl opens (AADE shows the invoice).

Public like AADE's page: no credentials. It shows the markings, enough for a sandbox user to
check that a printed QR leads to the registered invoice.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from aade_sim.deps import Provider
from aade_sim.provider.identifiers import parse_qr_token

router = APIRouter(tags=["QR"])


@router.get(
    "/TimologioQR/QRInfo", response_class=HTMLResponse, summary="The invoice a QR points to"
)
async def qr_info(q: str, provider: Provider) -> HTMLResponse:
    mark = parse_qr_token(q)
    reg = provider.store.by_mark(mark) if mark is not None else None
    if reg is None:
        return HTMLResponse("<p>Invoice not found</p>", status_code=404)
    rows = {
        "MARK": reg.mark,
        "UID": reg.uid,
        "Authentication code": reg.authentication_code,
        "Issuer VAT": reg.issuer_vat,
        "Type / series / AA": f"{reg.invoice_type} / {reg.series} / {reg.aa}",
        "Issue date": reg.issue_date,
        "Total gross": reg.total_gross,
    }
    cells = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows.items()
    )
    return HTMLResponse(f"<!doctype html><title>aade-sim invoice</title><table>{cells}</table>")
