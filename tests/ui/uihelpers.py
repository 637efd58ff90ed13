"""Helpers for driving widgets like a clerk."""


def type_text(widget, text: str) -> None:
    """Type like a clerk, Vietnamese included: one QKeyEvent with the text per character
    (qtbot.keyClicks aborts on non-ASCII characters)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    widget.setFocus()
    for ch in text:
        key = Qt.Key_Return if ch == "\n" else Qt.Key_unknown
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.NoModifier, ch))


def close_modal_later(qtbot, action=None, attempts: int = 50):
    """Deal with the next modal dialog (exec() blocks the test): `action(dialog)` or close it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    seen = {}

    def poll(n=attempts):
        w = QApplication.activeModalWidget()
        if w is None:
            if n:
                QTimer.singleShot(50, lambda: poll(n - 1))
            return
        seen["dialog"] = w
        seen["text"] = getattr(w, "text", lambda: "")() if hasattr(w, "text") else ""
        if action:
            action(w)
        else:
            w.accept() if hasattr(w, "accept") else w.close()
    QTimer.singleShot(0, poll)
    return seen


def submit(qtbot, dlg, timeout: int = 20_000, **kw):
    """Press "Đăng ký" on a form and wait for the background registration (and a second one
    started by answering a duplicate question); returns the stored entry or None."""
    op = dlg.submit(**kw)
    if op is None:
        return None

    def done():
        cur = dlg.op
        return cur.worker is not None and cur.worker not in dlg.session.jobs.running and (
            cur.result is not None or cur.error is not None)
    qtbot.waitUntil(done, timeout=timeout)
    return dlg.entry


def wait_loaded(qtbot, model, timeout: int = 20_000):
    """Wait until a register model has no read in flight (its reads run off the UI thread)."""
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=timeout)
    return model


def fetch_more(qtbot, model, timeout: int = 20_000) -> None:
    """Ask for the next page and wait for it."""
    model.fetchMore()
    wait_loaded(qtbot, model, timeout)


def fetch_all(qtbot, model, timeout: int = 60_000) -> None:
    wait_loaded(qtbot, model, timeout)
    while model.canFetchMore():
        fetch_more(qtbot, model, timeout)


def settle(qtbot, session, timeout: int = 20_000) -> None:
    """Wait until the screens' reads (app.ui.ops.read, off the UI thread) are answered and shown;
    a read may start another (a model's first page, then its size), so wait for a quiet moment."""
    def quiet():
        if session.jobs.reads():
            return False
        qtbot.wait(30)
        return not session.jobs.reads()
    qtbot.waitUntil(quiet, timeout=timeout)
