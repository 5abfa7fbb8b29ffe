"""Seed-002 request bodies for the end-to-end tests, one builder per invoice type, all made
from the platform's sample invoice (``testkit.invoices``): issued today, a fresh AA and pnr01."""

from __future__ import annotations

import random
import uuid
from typing import Any

from testkit.invoices import COUNTERPART_VAT, Body, athens_today, sample_invoice, sample_line

__all__ = ["COUNTERPART_VAT", "Body", "athens_today", "sale"]


def sale(**changes: Any) -> Body:
    """A valid 1.1 (sale) of 100 + 24 % VAT; keyword arguments replace header fields."""
    return sample_invoice(**({"series": "E2E", "pnr01": f"ERP-{uuid.uuid4().hex}"} | changes))


def services_abroad() -> Body:
    """2.1: services to a US counterpart, in dollars, VAT-exempt (category 7, exemption 14)."""
    line = {"linenumber": 1, "netvalue": "200.00", "vatcat": "7", "vatexcat": "14",
            "fpavalue": "0", "mydt57_p00": "category1_3", "mydt61_p00": "E3_561_006"}  # fmt: skip
    return sale(
        invtype="2.1", cp_country="US", currency="USD", exchrate="1.08", einv02=[line],
        tnetvalue="200.00", tvat_am="0", tgross_val="200.00",
    )  # fmt: skip


def credit_note(mark: str) -> Body:
    """5.1: a credit note correlated to the invoice with MARK ``mark``."""
    return sale(invtype="5.1", correlinv=mark)


def retail_receipt() -> Body:
    """11.1: a retail receipt, no counterpart at all."""
    body = sale(invtype="11.1")
    for name in [k for k in body if k.startswith("cp_")]:
        del body[name]
    body["einv02"][0]["mydt61_p00"] = "E3_561_003"
    return body


def with_withheld_stamp_and_fees() -> Body:
    """1.1 with withheld tax, stamp duty, fees, other taxes and deductions on its line."""
    line = sample_line() | {
        "netvalue": "1000.00", "fpavalue": "240.00", "wthhldpcat": "3", "wthhld_am": "200.00",
        "stamppcat": "1", "stampvalue": "12.00", "feestype": "8", "fees_am": "5.00",
        "otaxpcat": "6", "otax_am": "7.00", "deducvalue": "10.00", "discoption": 1,
    }  # fmt: skip
    return sale(
        einv02=[line], tnetvalue="1000.00", tvat_am="240.00", twthhld_am="200.00",
        tstamp_am="12.00", tfees_am="5.00", ttax_am="7.00", tdeduction="10.00",
        tgross_val="1054.00",
    )  # fmt: skip


def letter_aa() -> str:
    """An AA with a letter: valid for us and the XSD, refused by myDATA (212, Greek issuer)."""
    return f"{random.randint(1, 10**9)}A"
