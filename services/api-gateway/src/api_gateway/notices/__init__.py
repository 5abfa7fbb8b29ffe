"""``POST /connection-loss-notices``: the ERP tells the provider of invoices it issued while it
could not reach it (A.1035/2020 art. 3 §3.4)."""
