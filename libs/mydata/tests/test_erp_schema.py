"""The invoice body's schema kept in libs/contracts (the gateway's OpenAPI) is the one
ErpInvoice defines, with standard JSON Schema keywords and no dangling reference."""

from __future__ import annotations

import json

from contracts.erp import erp_invoice_schema
from mydata.erp.schema import erp_invoice_schema as derived


def test_the_kept_schema_is_the_models() -> None:
    assert erp_invoice_schema() == derived(), (
        "regenerate: python -m mydata.erp.schema > "
        "libs/contracts/src/contracts/erp_invoice.schema.json"
    )


def test_the_schema_is_self_contained_standard_json_schema() -> None:
    text = json.dumps(erp_invoice_schema())
    assert "$ref" not in text and "$defs" not in text
    for python_name in ('"ge"', '"le"', '"max_digits"'):
        assert python_name not in text
    schema = erp_invoice_schema()
    assert schema["additionalProperties"] is False
    line = schema["properties"]["einv02"]["items"]
    assert line["properties"]["netvalue"] and schema["properties"]["einv02"]["minItems"] == 1
