"""Pytest fixtures for real RabbitMQ (filled in by the messaging work)."""
