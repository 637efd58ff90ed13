"""Hàng đợi gửi: what the server must still be told (the outbox), oldest first, with the
attempts and the last error of each item."""
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..store import outbox
from . import formatting as fmt
from .i18n import N_, tr
from .qtfix import current_data, guard

TOPICS = {
    "entry.registered": N_("Đăng ký văn bản"), "entry.revised": N_("Sửa thông tin"),
    "entry.voided": N_("Hủy số"), "entry.status": N_("Đổi trạng thái"),
    "attachment.added": N_("Thêm tệp"),
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
        from . import sync_runner
        if sync_runner.available():
            self.send_button.clicked.connect(self.send_now)
            self.send_button.setToolTip(tr("Gửi ngay những mục đang chờ và nhận văn bản mới."))
        else:
            self.send_button.setEnabled(False)
            self.send_button.setToolTip(tr("Việc gửi đi do phần liên thông đảm nhận; chưa có trong phiên bản này."))
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
        self._loaded = False
        session.entries_changed.connect(self._changed)

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

    def reload(self) -> None:
        self._loaded = True
        state = current_data(self.state_box)
        items = outbox.items(self.session.store, state, limit=LIMIT) if state != "done" else \
            [dict(r) for r in self.session.store.query(
                "SELECT * FROM outbox WHERE state = 'done' ORDER BY seq DESC LIMIT ?", (LIMIT,))]
        counts = outbox.counts(self.session.store)
        self.summary.setText(tr("Chờ gửi: {p} · Lỗi: {e} · Đã gửi: {d}").format(
            p=counts.get("pending", 0), e=counts.get("parked", 0), d=counts.get("done", 0)))
        self.table.setRowCount(len(items))
        for i, item in enumerate(items):
            payload = json.loads(item["payload"]) if item.get("payload") else {}
            entry = payload.get("entry") or {}
            what = entry.get("reference") or entry.get("summary") or item.get("entity_id") or ""
            if entry.get("register_number"):
                what = f"{fmt.number(entry['register_number'])}/{entry.get('year', '')} {what}"
            values = (str(item["seq"]), tr(TOPICS.get(item["topic"], item["topic"])), what,
                      fmt.vn_datetime(item["created_at"]), tr(STATES.get(item["state"], item["state"])),
                      str(item["attempts"]), item.get("last_error") or "")
            for col, text in enumerate(values):
                cell = QTableWidgetItem(text)
                if col == 6 and text:
                    cell.setForeground(Qt.darkRed)
                self.table.setItem(i, col, cell)
