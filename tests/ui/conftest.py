"""UI test fixtures. Every test here fails on any Qt warning (pytest-qt's log capture at level
WARNING), except the offscreen platform's note that it cannot propagate size hints."""
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

QT_NOISE = (r"This plugin does not support propagateSizeHints",)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*QT_NOISE))
            item.add_marker(pytest.mark.timeout(120))


@pytest.fixture(autouse=True)
def _collect_on_the_ui_thread(qapp):
    """As in the application: no garbage collection on worker threads (see app/ui/gc_guard.py)."""
    import gc

    from app.ui.gc_guard import install
    install(qapp)
    yield
    gc.collect()
    gc.enable()


@pytest.fixture
def session(data_dir, qapp):
    from app.ui.session import Session
    s = Session(data_dir)
    yield s
    s.close()


@pytest.fixture
def populated(session):
    from sample_data import populate
    populate(session.store, incoming=40, outgoing=15)
    return session


@pytest.fixture
def window(session, qtbot):
    from uihelpers import settle

    from app.ui.main_window import MainWindow
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, session)          # the screens read off the UI thread
    yield w
    w.close()          # stops the status poll, the reminders and the sync watcher
    session.jobs.wait(5000)


@pytest.fixture(autouse=True)
def _no_bool_refcount_leak():
    """PySide6 6.12 drops a reference to True per Signal.emit() and to None per invalid QVariant
    read (see app/ui/qtfix.py); a test that loses many means a call bypassed the helpers."""
    import sys

    from app.ui import qtfix
    if not (qtfix.LEAKS or qtfix.NONE_LEAKS):   # a PySide6 without those bugs (pinned < 6.12)
        yield
        return
    before = sys.getrefcount(True), sys.getrefcount(None)
    yield
    assert before[0] - sys.getrefcount(True) < 200, "True lost references: use app.ui.qtfix.emit"
    assert before[1] - sys.getrefcount(None) < 200, "None lost references: use app.ui.qtfix.current_data/item_data"
