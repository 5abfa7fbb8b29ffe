"""AADE myDATA domain for the provider platform.

Public modules: :mod:`mydata.erp` (seed-002 input), :mod:`mydata.invoices_doc` (InvoicesDoc XML),
:mod:`mydata.xsd` (schema validation), :mod:`mydata.response` (answers), :mod:`mydata.identifiers`
(uid, temporary strings), :mod:`mydata.client` (provider REST client), :mod:`mydata.errors`
(every exception, documented in one place).
"""

from mydata.errors import (
    AuthenticationFailed,
    ConnectionFailed,
    ConnectTimeout,
    InvoiceInputError,
    InvoiceSchemaError,
    InvoiceValidationError,
    IssuerVatMissing,
    MalformedResponse,
    MydataError,
    RawExchange,
    RequestTimeout,
    ServerError,
    TransmissionFailureValueError,
    TransportError,
    UnexpectedStatus,
)

__all__ = [
    "AuthenticationFailed",
    "ConnectTimeout",
    "ConnectionFailed",
    "InvoiceInputError",
    "InvoiceSchemaError",
    "InvoiceValidationError",
    "IssuerVatMissing",
    "MalformedResponse",
    "MydataError",
    "RawExchange",
    "RequestTimeout",
    "ServerError",
    "TransmissionFailureValueError",
    "TransportError",
    "UnexpectedStatus",
]
