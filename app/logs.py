"""Logging: everything to <data>/logs/vanthu.log; the terminal gets one line per message and never
a traceback. Third-party warnings (pyHanko path building, Python warnings) go to the log file, the
terminal gets one line per library. Never log secrets."""
import logging
import logging.handlers
import sys
import threading
from pathlib import Path

OWN = "vanthu"
LINE_MAX = 300


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (tests and embedding code replace it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


class OneLineFormatter(logging.Formatter):
    """The first line of the message, without traceback or stack: the details are in the log file."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            msg = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken %-format in a library's log call
            msg = str(record.msg)
        first = (msg.strip().splitlines() or [""])[0]
        if len(first) > LINE_MAX:
            first = first[:LINE_MAX] + "…"
        if record.exc_info and record.exc_info[1] is not None and not first:
            first = type(record.exc_info[1]).__name__
        return f"{record.levelname} {record.name}: {first}"


class ThirdPartyFilter(logging.Filter):
    """Our own records pass; a library's warnings pass once per library (one line), its errors
    always (one line each)."""

    def __init__(self):
        super().__init__()
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == OWN or record.name.startswith(OWN + "."):
            return True
        if record.levelno >= logging.ERROR:
            return True
        top = record.name.split(".")[0]
        with self._lock:
            if top in self._seen:
                return False
            self._seen.add(top)
        return True


def setup(data_dir: Path | None, verbose: bool = False) -> None:
    root = logging.getLogger()
    if getattr(root, "_vanthu_configured", False):
        return
    root.setLevel(logging.DEBUG)
    logging.captureWarnings(True)     # warnings.warn() from libraries: to the log, not raw to stderr
    err = _StderrHandler()
    err.setLevel(logging.DEBUG if verbose else logging.WARNING)
    err.setFormatter(OneLineFormatter())
    if not verbose:
        err.addFilter(ThirdPartyFilter())
    root.addHandler(err)
    if data_dir:
        try:
            logs = Path(data_dir) / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            fh = logging.handlers.RotatingFileHandler(logs / "vanthu.log", maxBytes=5 << 20,
                                                      backupCount=5, encoding="utf-8")
            fh.setLevel(logging.INFO)
            fh.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
            root.addHandler(fh)
        except OSError:
            pass
    root._vanthu_configured = True  # type: ignore[attr-defined]
