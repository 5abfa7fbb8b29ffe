-- Runs once, on an empty data volume. The catalog database is created by
-- `tenant-admin migrate-catalog`; tenant databases by provisioning.
CREATE DATABASE einv_sync;
