"""Events tenant-admin announces through the catalog's transactional outbox."""
