"""mydata-sync: transmits invoices to myDATA, records every attempt, retries (DESIGN.md §2).
Only the process skeleton (settings, health, readiness) exists yet."""
