"""OpenAPI documentation of ``/invoice-data``: the gateway passes bodies through unparsed
(invoice-service validates them), so these models describe, they do not validate."""

from __future__ import annotations

from typing import Any

from api_gateway.responses import RATE_LIMITED, UNAUTHORIZED, ErrorBody, error_doc
from contracts.erp import erp_invoice_schema

TOO_LARGE = error_doc(
    "The body is over the size cap", "payload_too_large", "Payload too large", "Too large"
)
UNAVAILABLE = error_doc(
    "invoice-service could not be reached (the call is refunded)",
    "service_unavailable",
    "Service unavailable",
    "invoice-service is not reachable",
)
TIMED_OUT = error_doc(
    "invoice-service did not answer in time; the invoice may exist (the call is kept: retry with"
    " the same Idempotency-Key)",
    "upstream_timeout",
    "Upstream timeout",
    "invoice-service did not answer in time",
)
QUOTA = {
    "model": ErrorBody,
    "description": "Invalid invoice (invoice-service's codes, call refunded) or no call left:"
    " ``customer_api_001`` no valid package, ``customer_api_002`` all calls used",
    "content": {
        "application/json": {
            "examples": {
                "customer_api_001": {
                    "value": {
                        "ok": 0,
                        "code": "customer_api_001",
                        "error": {
                            "title": "Calls expired",
                            "message": "Έχουν λήξει οι υπολειπόμενες κλήσεις σας",
                        },
                    }
                },
                "customer_api_002": {
                    "value": {
                        "ok": 0,
                        "code": "customer_api_002",
                        "error": {
                            "title": "All calls used",
                            "message": "Έχουν καταναλωθεί όλες οι κλήσεις Ηλεκτρονικής τιμολόγησης",
                        },
                    }
                },
            }
        }
    },
}

COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: UNAUTHORIZED,
    429: RATE_LIMITED,
    503: UNAVAILABLE,
    504: TIMED_OUT,
}
ISSUE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The invoice as issued (seed 002 ``data``), from invoice-service"},
    400: QUOTA,
    413: TOO_LARGE,
    **COMMON_RESPONSES,
}
LOOK_UP_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The invoice and its myDATA state (seed 002 ``data``)"},
    400: error_doc("Not found or invalid look-up", "customer_api_007", "Not found", "..."),
    **COMMON_RESPONSES,
}
ISSUE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The invoice in seed 002's field names (``transmission_failure``,"
        " ``is_vat``, ..., ``einv02[]``); validated by invoice-service, which reads amounts and"
        " codes liberally (SPEC API-1): the schema describes the canonical form.",
        "content": {"application/json": {"schema": erp_invoice_schema()}},
    }
}
