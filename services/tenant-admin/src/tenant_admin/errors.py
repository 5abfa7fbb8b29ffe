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


class PackageRefused(InvalidInput):
    """A package change that cannot be made; ``reason`` names the rule (the admin app shows its
    own text for each): ``no_calls``, ``end_before_start``, ``start_out_of_range``,
    ``limit_below_used``, ``unknown_package``."""

    code = "package_refused"
    title = "Package change refused"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, data={"reason": reason})
        self.reason = reason
