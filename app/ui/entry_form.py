"""The registration form for incoming and outgoing documents: fields from
app.domain.entry.FIELDS, checked one by one as the clerk leaves them (the message appears
under the field), then registered in one transaction; the arrival number is shown big."""
import logging
import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..domain import clock
from ..domain.doctypes import DOC_TYPES
from ..domain.entry import FIELDS, normalize
from ..domain.orgid import is_org_id
from ..errors import DuplicateError, SecretDocumentError, ValidationError, VanthuError
from ..workflows import queries
from . import formatting as fmt
from .i18n import N_, tr
from .messages import show_error
from .ops import ENTRIES, Op, read
from .qtfix import current_data, emit, guard

log = logging.getLogger(__name__)

# Field order on the form; the second group is folded away under "Thông tin khác".
MAIN_FIELDS = {
    "incoming": ("arrival_at", "received_via", "doc_type", "number", "notation", "issued_on", "issuer",
                 "summary", "signer", "signer_title", "urgency", "pages", "receiving_unit",
                 "handling_note", "handling_deadline", "note"),
    "outgoing": ("doc_type", "notation", "issued_on", "summary", "signer", "signer_title", "recipients",
                 "urgency", "copies", "pages", "kept_by", "reply_deadline", "note"),
}
MAIN_FIELDS["copy"] = MAIN_FIELDS["outgoing"]
# How the main fields are laid out: one tuple per line, the first field labelled on the left,
# the others labelled inline; short fields take little room, the summary and names the most.
ROWS = {
    "incoming": (("arrival_at", "received_via"), ("doc_type", "urgency"), ("number", "notation", "issued_on"),
                 ("issuer",), ("summary",), ("signer", "signer_title"), ("receiving_unit",),
                 ("handling_note",), ("handling_deadline",), ("pages", "secrecy"), ("note",)),
    "outgoing": (("doc_type", "urgency"), ("notation", "issued_on"), ("summary",), ("signer", "signer_title"),
                 ("recipients",), ("copies", "pages", "secrecy"), ("kept_by", "reply_deadline"), ("note",)),
}
ROWS["copy"] = ROWS["outgoing"]
# widest a short field may grow (characters); fields not listed stretch
SHORT = {"number": 9, "issued_on": 13, "handling_deadline": 13, "reply_deadline": 13, "transferred_on": 13,
         "dispatched_on": 13, "arrival_at": 34, "pages": 6, "copies": 6, "file_ordinal": 6, "urgency": 16,
         "received_via": 11, "secrecy": 12, "notation": 22, "doc_type": 22}
# lines shown for multi-line fields (the summary grows with its text)
LINES = {"handling_note": 2, "note": 2, "recipients": 3}
# fields offered a completion list from the register's history
COMPLETED = ("issuer", "signer", "signer_title", "receiving_unit", "kept_by")
REQUIRED = {"incoming": ("summary", "issuer"), "outgoing": ("summary",), "copy": ("summary",)}
FIELD_LABELS = {name: N_(spec[3]) for name, spec in FIELDS.items()}
# Extracted for translation (the labels come from app.domain.entry.FIELDS).
_LABELS_NOOP = (N_("Tên loại văn bản"), N_("Số văn bản"), N_("Ký hiệu văn bản"), N_("Ngày tháng văn bản"),
                N_("Địa danh"), N_("Cơ quan ban hành"), N_("Mã định danh cơ quan ban hành"),
                N_("Trích yếu nội dung"), N_("Ngôn ngữ"), N_("Số trang"), N_("Ghi chú"), N_("Người ký"),
                N_("Chức vụ người ký"), N_("Độ khẩn"), N_("Mã hồ sơ"), N_("Số thứ tự văn bản trong hồ sơ"),
                N_("Mã định danh văn bản"), N_("Ngày đến"), N_("Hình thức nhận"), N_("Đơn vị hoặc người nhận"),
                N_("Ý kiến phân phối, chỉ đạo"), N_("Hạn giải quyết"), N_("Ngày chuyển"), N_("Nơi nhận"),
                N_("Số lượng bản"), N_("Hạn trả lời"), N_("Đơn vị, người nhận bản lưu"))
SECRECY_CHOICES = ((None, N_("Không mật")), ("Mật", N_("Mật")), ("Tối mật", N_("Tối mật")),
                   ("Tuyệt mật", N_("Tuyệt mật")))
_DMY_HM = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?\s*$")
ERROR_STYLE = "border: 1px solid #b3261e;"
UNCERTAIN_STYLE = "background: #fff4c2;"


def parse_vn_datetime(text: str) -> str | None:
    """'23/11/2026 09:05' -> ISO with +07:00; other forms are passed through to the domain."""
    m = _DMY_HM.match(text or "")
    if not m:
        return text or None
    try:
        dt = datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4] or 0), int(m[5] or 0), tzinfo=clock.VN_TZ)
    except ValueError:
        return text
    return clock.iso(dt)


def _recipients_from_text(text: str) -> list[dict]:
    out = []
    for line in (text or "").splitlines():
        line = line.strip(" ;-\t")
        if not line:
            continue
        head, _, rest = line.partition(" ")
        if is_org_id(head.upper()):
            out.append({"id": head.upper(), "name": rest.strip() or None})
        else:
            out.append({"name": line})
    return out


def attachment_text(attachments) -> str:
    """What will be stored with the entry, said plainly: "Tệp lưu kèm: document.pdf — bản số hóa
    (3 trang, 1,2 MB)"."""
    parts = []
    for path, role in attachments:
        path = Path(path)
        what = {"scan": tr("bản số hóa văn bản giấy"), "original": tr("tệp gốc"),
                "signed": tr("tệp đã ký số")}.get(str(role), tr("tệp đính kèm"))
        try:
            size = fmt.human_size(path.stat().st_size)
        except OSError:
            size = ""
        parts.append(f"{path.name} — {what}" + (f" ({size})" if size else ""))
    return tr("Khi đăng ký, chương trình lưu kèm: {f}.").format(f="; ".join(parts))


def fit_to_screen(widget, width: int, height: int) -> None:
    """Resize to (width, height) or less, so that the whole window fits the available screen."""
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is not None:
        avail = screen.availableGeometry()
        width, height = min(width, avail.width() - 24), min(height, avail.height() - 48)
    widget.resize(max(width, 320), max(height, 240))


def _completer(values: list[str], parent) -> QCompleter:
    c = QCompleter(values, parent)
    c.setCaseSensitivity(Qt.CaseInsensitive)
    c.setFilterMode(Qt.MatchContains)
    c.setCompletionMode(QCompleter.PopupCompletion)
    c.setMaxVisibleItems(12)
    return c


class SummaryEdit(QPlainTextEdit):
    """The summary (trích yếu): one paragraph shown whole, wrapped over as many lines as it
    needs (a 500-character summary fits without scrolling). Enter moves on, as in a line."""

    MIN_LINES = 3
    MAX_LINES = 9

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.textChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return " ".join(self.toPlainText().split())

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers() & Qt.ControlModifier:
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source) -> None:
        # pasted text from a PDF comes with line breaks: one paragraph
        if source.hasText():
            self.insertPlainText(" ".join(source.text().split()))
        else:
            super().insertFromMimeData(source)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def lines_needed(self) -> int:
        doc = self.document()
        layout = doc.documentLayout()
        lines = 0
        block = doc.begin()
        while block.isValid():
            lines += max(block.layout().lineCount(), 1)
            block = block.next()
        return lines if layout is not None else 1

    def _fit(self) -> None:
        lines = min(max(self.lines_needed(), self.MIN_LINES), self.MAX_LINES)
        margin = int(self.document().documentMargin()) * 2 + self.frameWidth() * 2 + 2
        height = self.fontMetrics().lineSpacing() * lines + margin
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)


class FieldEditor(QWidget):
    """One field: its input widget and the error line under it."""

    edited = Signal(str)

    def __init__(self, name: str, kind: str, parent=None):
        super().__init__(parent)
        self.name = name
        ftype = FIELDS[name][0] if name in FIELDS else "text"
        self.ftype = ftype
        if name == "summary":
            w = SummaryEdit()
            w.textChanged.connect(lambda: emit(self.edited, self.name))
        elif ftype == "recipients" or (ftype == "multiline" and name != "receiving_unit"):
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            lines = LINES.get(name, 2)
            fm = w.fontMetrics()
            w.setFixedHeight(fm.lineSpacing() * lines + 2 * int(w.document().documentMargin()) + 6)
            w.textChanged.connect(lambda: emit(self.edited, self.name))
        elif name == "doc_type":
            w = QComboBox()
            w.setEditable(True)
            w.addItem("")
            w.addItems(list(DOC_TYPES))
            w.setInsertPolicy(QComboBox.NoInsert)
            w.currentTextChanged.connect(lambda _t: emit(self.edited, self.name))
        elif ftype == "urgency":
            w = QComboBox()
            for code in range(5):
                w.addItem(fmt.urgency(code) or tr("Thường"), code)
            w.currentIndexChanged.connect(lambda _i: emit(self.edited, self.name))
        elif ftype == "via":
            w = QComboBox()
            w.addItem(tr("Giấy"), "paper")
            w.addItem(tr("Điện tử"), "electronic")
            w.currentIndexChanged.connect(lambda _i: emit(self.edited, self.name))
        elif name == "secrecy":
            w = QComboBox()
            for value, label in SECRECY_CHOICES:
                w.addItem(tr(label), value)
            w.currentIndexChanged.connect(lambda _i: emit(self.edited, self.name))
        else:
            w = QLineEdit()
            if ftype == "date":
                w.setPlaceholderText(tr("ngày/tháng/năm"))
            elif ftype == "datetime":
                w.setPlaceholderText(tr("để trống: lúc đăng ký (ngày/tháng/năm giờ:phút)"))
            elif ftype == "orgid":
                w.setPlaceholderText("000.00.00.H53")
            elif name == "notation":
                w.setPlaceholderText(tr("ví dụ QĐ-UBND") if kind == "incoming" else
                                     tr("để trống: theo sổ (ví dụ QĐ-UBND)"))
            elif name == "number":
                w.setPlaceholderText(tr("ví dụ 1007"))
            w.textEdited.connect(lambda _t: emit(self.edited, self.name))
        w.setObjectName(f"field_{name}")
        if name in SHORT:
            w.setMaximumWidth(w.fontMetrics().averageCharWidth() * SHORT[name] + 40)
            hint = w.placeholderText() if isinstance(w, QLineEdit) else ""
            if hint:    # the hint is read whole
                w.setMinimumWidth(min(w.maximumWidth(), w.fontMetrics().horizontalAdvance(hint) + 16))
        self.input = w
        self.error = QLabel()
        self.error.setObjectName(f"error_{name}")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(w)
        lay.addWidget(self.error)
        self._uncertain = False

    def value(self):
        w = self.input
        if isinstance(w, SummaryEdit):
            return w.text()
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText()
            return _recipients_from_text(text) if self.ftype == "recipients" else text
        if isinstance(w, QComboBox):
            return current_data(w) if current_data(w) is not None or not w.isEditable() else w.currentText()
        text = w.text()
        return parse_vn_datetime(text) if self.ftype == "datetime" else text

    def set_value(self, value) -> None:
        w = self.input
        if value is None:
            value = ""
        if isinstance(w, QPlainTextEdit):
            if self.ftype == "recipients" and isinstance(value, list):
                value = "\n".join(" ".join(x for x in (r.get("id"), r.get("name")) if x) for r in value)
            w.setPlainText(str(value))
        elif isinstance(w, QComboBox):
            if w.isEditable():
                w.setCurrentText(str(value))
            else:
                i = w.findData(value)
                w.setCurrentIndex(max(i, 0))
        else:
            if self.ftype == "date" and value:
                value = fmt.vn_date(value)
            elif self.ftype == "datetime" and value:
                value = fmt.vn_datetime(value)
            w.setText(str(value))

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self._restyle(bool(message))

    def has_error(self) -> bool:
        return self.error.isVisible()

    def set_uncertain(self, uncertain: bool) -> None:
        self._uncertain = uncertain
        self.input.setToolTip(tr("Gợi ý tự động chưa chắc chắn: hãy kiểm tra lại.") if uncertain else "")
        self._restyle(self.has_error())

    def is_uncertain(self) -> bool:
        return self._uncertain

    def _restyle(self, error: bool) -> None:
        style = (ERROR_STYLE if error else "") + (UNCERTAIN_STYLE if self._uncertain else "")
        self.input.setStyleSheet(style)


class EntryForm(QWidget):
    """The fields of one kind of register, with per-field checking. `data()` returns the input."""

    def __init__(self, kind: str, registers=(), parent=None, calendar=None):
        super().__init__(parent)
        self.kind = kind
        self.calendar = calendar          # callable returning the WorkCalendar (deadlines)
        self.editors: dict[str, FieldEditor] = {}
        main = [n for n in MAIN_FIELDS[kind] if kind in FIELDS[n][2]]
        other = [n for n in FIELDS if kind in FIELDS[n][2] and n not in main]

        self.register_box = QComboBox()
        self.register_box.setObjectName("field_register")
        self.register_box.addItem(tr("Tự chọn theo loại văn bản"), None)
        self.set_registers(registers)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        form.setVerticalSpacing(6)
        form.addRow(tr("Sổ đăng ký"), self.register_box)
        placed = set()
        for row in ROWS[kind]:
            names = [n for n in row if n in main or n == "secrecy"]
            if names:
                self._add_row(form, names)
                placed.update(names)
        for name in main:
            if name not in placed:
                self._add_row(form, [name])
        if "secrecy" not in placed:
            self._add_row(form, ["secrecy"])
        extra = QGroupBox(tr("Thông tin khác"))
        extra.setCheckable(True)
        extra.setChecked(False)
        extra.setFlat(True)
        extra_form = QFormLayout(extra)
        self.extra_fields = QWidget()
        inner = QFormLayout(self.extra_fields)
        inner.setContentsMargins(0, 0, 0, 0)
        for name in other:
            self._add_row(inner, [name])
        extra_form.addRow(self.extra_fields)
        self.extra_fields.setVisible(False)
        extra.toggled.connect(self.extra_fields.setVisible)
        self.extra_group = extra
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(extra)
        lay.addStretch(1)

    def _label(self, name: str) -> QLabel:
        label = tr(FIELD_LABELS.get(name, "")) if name != "secrecy" else tr("Độ mật")
        if name in REQUIRED[self.kind]:
            label += " *"
        lab = QLabel(label)
        lab.setObjectName(f"label_{name}")
        lab.setMinimumHeight(QLineEdit().sizeHint().height())
        return lab

    def _editor(self, name: str) -> "FieldEditor":
        ed = FieldEditor(name, self.kind)
        ed.edited.connect(self._on_edited)
        if isinstance(ed.input, QLineEdit):
            ed.input.editingFinished.connect(lambda n=name: self.check_field(n))
        elif isinstance(ed.input, SummaryEdit):
            ed.input.installEventFilter(self)
        self.editors[name] = ed
        return ed

    def eventFilter(self, obj, event) -> bool:
        # the summary is checked when the clerk leaves it, like the one-line fields
        from PySide6.QtCore import QEvent
        if (event.type() == QEvent.FocusOut and isinstance(obj, SummaryEdit) and "summary" in self.editors
                and self.editors["summary"].input is obj and obj.toPlainText()):
            self.check_field("summary")
        return False

    def _add_row(self, form: QFormLayout, names: list[str]) -> None:
        """One line of the form: the first field labelled on the left, the others inline."""
        first = names[0]
        lab = self._label(first)
        ed = self._editor(first)
        lab.setBuddy(ed.input)
        if first == "handling_deadline" and self.calendar is not None:
            widget = self._deadline_row(ed)
        else:
            widget = ed
        if len(names) == 1:
            form.addRow(lab, widget)
            return
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget, 0 if first in SHORT else 1, Qt.AlignTop)
        for name in names[1:]:
            other = self._editor(name)
            inline = self._label(name)
            inline.setBuddy(other.input)
            row.addSpacing(8)
            row.addWidget(inline, 0, Qt.AlignTop | Qt.AlignLeft)
            row.addWidget(other, 0 if name in SHORT else 1, Qt.AlignTop)
        if all(n in SHORT for n in names):
            row.addStretch(1)
        form.addRow(lab, box)

    def _deadline_row(self, ed: "FieldEditor") -> QWidget:
        """The handling deadline, typed or computed: N working days after the effective receipt."""
        from PySide6.QtWidgets import QSpinBox
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.deadline_days = QSpinBox()
        self.deadline_days.setObjectName("deadlineDays")
        self.deadline_days.setRange(0, 90)
        self.deadline_days.setValue(5)
        self.deadline_days.setSuffix(tr(" ngày làm việc"))
        compute = QPushButton(tr("Tính hạn"))
        compute.setObjectName("computeDeadline")
        compute.clicked.connect(self.compute_deadline)
        row.addWidget(ed, 1)
        row.addWidget(self.deadline_days)
        row.addWidget(compute)
        return box

    def set_completions(self, values: dict[str, list[str]]) -> None:
        """Completion lists from the register's history (most frequent first): typing a few
        letters of any word offers the matching names."""
        for name in COMPLETED:
            ed = self.editors.get(name)
            if ed is None or not isinstance(ed.input, QLineEdit) or not values.get(name):
                continue
            ed.input.setCompleter(_completer(values[name], ed.input))
        if "recipients" in self.editors and values.get("recipients"):
            self._recipient_adder(values["recipients"])

    def _recipient_adder(self, names: list[str]) -> None:
        """A line under "Nơi nhận" that completes a recipient and adds it as a new line."""
        ed = self.editors["recipients"]
        if getattr(self, "recipient_add", None) is None:
            self.recipient_add = QLineEdit()
            self.recipient_add.setObjectName("recipientAdd")
            self.recipient_add.setPlaceholderText(tr("Thêm nơi nhận: gõ vài chữ rồi chọn, Enter để thêm"))
            self.recipient_add.returnPressed.connect(self.add_recipient)
            ed.layout().insertWidget(1, self.recipient_add)
        self.recipient_add.setCompleter(_completer(names, self.recipient_add))
        self.recipient_add.completer().activated.connect(lambda _t: QTimer.singleShot(0, self.add_recipient))

    def add_recipient(self) -> None:
        text = self.recipient_add.text().strip()
        if not text:
            return
        box = self.editors["recipients"].input
        current = box.toPlainText().rstrip("\n")
        box.setPlainText(f"{current}\n{text}" if current else text)
        self.recipient_add.clear()

    def compute_deadline(self) -> str | None:
        """Fill the handling deadline from the arrival time (now if empty) and the working days,
        skipping weekends, public holidays and the extra days off of the settings."""
        from ..domain.entry import parse_datetime
        arrival = self.editors.get("arrival_at")
        try:
            when = parse_datetime(arrival.value() if arrival else None, "arrival_at") or clock.now()
        except VanthuError as exc:
            arrival.set_error(exc.message)
            return None
        due = self.calendar().deadline_in_working_days(when, self.deadline_days.value())
        self.editors["handling_deadline"].set_value(due.date().isoformat())
        self.check_field("handling_deadline")
        return due.date().isoformat()

    def _on_edited(self, name: str) -> None:
        ed = self.editors[name]
        if ed.is_uncertain():
            ed.set_uncertain(False)
        if ed.has_error() or name in ("secrecy", "urgency", "received_via"):
            self.check_field(name)

    def check_field(self, name: str) -> str | None:
        """Check one field on its own; the message appears under it. Returns the message."""
        ed = self.editors[name]
        value = ed.value()
        message = None
        if name in REQUIRED[self.kind] and not (value or "").strip():
            message = tr("Bắt buộc nhập {f}.").format(f=tr(FIELD_LABELS[name]).lower())
        elif value not in (None, "", []):
            try:
                normalize(self.kind, {name: value}, partial=True)
            except VanthuError as exc:
                message = exc.message
        ed.set_error(message)
        return message

    def check_all(self) -> list[str]:
        """Check every field; returns the names of the fields in error (in form order)."""
        return [name for name in self.editors if self.check_field(name)]

    def data(self) -> dict:
        out = {}
        for name, ed in self.editors.items():
            value = ed.value()
            if value in (None, "", []):
                continue
            out[name] = value
        return out

    def register_code(self) -> str | None:
        return current_data(self.register_box)

    def set_registers(self, registers) -> None:
        """The registers of this kind to choose from (app.domain.records.Register), read by the
        dialog off the UI thread; the choice made meanwhile is kept."""
        chosen = current_data(self.register_box)
        while self.register_box.count() > 1:
            self.register_box.removeItem(1)
        for reg in registers:
            if reg.kind == self.kind:
                self.register_box.addItem(reg.title, reg.code)
        self.register_box.setCurrentIndex(max(self.register_box.findData(chosen), 0) if chosen else 0)

    def prefill(self, values: dict, uncertain=()) -> None:
        """Fill suggested values (e.g. from OCR); `uncertain` fields are highlighted."""
        for name, value in values.items():
            if name == "reference" and value:
                try:
                    from ..domain.reference import parse_reference
                    ref = parse_reference(value)
                    self.editors["number"].set_value(ref.number) if "number" in self.editors else None
                    self.editors["notation"].set_value(ref.notation)
                except ValidationError:
                    pass
                continue
            if name in self.editors and value not in (None, ""):
                self.editors[name].set_value(value)
        for name in uncertain:
            key = name
            if name == "reference":
                key = "number" if "number" in self.editors else "notation"
            if key in self.editors:
                self.editors[key].set_uncertain(True)
            if name == "reference" and "notation" in self.editors:
                self.editors["notation"].set_uncertain(True)

    def show_error_for(self, exc: VanthuError) -> bool:
        """Put an error under the field it names (ValidationError.field), if it names one."""
        name = getattr(exc, "field", None)
        if name == "reference":
            name = "number" if "number" in self.editors else "notation"
        ed = self.editors.get(name) if name else None
        if ed is None:
            return False
        ed.set_error(exc.message)
        ed.input.setFocus()
        return True


def combo_title(combo, code: str) -> str:
    """The title shown for the register `code` in a register choice (the code if not listed)."""
    i = combo.findData(code)
    return combo.itemText(i) if i >= 0 else code


class ArrivalNumberDialog(QDialog):
    """The number just given, big enough to copy onto the "ĐẾN" stamp."""

    def __init__(self, entry: dict, parent=None, session=None, has_scan: bool | None = None):
        super().__init__(parent)
        self.entry = entry
        self.session = session
        self.sign_worker = None
        incoming = entry["kind"] == "incoming"
        self.setWindowTitle(tr("Đã đăng ký"))
        title = QLabel(tr("Số đến") if incoming else tr("Số, ký hiệu"))
        title.setAlignment(Qt.AlignCenter)
        f = title.font()
        f.setPointSize(f.pointSize() + 4)
        title.setFont(f)
        text = fmt.number(entry["register_number"]) if incoming else (entry.get("reference") or
                                                                      fmt.number(entry["register_number"]))
        self.number_label = QLabel(text)
        self.number_label.setObjectName("bigNumber")
        self.number_label.setAlignment(Qt.AlignCenter)
        self.number_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        big = QFont(self.number_label.font())
        big.setPointSize(64 if incoming else 36)
        big.setBold(True)
        self.number_label.setFont(big)
        when = entry.get("arrival_at") if incoming else entry.get("registered_at")
        sub = QLabel(tr("{r}, năm {y} — {t}").format(r=entry.get("register_title") or entry["register"],
                                                     y=entry["year"],
                                                        t=fmt.vn_datetime(when)))
        sub.setAlignment(Qt.AlignCenter)
        summary = QLabel(entry.get("summary") or "")
        summary.setWordWrap(True)
        summary.setAlignment(Qt.AlignCenter)
        buttons = QDialogButtonBox()
        self.sign_button = None
        if incoming and session is not None and has_scan is not False:
            # offered once the entry is known to have a scan (read off the UI thread unless told)
            self.sign_button = buttons.addButton(tr("Ký số bản số hóa…"), QDialogButtonBox.ActionRole)
            self.sign_button.setObjectName("signCopy")
            self.sign_button.clicked.connect(self.sign_copy)
            self.sign_button.setVisible(bool(has_scan))
            if has_scan is None:
                read(self, session, queries.attachments_of, entry["id"]).success(
                    lambda found: self.sign_button.setVisible(any(a.role == "scan" for a in found))).run()
        ok = buttons.addButton(tr("Xong"), QDialogButtonBox.AcceptRole)
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.number_label)
        lay.addWidget(sub)
        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        lay.addWidget(line)
        lay.addWidget(summary)
        lay.addWidget(buttons)
        self.setMinimumWidth(420)

    def sign_copy(self, pin: str | None = None, confirmed: bool = False):
        """Optional: sign the digitized copy as the organization (PIN for this document only)."""
        from .signing import sign_digitized_copy

        def started(w) -> None:
            self.sign_button.setEnabled(False)
            self.sign_button.setText(tr("Đang ký…"))
            w.signals.finished.connect(guard(self, lambda signed: self.sign_button.setText(
                tr("Đã ký số bản số hóa") if any(r.status == "signed" for r in signed.batch.results)
                else tr("Chưa ký được."))))
            w.signals.failed.connect(guard(self, lambda exc, tb: self.sign_button.setText(tr("Chưa ký được."))))
            self.sign_worker = w
        return sign_digitized_copy(self, self.session, self.entry["id"], pin=pin, confirmed=confirmed,
                                   started=started)


class EntryFormDialog(QDialog):
    """Register a new document. `registered` carries the stored entry."""

    registered = Signal(dict)

    def __init__(self, session, kind: str, prefill: dict | None = None, uncertain=(), parent=None,
                 attachments=(), show_number: bool = True, extra: dict | None = None):
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.extra = dict(extra or {})          # input not shown on the form (e.g. the OCR text)
        self.boxes = self.extra.pop("_boxes", None) or {}   # where each suggestion was read
        self.pending = self.extra.pop("_pending", None)      # an intake still reading the other pages
        self.read_result = self.extra.pop("_result", None)   # what the intake read (the workflow takes it)
        preview = self.extra.pop("_preview", None)
        self.attachments = list(attachments)     # (path, role) linked after registering
        self.show_number = show_number
        self.entry: dict | None = None
        self.op: Op | None = None
        self.setObjectName("entryFormDialog")
        self.setWindowTitle(tr("Đăng ký văn bản đến") if kind == "incoming" else tr("Đăng ký văn bản đi"))
        self.form = EntryForm(kind, calendar=session.calendar)
        self.registers_read = read(self, session, queries.registers_of, kind).success(
            self.form.set_registers)
        self.registers_read.run()
        if prefill or uncertain:
            self.form.prefill(prefill or {}, uncertain)
        self.touched: set[str] = set()
        for _name, ed in self.form.editors.items():
            ed.edited.connect(self.touched.add)
        self.completion_job = session.completions(kind, guard(self, self.form.set_completions))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QFrame.NoFrame)
        hint = QLabel(tr("Các trường có dấu * là bắt buộc. Số được cấp tự động khi đăng ký."))
        hint.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(tr("Đăng ký (Ctrl+Enter)"), QDialogButtonBox.AcceptRole)
        cancel = buttons.addButton(tr("Hủy bỏ"), QDialogButtonBox.RejectRole)
        cancel.setAutoDefault(False)
        self.ok_button.setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.submit)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        self.page_view = None
        self.attachment_note = None
        scan = next((Path(p) for p, role in self.attachments if str(p).lower().endswith(".pdf")), None)
        scan = scan or (Path(preview) if preview else None)
        if scan is not None:
            self.attachment_note = QLabel(attachment_text(self.attachments) if self.attachments else
                                          tr("Đang đọc các trang còn lại; bản số hóa sẽ được lưu kèm khi đọc xong."))
            self.attachment_note.setObjectName("attachmentNote")
            self.attachment_note.setWordWrap(True)
            self.attachment_note.setStyleSheet("background: #e8f0fe; border: 1px solid #aecbfa; padding: 6px;")
            lay.addWidget(self.attachment_note)
            from PySide6.QtWidgets import QSplitter

            from .page_view import PageView
            self.page_view = PageView(session, scan, self.boxes)
            split = QSplitter()
            split.addWidget(self.page_view)
            split.addWidget(scroll)
            split.setStretchFactor(0, 5)
            split.setStretchFactor(1, 6)
            split.setChildrenCollapsible(False)
            split.splitterMoved.connect(lambda *_: setattr(self, "_split_moved", True))
            self.split = split
            lay.addWidget(split, 1)
            QApplication.instance().focusChanged.connect(self._focus_changed)
        else:
            lay.addWidget(scroll, 1)
        lay.addWidget(buttons)
        fit_to_screen(self, 1500 if scan is not None else 860, 900 if scan is not None else 800)
        self.active_warning = QLabel()
        self.active_warning.setObjectName("activeContentWarning")
        self.active_warning.setWordWrap(True)
        self.active_warning.setStyleSheet("background: #fce8e6; border: 1px solid #d93025; color: #a50e0e; padding: 6px;")
        self.active_warning.setVisible(False)
        lay.insertWidget(1, self.active_warning)
        self.check_active_content()
        if self.pending is not None:
            self.ok_button.setEnabled(False)
            self.ok_button.setText(tr("Chờ đọc xong các trang…"))
            self.pending.reading_done.connect(self._reading_done)
            self.pending.worker.signals.failed.connect(guard(self, lambda exc, tb: self.ok_button.setText(
                tr("Không đọc được các trang còn lại"))))

    def check_active_content(self):
        """Warn (off the UI thread) when a PDF to be stored holds scripts, actions or embedded
        files (app.scan.safety); registering keeps the file and adds a safe viewing copy."""
        pdfs = [Path(p) for p, _ in self.attachments if str(p).lower().endswith(".pdf")]
        if not pdfs:
            return None
        from ..scan import safety

        def look(paths):
            return [found.message(p.name) for p in paths if (found := safety.pdf_active_content(p))]
        op = Op(self, self.session, look, pdfs, store=False, label="")
        op.success(lambda messages: (self.active_warning.setText("\n".join(messages)),
                                     self.active_warning.setVisible(bool(messages))))
        op.failure(lambda exc: (log.info("active content check failed: %s", exc), True)[1])
        self.active_op = op
        return op.run()

    def _reading_done(self, _result) -> None:
        """The intake finished: the stored PDF, the whole text and the suggestions of every page
        arrive; fields the clerk has already typed in are left as they are."""
        intake, self.pending = self.pending, None
        values, uncertain, attachments, extra = intake.prepared()
        self.boxes = extra.pop("_boxes", None) or self.boxes
        self.read_result = extra.pop("_result", None)
        self.attachments, self.extra = list(attachments), {**self.extra, **extra}
        fresh = {k: v for k, v in values.items() if k not in self.touched and not (
            k == "reference" and self.touched & {"number", "notation"})}
        self.form.prefill(fresh, [k for k in uncertain if k in fresh])
        if self.attachment_note is not None:
            self.attachment_note.setText(attachment_text(self.attachments))
        self.check_active_content()
        if self.page_view is not None:
            self.page_view.boxes = dict(self.boxes)
            pdf = next((Path(p) for p, _ in self.attachments), None)
            if pdf is not None:
                self.page_view.set_source(pdf, self.page_view.index)
        self.ok_button.setText(tr("Đăng ký (Ctrl+Enter)"))
        self.ok_button.setEnabled(True)
        intake.accept()

    def submit_ready(self) -> bool:
        return self.pending is None

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        split = getattr(self, "split", None)
        if split is not None and not getattr(self, "_split_moved", False):
            w = split.width()
            form = min(max(self.form.minimumSizeHint().width() + 40, int(w * 0.5)), w - 300)
            split.setSizes([w - form, form])

    def _focus_changed(self, _old, new) -> None:
        """Highlight on the page where the suggestion of the field being checked was read."""
        if self.page_view is None or new is None:
            return
        import shiboken6
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.page_view):
            return
        for name, ed in self.form.editors.items():
            if ed.input is new or ed.input.isAncestorOf(new):
                key = name
                if name in ("number", "notation") and name not in self.boxes:
                    key = "reference"
                self.page_view.highlight(key if key in self.boxes else None)
                return

    def submit(self, allow_duplicate: bool = False):
        """Check the fields, then register (with the files) through the registering workflow,
        off the UI thread. Returns the running Op, or None when a field is wrong. `registered`
        carries the stored entry; the number is then shown big."""
        if self.pending is not None:      # the scan is still being read: it must be stored with the entry
            return None
        bad = self.form.check_all()
        if bad:
            self.form.editors[bad[0]].input.setFocus()
            return None
        if self.op is not None and self.op.worker is not None and self.op.worker in self.session.jobs.running:
            return None                       # already registering (a double Ctrl+Enter)
        from ..workflows import intake as intake_wf
        from ..workflows import registering
        self.ok_button.setEnabled(False)
        if self.read_result is not None:
            # a document read at intake: the clerk's form overrides every suggestion (a cleared
            # field stays empty); the workflow attaches the PDF and, for a PDF with active content,
            # the warning and a safe viewing copy
            overrides = {name: (value if value not in ("", []) else None)
                         for name, value in ((n, ed.value()) for n, ed in self.form.editors.items())}
            self.op = Op(self, self.session, intake_wf.register_read_document, self.read_result,
                         settings=self.session.settings, register_code=self.form.register_code(),
                         allow_duplicate=allow_duplicate, overrides=overrides,
                         label=tr("Đăng ký văn bản"), changes=ENTRIES)
        else:
            data = {**self.extra, **self.form.data()}
            files = [registering.FileToAttach(Path(path), role) for path, role in self.attachments]
            self.op = Op(self, self.session, registering.register, self.kind, data, settings=self.session.settings,
                         register=self.form.register_code(), allow_duplicate=allow_duplicate, files=files,
                         label=tr("Đăng ký văn bản"), changes=ENTRIES)
        self.op.success(self._registered).failure(self._failed)
        self.op.run()
        return self.op

    def _registered(self, result) -> None:
        entry = result.entry.to_json()
        self.entry = entry
        emit(self.registered, entry)
        if self.show_number:
            title = combo_title(self.form.register_box, entry["register"])
            ArrivalNumberDialog(dict(entry, register_title=title), self, session=self.session,
                                has_scan=any(a.role == "scan" for a in result.attachments)).exec()
        self.accept()

    def _failed(self, exc) -> bool:
        self.ok_button.setEnabled(True)
        if isinstance(exc, DuplicateError):
            log.info("duplicate suspected: %s", exc.existing)
            answer = QMessageBox.question(
                self, tr("Có thể trùng"),
                exc.message + "\n\n" + tr("Vẫn đăng ký văn bản này?"),
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            if answer == QMessageBox.Yes:
                self.submit(allow_duplicate=True)
            return True
        if isinstance(exc, SecretDocumentError):
            self.form.editors["secrecy"].set_error(exc.message)
            show_error(self, exc, title=tr("Văn bản mật"))
            return True
        if isinstance(exc, VanthuError):
            if not self.form.show_error_for(exc):
                show_error(self, exc)
            return True
        return False
