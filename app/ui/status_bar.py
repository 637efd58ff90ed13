"""The status bar: online or offline with the number of items waiting to be sent, the token
present or not, the background jobs running. Polled off the UI thread."""
import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from ..errors import VanthuError
from . import formatting as fmt
from .i18n import tr
from .ops import read
from .workers import Worker

log = logging.getLogger(__name__)

POLL_MS = 5000


def token_state(settings) -> bool | None:
    """None: no PKCS#11 module configured; True: the configured token is present."""
    path = settings.get("token.module")
    if not path:
        return None
    from pkcs11.exceptions import PKCS11Error

    from ..sign import tokens
    try:
        found = tokens.list_tokens(path, refresh=True)
    except (VanthuError, PKCS11Error, OSError) as exc:
        log.debug("token listing failed: %s", exc)
        return False
    label = settings.get("token.label")
    return any(getattr(t, "label", None) == label for t in found) if label else bool(found)


def snapshot(session, reader) -> dict:
    """Everything the status bar shows; runs on a worker thread with its own connection."""
    from ..store import listing
    from ..workflows import queries
    jobs = listing.nav_counts(reader)["jobs_pending"]
    out = {"queued_jobs": jobs, "token": token_state(session.settings), "inbox_pending": 0,
           "clock_warning": False}
    from ..sync import worker
    sync_status = worker.status(reader)
    if sync_status is not None:
        out.update(outbox_pending=sync_status["waiting"], outbox_parked=sync_status["parked"],
                   inbox_pending=sync_status.get("inbox_pending", 0),
                   clock_warning=bool(sync_status.get("clock_warning")), clock_skew=sync_status.get("clock_skew"),
                   online=sync_status["online"] if session.settings.get("server.url") else None)
        if out["online"] is None and session.settings.get("server.url"):
            out["online"] = False
    else:
        counts = queries.outbox_summary(reader).counts
        out.update(outbox_pending=counts.get("pending", 0), outbox_parked=counts.get("parked", 0),
                   online=None)
    mirror = queries.outbox_summary(reader).mirror
    out["mirror_waiting"] = mirror.get("pending", 0) + mirror.get("parked", 0)
    out["documents_waiting"] = max(out.get("outbox_pending", 0) + out.get("outbox_parked", 0)
                                   - out["mirror_waiting"], 0)
    return out


def _snapshot(store, session) -> dict:
    return snapshot(session, store)


class StatusBar(QStatusBar):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("statusBar")
        self.network = QLabel()
        self.network.setObjectName("networkStatus")
        self.token = QLabel()
        self.token.setObjectName("tokenStatus")
        self.jobs = QLabel()
        self.jobs.setObjectName("jobsStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("jobProgress")
        self.progress.setMaximumWidth(180)
        self.progress.setVisible(False)
        self.cancel = QPushButton(tr("Dừng"))
        self.cancel.setObjectName("jobCancel")
        self.cancel.setVisible(False)
        self.cancel.clicked.connect(self._cancel_current)
        for w in (self.network, self.token, self.jobs):
            w.setContentsMargins(8, 0, 8, 0)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.cancel)
        self.addPermanentWidget(self.jobs)
        self.addPermanentWidget(self.token)
        self.addPermanentWidget(self.network)
        self.state: dict = {}
        self._polling = False
        self._current = None
        self.network.setText(tr("Đang kiểm tra kết nối…"))
        self.token.setText(tr("Token: đang kiểm tra…"))
        self._show_jobs(0)
        session.jobs.changed.connect(self._show_jobs)
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        """Read the state on a reading connection of the session (app.ui.ops.read); the
        session's close interrupts a poll still running (closing its connection under the
        query crashed SQLite once)."""
        if self._polling:
            return
        self._polling = True

        def failed(exc) -> bool:
            log.warning("status poll failed: %s", exc)
            self._polling = False
            return True
        read(self, self.session, _snapshot, self.session) \
            .success(lambda state: (setattr(self, "_polling", False), self.show_state(state))).failure(failed).run()

    def show_state(self, state: dict) -> None:
        self.state = state
        waiting = state.get("outbox_pending", 0)
        online = state.get("online")
        if online is None:
            text = tr("Ngoại tuyến (chưa cấu hình máy chủ)")
        elif online:
            text = tr("Trực tuyến")
        else:
            text = tr("Ngoại tuyến")
        docs = state.get("documents_waiting", waiting)
        text += " · " + tr("chờ gửi: {n} văn bản").format(n=docs)
        if state.get("mirror_waiting"):
            text += " · " + tr("sổ chờ đồng bộ: {n} mục").format(n=fmt.thousands(state["mirror_waiting"]))
        if state.get("outbox_parked"):
            text += " · " + tr("lỗi gửi: {n}").format(n=state["outbox_parked"])
        if state.get("inbox_pending"):
            text += " · " + tr("chờ tiếp nhận: {n}").format(n=state["inbox_pending"])
        if state.get("clock_warning"):
            text += " · " + tr("đồng hồ lệch {s:+.0f} giây").format(s=state.get("clock_skew") or 0)
        self.network.setText(text)
        self.network.setStyleSheet("color: #1b5e20;" if online else "color: #8c5a00;")
        token = state.get("token")
        self.token.setText({True: tr("Token: đã cắm"), False: tr("Token: không có"),
                            None: tr("Token: chưa cấu hình")}.get(token, tr("Token: không rõ")))
        self._show_jobs(self.session.jobs.busy())

    def _show_jobs(self, running: int) -> None:
        queued = self.state.get("queued_jobs", 0)
        text = tr("Việc nền: {n} đang chạy").format(n=running)
        if queued:
            text += " · " + tr("{n} chờ").format(n=queued)
        labels = self.session.jobs.labels()
        self.jobs.setText(text)
        self.jobs.setToolTip("\n".join(labels))

    # -- one foreground job with a progress bar and a cancel button -----------------------
    def track(self, worker: Worker) -> None:
        self._current = worker
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel.setVisible(True)
        self.cancel.setEnabled(True)
        self.showMessage(worker.label)
        worker.signals.progress.connect(self._on_progress)
        worker.signals.done.connect(lambda w=worker: self._untrack(w))

    def _on_progress(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        else:
            self.progress.setRange(0, 0)

    def _untrack(self, worker) -> None:
        if self._current is worker:
            self._current = None
            self.progress.setVisible(False)
            self.cancel.setVisible(False)
            self.clearMessage()

    def _cancel_current(self) -> None:
        if self._current:
            self._current.cancel()
            self.cancel.setEnabled(False)
            self.showMessage(tr("Đang dừng…"))
