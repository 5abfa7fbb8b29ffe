"""myDATA answers: ResponseDoc entries, transmitted-docs look-ups, duplicate detection."""

from mydata.response.duplicates import find_duplicate
from mydata.response.parse import parse_response_doc
from mydata.response.provider_docs import (
    ContinuationToken,
    ReceiverInfo,
    TransmittedDocs,
    TransmittedInvoice,
    parse_receiver_info,
    parse_transmitted_docs,
)
from mydata.response.results import (
    Acknowledged,
    BusinessRejected,
    Duplicate,
    ErrorItem,
    Registered,
    ResponseEntry,
    TechnicalRejected,
)

__all__ = [
    "Acknowledged",
    "BusinessRejected",
    "ContinuationToken",
    "Duplicate",
    "ErrorItem",
    "ReceiverInfo",
    "Registered",
    "ResponseEntry",
    "TechnicalRejected",
    "TransmittedDocs",
    "TransmittedInvoice",
    "find_duplicate",
    "parse_receiver_info",
    "parse_response_doc",
    "parse_transmitted_docs",
]
