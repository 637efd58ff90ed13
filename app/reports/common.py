"""What every report shares: cancellation, progress, atomic output files."""
import logging
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import Cancelled, ValidationError
from ..i18n import tr

log = logging.getLogger(__name__)


ReportCancelled = Cancelled


def is_cancelled(cancelled) -> bool:
    """`cancelled` may be None, a threading.Event or a callable returning bool."""
    if cancelled is None:
        return False
    if hasattr(cancelled, "is_set"):
        return cancelled.is_set()
    return bool(cancelled())


def check_cancelled(cancelled) -> None:
    if is_cancelled(cancelled):
        raise Cancelled(tr("Đã dừng lập báo cáo; chưa ghi tệp nào."), "cancelled")


class Progress:
    """Calls progress(done, total) at most every `step` items, and always at the end."""

    def __init__(self, callback, total: int, cancelled=None, step: int = 50):
        self.callback, self.total, self.cancelled, self.step = callback, total, cancelled, step
        self.done = 0

    def tick(self, n: int = 1) -> None:
        before = self.done
        self.done += n
        if before // self.step != self.done // self.step:
            check_cancelled(self.cancelled)
            if self.callback:
                self.callback(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.callback and self.total:
            self.callback(self.total, self.total)


@contextmanager
def atomic_output(out, suffix: str):
    """Yield a temporary path beside `out`; on success fsync and rename it to `out`, else remove it."""
    out = Path(out)
    if out.suffix.lower() != suffix:
        raise ValidationError(tr("Tệp kết quả phải có đuôi {s}: {p}").format(s=suffix, p=out))
    if out.is_dir():
        raise ValidationError(tr("{p} là một thư mục, không phải tệp.").format(p=out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".vanthu-", suffix=suffix)
        os.close(fd)
    except OSError as exc:
        raise ValidationError(tr("Không ghi được vào thư mục {p}.").format(p=out.parent), str(exc)) from exc
    try:
        try:
            yield tmp
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, out)
        except OSError as exc:
            from ..store.db import translate_sqlite_error
            log.error("writing %s failed: %s", out, exc)
            raise translate_sqlite_error(exc) or ValidationError(
                tr("Không ghi được tệp {p}: {e}").format(p=out, e=exc.strerror or exc), str(exc)) from exc
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
