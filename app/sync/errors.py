"""Errors of the exchange: each carries a Vietnamese message for the clerk."""
from ..errors import ValidationError, VanthuError


class PackageError(ValidationError):
    """A package that cannot be accepted as it is (malformed, hostile, too large)."""


class SyncError(VanthuError):
    exit_code = 6


class OfflineError(SyncError):
    """The server cannot be reached now: retried later, never an error for the clerk."""


class ServerRefused(SyncError):
    """The server refused a request for good (4xx): retrying will not help."""

    def __init__(self, message: str, detail: str = "", status: int = 400):
        super().__init__(message, detail)
        self.status = status


class AuthError(ServerRefused):
    pass


class ConflictError(ServerRefused):
    """The register is owned by another workstation on the server."""


class NotConfigured(SyncError):
    exit_code = 2
