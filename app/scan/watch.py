"""A watched folder for multifunction printers that "scan to folder". A file is taken once it
has stopped changing for `settle` seconds; afterwards it moves to done/ (or failed/ with a
<name>.reason.txt beside it). Nothing is deleted. Polling, so it works on network shares."""
from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from ..domain import clock
from ..errors import VanthuError
from .inputs import IMAGE_SUFFIXES

log = logging.getLogger("vanthu.scan.watch")

ACCEPTED = IMAGE_SUFFIXES | {".pdf"}
DONE, FAILED = "done", "failed"


def _unique(target: Path) -> Path:
    if not target.exists():
        return target
    stem, suffix = target.stem, target.suffix
    for i in range(2, 10_000):
        cand = target.with_name(f"{stem}-{i}{suffix}")
        if not cand.exists():
            return cand
    raise OSError(f"no free name for {target}")


class FolderWatcher:
    """Call `poll()` regularly; it returns the files that became stable and were handled."""

    def __init__(self, folder: Path, handle, settle: float = 3.0, report=None):
        self.folder = Path(folder)
        self.handle = handle            # handle(path, out_dir) -> dict; raises on failure
        self.settle = settle
        self.report = report or (lambda path, outcome, detail: None)
        self.seen: dict[str, tuple] = {}
        for sub in (DONE, FAILED):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)

    def candidates(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir()
                      if p.is_file() and p.suffix.lower() in ACCEPTED and not p.name.startswith("."))

    def poll(self, now: float | None = None) -> list[tuple[Path, str]]:
        now = time.monotonic() if now is None else now
        handled = []
        current = set()
        for p in self.candidates():
            try:
                st = p.stat()
            except FileNotFoundError:
                continue
            sig = (st.st_size, st.st_mtime_ns)
            current.add(p.name)
            prev = self.seen.get(p.name)
            if prev is None or prev[0] != sig:
                self.seen[p.name] = (sig, now)
                continue
            if now - prev[1] < self.settle or st.st_size == 0 and now - prev[1] < 10 * self.settle:
                continue
            handled.append((p, self._take(p)))
            self.seen.pop(p.name, None)
        for name in list(self.seen):
            if name not in current:
                del self.seen[name]
        return handled

    def _take(self, path: Path) -> str:
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        try:
            info = self.handle(path, self.folder / DONE)
        except VanthuError as exc:
            self._fail(path, exc.message, exc.detail, stamp)
            return FAILED
        except Exception as exc:  # keep watching whatever happens to one file
            log.exception("watch: %s", path)
            self._fail(path, "Lỗi không mong đợi khi xử lý tệp.", repr(exc), stamp)
            return FAILED
        target = _unique(self.folder / DONE / path.name)
        shutil.move(str(path), target)
        log.info("watch: %s done -> %s", path.name, target)
        self.report(path, DONE, _summary(info))
        return DONE

    def _fail(self, path: Path, message: str, detail: str, stamp: str) -> None:
        target = _unique(self.folder / FAILED / path.name)
        shutil.move(str(path), target)
        reason = target.with_name(target.name + ".reason.txt")
        reason.write_text(f"{stamp}\n{message}\n{detail}\n", "utf-8")
        log.warning("watch: %s failed: %s | %s", path.name, message, detail)
        self.report(path, FAILED, message)


def _summary(info) -> str:
    if isinstance(info, dict) and info.get("entry"):
        e = info["entry"]
        return f"#{e['register_number']}/{e['year']} {e.get('reference') or ''}".strip()
    if isinstance(info, dict) and info.get("pdf"):
        return str(info["pdf"])
    return ""


def watch_folder(folder: Path, store=None, register: str | None = None, settle: float = 3.0,
                 interval: float = 1.0, once: bool = False, report=None, cancelled=None) -> None:
    """Watch `folder` until cancelled (or, with once=True, handle what is there and return).
    With `store` each file is registered; otherwise its searchable PDF and fields JSON are
    written into done/ next to it."""
    from .intake import take_in
    folder = Path(folder)
    if not folder.is_dir():
        from ..i18n import tr
        raise VanthuError(tr("Không có thư mục {p}.").format(p=folder), "watch: not a directory")

    def handle(path, done_dir):
        if store is not None:
            return take_in(path, store=store, register=register)
        out = done_dir / (path.stem + ".out")
        return take_in(path, out_dir=out)

    w = FolderWatcher(folder, handle, settle, report)
    if once:
        deadline = time.monotonic() + max(30.0, 10 * settle)
        while w.candidates() and time.monotonic() < deadline and not (cancelled and cancelled()):
            w.poll()
            time.sleep(min(interval, max(0.05, settle / 2)))
        return
    while not (cancelled and cancelled()):
        w.poll()
        time.sleep(interval)

