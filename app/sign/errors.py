"""Errors of signing and verification: a Vietnamese message for the clerk, detail for the log."""
from ..errors import Cancelled, ValidationError, VanthuError


class TokenError(VanthuError):
    """The token or its PKCS#11 module cannot be used."""

    exit_code = 6


class ModuleLoadError(TokenError):
    """The PKCS#11 module file is missing, of the wrong architecture, or not a PKCS#11 module."""


class TokenNotFoundError(TokenError):
    pass


class TokenRemovedError(TokenError):
    """The token was pulled out (or stopped answering) during the work."""


class PinError(TokenError):
    """Wrong PIN, or a PIN state that forbids an attempt."""

    exit_code = 7


class PinLockedError(PinError):
    pass


class PinWarningError(PinError):
    """The token warns (count low, final try): the clerk must confirm before we try."""

    def __init__(self, message, detail="", flags=None):
        super().__init__(message, detail)
        self.flags = flags


class CertificateNotFoundError(TokenError):
    pass


class UnsafePdfError(ValidationError):
    """A PDF carrying active content (JavaScript, launch actions, executables) is refused."""


class PdfReadError(ValidationError):
    """The file is not a readable PDF."""


# The one cancellation error (app.errors.Cancelled), under its old name here.
CancelledError = Cancelled
