"""mydata-sync: transmits invoices to myDATA, records every attempt, defers and retries while
myDATA is down, never registers an invoice twice (DESIGN.md §2, §6)."""
