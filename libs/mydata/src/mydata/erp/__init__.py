"""The seed-002 ERP invoice: models, parsing with the seed's error codes, business checks."""

from mydata.erp.checks import TOLERANCE, check_invoice, validate_invoice
from mydata.erp.models import EmailOptions, ErpInvoice, ErpLine
from mydata.erp.parse import describe_errors, parse_erp_invoice

__all__ = [
    "TOLERANCE",
    "EmailOptions",
    "ErpInvoice",
    "ErpLine",
    "check_invoice",
    "describe_errors",
    "parse_erp_invoice",
    "validate_invoice",
]
