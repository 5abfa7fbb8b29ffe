"""The portal's users as tenant-admin keeps them: login, server-side sessions, first login,
password, API token, packages, the auditors' grants and trail (``contracts.portal``)."""
