"""RequestReceiverInfo: the e-mail addresses a VAT number declared to AADE for e-invoices."""
