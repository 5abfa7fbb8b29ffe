"""The invoice list (PORTAL-3), view and print (PORTAL-4), XML (PORTAL-5) and PDF."""

from __future__ import annotations

import asyncio
import io
import uuid
from decimal import Decimal
from pathlib import Path

import pypdf
import zxingcpp
from PIL import Image
from playwright.async_api import Browser, Page, expect

from harness.platform import Platform
from mydata.xsd import SchemaValidator

from .flows import Shots, amounts, first_login, issue, issue_many, sale

A4 = (595, 842)  # points


async def test_filters_more_and_totals(platform: Platform, page: Page, shots: Shots) -> None:
    customer = await platform.create_customer(calls=20)
    series = f"F{uuid.uuid4().hex[:6].upper()}"
    issued = await issue_many(platform, customer, 11, series=series)
    await issue(platform, customer, sale(series="OTHER"))
    await first_login(page, platform.portal_url, customer)
    rows = page.locator("#invoice-rows tr[data-uid]")
    await expect(rows).to_have_count(10)
    await shots.take(page, "invoices")
    await page.get_by_role("link", name="Περισσότερα").click()
    await expect(rows).to_have_count(12)
    await expect(page.get_by_role("link", name="Περισσότερα")).to_have_count(0)
    for which in ("net", "vat", "gross"):
        shown = await page.locator(f"[data-total={which}]").inner_text()
        assert _amount(shown) == sum(await amounts(page, which), Decimal(0)), which
    await page.get_by_label("Σειρά Παραστατικού").fill(series)
    await page.get_by_label("Σειρά Παραστατικού").press("Enter")
    await expect(rows).to_have_count(10)
    await expect(page.locator("dl.totals")).to_have_attribute("data-count", "11")
    await page.get_by_label("Αριθμός Παραστατικού").fill(issued[0]["aa"])
    await page.get_by_label("Αριθμός Παραστατικού").press("Enter")
    await expect(rows).to_have_count(1)
    assert "series=" + series in page.url  # the filters are in the address (htmx push)
    await page.get_by_label("Απώλεια Διασύνδεσης").select_option("mydata")
    await expect(rows).to_have_count(0)
    await page.get_by_label("Ημερομηνία Από").fill("01/01/2001")
    await page.get_by_label("Ημερομηνία Έως").fill("31/12/2000")
    await page.get_by_label("Ημερομηνία Έως").press("Enter")
    await expect(page.get_by_role("alert")).to_contain_text("Ημερομηνία Από")


async def test_view_print_pdf_and_xml(
    platform: Platform, page: Page, browser: Browser, shots: Shots, tmp_path: Path
) -> None:
    customer = await platform.create_customer(calls=5)
    data = await issue(platform, customer, sale(series="ΤΠ-ΔΑ"))
    await first_login(page, platform.portal_url, customer)
    async with page.context.expect_page() as opened:
        await page.locator(f"tr[data-uid='{data['uid']}'] a.view-link").click()
    view = await opened.value
    await view.wait_for_load_state()
    invoice = view.locator("article.invoice-document")
    await expect(invoice.locator(".mark")).to_have_text(data["mark"])
    await expect(invoice.locator(".uid")).to_have_text(data["uid"])
    await expect(invoice.locator(".authcode")).to_have_text(data["authcode"])
    assert data["qrUrl"].startswith(platform.portal_url + "/search?auth_code=")
    assert await _qr_text(browser, view.url, page) == data["qrUrl"]
    await shots.take(view, "invoice")
    await _check_print(view, shots, tmp_path)
    await _check_pdf(view, data, tmp_path)
    await _check_xml(view, data)


async def _qr_text(browser: Browser, url: str, logged_in: Page) -> str:
    """What a phone would read: the QR as Chromium draws it, decoded by zxing-cpp."""
    context = await browser.new_context(
        device_scale_factor=3, storage_state=await logged_in.context.storage_state()
    )
    try:
        page = await context.new_page()
        await page.goto(url)
        png = await page.locator(".qr svg").screenshot()
    finally:
        await context.close()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return str(found[0].text)


async def _check_print(view: Page, shots: Shots, tmp_path: Path) -> None:
    await view.emulate_media(media="print")
    await expect(view.locator(".site-header")).to_be_hidden()
    await expect(view.locator(".document-actions")).to_be_hidden()
    await expect(view.locator("article.invoice-document")).to_be_visible()
    await shots.take(view, "invoice-print")
    printed = tmp_path / "printed.pdf"
    await view.pdf(path=str(printed), prefer_css_page_size=True)
    box = pypdf.PdfReader(printed).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4
    await view.emulate_media(media="screen")


async def _check_pdf(view: Page, data: dict[str, str], tmp_path: Path) -> None:
    async with view.expect_download() as download_info:
        await view.get_by_role("link", name="PDF").click()
    download = await download_info.value
    assert download.suggested_filename == f"ΤΠ-ΔΑ-{data['aa']}.pdf"
    path = tmp_path / "server.pdf"
    await download.save_as(path)
    reader = pypdf.PdfReader(path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    for expected in ("Τιμολόγιο Πώλησης", "Συμβολοσειρά αυθεντικοποίησης", data["mark"],
                     data["uid"], data["authcode"], "Σελίδα 1 / 1", "ΛΗΠΤΗΣ ΕΠΕ"):  # fmt: skip
        assert expected in text, expected
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4


async def _check_xml(view: Page, data: dict[str, str]) -> None:
    async with view.expect_download() as download_info:
        await view.get_by_role("link", name="XML").click()
    download = await download_info.value
    assert download.suggested_filename == f"ΤΠ-ΔΑ-{data['aa']}.xml"
    saved = await download.path()
    xml = await asyncio.to_thread(Path(saved).read_bytes)
    assert SchemaValidator().validate(xml) == []


def _amount(shown: str) -> Decimal:
    """``1.234,50 €`` → 1234.50"""
    return Decimal(shown.replace("€", "").replace(".", "").replace(",", ".").strip())
