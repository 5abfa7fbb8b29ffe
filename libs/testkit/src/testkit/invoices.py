"""The sample seed-002 invoice: one factory for tests, scripts (the README's demo) and benchmarks.

A valid 1.1 sale of 100 + 24 % VAT per line, issued TODAY in Europe/Athens (myDATA and aade-sim
answer 238 to another date without a transmissionFailure flag) with a fresh ``aa`` (myDATA
refuses the same series and number twice, 228), so every call gives a new uid unless told
otherwise. Keyword arguments replace header fields; ``None`` removes one.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

ATHENS = ZoneInfo("Europe/Athens")
ISSUER_VAT = "094420307"  # valid check digit; the demo and test customers' own VAT number
COUNTERPART_VAT = "888888888"  # aade-sim's seeded receiver (RequestReceiverInfo)
LINE_NET, LINE_VAT = 100, 24

Body = dict[str, Any]


def athens_today() -> str:
    return datetime.now(ATHENS).date().isoformat()


def fresh_aa() -> str:
    return str(random.randint(1, 10**12))


def sample_line(number: int = 1) -> Body:
    return {
        "linenumber": number,
        "quantity": "1",
        "munit": "1",
        "netvalue": f"{LINE_NET:.2f}",
        "vatcat": "1",
        "fpavalue": f"{LINE_VAT:.2f}",
        "mydt57_p00": "category1_1",
        "mydt61_p00": "E3_561_001",
        "p106": "Υπηρεσία",
    }


def sample_invoice(*, lines: int = 1, **changes: Any) -> Body:
    """A valid seed-002 body with ``lines`` equal lines; ``changes`` replace header fields (the
    default series is "A", ``pnr01`` follows series and aa unless given)."""
    aa = str(changes.pop("aa", None) or fresh_aa())
    series = str(changes.pop("series", None) or "A")
    body: Body = {
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
        "series": series,
        "aa": aa,
        "issuedate": athens_today(),
        "issuetime": datetime.now(ATHENS).strftime("%H:%M:%S"),
        "invtype": "1.1",
        "currency": "EUR",
        "paytype": "3",
        "tnetvalue": f"{LINE_NET * lines:.2f}",
        "tvat_am": f"{LINE_VAT * lines:.2f}",
        "tgross_val": f"{(LINE_NET + LINE_VAT) * lines:.2f}",
        "p00": 1,
        "pnr01": f"{series}-{aa}",
        "einv02": [sample_line(n) for n in range(1, lines + 1)],
    }
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body
