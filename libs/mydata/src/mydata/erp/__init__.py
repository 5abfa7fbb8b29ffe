"""The seed-002 ERP invoice: exact JSON decoding, models, parsing with the seed's error codes,
business checks; :mod:`mydata.erp.codes` is the table of code fields and the XSD types behind them.
"""

from mydata.erp.checks import TOLERANCE, check_invoice, validate_invoice
from mydata.erp.jsonbody import loads_invoice_json
from mydata.erp.models import EmailOptions, ErpInvoice, ErpLine
from mydata.erp.parse import describe_errors, parse_erp_invoice

__all__ = [
    "TOLERANCE",
    "EmailOptions",
    "ErpInvoice",
    "ErpLine",
    "check_invoice",
    "describe_errors",
    "loads_invoice_json",
    "parse_erp_invoice",
    "validate_invoice",
]
