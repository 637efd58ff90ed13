"""Scanner sources behind one interface: SANE (Linux, through python-sane in a separate
process). TWAIN/WIA on Windows would be another `Scanner` with the same methods (not built here).

    devices = list_devices()
    pages = acquire("test:0", source="adf", dpi=300, mode="gray", out_dir=folder,
                    progress=cb, cancelled=ev.is_set)

Acquisition runs in a child process with a timeout per page: a driver that crashes or hangs
cannot take the application down, and the pages already acquired are kept (ScanError.pages)."""
from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..i18n import tr
from .errors import Cancelled, ScanError

log = logging.getLogger("vanthu.scan.sources")

SOURCES = ("flatbed", "adf", "duplex")
CLOSE_GRACE = 5.0   # seconds a worker may take to close the device after its last event
MODES = ("gray", "color")

_MESSAGES = {
    "jam": "Giấy bị kẹt trong máy quét. Gỡ giấy kẹt rồi quét lại từ trang {next}.",
    "cover": "Nắp máy quét đang mở. Đóng nắp rồi quét lại.",
    "no_docs": "Khay nạp giấy không có giấy.",
    "busy": "Máy quét đang bận (có thể một chương trình khác đang dùng).",
    "io": "Mất kết nối với máy quét (lỗi vào/ra). Kiểm tra cáp và nguồn rồi thử lại.",
    "invalid": "Không mở được máy quét «{device}» (không thấy thiết bị hoặc tham số không hợp lệ).",
    "denied": "Không có quyền dùng máy quét «{device}».",
    "source": "Máy quét «{device}» không có nguồn giấy «{source}».",
    "timeout": "Máy quét không phản hồi sau {t:.0f} giây; đã dừng.",
    "crash": "Trình điều khiển máy quét bị dừng đột ngột.",
    "error": "Máy quét báo lỗi: {detail}",
}


def test_config(folder) -> Path:
    """A private SANE configuration with only the `test` backend and A4-sized geometry (tests
    and demos: probing every backend takes seconds, and the test device is off by default)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dll.conf").write_text("test\n")
    system = Path("/etc/sane.d/test.conf")
    lines = system.read_text().splitlines() if system.exists() else ["number_of_devices 2"]
    out = [("geometry_max 432.0" if l.strip().startswith("geometry_max") else l) for l in lines]
    if not any(l.strip().startswith("geometry_max") for l in out):
        out.append("geometry_max 432.0")
    (folder / "test.conf").write_text("\n".join(out) + "\n")
    return folder


def _env(config_dir=None) -> dict:
    env = dict(os.environ)
    cfg = config_dir or os.environ.get("VANTHU_SANE_CONFIG_DIR")
    if cfg:
        env["SANE_CONFIG_DIR"] = str(cfg)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def _cmd(*args) -> list[str]:
    """The acquisition child. A frozen build has no `-m`: its entry point must route
    `--sane-worker ARGS` to app.scan._sane_worker.main(ARGS)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--sane-worker", *args]
    return [sys.executable, "-m", "app.scan._sane_worker", *args]


def _cwd() -> str:
    return str(Path(__file__).resolve().parents[2])


def list_devices(config_dir=None, timeout: float = 30.0) -> list[dict]:
    """[{'name': 'test:0', 'vendor': ..., 'model': ..., 'type': ...}, ...]"""
    try:
        proc = subprocess.run(_cmd("list"), capture_output=True, text=True, timeout=timeout,
                              env=_env(config_dir), cwd=_cwd())
    except subprocess.TimeoutExpired:
        raise ScanError(tr("Tìm máy quét quá lâu (quá {t:.0f} giây).").format(t=timeout), "sane list timeout") from None
    for line in proc.stdout.splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("event") == "devices":
            return ev["devices"]
        if ev.get("event") == "error":
            raise ScanError(tr("Không liệt kê được máy quét: {d}").format(d=ev.get("detail")), str(ev))
    raise ScanError(tr("Không liệt kê được máy quét."), f"exit {proc.returncode}: {proc.stderr[-500:]}")


def _message(code: str, **kw) -> str:
    return tr(_MESSAGES.get(code, _MESSAGES["error"])).format(**kw)


def acquire(device: str, source: str = "flatbed", dpi: int = 300, mode: str = "gray", out_dir=None,
            progress=None, cancelled=None, page_timeout: float = 120.0, max_pages: int = 500,
            options: dict | None = None, config_dir=None) -> list[Path]:
    """Scan pages into PNG files in `out_dir` and return their paths in order. On a jam, an
    open cover, a vanished device, a crash or a hang raises ScanError whose `.pages` holds
    the pages already acquired (kept on disk). `options` passes extra SANE options
    (e.g. the test device's read_return_value)."""
    source = source or "flatbed"
    mode = mode or "gray"
    dpi = int(dpi or 300)
    if source not in SOURCES:
        raise ScanError(_message("source", device=device, source=source), f"unknown source {source}")
    if mode not in MODES:
        raise ScanError(tr("Chế độ màu «{m}» không hợp lệ (gray, color).").format(m=mode), mode)
    if dpi < 200 or dpi > 1200:
        raise ScanError(tr("Độ phân giải {d} dpi không hợp lệ: cần từ 200 đến 1200 dpi.").format(d=dpi), str(dpi))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    args = ["acquire", "--device", device, "--source", source, "--dpi", str(dpi), "--mode", mode,
            "--out-dir", str(out), "--max-pages", str(max_pages)]
    for k, v in (options or {}).items():
        args += ["--option", f"{k}={v}"]
    proc = subprocess.Popen(_cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(config_dir), cwd=_cwd())
    events: queue.Queue = queue.Queue()

    def reader():
        for line in proc.stdout:
            try:
                events.put(json.loads(line))
            except ValueError:
                log.debug("sane worker: %s", line.rstrip())
        events.put(None)

    threading.Thread(target=reader, daemon=True).start()
    pages: list[Path] = []
    error = None
    finished = False        # the worker said its last word ("done" or "error")
    rc: int | None = None
    deadline = time.monotonic() + page_timeout
    try:
        while True:
            if cancelled and cancelled():
                _kill(proc)
                raise Cancelled(tr("Đã dừng quét; giữ lại {n} trang đã quét.").format(n=len(pages)), "cancelled")
            try:
                ev = events.get(timeout=0.1)
            except queue.Empty:
                if time.monotonic() > deadline:
                    _kill(proc)
                    if finished:   # some backends hang while closing after a fault: the answer is in
                        log.warning("sane %s: worker did not exit %ss after its last event; killed",
                                    device, CLOSE_GRACE)
                        rc = 0
                        break
                    raise ScanError(_message("timeout", t=page_timeout), f"{device}: no page in {page_timeout}s",
                                    pages) from None
                continue
            if ev is None:
                break
            kind = ev.get("event")
            if kind == "page":
                pages.append(Path(ev["path"]))
                deadline = time.monotonic() + page_timeout
                if progress:
                    progress(len(pages), 0)   # total unknown
            elif kind == "error":
                error = ev
            elif kind == "warning":
                log.info("sane %s: %s", device, ev.get("detail"))
            if kind in ("error", "done"):
                finished = True
                deadline = min(deadline, time.monotonic() + CLOSE_GRACE)
        if rc is None:
            rc = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            _kill(proc)
    if error:
        code = error.get("status", "error")
        if code == "no_docs" and not pages:
            raise ScanError(_message("no_docs"), error.get("detail", ""), pages)
        raise ScanError(_message(code, device=device, source=source, next=len(pages) + 1,
                                 detail=error.get("detail", "")), f"{device}: {error}", pages)
    if rc != 0:
        err = proc.stderr.read()[-500:] if proc.stderr else ""
        raise ScanError(_message("crash"), f"{device}: worker exit {rc}: {err}", pages)
    if not pages:
        raise ScanError(_message("no_docs"), f"{device}: no page", pages)
    return pages


def _kill(proc) -> None:
    try:
        proc.kill()
        proc.wait(timeout=10)
    except Exception:
        pass


def available() -> bool:
    """python-sane importable (Linux)."""
    try:
        import sane  # noqa: F401
        return True
    except ImportError:
        return False


class Scanner:
    """The interface every scanner backend offers (SANE here; TWAIN/WIA on Windows would be
    another subclass running its driver in a child process the same way)."""

    name = "?"

    def list_devices(self) -> list[dict]:
        raise NotImplementedError

    def acquire(self, device: str, source: str = "flatbed", dpi: int = 300, mode: str = "gray", out_dir=None,
                progress=None, cancelled=None, page_timeout: float = 120.0, max_pages: int = 500) -> list[Path]:
        raise NotImplementedError


class SaneScanner(Scanner):
    name = "sane"

    def __init__(self, config_dir=None):
        self.config_dir = config_dir

    def list_devices(self) -> list[dict]:
        return list_devices(self.config_dir)

    def acquire(self, device, source="flatbed", dpi=300, mode="gray", out_dir=None, progress=None,
                cancelled=None, page_timeout=120.0, max_pages=500) -> list[Path]:
        return acquire(device, source, dpi, mode, out_dir, progress, cancelled, page_timeout, max_pages,
                       config_dir=self.config_dir)


def backend(config_dir=None) -> Scanner:
    """The scanner backend of this platform."""
    if sys.platform == "win32" or not available():
        raise ScanError(tr("Máy này chưa có trình điều khiển máy quét được hỗ trợ (SANE); "
                           "hãy dùng chức năng quét vào thư mục hoặc nhập tệp."),
                        f"no scanner backend on {sys.platform}")
    return SaneScanner(config_dir)
