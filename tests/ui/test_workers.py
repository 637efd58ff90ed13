"""Background work on a real thread: progress, result, failure, cancellation."""
import sys
import threading

from app.errors import ValidationError
from app.ui.qtfix import emit
from app.ui.workers import Cancelled, JobTracker, Worker


def count_to(n, progress, cancelled, gate=None):
    for i in range(n):
        if gate is not None:
            gate.wait(5)
        if cancelled():
            raise Cancelled()
        progress(i + 1, n)
    return n


def test_progress_then_result(qtbot, qapp):
    tracker = JobTracker()
    w = Worker(count_to, 5, label="đếm")
    seen = []
    w.signals.progress.connect(lambda d, t: seen.append((d, t)))
    with qtbot.waitSignal(w.signals.finished, timeout=5000) as blocker:
        tracker.start(w)
    assert blocker.args == [5]
    qtbot.waitUntil(lambda: not tracker.running, timeout=5000)
    assert seen[-1] == (5, 5)


def test_failure_is_reported_with_the_typed_error(qtbot, qapp):
    def bad(progress, cancelled):
        raise ValidationError("Tệp hỏng", "detail")
    w = Worker(bad)
    with qtbot.waitSignal(w.signals.failed, timeout=5000) as blocker:
        JobTracker().start(w)
    assert isinstance(blocker.args[0], ValidationError)
    assert "Traceback" in blocker.args[1]


def test_cancel_stops_the_work(qtbot, qapp):
    gate = threading.Event()
    w = Worker(count_to, 1000, gate=gate)
    tracker = JobTracker()
    with qtbot.waitSignal(w.signals.cancelled, timeout=5000):
        tracker.start(w)
        w.cancel()
        gate.set()
    assert tracker.wait(5000)


def test_emit_keeps_bool_references(qapp):
    from PySide6.QtCore import QObject, Signal

    class A(QObject):
        s = Signal(int)
    a = A()
    before = sys.getrefcount(True)
    for i in range(500):
        emit(a.s, i)
    assert abs(sys.getrefcount(True) - before) < 10


def test_variant_reads_keep_none_references(qapp):
    from PySide6.QtWidgets import QComboBox

    from app.ui.qtfix import current_data, item_data
    box = QComboBox()
    box.addItem("Tất cả", None)
    from PySide6.QtGui import QStandardItem
    item = QStandardItem("x")
    before = sys.getrefcount(None)
    for _ in range(500):
        assert current_data(box) is None
        assert item_data(item) is None
    assert abs(sys.getrefcount(None) - before) < 10


def test_garbage_is_collected_on_the_ui_thread_only(qapp, qtbot):
    import gc
    import threading

    from app.ui.gc_guard import MainThreadCollector, install
    collector = install(qapp)
    assert install(qapp) is collector and not gc.isenabled()
    threads = []
    gc.callbacks.append(lambda phase, info: threads.append(threading.current_thread()))
    try:
        for _ in range(3 * gc.get_threshold()[0]):   # cycles enough to pass the gen-0 threshold
            a = []
            a.append(a)
        worker = threading.Thread(target=lambda: [[] for _ in range(50_000)])
        worker.start()
        worker.join(10)
        qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    finally:
        gc.callbacks.pop()
    assert threads and all(t is threading.main_thread() for t in threads)
    assert isinstance(collector, MainThreadCollector)


def test_closing_the_status_bar_during_a_long_poll_does_not_crash(session, qtbot, monkeypatch):
    """Closing the session during a poll interrupts the poll's query; its connection is closed
    by the worker's own thread once the query stopped (closing it under a running query crashed
    the process with a million entries)."""
    import time

    from app.ui import status_bar
    started = []

    def slow_snapshot(sess, reader):     # a query that would run for minutes
        started.append(time.monotonic())
        reader.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                     "SELECT count(*) FROM c WHERE x < 2000000000")
        return {}
    monkeypatch.setattr(status_bar, "snapshot", slow_snapshot)
    bar = status_bar.StatusBar(session)
    qtbot.addWidget(bar)
    bar.poll()
    qtbot.waitUntil(lambda: bool(started), timeout=5_000)
    time.sleep(0.2)
    t0 = time.monotonic()
    bar.stop()
    session.close()                       # interrupts, waits, and the worker closes its connection
    assert time.monotonic() - t0 < 5
    assert session.readers.busy() == 0 and session.jobs.pool.activeThreadCount() == 0


def test_finished_reads_leave_nothing_behind(session, qtbot):
    """A scrolled register makes thousands of reads: a finished one keeps no worker, no
    arguments and no answer alive (PySide keeps for ever a QRunnable handed to the pool)."""
    import gc
    import weakref

    from PySide6.QtWidgets import QWidget

    from app.ui.ops import read
    from app.ui.workers import Worker
    screen = QWidget()
    qtbot.addWidget(screen)
    got, started = [], []
    for i in range(200):
        op = read(screen, session, lambda store, i=i: [i] * 1000).success(lambda rows: got.append(len(rows)))
        started.append(weakref.ref(op.run()))
    qtbot.waitUntil(lambda: len(got) == 200, timeout=30_000)
    qtbot.waitUntil(lambda: session.jobs.reads() == 0, timeout=10_000)
    gc.collect()
    alive = [r() for r in started if r() is not None]
    assert all(isinstance(w, Worker) for w in alive) and len(alive) <= 1     # the last one, retired
    assert session.readers.opened <= session.readers.keep + 2       # connections lent again, not reopened
