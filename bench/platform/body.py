"""The seed-002 1.1 invoice every benchmark target receives: five lines, issued today.

aade-sim accepts an issue date only when it is today in Europe/Athens, and refuses a second
invoice with the same series/aa (228), so every request gets its own ``aa`` and every run its
own ``series``. The totals add up (aade-sim checks the line sums against the summary).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson

LINES = 5
LINE_NET = "100.00"
LINE_VAT = "24.00"


def today_athens() -> str:
    return datetime.now(ZoneInfo("Europe/Athens")).date().isoformat()


def run_series() -> str:
    """A series no earlier run used (≤ 20 chars, Latin only)."""
    return "BN" + secrets.token_hex(6).upper()


def _line(number: int) -> dict[str, Any]:
    return {
        "linenumber": number,
        "quantity": "1",
        "munit": "1",
        "netvalue": LINE_NET,
        "vatcat": "1",
        "fpavalue": LINE_VAT,
        "mydt57_p00": "category1_1",
        "mydt61_p00": "E3_561_001",
    }


def invoice(series: str, aa: int) -> dict[str, Any]:
    return {
        "transmission_failure": 0,
        "is_vat": "094420307",
        "is_country": "GR",
        "is_branch": 0,
        "is_name": "ΕΚΔΟΤΗΣ ΑΕ",
        "cp_vat": "888888888",
        "cp_country": "GR",
        "cp_branch": 0,
        "cp_name": "ΛΗΠΤΗΣ ΕΠΕ",
        "cp_address": "ΟΔΟΣ",
        "cp_address_num": "12",
        "cp_city": "ΗΡΑΚΛΕΙΟ",
        "cp_zip": "71202",
        "series": series,
        "aa": str(aa),
        "issuedate": today_athens(),
        "issuetime": "10:15:00",
        "invtype": "1.1",
        "currency": "EUR",
        "paytype": "3",
        "tnetvalue": f"{100 * LINES:.2f}",
        "tvat_am": f"{24 * LINES:.2f}",
        "tgross_val": f"{124 * LINES:.2f}",
        "p00": 1,
        "pnr01": f"{series}-{aa}",
        "einv02": [_line(n) for n in range(1, LINES + 1)],
        "einv00": {"p01": 2, "p02": 1, "p010": "buyer@example.gr"},
        "lang": "el",
    }


AA_MARK = "__AA__"


def template(series: str) -> list[bytes]:
    """The encoded body cut where ``aa`` goes (in ``aa`` and ``pnr01``).

    A load generator joins the parts with a per-request number: ``str(n).encode().join(parts)``.
    """
    marked = invoice(series, 0) | {"aa": AA_MARK, "pnr01": f"{series}-{AA_MARK}"}
    return orjson.dumps(marked).split(AA_MARK.encode())
