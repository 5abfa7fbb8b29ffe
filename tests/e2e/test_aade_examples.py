"""AADE's own example invoices, re-expressed in seed-002 JSON, issued through the gateway: the
rows that reach myDATA (aade-sim) are the example's rows (SPEC API-1: amounts in myDATA's range,
€1,000,000 lines included).

Every example whose taxes are on the lines and whose type a provider may send; the others are
named in ``testkit.aade_examples`` (taxes per invoice) and refused by ``example_body`` (types
14.x and 17.x, which a provider cannot send).
"""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from harness.platform import Customer, Platform
from testkit.aade_examples import (
    NOT_EXPRESSIBLE,
    PROVIDER_TYPES,
    TAXES_PER_INVOICE,
    convert_example,
    detail_rows,
    example_body,
    example_names,
    example_xml,
    flat,
)
from testkit.invoices import ISSUER_VAT, athens_today, fresh_aa

from .calls import assert_transmitted, issue

ISSUED = [
    name
    for name in example_names()
    if name not in TAXES_PER_INVOICE and convert_example(name).body["invtype"] in PROVIDER_TYPES
]


def test_the_per_line_examples_a_provider_may_send_are_all_here() -> None:
    assert len(ISSUED) == 9, ISSUED


@pytest.fixture(scope="module")
async def customer(platform: Platform) -> Customer:
    return await platform.create_customer(calls=100)


@pytest.mark.parametrize("name", ISSUED)
async def test_example_issued_through_the_gateway_reaches_mydata_row_for_row(
    platform: Platform, customer: Customer, name: str
) -> None:
    today = date.fromisoformat(athens_today())
    body = example_body(name, issuer_vat=ISSUER_VAT, issue_date=today, aa=fresh_aa())
    data = await issue(platform, customer, body)
    assert_transmitted(data)
    registered = await platform.aade.registered(data["uid"])
    received = detail_rows(etree.fromstring(registered["xml"].encode()))
    expected = detail_rows(etree.fromstring(example_xml(name)))
    drop = NOT_EXPRESSIBLE.get(name, set())
    assert [flat(row, set()) for row in received] == [flat(row, drop) for row in expected]
