"""Talking to invoice-service: the forwarder chosen in docs/adr/0002-gateway-forwarder.md."""
