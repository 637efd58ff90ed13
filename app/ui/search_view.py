"""Tra cứu: find documents in either register by date range, issuer, type, urgency, status and
words of their text (diacritics optional), as `vanthu entries list/search` does."""
import re
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.doctypes import DOC_TYPES
from ..domain.records import STATUSES, Kind
from . import formatting as fmt
from .columns import ColumnSizer
from .columns import state as columns_state
from .entries_model import EntriesModel
from .i18n import tr
from .qtfix import current_data, emit, guard
from .register_view import COLUMN_SPECS

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def parse_vn_date(text: str) -> date | None:
    """'05/11/2026' -> date; '' -> None; anything else raises ValueError."""
    if not (text or "").strip():
        return None
    m = _DMY.match(text)
    if not m:
        raise ValueError(text)
    return date(int(m[3]), int(m[2]), int(m[1]))


class SearchView(QWidget):
    open_entry = Signal(int)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("searchView")
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("lookupKind")
        self.kind_box.addItem(tr("Văn bản đến"), "incoming")
        self.kind_box.addItem(tr("Văn bản đi"), "outgoing")
        self.date_from = QLineEdit()
        self.date_from.setObjectName("lookupFrom")
        self.date_to = QLineEdit()
        self.date_to.setObjectName("lookupTo")
        for w in (self.date_from, self.date_to):
            w.setPlaceholderText(tr("ngày/tháng/năm"))
            w.setMaximumWidth(130)
            w.returnPressed.connect(self.run)
        self.issuer = QLineEdit()
        self.issuer.setObjectName("lookupIssuer")
        self.issuer.setPlaceholderText(tr("cơ quan ban hành hoặc nơi nhận"))
        self.issuer.returnPressed.connect(self.run)
        self.doc_type = QComboBox()
        self.doc_type.setObjectName("lookupType")
        self.doc_type.addItem(tr("Mọi loại"), None)
        for t in DOC_TYPES:
            self.doc_type.addItem(t, t)
        self.urgency = QComboBox()
        self.urgency.setObjectName("lookupUrgency")
        self.urgency.addItem(tr("Mọi độ khẩn"), None)
        for code in (1, 2, 3):
            self.urgency.addItem(tr("{u} trở lên").format(u=fmt.urgency(code)) if code < 3 else fmt.urgency(code),
                                 code)
        self.status = QComboBox()
        self.status.setObjectName("lookupStatus")
        self.text = QLineEdit()
        self.text.setObjectName("lookupText")
        self.text.setPlaceholderText(tr("số, ký hiệu, trích yếu, người ký… (không cần dấu)"))
        self.text.setClearButtonEnabled(True)
        self.text.returnPressed.connect(self.run)
        self.find_button = QPushButton(tr("Tìm"))
        self.find_button.setObjectName("lookupFind")
        self.find_button.setDefault(True)
        self.find_button.clicked.connect(self.run)
        clear = QPushButton(tr("Xóa điều kiện"))
        clear.clicked.connect(self.clear)
        self.error = QLabel()
        self.error.setObjectName("lookupError")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setVisible(False)

        grid = QGridLayout()
        grid.addWidget(QLabel(tr("Sổ")), 0, 0)
        grid.addWidget(self.kind_box, 0, 1)
        grid.addWidget(QLabel(tr("Từ ngày")), 0, 2)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(tr("đến ngày")))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        grid.addLayout(dates, 0, 3)
        grid.addWidget(QLabel(tr("Loại")), 0, 4)
        grid.addWidget(self.doc_type, 0, 5)
        grid.addWidget(QLabel(tr("Cơ quan")), 1, 0)
        grid.addWidget(self.issuer, 1, 1, 1, 3)
        grid.addWidget(QLabel(tr("Độ khẩn")), 1, 4)
        grid.addWidget(self.urgency, 1, 5)
        grid.addWidget(QLabel(tr("Nội dung")), 2, 0)
        grid.addWidget(self.text, 2, 1, 1, 3)
        grid.addWidget(QLabel(tr("Trạng thái")), 2, 4)
        grid.addWidget(self.status, 2, 5)
        grid.setColumnStretch(3, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error)
        buttons.addStretch(1)
        buttons.addWidget(clear)
        buttons.addWidget(self.find_button)

        self.table = QTableView()
        self.table.setObjectName("lookupTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.doubleClicked.connect(self._open_row)
        self.count_label = QLabel()
        self.count_label.setObjectName("lookupCount")
        lay = QVBoxLayout(self)
        title = QLabel(tr("Tra cứu văn bản"))
        f = title.font()
        f.setPointSize(f.pointSize() + 3)
        f.setBold(True)
        title.setFont(f)
        lay.addWidget(title)
        lay.addLayout(grid)
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count_label)
        self.model: EntriesModel | None = None
        self.sizer: ColumnSizer | None = None
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        session.on_change(self._refresh, "entries")
        self._kind_changed()
        self.completion_job = session.completions("incoming", guard(self, self._set_completions))

    def _set_completions(self, values: dict) -> None:
        from .entry_form import _completer
        names = values.get("issuer") or []
        if names:
            self.issuer.setCompleter(_completer(names, self.issuer))

    def kind(self) -> str:
        return current_data(self.kind_box)

    def _kind_changed(self, *args) -> None:
        kind = self.kind()
        self.status.clear()
        self.status.addItem(tr("Mọi trạng thái"), None)
        for s in STATUSES[Kind(kind)]:
            self.status.addItem(fmt.status(str(s)), str(s))
        old = self.model
        self.model = EntriesModel(self.session, kind, self)
        self.table.setModel(self.model)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.completed.connect(self._update_count)
        self.model.failed.connect(lambda message: self.count_label.setText(message))
        if old is not None:
            old.deleteLater()
        if self.sizer is not None:
            self.sizer.deleteLater()
        self.sizer = ColumnSizer(self.table, self.model.columns, COLUMN_SPECS,
                                 columns_state(self.session.data_dir), f"lookup_{kind}", self)
        self.sizer.apply()
        self.run()

    def conditions(self) -> tuple[str, dict]:
        """(words to find, filters) from the fields; ValueError names a wrong date."""
        try:
            d_from = parse_vn_date(self.date_from.text())
        except ValueError:
            raise ValueError(tr("«Từ ngày» phải có dạng ngày/tháng/năm, ví dụ 01/11/2026.")) from None
        try:
            d_to = parse_vn_date(self.date_to.text())
        except ValueError:
            raise ValueError(tr("«Đến ngày» phải có dạng ngày/tháng/năm, ví dụ 30/11/2026.")) from None
        if d_from and d_to and d_from > d_to:
            raise ValueError(tr("«Từ ngày» ({a}) sau «đến ngày» ({b}).").format(a=fmt.vn_date(d_from),
                                                                                b=fmt.vn_date(d_to)))
        # the issuer: its name (case and diacritics ignored, every word) or its organization id
        filters = {"date_from": d_from, "date_to": d_to, "doc_type": current_data(self.doc_type),
                   "urgency": current_data(self.urgency), "status": current_data(self.status),
                   "issuer": self.issuer.text().strip()}
        return self.text.text().strip(), filters

    def run(self) -> bool:
        try:
            words, filters = self.conditions()
        except ValueError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return False
        self.error.setVisible(False)
        self.model.set_query(words, **filters)     # answered off the UI thread
        self._update_count()
        return True

    def clear(self) -> None:
        for w in (self.date_from, self.date_to, self.issuer, self.text):
            w.clear()
        for box in (self.doc_type, self.urgency, self.status):
            box.setCurrentIndex(0)
        self.run()

    def _refresh(self) -> None:
        if self.model is not None:
            self.model.refresh()

    def _update_count(self, *args) -> None:
        n = self.model.loaded_rows()
        if self.model.is_loading() and not n:
            text = tr("Đang tìm…")
        elif self.model.is_complete():
            text = tr("Tìm thấy {n} văn bản.").format(n=fmt.thousands(n))
        else:
            text = tr("Đang hiển thị {n} văn bản mới nhất tìm thấy — cuộn xuống để xem thêm.").format(
                n=fmt.thousands(n))
        self.count_label.setText(text)

    def _open_row(self, index) -> None:
        entry_id = self.model.entry_id(index.row())
        if entry_id is not None:
            emit(self.open_entry, entry_id)

    def focus(self) -> None:
        self.text.setFocus()

