"""What customers put into invoices and branding is data, never markup or code (OWASP API8,
ASVS V5): HTML and script in invoice fields come out of the PDF as the same text; a logo is
checked by its content, so an SVG, an HTML page sent as image/png and a decompression bomb (a
tiny PNG declaring an enormous canvas) are refused. (In pages a real browser proves no script
runs: tests/portal/test_public.py; e-mails are plain text.)"""

from __future__ import annotations

import base64
import io
import struct
import uuid
import zlib

import httpx
import pypdf

from contracts.portal import BRANDING_PATH, INVOICE_PDF_PATH, LOGO_TAIL
from harness.platform import Platform, wait_until
from testkit.invoices import sample_invoice

from . import creds

MARKUP_NAME = "<script>window.pwned=1</script><b>ΑΕ</b>"
MARKUP_LINE = '<img src=x onerror="window.pwned=2">'


def _png(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` × ``height`` (its data is a few bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 4)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


async def test_a_logo_is_checked_by_its_content(platform: Platform) -> None:
    customer = await platform.create_customer(calls=1)
    url = platform.servers["invoice-service"].url + BRANDING_PATH + LOGO_TAIL
    headers = creds.internal_for(customer, "invoice-service")
    refused = {
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "html_as_png": b"<!doctype html><html><script>alert(1)</script></html>",
        "decompression_bomb": _png(100_000, 100_000),
        "truncated_png": b"\x89PNG\r\n\x1a\n\x00\x00",
    }
    async with httpx.AsyncClient(timeout=30) as http:
        for name, content in refused.items():
            answer = await http.put(url, content=content, headers=headers | _image_png())
            assert answer.status_code == 400, (name, answer.text)
            assert answer.json()["data"]["validation_errors"][0].startswith("logo: "), name
        accepted = await http.put(url, content=_png(1, 1), headers=headers | _image_png())
    assert accepted.status_code == 200 and accepted.json()["has_logo"] is True


def _image_png() -> dict[str, str]:
    return {"Content-Type": "image/png"}


async def test_markup_in_invoice_fields_is_printed_as_text_in_the_pdf(platform: Platform) -> None:
    customer = await platform.create_customer(calls=1)
    body = sample_invoice(pnr01=f"SEC-{uuid.uuid4().hex}", cp_name=MARKUP_NAME)
    body["einv02"][0]["p106"] = MARKUP_LINE
    issued = await platform.gateway.post("/invoice-data", json=body, headers=customer.headers)
    assert issued.status_code == 200, issued.text
    uid = issued.json()["data"]["uid"]
    url = f"{platform.portal_url}{INVOICE_PDF_PATH}/{uid}"
    async with httpx.AsyncClient(timeout=60) as http:
        answer = await http.get(url, headers=creds.internal_for(customer, "portal-web"))
    assert answer.status_code == 200, answer.text
    pdf = base64.b64decode(answer.json()["pdf_base64"])
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())  # the PDF may break long text across lines
    assert "".join(MARKUP_NAME.split()) in flat
    assert "".join(MARKUP_LINE.split()) in flat


async def test_guessing_authentication_strings_is_slowed_down(platform: Platform) -> None:
    """Public strings reveal only their own invoice, and an address that keeps asking for
    strings that do not exist is answered 429 (with Retry-After) before it finds one."""
    customer = await platform.create_customer(calls=1)
    issued = await platform.gateway.post(
        "/invoice-data",
        json=sample_invoice(pnr01=f"SEC-{uuid.uuid4().hex}"),
        headers=customer.headers,
    )
    code = issued.json()["data"]["authcode"]
    await _searchable(platform, code)
    misses = platform.app("portal-web").state.runtime.settings.search_misses
    guesser = httpx.AsyncHTTPTransport(local_address="127.0.0.23")
    async with httpx.AsyncClient(base_url=platform.portal_url, transport=guesser) as http:
        for n in range(misses):
            wrong = await http.get("/search", params={"auth_code": f"{n:040x}"})
            assert wrong.status_code == 404, (n, wrong.status_code)
        stopped = await http.get("/search", params={"auth_code": code})
    assert stopped.status_code == 429 and int(stopped.headers["retry-after"]) > 0
    async with httpx.AsyncClient(base_url=platform.portal_url) as http:
        found = await http.get("/search", params={"auth_code": code})
    assert found.status_code == 200
    assert code in found.text and found.text.count('class="invoice"') <= 1


async def _searchable(platform: Platform, code: str) -> None:
    """Wait until the directory knows ``code`` (fed by outcome events), from an address of its
    own so that the waiting misses count against nobody else."""
    waiter = httpx.AsyncHTTPTransport(local_address="127.0.0.24")
    async with httpx.AsyncClient(base_url=platform.portal_url, transport=waiter) as http:

        async def found() -> bool:
            answer = await http.get("/search", params={"auth_code": code})
            return answer.status_code == 200

        await wait_until(found, within=10.0, interval=0.5)
