"""Callback types shared by the workflows."""
from collections.abc import Callable

Progress = Callable[[int, int], object] | None
CancelCheck = Callable[[], bool] | None


def check(cancelled: CancelCheck) -> None:
    """Raise Cancelled if the caller asked to stop."""
    if cancelled is not None and cancelled():
        from ..errors import Cancelled
        raise Cancelled()
