"""Customers (tenants), their users and where their database lives."""
