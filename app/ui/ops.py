"""The one way the window runs a clerk action (a workflow of app/workflows) or any other work
that touches the disk or the network: off the UI thread, with success / failure / progress /
cancel handled in one place, then one change notice that says what changed (as Anki's
CollectionOp does).

    Op(self, session, registering.register, kind, data, settings=..., changes=Changes(entries=True))
        .success(lambda result: ...)
        .failure(lambda exc: handled?)          # default: the error dialog
        .run()

The function receives the worker's own store connection as first argument (SQLite connections
belong to their thread); `progress=`/`cancelled=` are passed when `control=True`.

Reads for a screen go the same way, through `read()`: on a connection lent by the session's
ReaderPool, no change notice, and the screen shows "Đang tải…" until the answer comes.

    read(self, session, queries.entry_detail, entry_id).success(self.show).run()"""
import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject

from ..errors import Cancelled
from .qtfix import emit, guard
from .workers import Worker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    """What an action changed: the views refresh what concerns them."""
    entries: bool = False
    registers: bool = False
    inbox: bool = False
    outbox: bool = False
    settings: bool = False
    attachments: bool = False

    def __bool__(self) -> bool:
        return any((self.entries, self.registers, self.inbox, self.outbox, self.settings, self.attachments))

    def touches(self, *what: str) -> bool:
        return any(getattr(self, w) for w in what)


ENTRIES = Changes(entries=True, outbox=True)          # every entry change is mirrored to the outbox
EVERYTHING = Changes(True, True, True, True, True, True)


def _call_with_store(session, fn, args, kwargs, pass_store: bool, reader: bool = False):
    if not pass_store:
        return fn(*args, **kwargs)
    if reader:
        with session.readers.borrow() as store:
            return fn(store, *args, **kwargs)
    from ..store import open_store
    store = open_store(session.data_dir, actor=session.actor, create=False)
    try:
        return fn(store, *args, **kwargs)
    finally:
        store.close()


class Op(QObject):
    """One background action started from `parent` (a widget: callbacks stop when it is gone)."""

    def __init__(self, parent, session, fn, *args, label: str = "", changes: Changes = Changes(),
                 control: bool = False, store: bool = True, reader: bool = False, **kwargs):
        super().__init__(parent)
        self.parent_widget, self.session = parent, session
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.label, self.changes, self.control, self.pass_store = label, changes, control, store
        self.reader = reader
        self._success = self._failure = self._cancelled = self._progress = None
        self.worker: Worker | None = None
        self.result = None
        self.error: BaseException | None = None

    def success(self, fn) -> "Op":
        self._success = fn
        return self

    def failure(self, fn) -> "Op":
        """`fn(exc)` returns True when it dealt with the error (else the error dialog shows)."""
        self._failure = fn
        return self

    def cancelled(self, fn) -> "Op":
        self._cancelled = fn
        return self

    def progress(self, fn) -> "Op":
        self._progress = fn
        return self

    def run(self) -> Worker:
        session, fn, args, kwargs, pass_store = self.session, self.fn, self.args, self.kwargs, self.pass_store
        control, reader = self.control, self.reader

        def job(progress=None, cancelled=None):
            kw = dict(kwargs)
            if control:
                kw.update(progress=progress, cancelled=cancelled)
            return _call_with_store(session, fn, args, kw, pass_store, reader)

        w = Worker(job, label=self.label)
        w.reader = self.reader
        w.signals.finished.connect(guard(self.parent_widget, self._finished))
        w.signals.failed.connect(guard(self.parent_widget, self._failed))
        w.signals.cancelled.connect(guard(self.parent_widget, self._was_cancelled))
        if self._progress:
            w.signals.progress.connect(guard(self.parent_widget, self._progress))
        self.worker = w
        return session.jobs.start(w)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _finished(self, result) -> None:
        self.result = result
        if self.changes:
            self.session.notify(self.changes)
        try:
            if self._success:
                self._success(result)
        finally:
            self._forget()

    def _failed(self, exc, tb: str) -> None:
        self.error = exc
        if isinstance(exc, Cancelled):
            self._was_cancelled()
            return
        try:
            if self._failure and self._failure(exc):
                return
            from .messages import show_error
            show_error(self.parent_widget, exc, tb)
        finally:
            self._forget()

    def _was_cancelled(self) -> None:
        try:
            if self._cancelled:
                self._cancelled()
        finally:
            self._forget()

    def _forget(self) -> None:
        """Done: the arguments go (they may hold a PIN). A read is done with entirely once
        answered (a scrolled register asks thousands of them, each answer a page of rows)."""
        self.args, self.kwargs = (), {}
        if self.reader:
            self.worker = self.result = None
            self._success = self._failure = self._cancelled = self._progress = None
            self.deleteLater()


def read(parent, session, fn, *args, label: str = "", **kwargs) -> Op:
    """An Op that reads for a screen: `fn(store, *args, **kwargs)` on a reading connection of
    the session's pool; failures show the error dialog unless `.failure()` handles them."""
    return Op(parent, session, fn, *args, label=label, reader=True, **kwargs)


def notify(session, changes: Changes) -> None:
    emit(session.changed, changes)
