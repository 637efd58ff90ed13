"""Typed errors the clerk can act on: a Vietnamese message plus technical detail for the log."""


class VanthuError(Exception):
    """Base error: `message` is shown to the clerk (Vietnamese), `detail` goes to the log."""

    exit_code = 1

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class ValidationError(VanthuError):
    """Input that breaks a rule (length, date, format)."""

    exit_code = 2


class SecretDocumentError(ValidationError):
    """A document marked Mật / Tối mật / Tuyệt mật must never enter the system."""


class NotFoundError(VanthuError):
    exit_code = 3


class DuplicateError(VanthuError):
    """A document that looks already registered; `existing` holds the matching entry ids."""

    exit_code = 4

    def __init__(self, message: str, detail: str = "", existing=()):
        super().__init__(message, detail)
        self.existing = list(existing)


class StorageError(VanthuError):
    """The database or the data folder cannot be used (locked, full, newer version)."""

    exit_code = 5


class DatabaseLockedError(StorageError):
    pass


class DiskFullError(StorageError):
    pass
