"""Income/expenses classifications of a line (mydt57/58/61/62 fields) and their summary."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from mydata.erp import codes
from mydata.erp.models import ErpInvoice, ErpLine
from mydata.identifiers import money
from mydata.invoices_doc._xml import ECLS, ICLS, Element, opt, sub

Side = Literal["income", "expenses"]
INCOME, EXPENSES = 1, 2  # p00 / p104 values of the seed


@dataclass(frozen=True, slots=True)
class Classification:
    side: Side
    type: str | None
    category: str | None
    amount: Decimal


def category_code(value: str | None, side: Side) -> str | None:
    """Accept ``category1_1`` as myDATA writes it, and the bare ``1_1`` some ERPs send (the same
    rule mydata.erp.codes checks the value with)."""
    return codes.category_code(value) if value else value


def line_side(erp: ErpInvoice, line: ErpLine) -> Side:
    """``p104`` of the line, else ``p00`` of the invoice, else whichever fields are filled."""
    chosen = line.p104 or erp.p00
    if chosen is None:
        income = line.mydt57_p00 or line.mydt61_p00
        chosen = EXPENSES if not income and (line.mydt58_p00 or line.mydt62_p00) else INCOME
    return "income" if chosen == INCOME else "expenses"


def line_classifications(erp: ErpInvoice, line: ErpLine, net: Decimal) -> list[Classification]:
    """Every classification of one row; amounts equal the row's net value (myDATA error 306)."""
    side = line_side(erp, line)
    if side == "income":
        if not line.mydt57_p00:
            return []
        category = category_code(line.mydt57_p00, side)
        return [Classification(side, line.mydt61_p00, category, net)]
    found = []
    if line.mydt58_p00 or line.mydt62_p00:
        category = category_code(line.mydt58_p00, side)
        found.append(Classification(side, line.mydt62_p00, category, net))
    if line.mydt62_p01:  # VAT_36x expense classifications carry no category
        found.append(Classification(side, line.mydt62_p01, None, net))
    return found


def add_classification(parent: Element, item: Classification) -> None:
    ns = ICLS if item.side == "income" else ECLS
    element = sub(parent, f"{item.side}Classification")
    opt(element, "classificationType", item.type, ns)
    opt(element, "classificationCategory", item.category, ns)
    sub(element, "amount", money(item.amount), ns)


def summarise(items: list[Classification]) -> list[Classification]:
    """One entry per (side, type, category) with the amounts summed, in first-seen order."""
    totals: dict[tuple[Side, str | None, str | None], Decimal] = {}
    for item in items:
        key = (item.side, item.type, item.category)
        totals[key] = totals.get(key, Decimal(0)) + item.amount
    ordered = sorted(totals.items(), key=lambda kv: kv[0][0] != "income")  # XSD: icls before ecls
    return [Classification(side, t, c, amount) for (side, t, c), amount in ordered]
