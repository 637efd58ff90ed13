"""A register screen (Văn bản đến / Văn bản đi): filters, a diacritic-insensitive search box,
the lazy table and the frequent actions."""
import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain import clock
from ..domain.records import STATUSES, Kind
from ..workflows import queries
from . import formatting as fmt
from . import icons
from .columns import Col, ColumnSizer
from .columns import state as columns_state
from .entries_model import EntriesModel
from .i18n import tr
from .ops import read
from .qtfix import current_data, emit

log = logging.getLogger(__name__)


COLUMN_SPECS = {
    "arrival_number": Col(46, 60, sample="00000"), "register_number": Col(46, 60, sample="00000"),
    "urgency": Col(96, 112, sample="Thượng khẩn", pad=44), "arrival_at": Col(108, 124, sample="27/11/2026 09:05"),
    "issuer": Col(120, 200, 2), "reference": Col(92, 130, sample="1234/QĐ-UBND"),
    "issued_on": Col(80, 92, sample="27/11/2026", drop=2, from_width=1250),
    "summary": Col(300, 420, 6),
    "receiving_unit": Col(110, 170, 1, drop=1, from_width=1100), "signer": Col(110, 150, 1, drop=1),
    "recipients": Col(130, 220, 1, drop=3, from_width=1000), "status": Col(104, 124, sample="Đã chuyển xử lý"),
    "register": Col(60, 80),
}


class RegisterView(QWidget):
    """`open_entry(entry_id)` is emitted on Enter / double click."""

    open_entry = Signal(int)
    new_entry = Signal(str)
    files_dropped = Signal(object)
    intake_requested = Signal(str)     # kind: scan / import paper (incoming), the signed PDF (outgoing)

    def __init__(self, session, kind: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.setObjectName(f"registerView_{kind}")
        self.model = EntriesModel(session, kind, self)
        self._total_entries: int | None = None
        self._select_when_loaded: int | None = None
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

        incoming = kind == "incoming"
        self.new_button = QPushButton(icons.icon("new"), tr("Đăng ký văn bản đến (Ctrl+N)") if incoming
                                      else tr("Đăng ký văn bản đi (Ctrl+Shift+N)"))
        self.new_button.setObjectName("newButton")
        self.new_button.clicked.connect(lambda: emit(self.new_entry, self.kind))
        self.scan_button = QPushButton(icons.icon("scan"), tr("Quét, nhập văn bản giấy (Ctrl+O)") if incoming
                                       else tr("Từ tệp PDF đã ký (Ctrl+Shift+O)"))
        self.scan_button.setObjectName("scanButton")
        self.scan_button.clicked.connect(lambda: emit(self.intake_requested, self.kind))
        for b in (self.new_button, self.scan_button):
            b.setIconSize(icons.BUTTON_SIZE)
        self.open_button = QPushButton(tr("Xem (Enter)"))
        self.open_button.clicked.connect(self._open_current)

        actions = QHBoxLayout()
        actions.addWidget(self.scan_button)
        actions.addWidget(self.new_button)
        actions.addStretch(1)
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
        self.table.setSortingEnabled(True)      # the model reads the sorted rows off the UI thread
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.sizer = ColumnSizer(self.table, self.model.columns, COLUMN_SPECS,
                                 columns_state(session.data_dir), f"register_{kind}", self)
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

        self.empty_hint = QLabel(self.table.viewport())
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignCenter)
        self.empty_hint.setStyleSheet("color: #444; font-size: 11pt; padding: 24px;")
        self.empty_hint.setVisible(False)
        self.table.viewport().installEventFilter(self)

        lay = QVBoxLayout(self)
        lay.addLayout(actions)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.completed.connect(self._update_count)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._read_failed)
        session.on_change(self.refresh, "entries")
        session.on_change(self.load_choices, "entries", "registers")
        self.load_choices()
        self._update_count()
        self.setTabOrder(self.search, self.register_box)
        self.setTabOrder(self.register_box, self.year_box)
        self.setTabOrder(self.year_box, self.status_box)
        self.setTabOrder(self.status_box, self.urgency_box)
        self.setTabOrder(self.urgency_box, self.table)
        self.setTabOrder(self.table, self.open_button)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            emit(self.files_dropped, paths)

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent
        if obj is self.table.viewport() and event.type() == QEvent.Resize:
            self.empty_hint.setGeometry(self.table.viewport().rect())
        return False

    def _fill_filters(self) -> None:
        """The fixed choices now; the registers and their years come with load_choices()."""
        self.register_box.addItem(tr("Tất cả"), None)
        self.year_box.addItem(tr("Tất cả"), None)
        self.year_box.addItem(str(clock.today().year), clock.today().year)
        self.status_box.addItem(tr("Mọi trạng thái"), None)
        for s in STATUSES[Kind(self.kind)]:
            self.status_box.addItem(fmt.status(str(s)), str(s))
        self.urgency_box.addItem(tr("Mọi độ khẩn"), None)
        self.urgency_box.addItem(tr("Khẩn trở lên"), 1)
        self.urgency_box.addItem(tr("Thượng khẩn trở lên"), 2)
        self.urgency_box.addItem(tr("Hỏa tốc"), 3)

    def load_choices(self):
        """Read the registers, their years and the register's size off the UI thread."""
        op = read(self, self.session, queries.register_choices, self.kind).success(self._show_choices) \
            .failure(lambda exc: log.warning("register choices not read: %s", exc) or True)
        op.run()
        return op

    def _show_choices(self, choices) -> None:
        self._total_entries = choices.total
        for box, values in ((self.register_box, [(r.title, r.code) for r in choices.registers]),
                            (self.year_box, [(str(y), y) for y in choices.years])):
            if [box.itemData(i) for i in range(1, box.count())] == [v for _t, v in values]:
                continue
            chosen = current_data(box)
            box.blockSignals(True)      # the same filter: no new query
            while box.count() > 1:
                box.removeItem(1)
            for text, value in values:
                box.addItem(text, value)
            box.setCurrentIndex(max(box.findData(chosen), 0) if chosen is not None else 0)
            box.blockSignals(False)
        self._update_count()

    def filters(self) -> dict:
        return {"register": current_data(self.register_box), "year": current_data(self.year_box),
                "status": current_data(self.status_box), "urgency": current_data(self.urgency_box)}

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.search.text(), **self.filters())     # answered off the UI thread
        self._update_count()

    def refresh(self) -> None:
        self.model.refresh()

    def _loaded(self) -> None:
        if self._select_when_loaded is not None:
            entry_id, self._select_when_loaded = self._select_when_loaded, None
            self.select_entry(entry_id)

    def _read_failed(self, message: str) -> None:
        self._update_count()

    def _update_count(self, *args) -> None:
        if self.model.error:
            self.empty_hint.setVisible(False)
            self.count_label.setText(tr("Không đọc được sổ: {e}").format(e=self.model.error))
            return
        n = self.model.loaded_rows()
        filtered = bool(self.search.text().strip()) or any(v is not None for v in self.filters().values())
        self._update_hint(n, filtered)
        if self.model.is_loading() and not n:
            self.count_label.setText(tr("Đang tải…"))
            return
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
        # counters are gapless: their sum is the number of entries (read with the choices)
        return self._total_entries

    def _update_hint(self, n: int, filtered: bool) -> None:
        if n:
            self.empty_hint.setVisible(False)
            return
        if self.model.is_loading():
            text = tr("Đang tải…")
        elif filtered:
            text = tr("Không có văn bản nào khớp với điều kiện tìm. Hãy bớt điều kiện hoặc chọn «Tất cả».")
        elif self.kind == "incoming":
            text = tr("Sổ văn bản đến chưa có văn bản nào.\n\nĐể bắt đầu: đặt văn bản giấy vào máy quét rồi bấm "
                      "«Quét, nhập văn bản giấy» (Ctrl+O), hoặc bấm «Đăng ký văn bản đến» (Ctrl+N) để nhập tay. "
                      "Văn bản điện tử nhận qua trục liên thông nằm ở mục «Chờ tiếp nhận».")
        else:
            text = tr("Sổ văn bản đi chưa có văn bản nào.\n\nĐể bắt đầu: bấm «Đăng ký văn bản đi» (Ctrl+Shift+N) "
                      "để lấy số, hoặc «Từ tệp PDF đã ký» (Ctrl+Shift+O) khi lãnh đạo đã ký tệp.")
        self.empty_hint.setText(text)
        self.empty_hint.setGeometry(self.table.viewport().rect())
        self.empty_hint.setVisible(True)

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
        """Select the row of `entry_id`; while the register is being read, once it is in."""
        row = self.model.row_of(entry_id)
        if row is None:
            if self.model.is_loading():
                self._select_when_loaded = entry_id
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True
