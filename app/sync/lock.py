"""One sync worker per data folder (the GUI and `vanthu sync --watch` may both try)."""
import os
from contextlib import contextmanager
from pathlib import Path

from ..i18n import tr
from .errors import SyncError


class Busy(SyncError):
    pass


@contextmanager
def sync_lock(data_dir):
    path = Path(data_dir) / "sync.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.name == "posix":
            import fcntl
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Busy(tr("Đang có một phiên đồng bộ khác chạy trên máy này.")) from None
        else:  # pragma: no cover - Windows
            import msvcrt
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                raise Busy(tr("Đang có một phiên đồng bộ khác chạy trên máy này.")) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
