"""What the open workstation shares between its screens: the data folder, the store, the
settings, the working calendar and the background-job tracker."""
import getpass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..settings import Settings
from ..store import open_store
from .workers import JobTracker
from .qtfix import emit



def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "vanthu"


class Session(QObject):
    """Emits `entries_changed` after any write so that views refresh, `settings_changed` after
    the settings were saved."""

    entries_changed = Signal()
    settings_changed = Signal()
    registers_changed = Signal()

    def __init__(self, data_dir: Path, parent=None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.actor = _actor()
        self.store = open_store(self.data_dir, actor=self.actor)
        self.settings = Settings(self.data_dir)
        self.jobs = JobTracker(self)
        # most jobs wait on subprocesses, SQLite or the network: more threads than cores
        if self.jobs.pool.maxThreadCount() < 6:
            self.jobs.pool.setMaxThreadCount(6)

    def calendar(self):
        return self.settings.work_calendar()

    def reload_settings(self) -> None:
        self.settings = Settings(self.data_dir)
        emit(self.settings_changed)

    def open_reader(self):
        """A separate connection for a worker thread (the UI thread keeps `store`)."""
        return open_store(self.data_dir, actor=self.actor)

    def close(self) -> None:
        self.jobs.cancel_all()
        self.jobs.wait(3000)
        self.store.close()
