"""tenant-admin's expected failures; each carries its HTTP status and a clear message.

The CLI prints ``message`` of any ``AppError`` on one line and exits non-zero; anything else
is a bug and keeps its traceback.
"""

from __future__ import annotations

from kit.errors import AppError, Conflict, NotFound, ServiceUnavailable


class InvalidUsername(AppError):
    status_code = 422
    code = "invalid_username"
    title = "Invalid username"


class UsernameTaken(Conflict):
    code = "username_taken"
    title = "Username taken"


class UnknownTenant(NotFound):
    code = "unknown_tenant"
    title = "Unknown tenant"


class ConfirmationMismatch(AppError):
    status_code = 400
    code = "confirmation_mismatch"
    title = "Confirmation does not match"


class NoDatabaseServer(ServiceUnavailable):
    code = "no_database_server"
    title = "No database server has room"


class ProvisioningFailed(AppError):
    status_code = 502
    code = "provisioning_failed"
    title = "Provisioning failed"


class InvalidInput(AppError):
    status_code = 422
    code = "invalid_input"
    title = "Invalid input"
