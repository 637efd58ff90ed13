"""The desktop workstation at scale (offscreen): cold start to a usable main window with a
register of 1,000,000 entries, memory after scrolling that register from top to bottom, and
the time from choosing a 3-page scan to the filled registration form (when app.scan exists).

    python bench/ui.py [N]

The data folder is cached between runs (VANTHU_BENCH_UI_DIR, default a temp folder); when
bench/registers.py already built a folder of at least N entries, that one is reused (this
benchmark only reads it). Targets on the 2-core reference machine: start < 1.5 s,
memory after scrolling < 300 MB."""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def data_folder(n: int) -> Path:
    env = os.environ.get("VANTHU_BENCH_UI_DIR")
    if env:
        return Path(env)
    shared = Path(tempfile.gettempdir()) / f"vanthu-bench-registers-{n}"
    if (shared / "vanthu.sqlite3").exists():
        return shared
    return Path(tempfile.gettempdir()) / f"vanthu-bench-ui-{n}"


def fill(data_dir: Path, n: int) -> None:
    from _data import incoming_items

    from app.store import entries, open_store
    store = open_store(data_dir, actor="bench")
    have = store.query("SELECT count(*) FROM entries")[0][0]
    if have >= n:
        print(f"data: reusing {have:,} entries in {data_dir}")
        store.close()
        return
    store.conn.execute("PRAGMA synchronous = OFF")  # bulk fill only
    t0, done, items = time.perf_counter(), have, incoming_items(n - have, seed=have)
    while done < n:
        chunk = [next(items) for _ in range(min(50_000, n - done))]
        entries.register_many(store, "incoming", chunk, allow_duplicate=True)
        done += len(chunk)
        print(f"\rfilling: {done:,}/{n:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"data: filled {n - have:,} entries in {time.perf_counter() - t0:.0f} s")
    store.close()


# -- child processes -----------------------------------------------------------------------
def child_start(data_dir: str, t_spawn: float) -> None:
    """From process start to a shown main window whose register shows its first rows."""
    from PySide6.QtWidgets import QApplication

    from app.ui.main import create_app
    from app.ui.main_window import MainWindow
    from app.ui.session import Session
    app = create_app()  # noqa: F841  (the QApplication must live)
    session = Session(Path(data_dir))
    w = MainWindow(session)
    w.show()
    w.start_background()
    view = w.views["incoming"]
    QApplication.processEvents()
    # the register reads its first page off the UI thread: wait (60 s at most) for its rows
    while view.model.rowCount() == 0 and view.model.is_loading() and time.time() - t_spawn < 60:
        QApplication.processEvents()
        time.sleep(0.002)
    w.grab()  # force a full paint
    ready = time.time()
    rows = view.model.rowCount()
    print(json.dumps({"start_s": ready - t_spawn, "rows_shown": rows, "label": view.count_label.text()}), flush=True)
    w.close()
    session.close()


def child_scroll(data_dir: str) -> None:
    """Scroll the incoming register from top to bottom; RSS before and after."""
    import psutil
    from PySide6.QtWidgets import QApplication

    from app.ui.main import create_app
    from app.ui.main_window import MainWindow
    from app.ui.session import Session
    proc = psutil.Process()
    app = create_app()  # noqa: F841  (the QApplication must live)
    session = Session(Path(data_dir))
    w = MainWindow(session)
    w.show()
    QApplication.processEvents()
    rss0 = proc.memory_info().rss
    view = w.views["incoming"]
    table, model = view.table, view.model
    t0 = time.perf_counter()
    steps = 0
    while model.canFetchMore():
        table.scrollToBottom()  # the view asks for more rows when the end is reached
        QApplication.processEvents()
        steps += 1
        if steps % 500 == 0:
            print(f"\rscrolling: {model.rowCount():,}", end="", file=sys.stderr, flush=True)
    table.scrollToBottom()
    QApplication.processEvents()
    w.grab()
    elapsed = time.perf_counter() - t0
    rss1 = proc.memory_info().rss
    print(file=sys.stderr)
    print(json.dumps({"rows": model.rowCount(), "scroll_s": elapsed, "rss_start_mb": rss0 / 2**20,
                      "rss_end_mb": rss1 / 2**20, "cached_pages": model.cached_pages()}), flush=True)
    w.close()
    session.close()


def child_scan(work: str) -> None:
    """Choose a 3-page scan (multi-page TIFF, 300 dpi) → OCR → the registration form filled."""
    from PySide6.QtWidgets import QApplication

    from app.ui.main import create_app
    from app.ui.main_window import MainWindow
    from app.ui.session import Session
    from tests.corpus.generate import make_document, write_document
    work_dir = Path(work)
    tif = write_document(make_document(5, pages=3), work_dir / "scan", "tif")
    app = create_app()  # noqa: F841  (the QApplication must live)
    session = Session(work_dir / "data")
    w = MainWindow(session)
    w.show()
    QApplication.processEvents()
    t0 = time.perf_counter()
    dlg = w.intake([tif])
    early = None
    while dlg.result is None:
        QApplication.processEvents()
        if early is None and dlg.form_button.isEnabled():     # page 1 read: the form could open now
            early = time.perf_counter() - t0
        time.sleep(0.005)
        if time.perf_counter() - t0 > 300:
            raise SystemExit("scan bench: no result after 300 s: " + dlg.status.text())
    dlg.to_form()
    form = w.entry_form
    QApplication.processEvents()
    t1 = time.perf_counter()
    filled = sorted(k for k, ed in form.form.editors.items()
                    if hasattr(ed.input, "text") and callable(ed.input.text) and ed.input.text())
    print(json.dumps({"form_s": t1 - t0, "early_form_s": early, "timings": dlg.result.timings, "filled": filled,
                      "uncertain": [k for k, ed in form.form.editors.items() if ed.is_uncertain()]}), flush=True)
    form.close()
    from app.scan import ocr
    ocr.reset_pool()
    session.close()


def _run_child(*args, timeout=1200) -> dict:
    t = time.time()
    proc = subprocess.run([sys.executable, __file__, *args, repr(t)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    data_dir = data_folder(n)
    fill(data_dir, n)
    starts = [_run_child("--child-start", str(data_dir)) for _ in range(3)]
    print("cold start to usable main window ({:,} entries): {}  [target < 1.5 s]".format(
        n, ", ".join(f"{s['start_s']:.2f} s" for s in starts)))
    print(f"  first screen: {starts[0]['rows_shown']} rows loaded; «{starts[0]['label']}»")
    s = _run_child("--child-scroll", str(data_dir))
    print(f"scroll top to bottom: {s['rows']:,} rows in {s['scroll_s']:.1f} s; RSS {s['rss_start_mb']:.0f} MB "
          f"at start, {s['rss_end_mb']:.0f} MB after  [target < 300 MB]")
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-ui-scan-") as work:
        r = _run_child("--child-scan", work)
    t = r["timings"]
    if r.get("early_form_s") is not None:
        print(f"3-page scan chosen → form can open with page 1's suggestions: {r['early_form_s']:.1f} s")
    print(f"3-page scan (TIFF, 300 dpi) chosen → filled form: {r['form_s']:.1f} s "
          f"(first suggestions at {t.get('fields_ready', t.get('page1_ready', 0)):.1f} s, "
          f"OCR done {t.get('ocr_done', 0):.1f} s, "
          f"PDF {t.get('pdf_done', 0):.1f} s); fields filled: {', '.join(r['filled'])}; "
          f"highlighted: {', '.join(r['uncertain']) or '-'}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child-start":
        child_start(sys.argv[2], float(sys.argv[3]))
    elif len(sys.argv) > 2 and sys.argv[1] == "--child-scroll":
        child_scroll(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "--child-scan":
        child_scan(sys.argv[2])
    else:
        main()
