"""Logging: warnings to stderr, everything to <data>/logs/vanthu.log. Never log secrets."""
import logging
import logging.handlers
import sys
from pathlib import Path


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (tests and embedding code replace it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def setup(data_dir: Path | None, verbose: bool = False) -> None:
    root = logging.getLogger()
    if getattr(root, "_vanthu_configured", False):
        return
    root.setLevel(logging.DEBUG)
    err = _StderrHandler()
    err.setLevel(logging.DEBUG if verbose else logging.WARNING)
    err.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
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
    root._vanthu_configured = True
