"""Start the workstation: `python -m app [--data-dir DIR] [--lang en]`, or render one screen to
a PNG and exit: `python -m app --screenshot FILE.png [--view NAME] [--data-dir DIR]`."""
import argparse
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("vanthu.ui")

SCREENSHOT_VIEWS = ("incoming", "outgoing", "search", "inbox", "outbox", "books", "settings",
                    "form-incoming", "form-outgoing", "detail", "number", "error", "intake", "first-run", "guide")
MAIN_VIEWS = ("incoming", "outgoing", "search", "inbox", "outbox", "books", "settings")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m app", description="Văn thư")
    p.add_argument("--data-dir", help="thư mục dữ liệu")
    p.add_argument("--lang", choices=("vi", "en"), help="ngôn ngữ giao diện")
    p.add_argument("--screenshot", metavar="FILE.png", help="chụp màn hình rồi thoát")
    p.add_argument("--view", default="incoming", choices=SCREENSHOT_VIEWS, help="màn hình để chụp")
    p.add_argument("--size", default="1366x768", help="kích thước màn hình khi chụp (RỘNGxCAO)")
    p.add_argument("--scale", type=float, default=1.0, help="tỉ lệ phóng màn hình khi chụp (ví dụ 1.5)")
    p.add_argument("--open", metavar="FILE", help="mở một tệp PDF trong trình xem (liên kết tệp PDF)")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


def parse_args(argv):
    args, qt_args = build_parser().parse_known_args(argv)
    return args, qt_args


def offscreen_screen(size: str, scale: float) -> None:
    """Screenshots: an offscreen screen of the asked size and scale, so that dialogs fit it as
    they would fit the clerk's screen (Qt's offscreen plugin reads a JSON description)."""
    import json
    import tempfile
    w, _, h = size.partition("x")
    conf = {"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
            "screens": [{"name": "shot", "x": 0, "y": 0, "width": int(int(w) * scale),
                         "height": int(int(h) * scale), "logicalDpi": 96, "logicalBaseDpi": 96,
                         "dpr": 1}]}
    path = Path(tempfile.gettempdir()) / f"vanthu-screen-{w}x{h}@{scale}.json"
    path.write_text(json.dumps(conf), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"
    if scale != 1:      # Qt's own high-DPI scaling, as on a 150 % desktop
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"


def create_app(qt_args=()):
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is None:
        app = QApplication(["vanthu", *qt_args])
    app.setApplicationName("vanthu")
    app.setApplicationDisplayName("Văn thư")
    app.setOrganizationName("vanthu")
    from .gc_guard import install
    install(app)
    return app


def main(argv=None) -> int:
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.screenshot and os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        offscreen_screen(args.size, args.scale)
    from .. import logs
    from ..errors import VanthuError
    from ..settings import Settings, data_dir
    ddir = data_dir(args.data_dir)
    logs.setup(ddir, args.verbose)
    app = create_app(qt_args)
    from . import i18n
    from .crash import CrashHandler
    try:
        lang = args.lang or Settings(ddir).get("ui.language")
    except VanthuError:
        lang = args.lang or "vi"
    i18n.install(app, lang)
    handler = CrashHandler(ddir).install()
    from .messages import ErrorDialog
    from .session import Session
    try:
        session = Session(ddir)
    except VanthuError as exc:
        log.error("cannot open data folder %s: %s | %s", ddir, exc.message, exc.detail)
        if args.screenshot:
            print(exc.message, file=sys.stderr)
            return 1
        ErrorDialog(exc.message, exc.detail, i18n.tr("Không mở được dữ liệu")).exec()
        return 1
    from .main_window import MainWindow
    window = MainWindow(session, handler)
    try:
        if args.screenshot:
            return screenshot(app, window, args)
        window.show()
        first_run(window)
        window.start_background()
        if args.open:
            from .viewer import open_viewer
            open_viewer(window, args.open)
        return app.exec()
    finally:
        window.status.stop()
        window.reminders.stop()
        session.close()
        handler.uninstall()


def first_run(window) -> None:
    """The first-run assistant when the settings lack what the work needs (app/firstrun.py)."""
    from .. import firstrun
    session = window.session
    try:
        needed = firstrun.needs_first_run(session.settings)
    except Exception as exc:  # a broken rule must not keep the clerk out
        log.warning("first-run check failed: %s", exc)
        return
    if needed:
        from .first_run import FirstRunDialog
        FirstRunDialog(session.settings, window).exec()
        session.reload_settings()


def screenshot(app, window, args) -> int:
    """Render the window (or a dialog over it) offscreen and save it as PNG."""
    from PySide6.QtCore import QEventLoop, QTimer

    from ..workflows import queries
    from .reminders_panel import compute
    from .status_bar import snapshot
    w, _, h = args.size.partition("x")
    window.resize(int(w), int(h) - 32)        # the desktop's panel takes a line of the screen
    session = window.session
    view = args.view
    target = window
    window.show_view(view if view in MAIN_VIEWS else "incoming")
    window.show()
    window.status.show_state(snapshot(session, session.store))
    window.reminders.show_items(compute(session, session.store)[0])
    from .main_window import nav_counts
    window.show_counts(nav_counts(session.store))
    if view == "books" and hasattr(window.view("books"), "build"):
        books = window.view("books")
        w = books.build()
        if w is not None:
            from PySide6.QtCore import QThreadPool
            QThreadPool.globalInstance().waitForDone(60_000)
            app.processEvents()
    if view.startswith("form-"):
        target = window.new_entry(view[5:])
    elif view in ("detail", "number"):
        last = queries.latest_entry_id(session.store)
        if not last:
            print("Không có văn bản nào để chụp.", file=sys.stderr)
            return 1
        if view == "detail":
            target = window.open_entry(last)
        else:
            from .entry_form import ArrivalNumberDialog
            target = ArrivalNumberDialog(queries.entry(session.store, last).to_json(), window, session=session)
            target.show()
    elif view == "intake":
        target = window.intake()
        if target is None:
            return 1
    elif view == "guide":
        target = window.show_guide()
    elif view == "first-run":
        from .first_run import FirstRunDialog
        target = FirstRunDialog(session.settings, window)
        target.show()
    elif view == "error":
        from ..errors import ValidationError
        from .messages import ErrorDialog
        exc = ValidationError("Số, ký hiệu «1007//QĐ» không đúng dạng (ví dụ 1007/QĐ-UBND).",
                              "ValidationError: reference parse failed at '/'")
        target = ErrorDialog(exc.message, exc.detail, None, window)
        target.show()
    loop = QEventLoop()
    QTimer.singleShot(150, loop.quit)
    loop.exec()
    # the screens read off the UI thread: wait (10 s at most) for what they asked for
    import time
    deadline = time.monotonic() + 10
    while session.jobs.running and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    pixmap = target.grab()
    out = Path(args.screenshot)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(out), "PNG"):
        print(f"Không ghi được {out}", file=sys.stderr)
        return 1
    print(out)
    target.close()
    return 0
