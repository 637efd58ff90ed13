"""Hàng đợi gửi: the documents being sent through the exchange platform (and the status
reports answering received ones), oldest first, with the attempts and the last error of each;
the register's mirror traffic to the provincial server summarised in one line (shown item by
item on request)."""
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..workflows import queries
from . import formatting as fmt
from .i18n import N_, tr
from .ops import read
from .qtfix import current_data, guard

TOPICS = {
    "edoc.send": N_("Gửi văn bản"), "status.send": N_("Báo trạng thái xử lý"),
    "entry.registered": N_("Đồng bộ sổ: đăng ký"), "entry.revised": N_("Đồng bộ sổ: sửa thông tin"),
    "entry.voided": N_("Đồng bộ sổ: hủy số"), "entry.status": N_("Đồng bộ sổ: đổi trạng thái"),
    "attachment.added": N_("Đồng bộ sổ: thêm tệp"),
}
STATES = {"pending": N_("Chờ gửi"), "parked": N_("Lỗi, tạm dừng"), "done": N_("Đã gửi")}
LIMIT = 500


class OutboxView(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("outboxView")
        self.state_box = QComboBox()
        self.state_box.setObjectName("outboxState")
        for value, label in ((None, N_("Tất cả")), ("pending", STATES["pending"]),
                             ("parked", STATES["parked"]), ("done", STATES["done"])):
            self.state_box.addItem(tr(label), value)
        self.state_box.setCurrentIndex(1)
        self.state_box.currentIndexChanged.connect(self.reload)
        self.summary = QLabel()
        self.summary.setObjectName("outboxSummary")
        self.reload_button = QPushButton(tr("Làm mới (F5)"))
        self.reload_button.clicked.connect(self.reload)
        self.send_button = QPushButton(tr("Gửi ngay"))
        self.send_button.setObjectName("sendNow")
        self.send_button.clicked.connect(self.send_now)
        self.send_button.setToolTip(tr("Gửi ngay những mục đang chờ và nhận văn bản mới."))
        self.mirror = QLabel()
        self.mirror.setObjectName("mirrorSummary")
        self.mirror.setStyleSheet("color: #555;")
        self.mirror.setWordWrap(True)
        self.show_mirror = QCheckBox(tr("Hiện từng mục đồng bộ sổ"))
        self.show_mirror.setObjectName("showMirror")
        self.show_mirror.toggled.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Trạng thái")))
        top.addWidget(self.state_box)
        top.addWidget(self.summary, 1)
        top.addWidget(self.reload_button)
        top.addWidget(self.send_button)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("outboxTable")
        self.table.setHorizontalHeaderLabels([tr("STT"), tr("Việc"), tr("Văn bản"), tr("Tạo lúc"),
                                              tr("Trạng thái"), tr("Số lần thử"), tr("Lỗi gần nhất")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.Stretch)
        for i, w in enumerate((60, 150, 280, 140, 110, 90)):
            self.table.setColumnWidth(i, w)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.mirror, 1)
        bottom.addWidget(self.show_mirror)
        lay.addLayout(bottom)
        self._loaded = False
        session.on_change(self._changed, "outbox", "entries")

    def showEvent(self, event) -> None:
        if not self._loaded:
            self.reload()
        super().showEvent(event)

    def _changed(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._loaded = False

    def send_now(self):
        from . import sync_runner
        w = sync_runner.sync_now(self.session, self)
        if w is not None:
            self.send_button.setEnabled(False)
            w.signals.done.connect(guard(self, lambda: (self.send_button.setEnabled(True), self.reload())))
        return w

    def reload(self):
        """Read the queue off the UI thread; shown when it comes."""
        self._loaded = True
        state = current_data(self.state_box)
        mirror = None if self.show_mirror.isChecked() else False
        self.reload_op = read(self, self.session, queries.outbox_listing, state, mirror=mirror, limit=LIMIT) \
            .success(self.show_listing)
        self.reload_op.run()
        return self.reload_op

    def show_listing(self, listing) -> None:
        self.reload_op = None
        items, every, mirrored = listing.items, listing.counts, listing.mirror
        docs = {k: every.get(k, 0) - mirrored.get(k, 0) for k in ("pending", "parked", "done")}
        self.summary.setText(tr("Văn bản chờ gửi: {p} · Lỗi: {e} · Đã gửi: {d}").format(
            p=fmt.thousands(docs["pending"]), e=fmt.thousands(docs["parked"]), d=fmt.thousands(docs["done"])))
        waiting = mirrored.get("pending", 0) + mirrored.get("parked", 0)
        if waiting:
            text = tr("Đồng bộ sổ lên máy chủ tỉnh: {n} mục chờ gửi (bản sao sổ để sao lưu, không phải văn bản "
                      "gửi đi)").format(n=fmt.thousands(waiting))
            if mirrored.get("parked"):
                text += " · " + tr("{n} mục lỗi").format(n=fmt.thousands(mirrored["parked"]))
        else:
            text = tr("Đồng bộ sổ lên máy chủ tỉnh: đã xong.")
        self.mirror.setText(text)
        self.table.setRowCount(len(items))
        for i, item in enumerate(items):
            values = (str(item["seq"]), tr(TOPICS.get(item["topic"], item["topic"])),
                      self._what(item, listing.entries), fmt.vn_datetime(item["created_at"]),
                      tr(STATES.get(item["state"], item["state"])), str(item["attempts"]),
                      item.get("last_error") or "")
            for col, text in enumerate(values):
                cell = QTableWidgetItem(text)
                if col == 6 and text:
                    cell.setForeground(Qt.darkRed)
                self.table.setItem(i, col, cell)

    @staticmethod
    def _what(item: dict, named: dict) -> str:
        """The document an item is about: "12/2026 1007/QĐ-UBND — summary"."""
        payload = json.loads(item["payload"]) if item.get("payload") else {}
        entry = payload.get("entry") or {}
        if isinstance(entry, str):          # a send names its entry by uid (read with the list)
            e = named.get(entry)
            if e is None:
                return entry
            return " — ".join(x for x in (e.reference or fmt.number(e.register_number), e.summary) if x)
        what = entry.get("reference") or entry.get("summary") or payload.get("document_id") or \
            item.get("entity_id") or ""
        if entry.get("register_number"):
            what = f"{fmt.number(entry['register_number'])}/{entry.get('year', '')} {what}"
        return what
