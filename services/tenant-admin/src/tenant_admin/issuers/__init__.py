"""VAT numbers a customer may issue invoices under besides its own (operator-authorised)."""
