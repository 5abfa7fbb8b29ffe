"""RequestTransmittedDocs (paging by MARK) and RequestReceiverInfo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from lxml import etree

DOCS = "/myDataProvider/RequestTransmittedDocs"


def items(body: bytes) -> tuple[list[int], tuple[str, str] | None]:
    root = etree.fromstring(body)
    assert root.tag == "RequestedProviderDoc"
    marks = [int(m) for m in root.xpath("InvoiceProviderType/invoiceProviderMark/text()")]
    token = root.find("continuationToken")
    if token is None:
        return marks, None
    return marks, (token.findtext("nextPartitionKey") or "", token.findtext("nextRowKey") or "")


async def test_finds_registered_invoice_by_mark(
    client: httpx.AsyncClient, auth: dict[str, str], send: Any, invoice: Callable[[], Any]
) -> None:
    result = await send(invoice())
    mark = int(result["invoiceMark"])
    r = await client.get(
        DOCS, params={"issuervat": "999999999", "mark": str(mark - 1)}, headers=auth
    )
    root = etree.fromstring(r.content)
    [item] = root.findall("InvoiceProviderType")
    assert [c.tag for c in item] == [
        "issuerVAT",
        "invoiceProviderMark",
        "invoiceUid",
        "authenticationCode",
    ]
    assert int(item.findtext("invoiceProviderMark") or 0) == mark
    assert item.findtext("invoiceUid") == result["invoiceUid"]
    assert item.findtext("authenticationCode") == result["authenticationCode"]
    after, _ = items((await client.get(DOCS, params={"mark": str(mark)}, headers=auth)).content)
    assert after == []


async def test_pages_with_continuation_token(
    client: httpx.AsyncClient, auth: dict[str, str], send: Any, invoice: Callable[[], Any]
) -> None:
    marks = [int((await send(invoice()))["invoiceMark"]) for _ in range(5)]  # page size is 3
    params = {"issuerVat": "999999999", "mark": str(marks[0] - 1)}
    first, token = items((await client.get(DOCS, params=params, headers=auth)).content)
    assert first == marks[:3] and token is not None
    params |= {"nextPartitionKey": token[0], "nextRowKey": token[1]}
    second, token = items((await client.get(DOCS, params=params, headers=auth)).content)
    assert second == marks[3:] and token is None


async def test_other_providers_and_issuers_are_not_listed(
    client: httpx.AsyncClient,
    auth: dict[str, str],
    other_auth: dict[str, str],
    send: Any,
    invoice: Callable[[], Any],
) -> None:
    mark = int((await send(invoice()))["invoiceMark"])
    params = {"mark": str(mark - 1)}
    assert items((await client.get(DOCS, params=params, headers=other_auth)).content)[0] == []
    params["issuervat"] = "123456789"
    assert items((await client.get(DOCS, params=params, headers=auth)).content)[0] == []


async def test_mark_is_required(client: httpx.AsyncClient, auth: dict[str, str]) -> None:
    r = await client.get(DOCS, headers=auth)
    assert r.status_code == 400 and "pass mark" in r.text


async def test_receiver_info(client: httpx.AsyncClient, auth: dict[str, str]) -> None:
    r = await client.get(
        "/MyDataProvider/RequestReceiverInfo", params={"vatNumber": "888888888"}, headers=auth
    )
    root = etree.fromstring(r.content)
    assert root.tag == "ReceiverInfoDoc"
    assert root.xpath("receptionEmails/email/text()") == ["invoices@recipient.example.gr"]
    assert root.xpath("receptionProviders/ProviderInfo/VATNumber/text()") == ["800000000"]
    unknown = await client.get(
        "/myDataProvider/RequestReceiverInfo", params={"vatNumber": "1"}, headers=auth
    )
    assert len(etree.fromstring(unknown.content)) == 0
