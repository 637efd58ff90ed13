"""Cài đặt: the organization, registers and their series, working hours and days off, the
server, the token, the scanner and the language. Each value is checked by app.settings and
refused with a message next to the field."""
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.doctypes import DOC_TYPES
from ..errors import ValidationError, VanthuError
from ..workflows import registers as register_flows
from . import formatting as fmt
from .i18n import LANGUAGES, N_, tr
from .messages import show_error
from .ops import Changes, Op, read
from .qtfix import current_data, guard, item_data

log = logging.getLogger(__name__)

LABELS = {
    "org.name": N_("Tên cơ quan"), "org.id": N_("Mã định danh cơ quan"), "org.parent": N_("Cơ quan chủ quản"),
    "org.place": N_("Địa danh (dòng ngày tháng)"),
    "org.notation": N_("Ký hiệu cơ quan (ví dụ UBND)"),
    "work.hours": N_("Giờ làm việc"), "work.days_off": N_("Ngày nghỉ thêm"),
    "work.makeup_days": N_("Ngày làm bù"),
    "server.url": N_("Địa chỉ trục liên thông"), "server.dialect": N_("Giao thức"),
    "server.timeout": N_("Thời gian chờ (giây)"), "server.date_format": N_("Định dạng ngày trong gói"),
    "server.ca_bundle": N_("Tệp CA bổ sung"), "sync.interval": N_("Chu kỳ nhận văn bản (giây)"),
    "provincial.url": N_("Máy chủ tỉnh (sao lưu sổ)"), "provincial.ca_bundle": N_("Tệp CA của máy chủ tỉnh"),
    "token.module": N_("Thư viện PKCS#11"), "token.label": N_("Nhãn token"),
    "token.cert_label": N_("Nhãn chứng thư số cơ quan"), "sign.seal_image": N_("Ảnh con dấu (PNG)"),
    "sign.seal_diameter_mm": N_("Đường kính con dấu (mm)"), "sign.tsa_url": N_("Máy chủ dấu thời gian"),
    "scan.device": N_("Máy quét mặc định"), "scan.source": N_("Nguồn giấy"), "scan.dpi": N_("Độ phân giải (dpi)"),
    "scan.mode": N_("Chế độ màu"), "ui.language": N_("Ngôn ngữ giao diện"),
}
HINTS = {
    "org.id": "000.00.00.H53", "work.hours": "07:30-11:30,13:30-17:00",
    "work.days_off": N_("ngày/tháng/năm, cách nhau bằng dấu phẩy (ví dụ 02/01/2026, 30/04/2026)"),
    "work.makeup_days": N_("ngày/tháng/năm, cách nhau bằng dấu phẩy (ví dụ 10/01/2026)"), "server.url": "https://…",
}
CHOICES = {
    "server.dialect": (("vxp", N_("VXP (trục quốc gia)")),),
    "scan.source": (("flatbed", N_("Mặt kính")), ("adf", N_("Khay nạp giấy")), ("duplex", N_("Hai mặt"))),
    "scan.mode": (("gray", N_("Xám")), ("color", N_("Màu"))),
    "ui.language": tuple(LANGUAGES.items()),
}
PAGES = (
    (N_("Cơ quan"), ("org.name", "org.id", "org.notation", "org.parent", "org.place")),
    (N_("Giờ làm việc"), ("work.hours", "work.days_off", "work.makeup_days")),
    (N_("Máy chủ"), ("server.url", "server.dialect", "server.timeout", "server.date_format",
                     "server.ca_bundle", "sync.interval", "provincial.url", "provincial.ca_bundle")),
    (N_("Token và con dấu"), ("token.module", "token.label", "token.cert_label", "sign.seal_image",
                              "sign.seal_diameter_mm", "sign.tsa_url")),
    (N_("Máy quét"), ("scan.device", "scan.source", "scan.dpi", "scan.mode")),
    (N_("Giao diện"), ("ui.language",)),
)


DATE_LISTS = ("work.days_off", "work.makeup_days")


def _iso_day(text: str) -> str:
    """'02/01/2026' -> '2026-01-02' (the settings file's form); anything else is left for the
    check to refuse with a message in dd/mm/yyyy."""
    import re
    m = re.match(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$", text)
    if not m:
        return text.strip()
    from datetime import date
    try:
        return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:
        return text.strip()


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


class SettingsPage(QWidget):
    """A form of settings keys with a Save button; errors appear under the field."""

    def __init__(self, session, keys, parent=None):
        super().__init__(parent)
        self.session = session
        self.keys = keys
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in keys:
            if key in CHOICES:
                w = QComboBox()
                for value, label in CHOICES[key]:
                    w.addItem(tr(label), value)
            else:
                w = QLineEdit()
                if key in HINTS:
                    w.setPlaceholderText(tr(HINTS[key]))
            w.setObjectName(f"setting_{key}")
            if key in session.settings.locked:
                w.setEnabled(False)
                w.setToolTip(tr("Do quản trị viên khóa"))
            err = QLabel()
            err.setStyleSheet("color: #b3261e;")
            err.setVisible(False)
            err.setWordWrap(True)
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(2)
            v.addWidget(w)
            v.addWidget(err)
            form.addRow(tr(LABELS.get(key, key)), box)
            self.inputs[key] = w
            self.errors[key] = err
        self.save_button = QPushButton(tr("Lưu"))
        self.save_button.setObjectName("saveSettings")
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.saved_label, 1)
        row.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(row)
        lay.addStretch(1)
        self.load()

    def load(self) -> None:
        for key, w in self.inputs.items():
            value = self.session.settings.get(key)
            if isinstance(w, QComboBox):
                i = w.findData(value)
                w.setCurrentIndex(max(i, 0))
            elif key in DATE_LISTS:
                w.setText(", ".join(fmt.vn_date(d) for d in (value or [])))
            else:
                w.setText(_as_text(value))

    def value(self, key: str):
        w = self.inputs[key]
        if isinstance(w, QComboBox):
            return current_data(w)
        text = w.text().strip()
        if key in DATE_LISTS and text:
            return ", ".join(_iso_day(part) for part in text.split(",") if part.strip())
        return text

    def _check_extra(self, key: str, value):
        if key == "work.hours" and value:
            from ..domain.calendar import parse_hours
            try:
                parse_hours(value)
            except ValueError:
                raise ValidationError(tr("Giờ làm việc phải có dạng 07:30-11:30,13:30-17:00.")) from None
        if key in DATE_LISTS and value:
            from datetime import date
            for part in value.split(","):
                try:
                    date.fromisoformat(part.strip())
                except ValueError:
                    raise ValidationError(tr("«{d}» không phải ngày dạng ngày/tháng/năm (ví dụ 02/01/2026).").format(
                        d=part.strip())) from None

    def save(self) -> bool:
        settings = self.session.settings
        ok = True
        changed = False
        for key in self.keys:
            if key in settings.locked:
                continue
            value = self.value(key)
            current = _as_text(settings.get(key))
            err = self.errors[key]
            err.setVisible(False)
            if _as_text(value) == current:
                continue
            try:
                self._check_extra(key, value)
                settings.set(key, value if value != "" else None)
                changed = True
            except VanthuError as exc:
                err.setText(exc.message)
                err.setVisible(True)
                ok = False
        if changed:
            self.session.reload_settings()
            self.load()
        self.saved_label.setText(tr("Đã lưu.") if ok and changed else "")
        return ok


class RegistersPage(QWidget):
    """The registers (sổ) and their series; create a new one, set the issuer notation."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("registersTable")
        self.table.setHorizontalHeaderLabels([tr("Mã"), tr("Loại"), tr("Tên sổ"), tr("Ký hiệu"),
                                              tr("Loại văn bản của dãy số"), tr("Số cuối năm nay")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        new = QGroupBox(tr("Tạo sổ mới"))
        f = QFormLayout(new)
        self.code = QLineEdit()
        self.code.setObjectName("newRegisterCode")
        self.code.setPlaceholderText(tr("ví dụ qd (chữ thường không dấu)"))
        self.kind = QComboBox()
        self.kind.setObjectName("newRegisterKind")
        for value, label in (("incoming", N_("Văn bản đến")), ("outgoing", N_("Văn bản đi")),
                             ("copy", N_("Bản sao"))):
            self.kind.addItem(tr(label), value)
        self.title = QLineEdit()
        self.title.setObjectName("newRegisterTitle")
        self.notation = QLineEdit()
        self.notation.setObjectName("newRegisterNotation")
        self.notation.setPlaceholderText(tr("ví dụ UBND"))
        self.doc_type = QComboBox()
        self.doc_type.setObjectName("newRegisterDocType")
        self.doc_type.addItem(tr("Mọi loại"), None)
        for name in DOC_TYPES:
            self.doc_type.addItem(name, name)
        self.with_year = QCheckBox(tr("Số có năm (văn bản quy phạm pháp luật)"))
        f.addRow(tr("Mã sổ"), self.code)
        f.addRow(tr("Loại sổ"), self.kind)
        f.addRow(tr("Tên sổ"), self.title)
        f.addRow(tr("Ký hiệu cơ quan"), self.notation)
        f.addRow(tr("Dành cho loại"), self.doc_type)
        f.addRow("", self.with_year)
        self.create_button = QPushButton(tr("Tạo sổ"))
        self.create_button.setObjectName("createRegister")
        self.create_button.clicked.connect(self.create)
        f.addRow("", self.create_button)
        nrow = QHBoxLayout()
        self.set_notation_edit = QLineEdit()
        self.set_notation_edit.setPlaceholderText(tr("ký hiệu mới cho sổ đang chọn"))
        self.set_notation_button = QPushButton(tr("Đặt ký hiệu"))
        self.set_notation_button.clicked.connect(self.set_notation)
        nrow.addWidget(self.set_notation_edit, 1)
        nrow.addWidget(self.set_notation_button)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Mỗi sổ có một dãy số riêng, bắt đầu lại từ 01 vào ngày 01 tháng 01 mỗi năm.")))
        lay.addWidget(self.table, 1)
        lay.addLayout(nrow)
        lay.addWidget(new)
        self.reload()

    def reload(self):
        """Read the registers and their numbers off the UI thread; shown when they come."""
        self.reload_op = read(self, self.session, register_flows.list_registers).success(self._show)
        self.reload_op.run()
        return self.reload_op

    def _show(self, regs) -> None:
        from ..domain import clock
        self.reload_op = None
        kinds = {"incoming": tr("Văn bản đến"), "outgoing": tr("Văn bản đi"), "copy": tr("Bản sao")}
        self.table.setRowCount(len(regs))
        for i, rc in enumerate(regs):
            r, last = rc.register, rc.counters.get(clock.today().year, 0)
            for col, text in enumerate((r.code, kinds[str(r.kind)], r.title, r.notation or "",
                                        ", ".join(r.doc_types) or tr("mọi loại"), f"{last:02d}")):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, r.code)
                self.table.setItem(i, col, item)

    def create(self) -> Op:
        """Create the register through the registers workflow, off the UI thread (the same
        function as `vanthu registers create`). Returns the running Op."""
        doc_type = current_data(self.doc_type)
        self.create_button.setEnabled(False)
        self.op = Op(self, self.session, register_flows.create_register, self.code.text(), current_data(self.kind),
                     self.title.text(), notation=self.notation.text(), doc_types=[doc_type] if doc_type else [],
                     with_year=self.with_year.isChecked(), label=tr("Tạo sổ"), changes=Changes(registers=True))
        self.op.success(self._created).failure(self._refused)
        self.op.run()
        return self.op

    def _created(self, _register) -> None:
        self.create_button.setEnabled(True)
        for w in (self.code, self.title, self.notation):
            w.clear()
        self.reload()

    def _refused(self, exc) -> bool:
        self.create_button.setEnabled(True)
        self.set_notation_button.setEnabled(True)
        if isinstance(exc, VanthuError):
            show_error(self, exc)
            return True
        return False

    def set_notation(self) -> Op | None:
        """Set the selected register's notation through the registers workflow (as
        `vanthu registers set-notation`), off the UI thread."""
        row = self.table.currentRow()
        if row < 0:
            QMessageBox.information(self, tr("Chọn sổ"), tr("Hãy chọn một sổ trong bảng."))
            return None
        code = item_data(self.table.item(row, 0))
        self.set_notation_button.setEnabled(False)
        self.op = Op(self, self.session, register_flows.set_notation, code, self.set_notation_edit.text(),
                     label=tr("Đặt ký hiệu"), changes=Changes(registers=True))
        self.op.success(self._notation_set).failure(self._refused)
        self.op.run()
        return self.op

    def _notation_set(self, _register) -> None:
        self.set_notation_button.setEnabled(True)
        self.set_notation_edit.clear()
        self.reload()


class CredentialsBox(QGroupBox):
    """The hub credential (system id and shared secret), kept in the OS keyring by app.sync;
    the secret field is cleared as soon as it is saved and never written elsewhere."""

    def __init__(self, session, parent=None):
        super().__init__(tr("Tài khoản kết nối trục (lưu trong kho khóa của hệ điều hành)"), parent)
        self.session = session
        f = QFormLayout(self)
        self.system_id = QLineEdit()
        self.system_id.setObjectName("credSystemId")
        self.secret = QLineEdit()
        self.secret.setObjectName("credSecret")
        self.secret.setEchoMode(QLineEdit.Password)
        self.state = QLabel()
        self.state.setObjectName("credState")
        self.save_button = QPushButton(tr("Lưu tài khoản"))
        self.save_button.setObjectName("credSave")
        self.save_button.clicked.connect(self.save)
        f.addRow(tr("Mã hệ thống"), self.system_id)
        f.addRow(tr("Khóa bí mật"), self.secret)
        f.addRow(self.state, self.save_button)
        self.refresh()

    def refresh(self) -> Op:
        """Read the saved credential from the keyring off the UI thread (the OS keyring may
        answer slowly, over D-Bus)."""
        url, org = self.session.settings.get("server.url"), self.session.settings.get("org.id")
        self.op = Op(self, self.session, _stored_credential, url, org, store=False, label="") \
            .success(self._show_credential).failure(lambda exc: log.warning("keyring: %s", exc) or True)
        self.op.run()
        return self.op

    def _show_credential(self, cred) -> None:
        if cred:
            self.system_id.setText(cred.system_id)
            self.state.setText(tr("Đã lưu tài khoản."))
        else:
            self.state.setText(tr("Chưa có tài khoản."))

    def save(self) -> Op:
        """Save the credential to the keyring off the UI thread. The secret leaves the field at
        once and is handed to the worker only (not kept by the operation)."""
        held = [self.secret.text()]
        self.secret.clear()
        url, org, system_id = (self.session.settings.get("server.url"), self.session.settings.get("org.id"),
                               self.system_id.text().strip())

        def store_it():
            from ..sync import credentials
            credentials.save(url, system_id, held.pop(), org)
        self.save_button.setEnabled(False)
        self.op = Op(self, self.session, store_it, store=False, label="") \
            .success(lambda _r: self._saved(None)).failure(lambda exc: self._saved(exc))
        self.op.run()
        return self.op

    def _saved(self, exc) -> bool:
        self.save_button.setEnabled(True)
        if exc is None:
            self.state.setText(tr("Đã lưu tài khoản."))
            return True
        if isinstance(exc, VanthuError):
            self.state.setText(exc.message)
            return True
        return False


def _stored_credential(url, org):
    """Worker thread: the credential kept for (server, organization), None if none or unreadable."""
    from ..sync import credentials
    if not url:
        return None
    try:
        return credentials.load(url, org)
    except VanthuError as exc:
        log.info("credential not readable: %s", exc)
        return None


class TokenTools(QGroupBox):
    """Detect the PKCS#11 modules present (catalogue of known paths) and the tokens they see."""

    def __init__(self, session, page: "SettingsPage", parent=None):
        super().__init__(tr("Token, chứng thư số và con dấu"), parent)
        self.session = session
        self.page = page
        lay = QVBoxLayout(self)
        self.found = QComboBox()
        self.found.setObjectName("detectedModules")
        self.detect_button = QPushButton(tr("Dò tìm thư viện token trên máy"))
        self.detect_button.setObjectName("detectModules")
        self.detect_button.clicked.connect(self.detect)
        self.use_button = QPushButton(tr("Dùng thư viện này"))
        self.use_button.clicked.connect(self.use)
        self.use_button.setEnabled(False)
        self.note = QLabel()
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.detect_button)
        row.addWidget(self.found, 1)
        row.addWidget(self.use_button)
        lay.addLayout(row)
        lay.addWidget(self.note)
        self.certs = QComboBox()
        self.certs.setObjectName("tokenCertificates")
        self.certs_button = QPushButton(tr("Đọc chứng thư số trên token"))
        self.certs_button.setObjectName("listCertificates")
        self.certs_button.clicked.connect(self.list_certificates)
        self.cert_use = QPushButton(tr("Dùng chứng thư này"))
        self.cert_use.setEnabled(False)
        self.cert_use.clicked.connect(self.use_certificate)
        self.seal_button = QPushButton(tr("Chọn ảnh con dấu…"))
        self.seal_button.clicked.connect(self.choose_seal)
        row2 = QHBoxLayout()
        row2.addWidget(self.certs_button)
        row2.addWidget(self.certs, 1)
        row2.addWidget(self.cert_use)
        lay.addLayout(row2)
        lay.addWidget(self.seal_button)

    def detect(self):
        from ..sign import modules
        from .workers import Worker
        extra = [self.session.settings.get("token.module")] if self.session.settings.get("token.module") else []
        w = Worker(modules.detect, extra, label=tr("Dò tìm token"))
        w.signals.finished.connect(self._found)
        w.signals.failed.connect(guard(self, lambda exc, tb: show_error(self, exc, tb, modal=False)))
        w.signals.done.connect(guard(self, lambda: self.detect_button.setEnabled(True)))
        self.detect_button.setEnabled(False)
        self.note.setText(tr("Đang dò…"))
        self.session.jobs.start(w)
        return w

    def _found(self, results) -> None:
        self.found.clear()
        for r in results:
            if r.ok:
                toks = ", ".join(r.tokens) or tr("chưa thấy token")
                self.found.addItem(f"{r.vendor or r.library} — {r.path} ({toks})", r.path)
        bad = [r for r in results if not r.ok]
        self.use_button.setEnabled(self.found.count() > 0)
        self.note.setText(tr("Tìm thấy {n} thư viện dùng được.").format(n=self.found.count()) +
                          ("" if not bad else " " + tr("Không dùng được: {l}").format(
                              l="; ".join(f"{r.path}: {r.message}" for r in bad))))

    def list_certificates(self):
        """The certificates on the configured token (public objects: no PIN needed)."""
        from ..sign import tokens
        from .workers import Worker
        module = self.session.settings.get("token.module")
        if not module:
            self.note.setText(tr("Chưa chọn thư viện token."))
            return None
        w = Worker(tokens.list_certificates, module, self.session.settings.get("token.label"),
                   pass_control=False, label=tr("Đọc chứng thư số"))
        w.signals.finished.connect(self._certs_found)
        w.signals.failed.connect(guard(self, lambda exc, tb: show_error(self, exc, tb, modal=False)))
        self.session.jobs.start(w)
        return w

    def _certs_found(self, certs) -> None:
        self.certs.clear()
        for c in certs:
            info = c.info
            kind = {"organization": tr("cơ quan"), "personal": tr("cá nhân")}.get(info.kind, info.kind)
            key = "" if c.has_private_key is not False else " — " + tr("không có khóa ký")
            self.certs.addItem(tr("{label}: {subject} ({kind}, hết hạn {until}){key}").format(
                label=c.label, subject=info.subject, kind=kind, until=info.not_after[:10], key=key), c.label)
        self.cert_use.setEnabled(self.certs.count() > 0)

    def use_certificate(self) -> None:
        label = current_data(self.certs)
        if label:
            self.page.inputs["token.cert_label"].setText(label)
            self.page.save()

    def choose_seal(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Chọn ảnh con dấu"), "", tr("Ảnh PNG (*.png)"))
        if name:
            self.page.inputs["sign.seal_image"].setText(name)
            self.page.save()

    def use(self) -> None:
        path = current_data(self.found)
        if path:
            self.page.inputs["token.module"].setText(path)
            self.page.save()


class SettingsView(QTabWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("settingsView")
        self.pages: dict[str, SettingsPage] = {}
        for title, keys in PAGES[:1]:
            page = SettingsPage(session, keys)
            self.pages[title] = page
            self.addTab(page, tr(title))
        self.registers = RegistersPage(session)
        self.addTab(self.registers, tr("Sổ đăng ký"))
        for title, keys in PAGES[1:]:
            page = SettingsPage(session, keys)
            self.pages[title] = page
            self.addTab(page, tr(title))
        server = self.pages[PAGES[2][0]]
        self.credentials = CredentialsBox(session)
        server.layout().insertWidget(2, self.credentials)
        session.on_change(self.credentials.refresh, "settings")
        token = self.pages[PAGES[3][0]]
        self.token_tools = TokenTools(session, token)
        token.layout().insertWidget(2, self.token_tools)
