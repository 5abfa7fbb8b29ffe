"""Print a valid seed-002 invoice body for the demo customer, dated today in Athens.

myDATA (and aade-sim) refuse an issue date other than today (error 238), and the same
series + number twice (228), so the number is taken from the clock unless given:

    .venv/bin/python scripts/demo_invoice.py [--aa 42] | curl ... --data @-
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

ATHENS = ZoneInfo("Europe/Athens")


def demo_invoice(aa: str) -> dict[str, Any]:
    now = datetime.now(ATHENS)
    return {
        "transmission_failure": 0,
        "is_vat": "094420307",
        "is_country": "GR",
        "is_branch": 0,
        "cp_vat": "800000002",
        "cp_country": "GR",
        "cp_branch": 0,
        "cp_name": "Πελάτης Ο.Ε.",
        "series": "DEMO",
        "aa": aa,
        "issuedate": now.date().isoformat(),
        "issuetime": now.strftime("%H:%M:%S"),
        "invtype": "1.1",
        "currency": "EUR",
        "paytype": "3",
        "tnetvalue": "100.00",
        "tvat_am": "24.00",
        "tgross_val": "124.00",
        "p00": 1,
        "pnr01": f"demo-{aa}",
        "einv02": [
            {
                "linenumber": 1,
                "mydt57_p00": "category1_1",
                "mydt61_p00": "E3_561_001",
                "quantity": "1",
                "netvalue": "100.00",
                "vatcat": "1",
                "fpavalue": "24.00",
                "p106": "Υπηρεσία",
            }
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aa", default=str(int(time.time() * 1000) % 10**12))
    args = parser.parse_args()
    print(json.dumps(demo_invoice(args.aa), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
