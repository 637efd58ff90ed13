"""One entry: its fields, files, status and revision history; void with a reason, change the
status, correct a field (a new revision)."""
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.entry import FIELDS
from ..domain.records import STATUSES, Kind
from ..workflows import queries
from . import formatting as fmt
from .entry_form import FIELD_LABELS
from .i18n import N_, tr
from .ops import ENTRIES, Op, read
from .qtfix import current_data, emit, item_data

log = logging.getLogger(__name__)


DELIVERY_LABELS = {"pending": N_("đang chuyển"), "processing": N_("đang chuyển"), "done": N_("nơi nhận đã nhận"),
                   "fail": N_("chuyển không được")}
SYSTEM_ACTORS = {"root", "vanthu", "bench", "system"}
ROLE_LABELS = {"scan": N_("Bản số hóa"), "original": N_("Tệp gốc"), "signed": N_("Đã ký số"),
               "attachment": N_("Đính kèm"), "view": N_("Bản xem an toàn")}
OTHER_LABELS = {"status": N_("Trạng thái"), "void_reason": N_("Lý do hủy số"), "register_number": N_("Số"),
                "year": N_("Năm"), "reference": N_("Số, ký hiệu")}


def actor_label(actor: str | None) -> str:
    """Who made a change: the clerk's login name; system accounts read as the workstation."""
    if not actor or actor in SYSTEM_ACTORS:
        return tr("máy trạm này")
    return actor


def value_text(key: str, value) -> str:
    """A stored value as the clerk reads it: dates dd/mm/yyyy, labels instead of codes."""
    if value is None or value == "":
        return ""
    ftype = FIELDS[key][0] if key in FIELDS else None
    if key == "status":
        return fmt.status(value)
    if ftype == "urgency":
        return fmt.urgency(value) or tr("Thường")
    if ftype == "date":
        return fmt.vn_date(value)
    if ftype == "datetime":
        return fmt.vn_datetime(value)
    if ftype == "via":
        return {"paper": tr("Giấy"), "electronic": tr("Điện tử")}.get(value, str(value))
    if ftype == "recipients":
        return fmt.recipients(value)
    return str(value)


class ReasonDialog(QDialog):
    """Ask for a reason (void, correction); OK stays disabled until one is written."""

    def __init__(self, title: str, prompt: str, parent=None, warning: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        if warning:
            w = QLabel(warning)
            w.setWordWrap(True)
            w.setStyleSheet("color: #8c1d18; font-weight: bold;")
            lay.addWidget(w)
        lay.addWidget(QLabel(prompt))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(80)
        lay.addWidget(self.reason)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(tr("Xác nhận"), QDialogButtonBox.AcceptRole)
        self.buttons.addButton(tr("Hủy bỏ"), QDialogButtonBox.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda: self.ok.setEnabled(len(self.text()) >= 3))
        lay.addWidget(self.buttons)

    def text(self) -> str:
        return self.reason.toPlainText().strip()


def void_entry(parent, session, entry: dict, reason: str | None = None, done=None,
               register_title: str | None = None):
    """Void with a reason (asked for if not given), through the registering workflow off the UI
    thread; `done(updated entry)` afterwards. Returns the running Op, or None if not asked."""
    if reason is None:
        dlg = ReasonDialog(
            tr("Hủy số"), tr("Lý do hủy số:"), parent,
            warning=tr("Số {n}/{y} của sổ {r} sẽ bị hủy và không bao giờ được dùng lại. "
                       "Văn bản vẫn nằm trong sổ với dấu đã hủy.").format(
                n=fmt.number(entry["register_number"]), y=entry["year"],
                r=register_title or entry["register"]))
        if dlg.exec() != QDialog.Accepted:
            return None
        reason = dlg.text()
    from ..workflows import registering
    op = Op(parent, session, registering.void, entry["id"], reason, label=tr("Hủy số"), changes=ENTRIES)
    if done is not None:
        op.success(lambda updated: done(updated.to_json()))
    op.run()
    return op


class EntryDetail(QDialog):
    changed = Signal(dict)

    def __init__(self, session, entry_id: int, parent=None):
        super().__init__(parent)
        self.session = session
        self.entry_id = entry_id
        self.setObjectName("entryDetail")
        self.setMinimumSize(760, 620)
        self.tabs = QTabWidget()
        self.fields_view = QWidget()
        self.fields_form = QFormLayout(self.fields_view)
        self.files = QListWidget()
        self.files.setObjectName("attachments")
        self.history = QTableWidget(0, 4)
        self.history.setObjectName("history")
        self.history.setHorizontalHeaderLabels([tr("Phiên bản"), tr("Thời điểm"), tr("Người thực hiện"),
                                                tr("Lý do / thay đổi")])
        self.history.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.history.setEditTriggers(QTableWidget.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.tabs.addTab(self.fields_view, tr("Thông tin"))
        self.tabs.addTab(self.files, tr("Tệp"))
        self.tabs.addTab(self.history, tr("Lịch sử"))
        self.deliveries = QTableWidget(0, 4)
        self.deliveries.setObjectName("deliveries")
        self.deliveries.setHorizontalHeaderLabels([tr("Nơi nhận"), tr("Trạng thái"), tr("Thời điểm"), tr("Ghi chú")])
        self.deliveries.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.deliveries.setEditTriggers(QTableWidget.NoEditTriggers)
        self.deliveries.verticalHeader().setVisible(False)
        self.deliveries_tab = self.tabs.addTab(self.deliveries, tr("Nơi nhận báo về"))
        self.header = QLabel()
        self.header.setObjectName("detailHeader")
        self.header.setWordWrap(True)
        f = self.header.font()
        f.setPointSize(f.pointSize() + 3)
        f.setBold(True)
        self.header.setFont(f)

        self.status_box = QComboBox()
        self.status_box.setObjectName("statusBox")
        self.status_button = QPushButton(tr("Đổi trạng thái"))
        self.status_button.clicked.connect(self.change_status)
        self.void_button = QPushButton(tr("Hủy số…"))
        self.void_button.setObjectName("voidButton")
        self.void_button.clicked.connect(self.void)
        self.correct_button = QPushButton(tr("Sửa thông tin…"))
        self.correct_button.clicked.connect(self.correct)
        self.open_button = QPushButton(tr("Mở tệp"))
        self.open_button.clicked.connect(self.open_file)
        self.sign_button = QPushButton(tr("Ký số và phát hành…"))
        self.sign_button.setObjectName("signEntry")
        self.sign_button.clicked.connect(self.sign)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(tr("Trạng thái:")))
        actions.addWidget(self.status_box)
        actions.addWidget(self.status_button)
        actions.addStretch(1)
        actions.addWidget(self.open_button)
        actions.addWidget(self.sign_button)
        actions.addWidget(self.correct_button)
        actions.addWidget(self.void_button)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText(tr("Đóng"))
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(actions)
        lay.addWidget(close)
        self.entry: dict = {}
        self.detail: queries.EntryDetail | None = None
        self.load_op = None
        self.load()

    def load(self):
        """Read the entry off the UI thread ("Đang tải…" until it comes); returns the read."""
        self.header.setText(tr("Đang tải…"))
        for w in (self.status_box, self.status_button, self.void_button, self.correct_button,
                  self.open_button, self.sign_button):
            w.setEnabled(False)
        self.load_op = read(self, self.session, queries.entry_detail, self.entry_id) \
            .success(self.show_detail).failure(self._load_failed)
        self.load_op.run()
        return self.load_op

    def is_loaded(self) -> bool:
        return self.detail is not None and self.load_op is None

    def _load_failed(self, exc) -> bool:
        self.load_op = None
        self.header.setText(tr("Không đọc được văn bản: {e}").format(e=getattr(exc, "message", None) or exc))
        return True

    def show_detail(self, d: "queries.EntryDetail") -> None:
        self.load_op = None
        self.detail = d
        e = d.entry.to_json()
        self.entry = e
        what = tr("Số đến") if e["kind"] == "incoming" else tr("Số")
        flag = ""
        if e["status"] == "voided":
            flag = "  [" + tr("ĐÃ HỦY SỐ") + "]"
        elif e["status"] == "recalled":
            flag = "  [" + tr("ĐÃ THU HỒI") + "]"
        self.header.setText(f"{what} {fmt.number(e['register_number'])}/{e['year']} — "
                            f"{e.get('reference') or ''}{flag}")
        self.setWindowTitle(tr("Văn bản {n}/{y}").format(n=fmt.number(e["register_number"]), y=e["year"]))
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self._row(tr("Sổ"), d.register_title)
        self._row(tr("Trạng thái"), fmt.status(e["status"]))
        if e.get("void_reason"):
            self._row(tr("Lý do hủy số"), e["void_reason"])
        self._row(tr("Thời điểm đăng ký"), fmt.vn_datetime(e["registered_at"]))
        for name in FIELDS:
            value = e.get(name)
            if value in (None, "", []):
                continue
            if name == "recipients":
                value = fmt.recipients(value)
            elif name == "urgency":
                value = fmt.urgency(value)
                if not value:
                    continue
            elif FIELDS[name][0] == "date":
                value = fmt.vn_date(value)
            elif FIELDS[name][0] == "datetime":
                value = fmt.vn_datetime(value)
            elif name == "received_via":
                value = tr("Giấy") if value == "paper" else tr("Điện tử")
            self._row(tr(FIELD_LABELS[name]), str(value))
        self.files.clear()
        for a in d.attachments:
            role = tr(ROLE_LABELS.get(str(a.role), str(a.role)))
            item = QListWidgetItem(f"{a.name} — {role}, {fmt.human_size(a.size)}")
            item.setData(Qt.UserRole, a.id)
            self.files.addItem(item)
        self.history.setRowCount(len(d.history))
        prev = None
        for i, h in enumerate(d.history):
            changes = self._diff(prev, h.data) if prev else tr("Đăng ký")
            reason = h.reason or ""
            for col, text in enumerate((str(h.revision), fmt.vn_datetime(h.at), actor_label(h.actor),
                                        f"{reason} — {changes}" if reason else changes)):
                self.history.setItem(i, col, QTableWidgetItem(text))
            prev = h.data
        self._show_deliveries(d)
        self.status_box.clear()
        for s in STATUSES[Kind(e["kind"])]:
            if s != "voided":
                self.status_box.addItem(fmt.status(str(s)), str(s))
        self.status_box.setCurrentIndex(max(self.status_box.findData(e["status"]), 0))
        editable = e["status"] != "voided"
        for w in (self.status_box, self.status_button, self.void_button, self.correct_button):
            w.setEnabled(editable)
        self.open_button.setEnabled(self.files.count() > 0)
        self.sign_button.setVisible(e["kind"] != "incoming")
        self.sign_button.setEnabled(editable and e["status"] in ("registered", "signed"))

    def _show_deliveries(self, d: "queries.EntryDetail") -> None:
        """Delivery and processing statuses sent back by each recipient (app.sync's inbox)."""
        visible = d.entry.kind != "incoming"
        self.tabs.setTabVisible(self.deliveries_tab, visible)
        if not visible:
            return
        from .inbox_view import STATUS_CODES
        rows, delivered = d.statuses, d.deliveries
        self.deliveries.setRowCount(len(rows) + len(delivered))
        for i, dv in enumerate(delivered):
            state = tr(N_("chờ gửi lên trục")) if dv.get("queued") else \
                tr(DELIVERY_LABELS.get(dv.get("receive_status") or "", N_("chưa có tin từ trục")))
            when = dv.get("received_time") or dv.get("sent_time")
            values = (dv.get("recipient") or "", tr("Trục: {s}").format(s=state), fmt.vn_datetime(when),
                      dv.get("status_desc") or "")
            for col, text in enumerate(values):
                self.deliveries.setItem(i, col, QTableWidgetItem(text))
        for i, r in enumerate(rows, len(delivered)):
            code = r.get("code") or ""
            label = tr(STATUS_CODES[code]) if code in STATUS_CODES else r.get("label") or ""
            for col, text in enumerate((r.get("name") or r.get("org") or "", f"{code} — {label}",
                                        fmt.vn_datetime(r.get("received_at")), r.get("description") or "")):
                self.deliveries.setItem(i, col, QTableWidgetItem(text))

    def _row(self, label: str, value: str) -> None:
        v = QLabel(value)
        v.setWordWrap(True)
        v.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.fields_form.addRow(label + ":", v)

    @staticmethod
    def _diff(before: dict, after: dict) -> str:
        parts = []
        for k, v in after.items():
            if k in ("revision", "updated_at"):
                continue
            if before.get(k) != v:
                if k in FIELD_LABELS:
                    label = tr(FIELD_LABELS[k])
                elif k in OTHER_LABELS:
                    label = tr(OTHER_LABELS[k])
                else:
                    continue        # internal columns (uid, ids, hashes) mean nothing to the clerk
                parts.append(f"{label}: «{value_text(k, before.get(k))}» → «{value_text(k, v)}»")
        return "; ".join(parts) or tr("không đổi nội dung")

    def change_status(self) -> None:
        status = current_data(self.status_box)
        if status == self.entry["status"]:
            return
        from ..workflows import registering
        self.op = Op(self, self.session, registering.change_status, self.entry_id, status,
                     label=tr("Đổi trạng thái"), changes=ENTRIES).success(self._updated)
        self.op.run()

    def void(self) -> None:
        self.op = void_entry(self, self.session, self.entry, done=self._updated_json,
                             register_title=self.detail.register_title if self.detail else None)

    def _updated(self, entry) -> None:
        self._updated_json(entry.to_json())

    def _updated_json(self, entry: dict) -> None:
        self.load()
        emit(self.changed, entry)

    def correct(self) -> None:
        dlg = CorrectionDialog(self.entry, self)
        if dlg.exec() != QDialog.Accepted:
            return
        from ..workflows import registering
        self.op = Op(self, self.session, registering.correct, self.entry_id, dlg.changes(), dlg.reason(),
                     label=tr("Sửa thông tin"), changes=ENTRIES).success(self._updated)
        self.op.run()

    def sign(self):
        from .signing import SignDialog
        dlg = SignDialog(self.session, self.entry_id, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r: self.load())
        dlg.open()
        self.sign_dialog = dlg
        return dlg

    def open_file(self) -> None:
        item = self.files.currentItem() or self.files.item(0)
        if not item:
            return
        if self.detail is None:
            return None
        chosen = next(a for a in self.detail.attachments if a.id == item_data(item))
        # a file with active content has a safe viewing copy: that one is opened
        if chosen.role == "original":
            chosen = next((a for a in self.detail.attachments if a.role == "view"), chosen)
        from .viewer import open_viewer
        return open_viewer(self, queries.file_path(self.session.store, chosen.sha256), title=chosen.name)


class CorrectionDialog(QDialog):
    """Correct one field: choose it, give the new value and the reason."""

    def __init__(self, entry: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Sửa thông tin văn bản"))
        self.entry = entry
        self.field = QComboBox()
        for name, spec in FIELDS.items():
            if entry["kind"] in spec[2] and name not in ("arrival_at", "recipients") and \
                    not (entry["kind"] != "incoming" and name == "number"):
                self.field.addItem(tr(FIELD_LABELS[name]), name)
        self.value = QLineEdit()
        self.value.setObjectName("correctionValue")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("correctionReason")
        self.field.currentIndexChanged.connect(self._load_value)
        form = QFormLayout(self)
        form.addRow(tr("Trường"), self.field)
        form.addRow(tr("Giá trị mới"), self.value)
        form.addRow(tr("Lý do sửa"), self.reason_edit)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("Lưu phiên bản mới"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Hủy bỏ"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._load_value()

    def _load_value(self) -> None:
        v = self.entry.get(current_data(self.field))
        self.value.setText("" if v is None else str(v))

    def _accept(self) -> None:
        if len(self.reason().strip()) < 3:
            QMessageBox.warning(self, tr("Thiếu lý do"), tr("Cần ghi lý do sửa."))
            return
        self.accept()

    def changes(self) -> dict:
        return {current_data(self.field): self.value.text()}

    def reason(self) -> str:
        return self.reason_edit.text()
