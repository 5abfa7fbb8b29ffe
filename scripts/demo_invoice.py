"""Print a valid seed-002 invoice body for the demo customer, dated today in Athens.

myDATA (and aade-sim) refuse an issue date other than today (error 238), and the same
series + number twice (228), so the number is taken from the clock unless given:

    .venv/bin/python scripts/demo_invoice.py [--aa 42] | curl ... --data @-

The body is the platform's one sample invoice (``testkit.invoices``), also used by the tests.
"""

from __future__ import annotations

import argparse
import json
import time

from testkit.invoices import sample_invoice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aa", default=str(int(time.time() * 1000) % 10**12))
    args = parser.parse_args()
    body = sample_invoice(series="DEMO", aa=args.aa, pnr01=f"demo-{args.aa}")
    print(json.dumps(body, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
