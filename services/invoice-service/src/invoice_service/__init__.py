"""invoice-service: validates ERP invoices, stores them in the customer's own database and asks
mydata-sync to transmit them (DESIGN.md §2). Only the entry points and first checks exist yet."""
