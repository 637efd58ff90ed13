"""Global handler for unexpected exceptions: write a crash log under <data>/logs, tell the
clerk without closing the window, and report crash logs left by a previous run at next start."""
import logging
import platform
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "crash-"
REPORTED = ".reported"


def logs_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "logs"


def write_crash_log(data_dir: Path, exc_type, exc, tb) -> Path | None:
    """Write one crash log; returns its path (None if the disk refused)."""
    from ..cli import version
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    body = (f"vanthu {version()} | Python {platform.python_version()} | {platform.platform()}\n"
            f"thread {threading.current_thread().name} | {datetime.now().astimezone().isoformat()}\n\n{text}")
    try:
        d = logs_dir(data_dir)
        d.mkdir(parents=True, exist_ok=True)
        path = d / f"{PREFIX}{stamp}.log"
        path.write_text(body, encoding="utf-8")
    except OSError:
        path = None
    log.critical("unexpected exception (crash log %s):\n%s", path, text)
    return path


def pending_reports(data_dir: Path) -> list[Path]:
    d = logs_dir(data_dir)
    if not d.is_dir():
        return []
    return sorted(p for p in d.glob(f"{PREFIX}*.log") if not p.name.endswith(REPORTED + ".log"))


def mark_reported(paths) -> None:
    for p in paths:
        try:
            p.rename(p.with_name(p.stem + REPORTED + ".log"))
        except OSError:
            pass


class CrashHandler:
    """Installed as sys.excepthook and threading.excepthook. `notify(path, text)` is called on
    the UI side to tell the clerk (the main window sets it)."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.notify = None
        self.last_path: Path | None = None
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> "CrashHandler":
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(args.exc_type, args.exc_value, args.exc_traceback)
        return self

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def handle(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous[0](exc_type, exc, tb)
            return
        self.last_path = write_crash_log(self.data_dir, exc_type, exc, tb)
        if self.notify:
            try:
                self.notify(self.last_path, "".join(traceback.format_exception(exc_type, exc, tb)))
            except Exception:
                log.exception("crash notification failed")
