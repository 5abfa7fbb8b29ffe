"""The seed-002 1.1 invoice every benchmark target receives: five lines, issued today.

aade-sim accepts an issue date only when it is today in Europe/Athens, and refuses a second
invoice with the same series/aa (228), so every request gets its own ``aa`` and every run its
own ``series``. The totals add up (aade-sim checks the line sums against the summary).
"""

from __future__ import annotations

import secrets
from typing import Any

import orjson

from testkit.invoices import sample_invoice

LINES = 5
# A valid Greek VAT number aade-sim's RequestReceiverInfo knows no e-mail address for.
UNDECLARED_COUNTERPART = "099501237"


def run_series() -> str:
    """A series no earlier run used (≤ 20 chars, Latin only)."""
    return "BN" + secrets.token_hex(6).upper()


def invoice(series: str, aa: int) -> dict[str, Any]:
    """The platform's sample invoice (``testkit.invoices``) with five lines and e-mail options."""
    return sample_invoice(
        lines=LINES,
        series=series,
        aa=str(aa),
        issuetime="10:15:00",
        is_name="ΕΚΔΟΤΗΣ ΑΕ",
        # p01 1: e-mailed only to an address the counterpart declared to AADE, and this
        # counterpart declared none (unlike testkit's, aade-sim's seeded receiver), so the
        # notifier looks it up (cached) and records a skip. The PDF e-mail is a separate,
        # asynchronous cost, measured on its own (docs/performance.md).
        cp_vat=UNDECLARED_COUNTERPART,
        einv00={"p01": 1, "p02": 1},
        lang="el",
    )


AA_MARK = "__AA__"


def template(series: str) -> list[bytes]:
    """The encoded body cut where ``aa`` goes (in ``aa`` and ``pnr01``).

    A load generator joins the parts with a per-request number: ``str(n).encode().join(parts)``.
    """
    marked = invoice(series, 0) | {"aa": AA_MARK, "pnr01": f"{series}-{AA_MARK}"}
    return orjson.dumps(marked).split(AA_MARK.encode())
