"""A register screen (Văn bản đến / Văn bản đi): filters, a diacritic-insensitive search box,
the lazy table and the frequent actions."""
import logging
from contextlib import contextmanager
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from ..store import entries as store_entries
from ..store import registers as store_registers
from . import formatting as fmt
from .entries_model import EntriesModel
from .i18n import tr
from .qtfix import current_data, emit

log = logging.getLogger(__name__)


@contextmanager
def busy_cursor():
    """A wait cursor while a query that may read the whole register runs (sorting a big one)."""
    QApplication.setOverrideCursor(Qt.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class RegisterView(QWidget):
    """`open_entry(entry_id)` is emitted on Enter / double click."""

    open_entry = Signal(int)
    new_entry = Signal(str)
    files_dropped = Signal(object)

    def __init__(self, session, kind: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.setObjectName(f"registerView_{kind}")
        self.model = EntriesModel(session.store, kind, self)
        self.setAcceptDrops(kind == "incoming")

        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(tr("Tìm (không cần dấu): số, ký hiệu, trích yếu, cơ quan… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)

        self.register_box = QComboBox()
        self.register_box.setObjectName("registerFilter")
        self.year_box = QComboBox()
        self.year_box.setObjectName("yearFilter")
        self.status_box = QComboBox()
        self.status_box.setObjectName("statusFilter")
        self.urgency_box = QComboBox()
        self.urgency_box.setObjectName("urgencyFilter")
        self._fill_filters()
        for box in (self.register_box, self.year_box, self.status_box, self.urgency_box):
            box.currentIndexChanged.connect(self.apply_filters)

        self.new_button = QPushButton(tr("Đăng ký mới (Ctrl+N)"))
        self.new_button.setObjectName("newButton")
        self.new_button.clicked.connect(lambda: emit(self.new_entry, self.kind))
        self.open_button = QPushButton(tr("Xem (Enter)"))
        self.open_button.clicked.connect(self._open_current)

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(QLabel(tr("Sổ")))
        top.addWidget(self.register_box, 1)
        top.addWidget(QLabel(tr("Năm")))
        top.addWidget(self.year_box)
        top.addWidget(self.status_box)
        top.addWidget(self.urgency_box)

        self.table = QTableView()
        self.table.setObjectName("registerTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSortIndicator(0, Qt.DescendingOrder)
        # connected before the view's own sorting connection, so that the wait cursor is up
        # while the model sorts
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sorting)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.Interactive)
        hh.setStretchLastSection(False)
        self._size_columns()
        self.table.doubleClicked.connect(lambda idx: self._open_row(idx.row()))
        open_act = QAction(self.table)
        open_act.setShortcuts([QKeySequence(Qt.Key_Return), QKeySequence(Qt.Key_Enter)])
        open_act.setShortcutContext(Qt.WidgetShortcut)
        open_act.triggered.connect(self._open_current)
        self.table.addAction(open_act)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.new_button)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.completed.connect(self._update_count)
        session.entries_changed.connect(self.refresh)
        self._update_count()
        self.setTabOrder(self.search, self.register_box)
        self.setTabOrder(self.register_box, self.year_box)
        self.setTabOrder(self.year_box, self.status_box)
        self.setTabOrder(self.status_box, self.urgency_box)
        self.setTabOrder(self.urgency_box, self.table)
        self.setTabOrder(self.table, self.open_button)
        self.setTabOrder(self.open_button, self.new_button)

    def _sorting(self, *args) -> None:
        # the model sorts synchronously inside the header's signal; show the wait cursor briefly
        QApplication.setOverrideCursor(Qt.WaitCursor)
        QTimer.singleShot(0, QApplication.restoreOverrideCursor)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            emit(self.files_dropped, paths)

    def _size_columns(self) -> None:
        widths = {"arrival_number": 70, "register_number": 60, "arrival_at": 130, "issuer": 200,
                  "reference": 140, "issued_on": 100, "summary": 420, "receiving_unit": 180,
                  "signer": 150, "recipients": 220, "urgency": 90, "status": 120}
        for i, key in enumerate(self.model.columns):
            self.table.setColumnWidth(i, widths.get(key, 120))

    def _fill_filters(self) -> None:
        self.register_box.addItem(tr("Tất cả"), None)
        regs = [r for r in store_registers.list_registers(self.session.store) if r["kind"] == self.kind]
        for reg in regs:
            self.register_box.addItem(reg["title"], reg["code"])
        self.year_box.addItem(tr("Tất cả"), None)
        years = set()
        for reg in regs:
            years.update(store_registers.counters(self.session.store, reg["id"]))
        years.add(date.today().year)
        for y in sorted(years, reverse=True):
            self.year_box.addItem(str(y), y)
        self.status_box.addItem(tr("Mọi trạng thái"), None)
        for s in store_entries.STATUSES[self.kind]:
            self.status_box.addItem(fmt.status(s), s)
        self.urgency_box.addItem(tr("Mọi độ khẩn"), None)
        self.urgency_box.addItem(tr("Khẩn trở lên"), 1)
        self.urgency_box.addItem(tr("Thượng khẩn trở lên"), 2)
        self.urgency_box.addItem(tr("Hỏa tốc"), 3)

    def filters(self) -> dict:
        return {"register": current_data(self.register_box), "year": current_data(self.year_box),
                "status": current_data(self.status_box), "urgency": current_data(self.urgency_box)}

    def apply_filters(self) -> None:
        self._search_timer.stop()
        with busy_cursor():
            self.model.set_query(self.search.text(), **self.filters())

    def refresh(self) -> None:
        self.model.refresh()

    def _update_count(self, *args) -> None:
        n = self.model.loaded()
        filtered = bool(self.search.text().strip()) or any(v is not None for v in self.filters().values())
        if self.model.is_complete():
            text = tr("{n} văn bản").format(n=f"{n:,}".replace(",", "."))
        else:
            text = tr("Đang hiển thị {n} văn bản mới nhất — cuộn xuống để xem thêm").format(
                n=f"{n:,}".replace(",", "."))
        if not filtered:
            total = self._total()
            if total is not None:
                text += " · " + tr("tổng cộng {t} trong sổ").format(t=f"{total:,}".replace(",", "."))
        self.count_label.setText(text)

    def _total(self) -> int | None:
        # counters are gapless: their sum is the number of entries, without counting rows
        rows = self.session.store.query(
            "SELECT sum(c.last_number) FROM counters c JOIN registers r ON r.id = c.register_id "
            "WHERE r.kind = ?", (self.kind,))
        return rows[0][0] if rows and rows[0][0] is not None else 0

    def current_entry_id(self) -> int | None:
        idx = self.table.currentIndex()
        return self.model.entry_id(idx.row()) if idx.isValid() else None

    def _open_current(self) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self._open_row(idx.row())

    def _open_row(self, row: int) -> None:
        entry_id = self.model.entry_id(row)
        if entry_id is not None:
            emit(self.open_entry, entry_id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True
