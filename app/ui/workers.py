"""Background work off the UI thread: a QRunnable that runs a core function
`fn(*args, progress=cb, cancelled=cb, **kwargs)` and reports through Qt signals, plus a
tracker of running jobs for the status bar. Workers never touch widgets."""
import logging
import threading
import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..errors import Cancelled  # the one cancellation error (raised by `check()` too)
from .qtfix import emit

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    progress = Signal(int, int)        # done, total (total 0: unknown)
    finished = Signal(object)          # the function's result
    failed = Signal(object, str)       # the exception, formatted traceback
    cancelled = Signal()
    done = Signal()                    # always emitted last


class Worker(QRunnable):
    """Run `fn` on the global thread pool. `fn` receives keyword arguments `progress(done, total)`
    and `cancelled()` when `pass_control` is true (the core's long-work convention)."""

    def __init__(self, fn, *args, label: str = "", pass_control: bool = True, **kwargs):
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.label = label
        self.pass_control = pass_control
        self.signals = WorkerSignals()
        self.cancel_event = threading.Event()
        self.reader = False             # a screen's read (app.ui.ops.read), not a clerk's action

    def cancel(self) -> None:
        self.cancel_event.set()

    def is_cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()

    def _progress(self, done, total=0) -> None:
        emit(self.signals.progress, int(done), int(total or 0))

    def run(self) -> None:
        try:
            kwargs = dict(self.kwargs)
            if self.pass_control:
                kwargs.update(progress=self._progress, cancelled=self.is_cancelled)
            result = self.fn(*self.args, **kwargs)
            if self.cancel_event.is_set():
                emit(self.signals.cancelled)
            else:
                emit(self.signals.finished, result)
        except Cancelled:
            emit(self.signals.cancelled)
        except BaseException as exc:  # reported to the UI thread, which decides how to show it
            tb = traceback.format_exc()
            log.info("worker %s failed: %s", self.label or getattr(self.fn, "__name__", "?"), exc)
            emit(self.signals.failed, exc, tb)
        finally:
            # nothing of the call stays with the worker (arguments may hold a PIN or a page of rows)
            self.fn, self.args, self.kwargs = None, (), {}
            emit(self.signals.done)


class JobTracker(QObject):
    """Keeps workers alive while they run and tells the status bar how many are running."""

    changed = Signal(int)

    def __init__(self, parent=None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.running: list[Worker] = []
        self._retired: list[Worker] = []

    def start(self, worker: Worker, pool: QThreadPool | None = None) -> Worker:
        """Run `worker` on `pool` (default: the tracker's) and track it until it is done."""
        self.running.append(worker)
        # a bound method, not a lambda holding the worker: a finished worker can then be freed
        # (thousands of page reads would otherwise each leave one behind)
        worker.signals.done.connect(self._finished)
        if not worker.reader:
            emit(self.changed, self.busy())
        # the pool is given the bound method: PySide keeps a QRunnable handed to start() for
        # ever, a callable only while it runs (the tracker keeps the worker until it is done)
        (pool or self.pool).start(worker.run)
        return worker

    def _finished(self) -> None:
        signals = self.sender()
        worker = next((w for w in self.running if w.signals is signals), None)
        if worker is None:
            return
        self.running.remove(worker)
        # kept until the next one finishes: its signals object is still emitting right now
        self._retired = [worker]
        if not worker.reader:
            emit(self.changed, self.busy())

    def busy(self) -> int:
        """Jobs the clerk started or waits for (a screen's reads are not counted)."""
        return sum(1 for w in self.running if not w.reader)

    def reads(self) -> int:
        """Screen reads still running or queued (app.ui.ops.read)."""
        return sum(1 for w in self.running if w.reader)

    def labels(self) -> list[str]:
        return [w.label for w in self.running if w.label]

    def cancel_all(self) -> None:
        for w in list(self.running):
            w.cancel()

    def wait(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs)
