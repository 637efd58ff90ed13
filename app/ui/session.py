"""What the open workstation shares between its screens: the data folder, the store, the
settings, the working calendar and the background-job tracker."""
import getpass
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..settings import Settings
from ..store import open_store
from .qtfix import emit
from .readers import ReaderPool
from .workers import JobTracker, Worker

log = logging.getLogger(__name__)


_AGENCIES: dict[str, list[dict]] = {}     # the platform's organization list, once per server and run


def platform_organizations(settings) -> list[dict]:
    """[{id, name}] from the exchange platform (network: worker thread), [] when no server is
    set or it cannot be reached now (the history still completes)."""
    from ..errors import VanthuError
    url = settings.get("server.url")
    if not url or not settings.get("org.id"):
        return []
    if url not in _AGENCIES:
        from ..sync.transport import open_transport
        try:
            _AGENCIES[url] = [a for a in open_transport(settings).agencies() if a.get("name")]
        except (VanthuError, OSError) as exc:
            log.info("organization list not available: %s", exc)
            return []
    return _AGENCIES[url]


def load_completions(data_dir, actor: str, kind: str, settings=None) -> dict[str, list[str]]:
    """{field: values} for the form of `kind` (worker thread): the register's own history, most
    frequent first, then the organizations the exchange platform lists (recipients as "ID name",
    the form's recipient line)."""
    from ..store import listing
    fields = ("issuer", "signer", "signer_title", "receiving_unit") if kind == "incoming" else \
        ("signer", "signer_title", "recipients", "kept_by")
    reader = open_store(data_dir, actor=actor, create=False)
    try:
        out = {f: listing.frequent_values(reader, kind, f) for f in fields}
    finally:
        reader.close()
    orgs = platform_organizations(settings) if settings is not None else []
    if orgs:
        key = "issuer" if kind == "incoming" else "recipients"
        seen = set(out.get(key) or [])
        extra = [a["name"] if key == "issuer" else f"{a.get('id') or ''} {a['name']}".strip() for a in orgs]
        out[key] = list(out.get(key) or []) + [x for x in extra if x not in seen]
    return out


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "vanthu"


class Session(QObject):
    """`changed(Changes)` after any write (through app.ui.ops), saying what changed, so that
    the views refresh what concerns them."""

    changed = Signal(object)        # app.ui.ops.Changes: the one change notice

    def __init__(self, data_dir: Path, parent=None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.actor = _actor()
        self.store = open_store(self.data_dir, actor=self.actor)
        self.readers = ReaderPool(self.data_dir, self.actor)   # reads off the UI thread (app.ui.ops.read)
        self.settings = Settings(self.data_dir)
        self.jobs = JobTracker(self)
        self._completions: dict[str, dict] = {}
        self.on_change(self._forget_completions, "entries")
        # most jobs wait on subprocesses, SQLite or the network: more threads than cores
        if self.jobs.pool.maxThreadCount() < 6:
            self.jobs.pool.setMaxThreadCount(6)

    def completions(self, kind: str, on_ready):
        """Completion lists for the form of `kind` ({field: values}), read off the UI thread the
        first time and kept until the register changes; `on_ready(values)` on the UI thread."""
        cached = self._completions.get(kind)
        if cached is not None:
            on_ready(cached)
            return None
        w = Worker(load_completions, self.data_dir, self.actor, kind, self.settings, pass_control=False,
                   label="")
        w.signals.finished.connect(lambda values: (self._completions.__setitem__(kind, values), on_ready(values)))
        w.signals.failed.connect(lambda exc, tb: log.warning("completion lists not loaded: %s", exc))
        return self.jobs.start(w)

    def _forget_completions(self) -> None:
        self._completions.clear()

    def calendar(self):
        return self.settings.work_calendar()

    def notify(self, changes) -> None:
        emit(self.changed, changes)

    def on_change(self, fn, *what: str):
        """Call `fn()` after a change that touches any of `what` ("entries", "settings"...)."""
        def handler(changes):
            if changes.touches(*what):
                fn()
        self.changed.connect(handler)
        return handler

    def reload_settings(self) -> None:
        from .ops import Changes
        self.settings = Settings(self.data_dir)
        self.notify(Changes(settings=True))

    def close(self) -> None:
        self.jobs.cancel_all()
        self.readers.close()        # interrupts running reads; their threads close the connections
        self.jobs.wait(3000)
        self.store.close()
