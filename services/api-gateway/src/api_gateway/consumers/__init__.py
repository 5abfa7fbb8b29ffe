"""Messages the gateway listens to."""
