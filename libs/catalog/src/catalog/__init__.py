"""The catalog schema shared by tenant-admin (owner) and api-gateway (reader)."""
