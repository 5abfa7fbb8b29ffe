"""The operators' admin app (seed 000, ADMIN-1…10): server-rendered pages under ``/admin-app``
beside tenant-admin's JSON API, on ``webkit`` like portal-web (catalogs, CSRF, security headers,
body caps, error pages), with server-side operator sessions in the catalog.

One folder per page domain (``endpoints`` → ``service``); the data and rules stay in
tenant-admin's own domains (tenants, packages, provisioning, calllog, resend, audit)."""
