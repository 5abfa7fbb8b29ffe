"""What the simulator remembers: registered invoices and counters."""
