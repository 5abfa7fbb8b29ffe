"""Business rules: each one is triggered by one edit of the AADE 1.1 sample (dated today)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

INV = "inv:invoice"
HEADER = f"{INV}/inv:invoiceHeader"
SUMMARY = f"{INV}/inv:invoiceSummary"
LINE1 = f"{INV}/inv:invoiceDetails[1]"
LINE2 = f"{INV}/inv:invoiceDetails[2]"


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Athens")).date()


def days_ago(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()


def failure_flag(value: str) -> Callable[[Any], Any]:
    # transmissionFailure comes before issuer in the XSD sequence.
    return lambda d: d.insert(INV, 0, "transmissionFailure", value)


EDITS: dict[str, tuple[int, Callable[[Any], Any]]] = {
    "issuer equals counterpart": (
        235,
        lambda d: d.set(f"{INV}/inv:counterpart/inv:vatNumber", "999999999"),
    ),
    "yesterday": (238, lambda d: d.set(f"{HEADER}/inv:issueDate", days_ago(1))),
    "tomorrow": (238, lambda d: d.set(f"{HEADER}/inv:issueDate", days_ago(-1))),
    "late utility (flag 4)": (
        288,
        lambda d: failure_flag("4")(d.set(f"{HEADER}/inv:issueDate", days_ago(3))),
    ),
    "ERP flag 3 excuses nothing": (
        238,
        lambda d: failure_flag("3")(d.set(f"{HEADER}/inv:issueDate", days_ago(1))),
    ),
    "gross arithmetic": (
        203,
        lambda d: d.set(f"{SUMMARY}/inv:totalVatAmount", "300.00").set(
            f"{LINE2}/inv:vatAmount", "60.00"
        ),
    ),
    "sum of net": (207, lambda d: d.set(f"{LINE1}/inv:netValue", "999.00")),
    "sum of gross": (208, lambda d: d.set(f"{SUMMARY}/inv:totalGrossValue", "1761.00")),
    "sum of vat": (209, lambda d: d.set(f"{LINE1}/inv:vatAmount", "241.00")),
    "sum of withheld": (210, lambda d: d.set(f"{LINE2}/inv:withheldAmount", "90.00")),
    "vat category 7 without exemption": (217, lambda d: d.set(f"{LINE1}/inv:vatCategory", "7")),
    "exemption without category 7": (
        271,
        lambda d: d.insert(LINE1, 4, "vatExemptionCategory", "1"),
    ),
    "counterpart on a retail receipt": (205, lambda d: d.set(f"{HEADER}/inv:invoiceType", "11.1")),
    "no counterpart on a sales invoice": (204, lambda d: d.remove(f"{INV}/inv:counterpart")),
    "greek counterpart with a name": (
        220,
        lambda d: d.insert(f"{INV}/inv:counterpart", 3, "name", "X"),
    ),
    "AA not a number": (212, lambda d: d.set(f"{HEADER}/inv:aa", "A-" + d.aa)),
    "duplicate line numbers": (261, lambda d: d.set(f"{LINE2}/inv:lineNumber", "1")),
    "ERP-only type": (223, lambda d: d.set(f"{HEADER}/inv:invoiceType", "17.1")),
    "classification sum": (
        306,
        lambda d: d.set(f"{LINE1}/inv:incomeClassification/icls:amount", "900.00"),
    ),
}


@pytest.mark.parametrize("name", list(EDITS))
async def test_rule(name: str, send: Any, invoice: Callable[[], Any]) -> None:
    code, edit = EDITS[name]
    doc = invoice()
    edit(doc)
    result = await send(doc)
    assert result["statusCode"] == "ValidationError", result
    assert code in [c for c, _ in result["errors"]], result["errors"]


async def test_rule_messages_are_the_published_ones(send: Any, invoice: Callable[[], Any]) -> None:
    doc = invoice().set(f"{INV}/inv:counterpart/inv:vatNumber", "999999999")
    doc.set(f"{HEADER}/inv:issueDate", days_ago(1))
    result = await send(doc)
    assert result["errors"] == [
        (235, "Issuer must be different from counterpart"),
        (238, "IssueDate is invalid, it must be equal with current date"),
    ]


@pytest.mark.parametrize("flag,age", [("1", 5), ("2", 1), ("4", 2)])
async def test_transmission_failure_allows_late_dates(
    send: Any, invoice: Callable[[], Any], flag: str, age: int
) -> None:
    doc = invoice().set(f"{HEADER}/inv:issueDate", days_ago(age))
    failure_flag(flag)(doc)
    assert (await send(doc))["statusCode"] == "Success"


async def test_taxes_both_per_line_and_per_invoice_is_224(
    send: Any, invoice: Callable[[], Any]
) -> None:
    sample = invoice()
    totals = sample.root.makeelement(f"{{{sample.root.nsmap[None]}}}taxesTotals")
    taxes = totals.makeelement(totals.tag.replace("taxesTotals", "taxes"))
    for tag, value in (
        ("taxType", "1"),
        ("taxCategory", "2"),
        ("underlyingValue", "500.00"),
        ("taxAmount", "100.00"),
    ):
        child = taxes.makeelement(totals.tag.replace("taxesTotals", tag))
        child.text = value
        taxes.append(child)
    totals.append(taxes)
    sample.find(SUMMARY).addprevious(totals)
    codes = [c for c, _ in (await send(sample))["errors"]]
    assert 224 in codes
