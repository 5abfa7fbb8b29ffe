"""The seed-002 invoice body as a self-contained JSON Schema for OpenAPI documents.

The gateway passes bodies through unparsed and does not import this package, so the schema is
kept as a file in ``libs/contracts`` (``contracts.erp_invoice_schema``); a test holds that file
equal to what this module derives from :class:`ErpInvoice`. Regenerate it with
``python -m mydata.erp.schema > libs/contracts/src/contracts/erp_invoice.schema.json``.

pydantic leaves constraints it applies after a custom validator under their Python names
(``ge``, ``le``, ``max_digits``); they become JSON Schema keywords here, and the ``$defs`` are
inlined (no model is recursive), so the schema can sit under any OpenAPI path.
"""

from __future__ import annotations

import json
from typing import Any

from mydata.erp.models import ErpInvoice

_KEYWORDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}
_DROPPED = {"max_digits", "decimal_places", "title"}


def _clean(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_clean(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        return _clean(defs[ref.rsplit("/", 1)[-1]], defs)
    out: dict[str, Any] = {}
    key: str
    for key, value in node.items():
        if key in _DROPPED or key == "$defs":
            continue
        out[_KEYWORDS.get(key, key)] = _clean(value, defs)
    return out


def erp_invoice_schema() -> dict[str, Any]:
    raw = ErpInvoice.model_json_schema()
    cleaned: dict[str, Any] = _clean(raw, raw.get("$defs", {}))
    return cleaned


def main() -> None:
    print(json.dumps(erp_invoice_schema(), ensure_ascii=False, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
