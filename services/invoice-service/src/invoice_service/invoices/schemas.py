"""The ``/invoice-data`` body. Only the fields checked so far are typed; the full seed-002
model (sizes, enums, lines, totals, ``extra="forbid"``) comes with the issuance work."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

InvoiceBody = dict[str, Any]

# Values the ERP may send for transmission_failure: seed 002 allows 0 and 1 (SPEC API-7),
# and ERPs commonly send numbers as strings.
TRANSMISSION_FAILURE_VALUES: dict[object, Literal[0, 1]] = {0: 0, 1: 1, "0": 0, "1": 1}


class InvoiceHeader(BaseModel):
    """The checked part of the body, in typed form."""

    model_config = ConfigDict(frozen=True)

    transmission_failure: Literal[0, 1]
    is_vat: str
