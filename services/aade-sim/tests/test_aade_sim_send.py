"""SendInvoices: auth, XSD validation (101), success markings, duplicates, path spelling."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

SEND = "/myDataProvider/SendInvoices"
MARK_RE = re.compile(r"mark: (\d{15})")
CODE_RE = re.compile(r"authenticationCode: ([0-9A-F]{40})")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"aade-user-id": "test-provider"},
        {"aade-user-id": "test-provider", "ocp-apim-subscription-key": "wrong"},
        {"aade-user-id": "nobody", "ocp-apim-subscription-key": "test-key-1"},
        {"aade-user-id": "test-provider", "ocp-apim-subscription-key": "test-key-2"},
    ],
)
async def test_bad_credentials_get_401_without_body(
    client: httpx.AsyncClient, invoice: Callable[[], Any], headers: dict[str, str]
) -> None:
    r = await client.post(SEND, content=invoice().body(), headers=headers)
    assert r.status_code == 401
    assert r.content == b""
    registrations = (await client.get("/_admin/registrations")).json()
    assert registrations["total"] == 0


async def test_success_has_markings(send: Any, invoice: Callable[[], Any]) -> None:
    doc = invoice()
    result = await send(doc)
    assert result["statusCode"] == "Success"
    assert re.fullmatch(r"\d{15}", result["invoiceMark"])
    source = (
        f"999999999-{doc.find('inv:invoice/inv:invoiceHeader/inv:issueDate').text}-1-1.1-A-{doc.aa}"
    )
    assert result["invoiceUid"] == hashlib.sha1(source.encode("iso-8859-7")).hexdigest().upper()
    assert re.fullmatch(r"[0-9A-F]{40}", result["authenticationCode"])
    assert "/TimologioQR/QRInfo?q=" in result["qrUrl"]
    assert result["order"][:4] == ["index", "invoiceUid", "invoiceMark", "authenticationCode"]
    assert result["order"][-2:] == ["qrUrl", "statusCode"]


async def test_marks_increase(send: Any, invoice: Callable[[], Any]) -> None:
    marks = [int((await send(invoice()))["invoiceMark"]) for _ in range(3)]
    assert marks == sorted(marks) and len(set(marks)) == 3


async def test_response_is_xml_with_index_per_invoice(
    client: httpx.AsyncClient, auth: dict[str, str], invoice: Callable[[], Any], responses: Any
) -> None:
    first, second = invoice(), invoice()
    second.root.append(first.find("inv:invoice"))  # two invoices in one message
    second.set("inv:invoice/inv:counterpart/inv:vatNumber", "999999999")  # the first one: 235
    r = await client.post(SEND, content=second.body(), headers=auth)
    assert r.headers["content-type"].startswith("application/xml")
    one, two = responses(r.content)
    assert (one["index"], one["statusCode"]) == ("1", "ValidationError")
    assert one["order"] == ["index", "statusCode", "errors"]  # live order: statusCode first
    assert (two["index"], two["statusCode"]) == ("2", "Success")


@pytest.mark.parametrize(
    "body",
    [
        b"not xml at all",
        b"<InvoicesDoc xmlns='http://www.aade.gr/myDATA/invoice/v1.0'><invoice/></InvoicesDoc>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b"<ResponseDoc/>",
    ],
)
async def test_invalid_xml_is_101(
    client: httpx.AsyncClient, auth: dict[str, str], responses: Any, body: bytes
) -> None:
    r = await client.post(SEND, content=body, headers=auth)
    assert r.status_code == 200
    [result] = responses(r.content)
    assert result["statusCode"] == "XMLSyntaxError"
    assert result["errors"][0][0] == 101
    assert result["errors"][0][1].startswith("XML Syntax Validation Error")
    assert "root:" not in r.text  # the entity was not expanded


async def test_xsd_invalid_value_is_101(send: Any, invoice: Callable[[], Any]) -> None:
    doc = invoice().set("inv:invoice/inv:invoiceHeader/inv:invoiceType", "99.9")
    result = await send(doc)
    assert (result["statusCode"], result["errors"][0][0]) == ("XMLSyntaxError", 101)


async def test_big_message_is_validated_off_the_loop(
    client: httpx.AsyncClient, auth: dict[str, str], invoice: Callable[[], Any], responses: Any
) -> None:
    doc = invoice()
    for _ in range(5):  # > inline limit: goes through asyncio.to_thread
        doc.root.append(invoice().find("inv:invoice"))
    r = await client.post(SEND, content=doc.body(), headers=auth)
    statuses = [res["statusCode"] for res in responses(r.content)]
    assert len(r.content) > 0 and statuses == ["Success"] * 6


async def test_duplicate_is_228_with_original_markings(
    client: httpx.AsyncClient, send: Any, invoice: Callable[[], Any]
) -> None:
    doc = invoice()
    first = await send(doc)
    again = await send(doc)
    assert again["statusCode"] == "ValidationError"
    [(code, message)] = again["errors"]
    assert code == 228
    assert MARK_RE.search(message)[1] == first["invoiceMark"]  # type: ignore[index]
    assert CODE_RE.search(message)[1] == first["authenticationCode"]  # type: ignore[index]
    counts = (await client.get("/_admin/registrations")).json()
    assert counts["total"] == 1
    assert counts["by_uid"] == {first["invoiceUid"]: 1}
    assert counts["duplicate_attempts"] == {first["invoiceUid"]: 1}


@pytest.mark.parametrize(
    "path",
    [
        "/mydataprovider/sendinvoices",
        "/myDATAProvider/SendInvoices",
        "/MYDATAPROVIDER/SENDINVOICES/",
    ],
)
async def test_paths_are_case_insensitive(
    client: httpx.AsyncClient,
    auth: dict[str, str],
    invoice: Callable[[], Any],
    responses: Any,
    path: str,
) -> None:
    r = await client.post(path, content=invoice().body(), headers=auth)
    assert r.status_code == 200
    assert responses(r.content)[0]["statusCode"] == "Success"


async def test_admin_invoice_lookup(
    client: httpx.AsyncClient, send: Any, invoice: Callable[[], Any]
) -> None:
    result = await send(invoice())
    stored = (await client.get(f"/_admin/invoices/{result['invoiceUid']}")).json()
    assert stored["mark"] == int(result["invoiceMark"])
    assert stored["xml"].startswith("<invoice")
    assert (await client.get("/_admin/invoices/00")).status_code == 404
    qr = httpx.URL(result["qrUrl"])  # points at the public URL setting; ask our server
    page = await client.get(qr.path, params=qr.params)
    assert page.status_code == 200 and result["invoiceMark"] in page.text
