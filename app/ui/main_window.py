"""The main window: navigation on the left (with the reminders under it), the screens in the
middle, the status bar at the bottom; menus and shortcuts for the frequent actions."""
import logging

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from . import crash, icons
from . import formatting as fmt
from .entry_detail import EntryDetail, void_entry
from .entry_form import EntryFormDialog
from .i18n import N_, tr
from .messages import ErrorDialog, show_error
from .ops import EVERYTHING
from .outbox_view import OutboxView
from .qtfix import emit, guard
from .register_view import RegisterView
from .reminders_panel import RemindersPanel
from .settings_view import SettingsView
from .status_bar import StatusBar

log = logging.getLogger(__name__)

# name, label, icon
VIEWS = (
    ("incoming", N_("Văn bản đến"), "incoming"),
    ("outgoing", N_("Văn bản đi"), "outgoing"),
    ("search", N_("Tra cứu"), "search"),
    ("inbox", N_("Chờ tiếp nhận"), "inbox"),
    ("outbox", N_("Hàng đợi gửi"), "outbox"),
    ("books", N_("Sổ và in sổ"), "books"),
    ("settings", N_("Cài đặt"), "settings"),
)


MIN_CONTENT = QSize(980, 480)
COUNT_HINTS = {"incoming": N_("{n} văn bản chưa chuyển xử lý"), "outgoing": N_("{n} văn bản đã ký, chưa phát hành"),
               "inbox": N_("{n} văn bản điện tử chờ tiếp nhận"), "outbox": N_("{n} văn bản đang gửi hoặc gửi lỗi")}


class NavCounter(QObject):
    """Counts for the navigation, read off the UI thread after each change (debounced)."""

    counted = Signal(dict)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._busy = self._again = False
        self._debounce = QTimer(self, singleShot=True, interval=400)
        self._debounce.timeout.connect(self.refresh)
        self.timer = QTimer(self, interval=30_000)
        self.timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.session.on_change(self._debounce.start, "entries", "inbox", "outbox")
        self.refresh()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._debounce.stop()

    def refresh(self):
        if self._busy:
            self._again = True
            return None
        from .ops import read
        self._busy = True

        def failed(exc) -> bool:
            log.warning("navigation counts failed: %s", exc)
            self._done()
            return True
        op = read(self, self.session, nav_counts).success(lambda counts: (emit(self.counted, counts), self._done())) \
            .failure(failed)
        return op.run()

    def _done(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self._debounce.start()


def nav_counts(store) -> dict[str, int]:
    """{view: badge} from the store's cheap counters: incoming to hand over, outgoing signed but
    not yet sent, documents received waiting, document sends waiting or failed (the register's
    mirror traffic to the provincial server is not counted: it is not the clerk's work)."""
    from ..store import listing
    from ..workflows import queries
    c = listing.nav_counts(store)
    summary = queries.outbox_summary(store)
    every, mirror = summary.counts, summary.mirror
    sends = sum(every.get(s, 0) - mirror.get(s, 0) for s in ("pending", "parked"))
    return {"incoming": c["incoming_registered"], "outgoing": c["outgoing_signed"],
            "inbox": c["inbox_pending"], "outbox": sends}


class LazyView(QWidget):
    """Builds its screen the first time it is shown, so that start-up stays fast."""

    def __init__(self, factory, parent=None):
        super().__init__(parent)
        self.factory = factory
        self.view: QWidget | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.view is None:
            self.view = self.factory()
            self.layout().addWidget(self.view)
        return self.view

    def showEvent(self, event) -> None:
        self.build()
        super().showEvent(event)


class MainWindow(QMainWindow):
    def __init__(self, session, crash_handler: crash.CrashHandler | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.crash_handler = crash_handler
        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.app_icon())
        self._update_title()
        session.on_change(self._update_title, "settings")

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(icons.NAV_SIZE)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.views: dict[str, QWidget] = {}
        for i, (name, label, icon) in enumerate(VIEWS):
            item = QListWidgetItem(icons.icon(icon), f"{tr(label)}")
            item.setToolTip(f"{tr(label)} (Ctrl+{i + 1})")
            item.setData(Qt.UserRole, name)
            self.nav.addItem(item)
            if name in ("incoming", "outgoing"):
                view = self._make_view(name)
            else:
                view = LazyView(lambda n=name: self._make_view(n))
            self.views[name] = view
            self.stack.addWidget(view)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.counts: dict[str, int] = {}
        self.counter = NavCounter(session, self)
        self.counter.counted.connect(self.show_counts)
        self.reminders = RemindersPanel(session)
        self.reminders.open_entry.connect(self.open_entry)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(6, 6, 0, 6)
        ll.addWidget(self.nav, 0)
        ll.addWidget(self.reminders, 1)
        self.nav.setFixedHeight(self.nav.sizeHintForRow(0) * len(VIEWS) + 4 * len(VIEWS) + 8)
        left.setMinimumWidth(200)
        left.setMaximumWidth(300)
        self.left = left
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([220, 1100])
        self.split = split
        # a small screen (1024×600) scrolls the whole window instead of cutting it off
        self.scroller = QScrollArea()
        self.scroller.setObjectName("windowScroller")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.NoFrame)
        self.scroller.setWidget(split)
        split.setMinimumSize(MIN_CONTENT)
        self.setCentralWidget(self.scroller)
        self.status = StatusBar(session)
        self.setStatusBar(self.status)
        self._make_actions()
        self.nav.setCurrentRow(0)
        from .entry_form import fit_to_screen
        fit_to_screen(self, 1366, 800)

    # -- construction --------------------------------------------------------------------
    def _make_view(self, name: str) -> QWidget:
        if name in ("incoming", "outgoing"):
            view = RegisterView(self.session, name)
            view.open_entry.connect(self.open_entry)
            view.new_entry.connect(self.new_entry)
            view.intake_requested.connect(lambda kind: self.intake(kind=kind))
            if name == "incoming":
                view.files_dropped.connect(self.intake)
            return view
        if name == "search":
            from .search_view import SearchView
            view = SearchView(self.session)
            view.open_entry.connect(self.open_entry)
            return view
        if name == "outbox":
            return OutboxView(self.session)
        if name == "settings":
            return SettingsView(self.session)
        if name == "inbox":
            from .inbox_view import InboxView
            return InboxView(self.session)
        if name == "books":
            from .books_view import BooksView
            return BooksView(self.session)
        raise KeyError(name)

    def _make_actions(self) -> None:
        mb = self.menuBar()
        m_file = mb.addMenu(tr("&Tệp"))
        m_doc = mb.addMenu(tr("&Văn bản"))
        m_view = mb.addMenu(tr("&Xem"))
        m_help = mb.addMenu(tr("Trợ &giúp"))

        def act(menu, text, shortcut, fn, name=None):
            a = QAction(text, self)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(fn)
            if name:
                a.setObjectName(name)
            menu.addAction(a)
            return a

        self.act_intake = act(m_doc, tr("Nhập văn bản giấy (quét hoặc chọn tệp)…"), "Ctrl+O", self.intake,
                              "actIntake")
        self.act_new_in = act(m_doc, tr("Đăng ký văn bản đến…"), "Ctrl+N", lambda: self.new_entry("incoming"),
                              "actNewIncoming")
        self.act_out_pdf = act(m_doc, tr("Văn bản đi từ tệp PDF lãnh đạo đã ký…"), "Ctrl+Shift+O",
                               lambda: self.intake(kind="outgoing"), "actOutgoingPdf")
        self.act_new_out = act(m_doc, tr("Đăng ký văn bản đi…"), "Ctrl+Shift+N",
                               lambda: self.new_entry("outgoing"), "actNewOutgoing")
        self.act_sign = act(m_doc, tr("Ký số và phát hành văn bản đi đang chọn…"), "Ctrl+K", self.sign_current,
                            "actSign")
        self.act_void = act(m_doc, tr("Hủy số văn bản đang chọn…"), "Ctrl+Del", self.void_current, "actVoid")
        self.act_find = act(m_doc, tr("Tìm kiếm"), "Ctrl+F", self.focus_search, "actFind")
        self.act_lookup = act(m_doc, tr("Tra cứu nâng cao…"), "Ctrl+Shift+F", lambda: self.show_view("search"),
                              "actLookup")
        act(m_doc, tr("Làm mới"), "F5", self.refresh_all, "actRefresh")
        act(m_file, tr("Thoát"), "Ctrl+Q", self.close, "actQuit")
        for i, (name, label, _) in enumerate(VIEWS):
            act(m_view, tr(label), f"Ctrl+{i + 1}", lambda checked=False, n=name: self.show_view(n), f"actView_{name}")
        act(m_help, tr("Hướng dẫn sử dụng"), "F1", self.show_guide, "actGuide")
        act(m_help, tr("Tự kiểm tra máy…"), None, self.run_self_test, "actSelfTest")
        act(m_help, tr("Phím tắt"), "Ctrl+F1", self.show_shortcuts, "actShortcuts")
        act(m_help, tr("Giới thiệu"), None, self.show_about, "actAbout")

    def _update_title(self) -> None:
        org = self.session.settings.get("org.name") or ""
        self.setWindowTitle(tr("Văn thư — {org}").format(org=org))

    # -- lifecycle -----------------------------------------------------------------------
    def show_counts(self, counts: dict) -> None:
        """The navigation badges: what waits for the clerk on each screen."""
        self.counts = dict(counts)
        for i, (name, label, _) in enumerate(VIEWS):
            item = self.nav.item(i)
            n = counts.get(name) or 0
            item.setText(f"{tr(label)}  ({fmt.thousands(n)})" if n else tr(label))
            hint = COUNT_HINTS.get(name)
            item.setToolTip(f"{tr(label)} (Ctrl+{i + 1})" + (f" — {tr(hint).format(n=fmt.thousands(n))}"
                                                             if n and hint else ""))

    def show_guide(self):
        from .guide import GuideDialog
        dlg = GuideDialog(self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.show()
        self.guide_dialog = dlg
        return dlg

    def start_background(self) -> None:
        """Start polling and reminders; report crash logs left by the previous run."""
        self.status.start()
        self.counter.start()
        from .sync_runner import Watcher
        self.sync_watcher = Watcher(self.session)
        self.sync_watcher.start()
        # the holiday tables and the reminder query wait until the first screen is painted
        QTimer.singleShot(1500, self.reminders.start)
        QTimer.singleShot(0, self.report_previous_crashes)
        if self.crash_handler:
            self.crash_handler.notify = self.notify_crash

    def closeEvent(self, event) -> None:
        watcher = getattr(self, "sync_watcher", None)
        if watcher is not None:
            watcher.stop()
        self.status.stop()
        self.reminders.stop()
        self.counter.stop()
        if self.crash_handler:
            self.crash_handler.notify = None
        super().closeEvent(event)

    def report_previous_crashes(self) -> list:
        paths = crash.pending_reports(self.session.data_dir)
        if not paths:
            return []
        detail = "\n\n".join(f"== {p}\n{p.read_text(encoding='utf-8', errors='replace')[-6000:]}" for p in paths)
        dlg = ErrorDialog(
            tr("Lần trước chương trình gặp lỗi không mong đợi ({n} lần). Dữ liệu đã đăng ký vẫn nguyên vẹn. "
               "Hãy sao chép chi tiết và gửi cho quản trị viên.").format(n=len(paths)),
            detail, tr("Báo cáo lỗi lần trước"), self)
        dlg.setObjectName("crashReport")
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.show()
        crash.mark_reported(paths)
        self.crash_report_dialog = dlg
        return paths

    def notify_crash(self, path, text: str) -> None:
        dlg = ErrorDialog(
            tr("Đã xảy ra lỗi không mong đợi; chương trình vẫn tiếp tục chạy. Chi tiết đã ghi vào {p}.").format(
                p=path or tr("nhật ký")), text, tr("Lỗi không mong đợi"), self)
        dlg.setObjectName("crashDialog")
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.show()
        if path:
            crash.mark_reported([path])

    # -- navigation and actions ----------------------------------------------------------
    def show_view(self, name: str) -> QWidget:
        names = [v[0] for v in VIEWS]
        self.nav.setCurrentRow(names.index(name))
        return self.view(name)

    def view(self, name: str) -> QWidget:
        """The screen `name`, built if it was not shown yet."""
        v = self.views[name]
        return v.build() if isinstance(v, LazyView) else v

    def current_view_name(self) -> str:
        return VIEWS[self.stack.currentIndex()][0]

    def register_view(self) -> RegisterView | None:
        view = self.stack.currentWidget()
        return view if isinstance(view, RegisterView) else None

    def focus_search(self) -> None:
        view = self.register_view() or self.show_view("incoming")
        view.focus_search()

    def refresh_all(self) -> None:
        self.session.notify(EVERYTHING)
        self.status.poll()

    def intake(self, paths=(), kind: str = "incoming"):
        """Scan or import a paper document (or, outgoing, the PDF the leader signed), then
        register it with the suggested fields."""
        from . import intake
        dlg = intake.IntakeDialog(self.session, self, paths, kind=kind)
        dlg.form_requested.connect(
            lambda values, uncertain, files, extra: self.new_entry(kind, values, uncertain, files, extra,
                                                                   sign_after=kind != "incoming"))
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.open()
        self.intake_dialog = dlg
        return dlg

    def new_entry(self, kind: str, prefill: dict | None = None, uncertain=(), attachments=(),
                  extra: dict | None = None, sign_after: bool = False) -> EntryFormDialog:
        dlg = EntryFormDialog(self.session, kind, prefill, uncertain, self, attachments=attachments, extra=extra)
        dlg.registered.connect(lambda e: self._select_new(e))
        if sign_after:
            dlg.finished.connect(lambda _r: dlg.entry and self.sign_entry(dlg.entry["id"]))
        dlg.open()
        self.entry_form = dlg
        return dlg

    def _select_new(self, entry: dict) -> None:
        view = self.views.get(entry["kind"])
        if isinstance(view, RegisterView):
            self.show_view(entry["kind"])
            view.select_entry(entry["id"])

    def open_entry(self, entry_id: int) -> EntryDetail:
        dlg = EntryDetail(self.session, entry_id, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.open()
        self.entry_detail = dlg
        return dlg

    def sign_current(self):
        view = self.register_view()
        entry_id = view.current_entry_id() if view and view.kind != "incoming" else None
        if entry_id is None:
            QMessageBox.information(self, tr("Ký số"), tr("Hãy chọn một văn bản đi trong sổ trước."))
            return None
        return self.sign_entry(entry_id)

    def sign_entry(self, entry_id: int):
        from . import signing
        dlg = signing.SignDialog(self.session, entry_id, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.open()
        self.sign_dialog = dlg
        return dlg

    def void_current(self) -> None:
        view = self.register_view()
        entry_id = view.current_entry_id() if view else None
        if entry_id is None:
            QMessageBox.information(self, tr("Hủy số"), tr("Hãy chọn một văn bản trong sổ trước."))
            return
        from ..workflows import queries
        from .ops import read
        read(self, self.session, queries.entry_detail, entry_id).success(
            lambda d: void_entry(self, self.session, d.entry.to_json(), register_title=d.register_title)).run()

    def show_shortcuts(self) -> None:
        lines = [
            (f"Ctrl+1 … Ctrl+{len(VIEWS)}", tr("Chuyển màn hình")), ("F1", tr("Hướng dẫn sử dụng")),
            ("Ctrl+Shift+F", tr("Tra cứu nâng cao")), ("Ctrl+Shift+O", tr("Văn bản đi từ tệp PDF đã ký")),
            ("Ctrl+O", tr("Nhập văn bản giấy")), ("Ctrl+N", tr("Đăng ký văn bản đến")),
            ("Ctrl+Shift+N", tr("Đăng ký văn bản đi")), ("Ctrl+F", tr("Tìm kiếm")),
            ("Enter", tr("Xem văn bản đang chọn")), ("Ctrl+K", tr("Ký số và phát hành văn bản đi")),
            ("Ctrl+Del", tr("Hủy số văn bản đang chọn")),
            ("Ctrl+Enter", tr("Đăng ký (trong biểu mẫu)")), ("F5", tr("Làm mới")), ("Ctrl+Q", tr("Thoát")),
        ]
        QMessageBox.information(self, tr("Phím tắt"), "\n".join(f"{k}\t{v}" for k, v in lines))

    def run_self_test(self):
        """The same checks as `vanthu self-test`, off the UI thread; the report in a dialog."""
        from ..selftest import run_checks
        from .workers import Worker
        w = Worker(run_checks, self.session.data_dir, label=tr("Tự kiểm tra máy"))
        w.signals.finished.connect(guard(self, lambda report: QMessageBox.information(
            self, tr("Tự kiểm tra máy"), report.to_text())))
        w.signals.failed.connect(guard(self, lambda exc, tb: show_error(self, exc, tb, modal=False)))
        return self.session.jobs.start(w)

    def show_about(self) -> None:
        from ..cli import version
        QMessageBox.about(self, tr("Giới thiệu"), tr("Văn thư {v}\nDữ liệu: {d}").format(
            v=version(), d=self.session.data_dir))
