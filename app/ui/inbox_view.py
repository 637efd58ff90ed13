"""Chờ tiếp nhận: electronic documents received through the hub, each with its signature
verdict; open and read them, accept (registered with the next arrival number) or return them
with a reason; recalled documents clearly marked. The work is app.sync.inbox's."""
import html
import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..domain.labels import EXCHANGE_STATUS_LABELS, INBOX_STATE_LABELS
from ..workflows import queries
from . import formatting as fmt
from .columns import Col, ColumnSizer
from .columns import state as columns_state
from .entries_model import urgency_mark
from .i18n import N_, tr
from .ops import Changes, Op, read
from .qtfix import current_data, guard, item_data
from .workers import Worker

log = logging.getLogger(__name__)

VERDICTS = {"valid": (N_("Chữ ký hợp lệ"), "#1b5e20"), "warning": (N_("Hợp lệ, có cảnh báo"), "#8c5a00"),
            "invalid": (N_("Chữ ký KHÔNG hợp lệ"), "#b3261e"), "unsigned": (N_("Không có chữ ký số"), "#5f6368"),
            "unverified": (N_("Chưa kiểm tra được"), "#5f6368")}
STATES = INBOX_STATE_LABELS          # the one label table (app.domain.labels)
STATUS_CODES = EXCHANGE_STATUS_LABELS
COLUMNS = ("received_at", "urgency", "sender", "reference", "issued_on", "summary", "verdict", "state")
HEADERS = (N_("Nhận lúc"), N_("Độ khẩn"), N_("Nơi gửi"), N_("Số, ký hiệu"), N_("Ngày văn bản"),
           N_("Tên loại và trích yếu"), N_("Chữ ký số"), N_("Trạng thái"))
COLUMN_SPECS = {
    "received_at": Col(108, 124, sample="27/11/2026 09:05"), "urgency": Col(96, 112, sample="Thượng khẩn", pad=44),
    "sender": Col(120, 200, 2), "reference": Col(92, 130, sample="1234/QĐ-UBND"),
    "issued_on": Col(80, 92, sample="27/11/2026"), "summary": Col(240, 400, 6),
    "verdict": Col(110, 150, 1, sample="Chữ ký hợp lệ"), "state": Col(100, 120, sample="Chờ tiếp nhận"),
}


def quarantine_row(q: dict) -> dict:
    """A held package in the shape of an inbox row: why it was held stands in the summary."""
    return {"id": q["id"], "kind": "held", "state": "quarantined", "received_at": q["received_at"],
            "sender_name": q.get("claimed_sender") or q.get("transport_sender") or "",
            "sender_id": q.get("transport_sender") or "", "reference": q.get("document_id") or "",
            "summary": q.get("reason") or "", "header": {}, "attachments": [], "verdict": None,
            "reason": q.get("reason"), "quarantine": q}


def header_fields(item: dict) -> dict:
    """What the list shows from the received header, exactly as the sender wrote it: the
    reference ("04/UBND" stays "04/UBND"), the document's date, type and urgency."""
    h = item.get("header") or {}
    code = h.get("code") or {}
    number, notation = (code.get("number") or "").strip(), (code.get("notation") or "").strip()
    reference = "/".join(x for x in (number, notation) if x) or item.get("reference") or ""
    priority = str((h.get("other") or {}).get("priority") or "0")
    return {"reference": reference, "issued_on": (h.get("promulgation") or {}).get("date") or "",
            "doc_type": (h.get("doc_type") or {}).get("type_name") or "",
            "urgency": int(priority) if priority.isdigit() and int(priority) <= 4 else 0}


class InboxView(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("inboxView")
        self.items: list[dict] = []
        self.state_box = QComboBox()
        self.state_box.setObjectName("inboxState")
        for value, label in (("pending", STATES["pending"]), (None, N_("Tất cả")), ("accepted", STATES["accepted"]),
                             ("rejected", STATES["rejected"]), ("recalled", STATES["recalled"]),
                             ("info", N_("Trạng thái nơi nhận báo về")), ("invalid", STATES["invalid"]),
                             ("quarantined", N_("Bị giữ lại (nơi gửi không xác thực được)"))):
            self.state_box.addItem(tr(label), value)
        self.state_box.currentIndexChanged.connect(self.reload)
        self.fetch_button = QPushButton(tr("Nhận văn bản mới"))
        self.fetch_button.setObjectName("inboxFetch")
        self.fetch_button.clicked.connect(self.fetch)
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Hiển thị")))
        top.addWidget(self.state_box)
        top.addWidget(self.summary, 1)
        top.addWidget(self.fetch_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("inboxTable")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.sizer = ColumnSizer(self.table, COLUMNS, COLUMN_SPECS, columns_state(session.data_dir), "inbox", self)
        self.table.itemSelectionChanged.connect(self._show_current)

        self.details = QTextBrowser()
        self.details.setObjectName("inboxDetails")
        self.files = QListWidget()
        self.files.setObjectName("inboxFiles")
        self.files.setMaximumHeight(110)
        self.files.itemDoubleClicked.connect(self.open_file)
        self.open_button = QPushButton(tr("Mở tệp"))
        self.open_button.clicked.connect(lambda: self.open_file(self.files.currentItem() or self.files.item(0)))
        self.accept_button = QPushButton(tr("Tiếp nhận vào sổ"))
        self.accept_button.setObjectName("inboxAccept")
        self.accept_button.clicked.connect(self.accept_current)
        self.reject_button = QPushButton(tr("Trả lại…"))
        self.reject_button.setObjectName("inboxReject")
        self.reject_button.clicked.connect(self.reject_current)
        self.register_box = QComboBox()
        self.register_box.setObjectName("inboxRegister")
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(QLabel(tr("Vào sổ")))
        actions.addWidget(self.register_box)
        actions.addWidget(self.accept_button)
        actions.addWidget(self.reject_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.details, 1)
        rl.addWidget(QLabel(tr("Tệp đính kèm")))
        rl.addWidget(self.files)
        rl.addLayout(actions)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        session.on_change(self._fill_registers, "registers")
        self._fill_registers()
        self._loaded = False
        self._set_actions(None)

    def showEvent(self, event) -> None:
        if not self._loaded:
            self.reload()
        super().showEvent(event)

    def _fill_registers(self):
        """The incoming registers to register into, read off the UI thread."""
        op = read(self, self.session, queries.registers_of, "incoming").success(self._show_registers)
        op.run()
        return op

    def _show_registers(self, registers) -> None:
        chosen = current_data(self.register_box)
        self.register_box.clear()
        self.register_box.addItem(tr("Sổ mặc định"), None)
        for r in registers:
            self.register_box.addItem(r.title, r.code)
        self.register_box.setCurrentIndex(max(self.register_box.findData(chosen), 0) if chosen else 0)

    def reload(self):
        """Read the list off the UI thread; shown when it comes."""
        self._loaded = True
        self.reload_op = read(self, self.session, queries.inbox_listing, current_data(self.state_box)) \
            .success(self.show_listing)
        self.reload_op.run()
        return self.reload_op

    def show_listing(self, listing) -> None:
        self.reload_op = None
        if listing.quarantine:
            self.items = [quarantine_row(q) for q in listing.items]
        else:
            self.items = list(listing.items)
        counts = listing.counts
        self.summary.setText(tr("Chờ tiếp nhận: {n}").format(n=counts.get("pending", 0)))
        self.table.setRowCount(len(self.items))
        for i, it in enumerate(self.items):
            verdict_label, color = VERDICTS.get(it.get("verdict") or "", ("", "#000"))
            state = it["state"]
            if it["kind"] == "status":
                state_text = tr(STATUS_CODES.get(it.get("status_code") or "", it.get("status_code") or ""))
            else:
                state_text = tr(STATES.get(state, state))
            recall = it.get("business_type") == 1
            hf = header_fields(it)
            summary = it.get("summary") or ""
            if hf["doc_type"]:
                summary = f"{hf['doc_type']}: {summary}"
            if recall:
                summary = tr("[THU HỒI] ") + summary
            values = (fmt.vn_datetime(it["received_at"]), fmt.urgency(hf["urgency"]),
                      it.get("sender_name") or it.get("sender_id") or "", hf["reference"],
                      fmt.vn_date(hf["issued_on"]), summary, tr(verdict_label) if verdict_label else "", state_text)
            for col, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.UserRole, it["id"])
                if COLUMNS[col] == "verdict":
                    cell.setForeground(QBrush(QColor(color)))
                if COLUMNS[col] == "urgency" and hf["urgency"]:
                    cell.setIcon(urgency_mark(fmt.urgency_color(hf["urgency"])))
                    cell.setForeground(QBrush(QColor("#b3261e")))
                if COLUMNS[col] in ("summary", "sender"):
                    cell.setToolTip(text)
                if state == "recalled" or recall:
                    f = cell.font()
                    f.setBold(True)
                    cell.setFont(f)
                    cell.setForeground(QBrush(QColor("#8c5a00")))
                self.table.setItem(i, col, cell)
        self._show_current()

    def current(self) -> dict | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _set_actions(self, item) -> None:
        pending = bool(item) and item["state"] == "pending" and item["kind"] == "edoc"
        self.accept_button.setEnabled(pending)
        self.reject_button.setEnabled(bool(item) and item["state"] in ("pending", "invalid"))
        self.open_button.setEnabled(bool(item) and bool(item.get("attachments")))

    def _show_current(self) -> None:
        item = self.current()
        self._set_actions(item)
        self.files.clear()
        if not item:
            hint = tr("Không có văn bản nào.") if not self.items else tr("Chọn một văn bản trong danh sách.")
            self.details.setHtml(f"<p style='color:#555'>{hint}</p>")
            return
        hf = header_fields(item)
        lines = [f"<h3>{html.escape(hf['reference'])} — {html.escape(item.get('summary') or '')}</h3>",
                 f"<p><b>{tr('Nơi gửi')}:</b> {html.escape(item.get('sender_name') or '')} "
                 f"({html.escape(item.get('sender_id') or '')})<br>",
                 f"<b>{tr('Nhận lúc')}:</b> {fmt.vn_datetime(item['received_at'])}</p>"]
        if item.get("business_type") == 1 or item["state"] == "recalled":
            lines.append(f"<p style='color:#8c5a00'><b>{tr('Nơi gửi đã thu hồi văn bản này.')}</b></p>")
        for w in item.get("warnings") or []:       # over-long values kept as received, and the like
            lines.append(f"<p style='color:#8c5a00'>⚠ {html.escape(str(w))}</p>")
        if item.get("reason"):
            lines.append(f"<p><b>{tr('Lý do')}:</b> {html.escape(item['reason'])}</p>")
        verdict = item.get("verdict")
        if verdict:
            label, color = VERDICTS.get(verdict, (verdict, "#000"))
            lines.append(f"<p style='color:{color}'><b>{tr(label)}</b></p>")
        for rep in item.get("verification") or []:
            report = rep.get("report") or {}
            problems = report.get("problems") or []
            sigs = report.get("signatures") or []
            lines.append(f"<p><b>{html.escape(str(rep.get('name')))}</b>: "
                         f"{html.escape(str(report.get('verdict_text') or rep.get('verdict')))}")
            for s in sigs:
                who = (s.get("signer") or {}).get("common_name") or s.get("signer_subject") or ""
                lines.append(f"<br>• {html.escape(str(who))} — {html.escape(str(s.get('signing_time') or ''))}")
            for p in problems:
                lines.append(f"<br><span style='color:#b3261e'>⚠ {html.escape(str(p))}</span>")
            lines.append("</p>")
        if item["kind"] == "status":
            lines.append(f"<p>{tr(STATUS_CODES.get(item.get('status_code') or '', ''))}</p>")
        self.details.setHtml("".join(lines))
        for a in item.get("attachments") or []:
            li = QListWidgetItem(f"{a['name']} ({fmt.human_size(a['size'])})")
            li.setData(Qt.UserRole, a)
            self.files.addItem(li)

    def open_file(self, li) -> None:
        if li is None:
            return
        from .viewer import open_viewer
        a = item_data(li)
        open_viewer(self, queries.file_path(self.session.store, a["sha256"]), a["name"])

    def accept_current(self, show_number: bool = True, done=None):
        """Register the selected document (next arrival number) through the exchange workflow,
        off the UI thread; `done(entry)` afterwards. Returns the running Op."""
        from ..workflows import exchange
        item = self.current()
        if not item:
            return None
        self.accept_button.setEnabled(False)

        def accepted(entry) -> None:
            entry = entry.to_json()
            self.reload()
            if show_number:
                from .entry_form import ArrivalNumberDialog, combo_title
                ArrivalNumberDialog(dict(entry, register_title=combo_title(self.register_box, entry["register"])),
                                    self).exec()
            if done:
                done(entry)
        self.op = Op(self, self.session, exchange.accept, self.session.settings, item["id"],
                     register=current_data(self.register_box), label=tr("Tiếp nhận văn bản"),
                     changes=Changes(entries=True, inbox=True, outbox=True))
        self.op.success(accepted).failure(lambda exc: (self._set_actions(self.current()), False)[1]).run()
        return self.op

    def reject_current(self, reason: str | None = None, done=None):
        """Return the selected document to its sender with a reason (off the UI thread)."""
        from ..workflows import exchange
        from .entry_detail import ReasonDialog
        item = self.current()
        if not item:
            return None
        if reason is None:
            dlg = ReasonDialog(tr("Trả lại văn bản"), tr("Lý do trả lại (gửi cho nơi gửi):"), self)
            if dlg.exec() != QDialog.Accepted:
                return None
            reason = dlg.text()

        def rejected(out) -> None:
            self.reload()
            if done:
                done(out)
        self.op = Op(self, self.session, exchange.reject, self.session.settings, item["id"], reason,
                     label=tr("Trả lại văn bản"), changes=Changes(inbox=True, outbox=True))
        self.op.success(rejected).run()
        return self.op

    def fetch(self) -> Worker | None:
        """One sync round on a worker thread (send what waits, receive what arrived)."""
        from . import sync_runner
        w = sync_runner.sync_now(self.session)
        if w is not None:
            self.fetch_button.setEnabled(False)
            w.signals.done.connect(guard(self, lambda: (self.fetch_button.setEnabled(True), self.reload())))
        return w
