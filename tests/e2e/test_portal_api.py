"""The internal APIs portal-web reads (``contracts.portal``), on the real platform: the public
string directory fed by outcome events, the invoice list (keyset, filters, totals), one invoice,
its XML, branding and the logo check, the receivers look-up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from lxml import etree

from contracts.portal import (
    BRANDING_PATH,
    INVOICES_PATH,
    PUBLIC_STRINGS_PATH,
    RECEIVERS_PATH,
    InvoicePage,
    InvoiceTotals,
    InvoiceView,
    PublicString,
)
from harness.platform import Customer, Platform, wait_until
from kit.auth import ServiceTokens, TokenCodec, internal_audience
from kit.settings import DEV_INTERNAL_TOKEN_SECRET
from mydata.xsd import SchemaValidator

from . import invoices
from .calls import issue

TOKENS = ServiceTokens(
    TokenCodec(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", internal_audience("portal-web")),
    "portal-web",
)
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture(scope="module")
async def customer(platform: Platform) -> Customer:
    return await platform.create_customer(calls=100)


@pytest.fixture
async def tenant_http(platform: Platform, customer: Customer) -> AsyncIterator[httpx.AsyncClient]:
    """invoice-service with a token bound to the customer's tenant, as portal-web calls it."""
    headers = {
        "Authorization": TOKENS.to("invoice-service").header(customer.tenant_id),
        "X-Tenant-Id": customer.tenant_id,
    }
    url = platform.servers["invoice-service"].url
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
        yield http


@pytest.fixture
async def internal(platform: Platform) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    clients = {
        name: httpx.AsyncClient(
            base_url=platform.servers[name].url,
            headers={"Authorization": TOKENS.to(name).header()},
        )
        for name in ("tenant-admin", "mydata-sync")
    }
    yield clients
    for client in clients.values():
        await client.aclose()


def _range(**extra: str) -> dict[str, str]:
    today = date.fromisoformat(invoices.athens_today())
    return {"date_from": str(today - timedelta(days=31)), "date_to": str(today)} | extra


async def _issue_many(platform: Platform, customer: Customer, count: int, series: str) -> list[Any]:
    return [await issue(platform, customer, invoices.sale(series=series)) for _ in range(count)]


async def test_every_printed_string_finds_its_tenant_in_the_directory(
    platform: Platform, customer: Customer, internal: dict[str, httpx.AsyncClient]
) -> None:
    data = await issue(platform, customer, invoices.sale())
    http = internal["tenant-admin"]

    async def listed() -> bool:
        response = await http.get(f"{PUBLIC_STRINGS_PATH}/{data['authcode']}")
        return response.status_code == 200

    await wait_until(listed)
    found = PublicString.model_validate(
        (await http.get(f"{PUBLIC_STRINGS_PATH}/{data['authcode']}")).json()
    )
    assert (found.tenant_id, found.uid, found.kind) == (
        customer.tenant_id,
        data["uid"],
        "authentication",
    )
    assert found.company_name == "Εταιρεία Δοκιμών Α.Ε."  # printed when the ERP sent no is_name
    temp_qr = data["qrUrl"]  # transmitted: its QR names the real string; the temp key exists too
    assert "auth_code=" in temp_qr
    assert (await http.get(f"{PUBLIC_STRINGS_PATH}/NOSUCHSTRING000")).status_code == 404


async def test_list_pages_by_keyset_and_totals_equal_the_rows(
    platform: Platform, customer: Customer, tenant_http: httpx.AsyncClient
) -> None:
    issued = await _issue_many(platform, customer, 13, "PGL")
    params = _range(series="PGL")
    rows, after = [], None
    while True:
        answer = await tenant_http.get(
            INVOICES_PATH, params=params | ({"after": after} if after else {})
        )
        assert answer.status_code == 200, answer.text
        page = InvoicePage.model_validate(answer.json())
        rows += page.items
        if page.next_cursor is None:
            break
        after = page.next_cursor
        await issue(platform, customer, invoices.sale(series="PGL"))  # arrives mid-paging
    assert len(rows) == 13 and len({r.uid for r in rows}) == 13  # stable: none twice, none lost
    assert {r.uid for r in rows} == {d["uid"] for d in issued}
    totals = InvoiceTotals.model_validate(
        (await tenant_http.get(f"{INVOICES_PATH}/totals", params=params)).json()
    )
    assert totals.count == 14
    assert totals.gross == Decimal("124.00") * 14 and totals.net == Decimal("100.00") * 14


async def test_filters_by_counterpart_series_number_and_loss(
    platform: Platform, customer: Customer, tenant_http: httpx.AsyncClient
) -> None:
    late = await issue(platform, customer, invoices.sale(series="LOSS", transmission_failure=1))
    await issue(platform, customer, invoices.sale(series="LOSS"))
    by_loss = InvoicePage.model_validate(
        (await tenant_http.get(INVOICES_PATH, params=_range(series="LOSS", loss="erp"))).json()
    )
    assert [r.uid for r in by_loss.items] == [late["uid"]]
    by_number = InvoicePage.model_validate(
        (await tenant_http.get(INVOICES_PATH, params=_range(series="LOSS", aa=late["aa"]))).json()
    )
    assert [r.uid for r in by_number.items] == [late["uid"]]
    nobody = await tenant_http.get(INVOICES_PATH, params=_range(cp_vat="090000045"))
    assert nobody.json()["items"] == []
    bad = await tenant_http.get(INVOICES_PATH, params=_range(after="not-a-cursor"))
    assert bad.status_code == 400 and bad.json()["data"]["validation_errors"][0].startswith(
        "after:"
    )


async def test_view_and_xml_of_one_invoice(
    platform: Platform, customer: Customer, tenant_http: httpx.AsyncClient
) -> None:
    data = await issue(platform, customer, invoices.sale(cp_name="<script>alert(1)</script>"))
    view = InvoiceView.model_validate(
        (await tenant_http.get(f"{INVOICES_PATH}/{data['uid']}")).json()
    )
    assert view.state == "transmitted" and not view.temporary
    assert view.data["mark"] == data["mark"] and view.data["cp_name"] == "<script>alert(1)</script>"
    xml = await tenant_http.get(f"{INVOICES_PATH}/{data['uid']}/xml")
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    assert f"{data['series']}-{data['aa']}.xml" in xml.headers["content-disposition"]
    validator = SchemaValidator()
    validator.load()
    assert validator.validate(xml.content) == []
    assert etree.fromstring(xml.content).tag.endswith("InvoicesDoc")


async def test_another_tenant_token_reads_nothing_of_this_one(
    platform: Platform, customer: Customer
) -> None:
    data = await issue(platform, customer, invoices.sale())
    other = await platform.create_customer(calls=1)
    token = TOKENS.to("invoice-service").header(other.tenant_id)
    headers = {"Authorization": token, "X-Tenant-Id": other.tenant_id}
    url = platform.servers["invoice-service"].url
    async with httpx.AsyncClient(base_url=url, headers=headers) as http:
        assert (await http.get(f"{INVOICES_PATH}/{data['uid']}")).status_code == 404
        forged = await http.get(
            f"{INVOICES_PATH}/{data['uid']}", headers={"X-Tenant-Id": customer.tenant_id}
        )
        assert forged.status_code == 401


async def test_branding_saved_and_the_logo_checked_by_content(
    tenant_http: httpx.AsyncClient,
) -> None:
    saved = await tenant_http.put(
        BRANDING_PATH, json={"header_el": "ΕΤΑΙΡΕΙΑ Α.Ε.", "header_en": "COMPANY SA"}
    )
    assert saved.status_code == 200 and saved.json()["header_el"] == "ΕΤΑΙΡΕΙΑ Α.Ε."
    assert (await tenant_http.put(f"{BRANDING_PATH}/logo", content=PNG_1X1)).json()["has_logo"]
    logo = await tenant_http.get(f"{BRANDING_PATH}/logo")
    assert logo.content == PNG_1X1 and logo.headers["content-type"] == "image/png"
    bomb = PNG_1X1[:16] + (60000).to_bytes(4, "big") + (60000).to_bytes(4, "big") + PNG_1X1[24:]
    for bad in (b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"<html>not a png</html>", bomb):
        refused = await tenant_http.put(f"{BRANDING_PATH}/logo", content=bad)
        assert refused.status_code == 400 and refused.json()["data"]["validation_errors"][
            0
        ].startswith("logo:")


async def test_receivers_of_a_vat_number(internal: dict[str, httpx.AsyncClient]) -> None:
    http = internal["mydata-sync"]
    found = await http.get(f"{RECEIVERS_PATH}/090000045")  # aade-sim's seeded receiver
    assert found.status_code == 200 and found.json()["emails"] == [
        "e-invoices@demo-client.example.gr"
    ]
    none = await http.get(f"{RECEIVERS_PATH}/100000003")
    assert none.status_code == 200 and none.json()["emails"] == []
    wrong = await http.get(f"{RECEIVERS_PATH}/888888888")  # check digit: refused before any call
    assert wrong.status_code == 400 and "check digit" in wrong.text
