"""Seed-002 request bodies for the end-to-end tests, one builder per invoice type.

Every body is issued TODAY in Europe/Athens (aade-sim answers 238 to another date without a
transmissionFailure flag) and gets a fresh AA and pnr01, so every invoice has its own uid.
"""

from __future__ import annotations

import copy
import random
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from testkit.platform import ISSUER_VAT

Body = dict[str, Any]
COUNTERPART_VAT = "888888888"

_SALE_LINE: Body = {
    "linenumber": 1,
    "quantity": "10",
    "munit": "1",
    "netvalue": "100.00",
    "vatcat": "1",
    "fpavalue": "24.00",
    "mydt57_p00": "category1_1",
    "mydt61_p00": "E3_561_001",
}

_BASE: Body = {
    "transmission_failure": 0,
    "is_vat": ISSUER_VAT,
    "is_country": "GR",
    "is_branch": 0,
    "cp_vat": COUNTERPART_VAT,
    "cp_country": "GR",
    "cp_branch": 0,
    "cp_name": "ΛΗΠΤΗΣ ΕΠΕ",
    "cp_address": "ΟΔΟΣ",
    "cp_address_num": "12",
    "cp_city": "ΗΡΑΚΛΕΙΟ",
    "cp_zip": "71202",
    "series": "E2E",
    "issuetime": "10:15:00",
    "invtype": "1.1",
    "currency": "EUR",
    "paytype": "3",
    "tnetvalue": "100.00",
    "tvat_am": "24.00",
    "tgross_val": "124.00",
    "p00": 1,
    "einv02": [_SALE_LINE],
}


def athens_today() -> str:
    return datetime.now(ZoneInfo("Europe/Athens")).date().isoformat()


def sale(**changes: Any) -> Body:
    """A valid 1.1 (sale) of 100 + 24 % VAT; keyword arguments replace header fields."""
    body = copy.deepcopy(_BASE)
    fresh = {"issuedate": athens_today(), "aa": str(random.randint(1, 10**12))}
    return body | fresh | {"pnr01": f"ERP-{uuid.uuid4().hex}"} | changes


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
    line = _SALE_LINE | {
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
