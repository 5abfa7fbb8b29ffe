"""The seed-002 invoice body's JSON Schema, for the OpenAPI of whoever receives it unparsed (the
gateway). Derived from ``mydata.erp.models.ErpInvoice`` by ``mydata.erp.schema``; a test keeps
the file equal to it."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

SCHEMA_FILE = "erp_invoice.schema.json"


@cache
def erp_invoice_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(files("contracts").joinpath(SCHEMA_FILE).read_text())
    return schema
