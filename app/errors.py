"""Typed errors the clerk can act on: a Vietnamese message plus technical detail for the log.
Callers catch these by type; nothing inspects an error's class name or message text."""
from collections.abc import Iterable

from .i18n import tr


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
    """Input that breaks a rule (length, date, format). `field` names the input field at fault
    (a key of app.domain.entry.FIELDS, or another input name) so that a form can point at it;
    `code` is a stable machine-readable reason (e.g. "too_long", "future_date")."""

    exit_code = 2

    def __init__(self, message: str, detail: str = "", field: str | None = None, code: str | None = None):
        super().__init__(message, detail)
        self.field = field
        self.code = code


class SecretDocumentError(ValidationError):
    """A document marked Mật / Tối mật / Tuyệt mật must never enter the system."""


class NotFoundError(VanthuError):
    exit_code = 3


class DuplicateError(VanthuError):
    """A document that looks already registered; `existing` holds the matching entry ids."""

    exit_code = 4

    def __init__(self, message: str, detail: str = "", existing: Iterable[int] = ()):
        super().__init__(message, detail)
        self.existing = list(existing)


class StorageError(VanthuError):
    """The database or the data folder cannot be used (locked, full, newer version)."""

    exit_code = 5


class DatabaseLockedError(StorageError):
    pass


class DiskFullError(StorageError):
    pass


class Cancelled(VanthuError):
    """The clerk (or a closing window) stopped long work. The one cancellation error of the
    program: scanning, signing, reports, sync and workflows all raise this type."""

    exit_code = 130

    def __init__(self, message: str = "", detail: str = "cancelled"):
        super().__init__(message or tr("Đã hủy."), detail)
