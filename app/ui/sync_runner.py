"""Talking to the hub in the background: one sync round on demand ("Gửi ngay", "Nhận văn bản
mới") and the periodic watch while a server is configured. app.sync.worker does the work on
its own connection; a dedicated one-thread pool keeps it from starving the other jobs."""
import logging
import threading

from PySide6.QtCore import QThreadPool

from .i18n import tr
from .messages import show_error
from .qtfix import guard
from .workers import Worker

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None


def pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


def _round(data_dir, settings, progress=None, cancelled=None):
    from ..store import open_store
    from ..sync.worker import sync_once
    store = open_store(data_dir)
    try:
        return sync_once(store, settings, progress=progress, cancelled=cancelled)
    finally:
        store.close()


def sync_now(session, parent=None) -> Worker | None:
    if not session.settings.get("server.url"):
        from ..errors import ValidationError
        show_error(parent, ValidationError(tr("Chưa đặt địa chỉ trục liên thông: vào Cài đặt › Máy chủ.")),
                   modal=False)
        return None
    w = Worker(_round, session.data_dir, session.settings, label=tr("Đồng bộ với trục liên thông"))
    w.signals.finished.connect(lambda report: _changed(session))
    w.signals.failed.connect(guard(parent, lambda exc, tb: show_error(parent, exc, tb, modal=False)))
    return session.jobs.start(w, pool())


def _changed(session) -> None:
    from .ops import Changes
    session.notify(Changes(entries=True, inbox=True, outbox=True))


class Watcher:
    """The periodic sync (app.sync.worker.watch) on its own thread; stop() ends it."""

    def __init__(self, session):
        self.session = session
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> bool:
        if not self.session.settings.get("server.url") or self.thread is not None:
            return False
        from ..sync import worker as sync_worker
        if not hasattr(sync_worker, "watch"):
            return False
        settings, data_dir, stop = self.session.settings, self.session.data_dir, self.stop_event

        def run():
            from ..store import open_store
            try:
                store = open_store(data_dir)
            except Exception as exc:
                log.warning("sync watch cannot open the store: %s", exc)
                return
            try:
                sync_worker.watch(store, settings, stop)
            except Exception as exc:  # the status bar shows offline; the log keeps the detail
                log.warning("sync watch stopped: %s", exc)
            finally:
                store.close()
        self.thread = threading.Thread(target=run, name="vanthu-sync-watch", daemon=True)
        self.thread.start()
        return True

    def stop(self, timeout: float = 5.0) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout)
            self.thread = None
