"""What the open workstation shares between its screens: the data folder, the store, the
settings, the working calendar and the background-job tracker."""
import getpass
import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..settings import Settings
from ..store import open_store
from .workers import JobTracker
from .qtfix import emit

log = logging.getLogger(__name__)


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "vanthu"


def calendar_from(settings: Settings):
    """The working calendar described by the settings (bad values fall back to the defaults).
    Imported lazily: the holiday tables take a noticeable part of start-up."""
    from ..domain.calendar import WorkCalendar, parse_hours
    kwargs = {}
    try:
        kwargs["hours"] = parse_hours(settings.get("work.hours"))
    except (ValueError, TypeError) as exc:
        log.warning("work.hours invalid (%s); using defaults", exc)
    for key, name in (("work.days_off", "days_off"), ("work.makeup_days", "makeup_days")):
        days = set()
        for text in settings.get(key) or []:
            try:
                days.add(date.fromisoformat(text))
            except ValueError:
                log.warning("%s: ignoring %r", key, text)
        kwargs[name] = frozenset(days)
    return WorkCalendar(**kwargs)


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
        return calendar_from(self.settings)

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
