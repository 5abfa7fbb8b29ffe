"""``/connection-loss-notices``: the customer notifies invoices issued while cut off from us."""
