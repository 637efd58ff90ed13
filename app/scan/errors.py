"""Errors of the intake chain: a Vietnamese message for the clerk, the detail for the log."""
from ..errors import Cancelled, ValidationError, VanthuError

__all__ = ["Cancelled", "InputFileError", "ScanError"]


class ScanError(VanthuError):
    """The scanner or the OCR engine failed (jam, cover open, device gone, timeout)."""

    exit_code = 6

    def __init__(self, message: str, detail: str = "", pages=()):
        super().__init__(message, detail)
        self.pages = list(pages)  # files of the pages acquired before the failure (kept)


class InputFileError(ValidationError):
    """A file that cannot be taken in: corrupted, encrypted, empty, too large, unsupported."""

