"""``/invoice-data``: spend a call, forward to invoice-service, refund what was not issued."""
