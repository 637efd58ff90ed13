"""Outgoing documents: choose the PDF signed by the leader → its signatures verified → the
organization seal shown at the proposed position on the page, adjustable by dragging → PIN
(kept only for this batch) → signed by app.sign → dispatched to the recipients by app.sync."""
import logging
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..errors import ValidationError, VanthuError
from ..workflows import queries
from .i18n import tr
from .messages import show_error
from .ops import ENTRIES, Changes, Op, read
from .qtfix import emit, guard
from .workers import Worker

log = logging.getLogger(__name__)

MM = 72 / 25.4
PREVIEW_ZOOM = 1.0


class PinDialog(QDialog):
    """Ask for the token PIN for one batch. The PIN lives in this dialog's field until `take()`
    hands it over and clears it; it is never logged or stored."""

    def __init__(self, token_label: str, warning: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Mã PIN của token"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Token: {t}").format(t=token_label or tr("(token mặc định)"))))
        self.field = QLineEdit()
        self.field.setObjectName("pinField")
        self.field.setEchoMode(QLineEdit.Password)
        self.field.setPlaceholderText(tr("Nhập mã PIN"))
        lay.addWidget(self.field)
        self.confirm = None
        if warning:
            w = QLabel(warning)
            w.setWordWrap(True)
            w.setStyleSheet("color: #b3261e; font-weight: bold;")
            lay.addWidget(w)
            self.confirm = QCheckBox(tr("Tôi hiểu, vẫn thử"))
            lay.addWidget(self.confirm)
        lay.addWidget(QLabel(tr("Mã PIN chỉ dùng cho lần ký này và không được lưu.")))
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(tr("Ký"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Hủy bỏ"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.ok.setEnabled(False)
        self.field.textChanged.connect(self._update)
        if self.confirm:
            self.confirm.toggled.connect(self._update)

    def _update(self, *args) -> None:
        self.ok.setEnabled(bool(self.field.text()) and (self.confirm is None or self.confirm.isChecked()))

    def take(self) -> str:
        pin = self.field.text()
        self.field.clear()
        return pin


class SealPreview(QWidget):
    """The page where the seal goes, with the seal drawn at its box; drag it to move it.
    `position()` gives (page from 1, x mm, y mm) of the seal centre from the page's top-left."""

    moved = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sealPreview")
        self.page_image = None
        self.seal = None
        self.page_no = 0                 # 0-based
        self.page_size = (595.0, 842.0)  # points
        self.center = QPointF(0, 0)      # points from top-left
        self.diameter = 36 * MM
        self.scale = 1.0
        self._drag = None
        self.setMinimumSize(420, 560)

    def show(self, prepared: "Prepared", diameter_mm: float, seal_image: str | None) -> None:
        placement = prepared.placement
        self.page_size = prepared.page_size
        self.page_image = prepared.page_image
        self.page_no = placement.page
        x1, y1, x2, y2 = placement.box    # PDF user space, origin bottom-left
        h = self.page_size[1]
        self.center = QPointF((x1 + x2) / 2, h - (y1 + y2) / 2)
        self.diameter = diameter_mm * MM
        self.seal = QPixmap(seal_image) if seal_image and Path(seal_image).exists() else None
        self.update()

    def position(self) -> tuple[int, float, float]:
        return (self.page_no + 1, round(self.center.x() / MM, 1), round(self.center.y() / MM, 1))

    def _frame(self) -> QRectF:
        w, h = self.page_size
        self.scale = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - w * self.scale) / 2, (self.height() - h * self.scale) / 2,
                      w * self.scale, h * self.scale)

    def seal_rect(self) -> QRectF:
        f = self._frame()
        d = self.diameter * self.scale
        return QRectF(f.x() + self.center.x() * self.scale - d / 2, f.y() + self.center.y() * self.scale - d / 2, d, d)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#5f6368"))
        if self.page_image is None:
            p.end()
            return
        f = self._frame()
        p.drawImage(f, self.page_image)
        r = self.seal_rect()
        if self.seal is not None and not self.seal.isNull():
            p.setOpacity(0.9)
            p.drawPixmap(r.toRect(), self.seal)
            p.setOpacity(1.0)
        else:
            p.setPen(QPen(QColor(200, 30, 30), 2))
            p.drawEllipse(r)
            p.drawText(r, Qt.AlignCenter, tr("DẤU"))
        p.end()

    def mousePressEvent(self, event) -> None:
        if self.seal_rect().contains(event.position()):
            self._drag = event.position() - self.seal_rect().center()

    def mouseMoveEvent(self, event) -> None:
        if self._drag is not None:
            self.move_seal_to(event.position() - self._drag)

    def mouseReleaseEvent(self, event) -> None:
        self._drag = None

    def move_seal_to(self, widget_point: QPointF) -> None:
        f = self._frame()
        w, h = self.page_size
        x = min(max((widget_point.x() - f.x()) / self.scale, 0), w)
        y = min(max((widget_point.y() - f.y()) / self.scale, 0), h)
        self.center = QPointF(x, y)
        self.update()
        emit(self.moved)


class Prepared:
    """A PDF ready for the seal preview, prepared on a worker thread: where the seal goes, the
    page rendered (a QImage may be made off the UI thread; a QPixmap may not)."""

    def __init__(self, pdf: Path, name: str, placement, page_size, page_image, note: str = "", entry=None):
        self.pdf, self.name, self.placement = pdf, name, placement
        self.page_size, self.page_image, self.note, self.entry = page_size, page_image, note, entry


def prepare_preview(store, pdf: Path | None, placement=None, diameter_mm: float = 36,
                    entry_id: int | None = None) -> Prepared | None:
    """Worker thread: the entry (when `entry_id`), its PDF unless `pdf` is given, where the seal
    goes (the signing block; else the last page, noted) and that page rendered. None: no PDF."""
    from ..sign import placement as seal_place
    from .viewer import open_document, render_page
    entry, name = None, None
    if entry_id is not None:
        entry = queries.entry(store, entry_id)
        if pdf is None:
            for a in reversed(queries.attachments_of(store, entry_id)):
                if a.role in ("original", "attachment", "scan") and a.name.lower().endswith(".pdf"):
                    pdf, name = queries.file_path(store, a.sha256), a.name
                    break
    if pdf is None:
        return Prepared(None, "", None, (595.0, 842.0), None, entry=entry)
    note = ""
    if placement is None:
        try:
            placement = seal_place.locate_seal(pdf, diameter_mm)
        except ValidationError as exc:
            # no signing block found: the clerk places the seal on the last page by dragging
            note = exc.message
            doc = open_document(pdf)
            last = len(doc) - 1
            w, h = doc[last].rect.width, doc[last].rect.height
            doc.close()
            placement = seal_place.Placement(last, (w * 0.55, h * 0.3, w * 0.55 + 36 * MM, h * 0.3 + 36 * MM),
                                             "override")
    doc = open_document(pdf)
    try:
        page = doc[placement.page]
        size = (page.rect.width, page.rect.height)
        image = render_page(doc, placement.page, 2.0)
    finally:
        doc.close()
    return Prepared(Path(pdf), name or Path(pdf).name, placement, size, image, note, entry)


def pin_warning(module: str, token_label: str | None) -> str | None:
    """Worker thread: the token's PIN flags (PKCS#11). The warning the clerk must confirm when
    few tries are left, None when all is well; a locked PIN raises."""
    from ..sign import tokens
    from ..sign.errors import PinWarningError
    try:
        tokens.check_pin_status(tokens.pin_status(module, token_label))
    except PinWarningError as exc:
        return exc.message
    return None


def with_pin(parent, session, options, then, pin: str | None = None, confirmed: bool = False) -> Op:
    """Read the token's PIN flags off the UI thread, then ask the PIN for this batch (a warning
    when few tries are left must be confirmed; a locked PIN is refused) and call `then(pin)` on
    the UI thread; not called when the clerk cancels. `pin` given (tests) skips the dialog, with
    `confirmed` standing for the clerk's confirmation. Sets options.pin_warning_confirmed."""
    given = [pin]

    def ask(warning) -> None:
        pin, ok = given.pop(), confirmed
        if pin is None:
            dlg = PinDialog(options.token_label, warning, parent)
            if dlg.exec() != QDialog.Accepted:
                return
            pin, ok = dlg.take(), warning is not None
        options.pin_warning_confirmed = ok
        then(pin)

    def refused(exc) -> bool:
        given.clear()
        if isinstance(exc, VanthuError):
            show_error(parent, exc)
            return True
        return False
    op = Op(parent, session, pin_warning, options.module, options.token_label, store=False,
            label=tr("Đọc token")).success(ask).failure(refused)
    op.run()
    return op


def sign_digitized_copy(parent, session, entry_id: int, pin: str | None = None,
                        confirmed: bool = False, started=None) -> Op | None:
    """Sign the digitized copy of a paper document as the organization ("SAO Y" text at the top
    right of page 1, no image), asking for the PIN for this one document. The signed file is
    linked to the entry (role "signed") when the worker finishes; `started(worker)` once the
    signing runs. Returns the PIN step (the token is read off the UI thread)."""
    from ..sign import certs
    from ..sign.signer import SignOptions
    s = session.settings
    # an entry without a scan is refused by the workflow (document_to_sign), off the UI thread
    if not s.get("token.module"):
        show_error(parent, ValidationError(tr("Chưa chọn thư viện token: vào Cài đặt › Token và con dấu.")))
        return None
    options = SignOptions(module=s.get("token.module"), token_label=s.get("token.label"),
                          cert_label=s.get("token.cert_label"), out_dir=session.data_dir / "tmp-signed",
                          org_name=s.get("org.name") or "", copy_form="SAO Y", tsa_url=s.get("sign.tsa_url"),
                          trust_roots=certs.trust_roots(settings_roots=s.get("sign.trust_roots")))
    from ..workflows import signing as signing_wf

    def done(signed):
        batch = signed.batch
        if not any(r.status == "signed" for r in batch.results):
            show_error(parent, ValidationError(batch.stopped or "; ".join(r.message for r in batch.results)
                                               or tr("Chưa ký được.")), modal=False)

    def sign(pin: str) -> None:
        options.out_dir.mkdir(parents=True, exist_ok=True)
        op = Op(parent, session, signing_wf.sign_entry, s, entry_id, pin, mode="copy", options=options,
                control=True, label=tr("Ký số bản số hóa"), changes=ENTRIES)
        op.success(done).failure(lambda exc: (show_error(parent, exc, modal=False), True)[1])
        w = op.run()
        if started is not None:
            started(w)
    return with_pin(parent, session, options, sign, pin, confirmed)


class SignDialog(QDialog):
    """Sign an outgoing entry's document as the organization, then dispatch it."""

    signed = Signal(dict)

    def __init__(self, session, entry_id: int, parent=None, pdf: Path | None = None):
        super().__init__(parent)
        self.session = session
        self.entry_id = entry_id
        self.entry: dict = {"id": entry_id}
        self.setObjectName("signDialog")
        self.setWindowTitle(tr("Ký số và phát hành"))
        self.pdf: Path | None = None
        self.result = None
        self.worker = None
        self.signed_path: Path | None = None

        self.file_label = QLabel(tr("Chưa chọn tệp."))
        self.file_label.setObjectName("signFile")
        choose = QPushButton(tr("Chọn tệp PDF lãnh đạo đã ký…"))
        choose.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        self.preview = SealPreview()
        self.sigs = QListWidget()
        self.sigs.setObjectName("leaderSignatures")
        self.sigs.setWordWrap(True)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.preview.moved.connect(self._show_where)
        self.sign_button = QPushButton(tr("Ký số (Ctrl+Enter)"))
        self.sign_button.setObjectName("signButton")
        self.sign_button.setShortcut("Ctrl+Return")
        self.sign_button.setEnabled(False)
        self.sign_button.clicked.connect(self.ask_pin_and_sign)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(tr("Dừng"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(lambda: self.worker and self.worker.cancel())
        self.recipients = QPlainTextEdit()
        self.recipients.setObjectName("dispatchRecipients")
        self.recipients.setTabChangesFocus(True)
        self.recipients.setFixedHeight(70)
        self.recipients.setPlaceholderText(tr("mỗi dòng một mã định danh nơi nhận, ví dụ 000.00.01.H53"))
        self.dispatch_button = QPushButton(tr("Phát hành qua trục liên thông"))
        self.dispatch_button.setObjectName("dispatchButton")
        self.dispatch_button.setEnabled(False)
        self.dispatch_button.clicked.connect(self.dispatch)
        self.status = QLabel()
        self.status.setObjectName("signStatus")
        self.status.setWordWrap(True)
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(QLabel(tr("Chữ ký có trong tệp")))
        sl.addWidget(self.sigs, 1)
        sl.addWidget(self.where)
        sl.addWidget(self.sign_button)
        form = QFormLayout()
        form.addRow(tr("Nơi nhận (mã định danh)"), self.recipients)
        sl.addLayout(form)
        sl.addWidget(self.dispatch_button)
        split = QSplitter()
        split.addWidget(self.preview)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        prow = QHBoxLayout()
        prow.addWidget(self.status, 1)
        prow.addWidget(self.progress)
        prow.addWidget(self.cancel_button)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText(tr("Đóng"))
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addLayout(prow)
        lay.addWidget(close)
        self.resize(1000, 760)
        self.file_label.setText(tr("Đang tải…"))
        self.prepare_op = self._prepare(pdf, entry_id=entry_id)

    def _prepare(self, pdf: Path | None, entry_id: int | None = None):
        """Read the entry and the PDF, place the seal and render the page off the UI thread."""
        diameter = float(self.session.settings.get("sign.seal_diameter_mm") or 36)
        op = read(self, self.session, prepare_preview, pdf, None, diameter, entry_id) \
            .success(self._prepared).failure(self._prepare_failed)
        op.run()
        return op

    def is_ready(self) -> bool:
        return self.prepare_op is None

    def _prepare_failed(self, exc) -> bool:
        self.prepare_op = None
        self.file_label.setText(tr("Chưa chọn tệp."))
        if isinstance(exc, VanthuError):
            show_error(self, exc, modal=False)
            return True
        return False

    def _prepared(self, prepared: Prepared) -> None:
        self.prepare_op = None
        if prepared.entry is not None:
            self.entry = prepared.entry.to_json()
            self.setWindowTitle(tr("Ký số và phát hành — {r}").format(r=self.entry.get("reference") or ""))
            self.recipients.setPlainText("\n".join(r["id"] for r in self.entry.get("recipients") or []
                                                   if r.get("id")))
        if prepared.pdf is None:
            self.file_label.setText(tr("Chưa chọn tệp."))
            return
        s = self.session.settings
        self.status.setText(prepared.note)
        self.pdf = prepared.pdf
        self.file_label.setText(tr("Tệp: {n}").format(n=prepared.name))
        self.preview.show(prepared, float(s.get("sign.seal_diameter_mm") or 36), s.get("sign.seal_image"))
        self._show_where()
        self.sign_button.setEnabled(True)
        self.sigs.clear()
        self.sigs.addItem(tr("Đang kiểm tra chữ ký số…"))
        from .viewer import signatures_of
        w = Worker(signatures_of, self.pdf, pass_control=False)
        w.signals.finished.connect(self._show_sigs)
        self._verify = w
        self.session.jobs.start(w)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Chọn tệp PDF"), "", tr("Tệp PDF (*.pdf)"))
        if name:
            self.load(Path(name))

    def load(self, pdf: Path):
        """Show another PDF (chosen by the clerk): prepared off the UI thread."""
        self.file_label.setText(tr("Đang tải…"))
        self.prepare_op = self._prepare(Path(pdf))
        return self.prepare_op

    def _show_sigs(self, result) -> None:
        self.sigs.clear()
        if result is None:
            self.sigs.addItem(tr("Không kiểm tra được chữ ký."))
            return
        self.sigs.addItem(result["summary"])
        for s in result["signatures"]:
            who = (s.get("signer") or {}).get("subject") or s.get("signer_subject")
            self.sigs.addItem(f"{'✔' if s.get('verdict') == 'valid' else '✘'} {who}")
        if not any(s.get("kind") == "personal" for s in result["signatures"]):
            note = QListWidgetItem(tr("Chưa thấy chữ ký số của lãnh đạo trong tệp: kiểm tra lại trước khi ký "
                                      "(quy định yêu cầu chữ ký của lãnh đạo và của cơ quan)."))
            note.setForeground(QColor("#b3261e"))
            self.sigs.addItem(note)

    def _show_where(self) -> None:
        p, x, y = self.preview.position()
        self.where.setText(tr("Con dấu: trang {p}, cách mép trái {x} mm, mép trên {y} mm. Kéo để chỉnh.").format(
            p=p, x=x, y=y))

    def options(self):
        from ..sign import certs
        from ..sign.signer import SignOptions
        s = self.session.settings
        return SignOptions(
            module=s.get("token.module"), token_label=s.get("token.label"), cert_label=s.get("token.cert_label"),
            out_dir=self.session.data_dir / "tmp-signed", position=self.preview.position(),
            seal_image=s.get("sign.seal_image"), seal_diameter_mm=float(s.get("sign.seal_diameter_mm") or 36),
            org_name=s.get("org.name") or "", tsa_url=s.get("sign.tsa_url"),
            trust_roots=certs.trust_roots(settings_roots=s.get("sign.trust_roots")))

    def ask_pin_and_sign(self, pin: str | None = None, confirmed: bool = False) -> Op | None:
        """Read the token (off the UI thread), ask for the PIN (unless given, in tests, with
        `confirmed` standing for the clerk's answer to a final-try warning) and sign on a worker
        thread. Returns the PIN step."""
        s = self.session.settings
        if self.pdf is None:        # still being read, or none chosen
            return None
        if not s.get("token.module"):
            show_error(self, ValidationError(tr("Chưa chọn thư viện token: vào Cài đặt › Token và con dấu.")))
            return None
        options = self.options()
        self.sign_button.setEnabled(False)
        self.status.setText(tr("Đang đọc token…"))

        def sign(pin: str) -> None:
            from ..workflows import signing as signing_wf
            op = Op(self, self.session, signing_wf.sign_entry, self.session.settings, self.entry["id"], pin,
                    files=[self.pdf], options=options, control=True, label=tr("Ký số"), changes=ENTRIES)
            op.success(self._signed).failure(lambda exc: (show_error(self, exc, modal=False), True)[1])
            self.op = op
            self._run(op.run(), tr("Đang ký số…"), start=False)
        self.pin_op = with_pin(self, self.session, options, sign, pin, confirmed)
        self.pin_op.worker.signals.done.connect(guard(self, self._pin_step_done))
        return self.pin_op

    def _pin_step_done(self) -> None:
        """The PIN step ended without signing (cancelled, refused): the button comes back."""
        if self.worker is None:
            self.status.setText("")
            self.sign_button.setEnabled(self.pdf is not None and self.signed_path is None)

    def _run(self, w: Worker, text: str, start: bool = True) -> None:
        self.worker = w
        self.status.setText(text)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.sign_button.setEnabled(False)
        w.signals.progress.connect(guard(self, lambda d, t: (self.progress.setRange(0, t or 0),
                                                             self.progress.setValue(d))))
        w.signals.done.connect(self._idle)
        if start:
            self.session.jobs.start(w)

    def _idle(self) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.sign_button.setEnabled(self.pdf is not None and self.signed_path is None)

    def _signed(self, signed) -> None:
        """The signing workflow stored and linked the signed file, queued its B-LT upgrade if
        offline and moved the entry to "signed"; the dialog only reports it."""
        batch = signed.batch
        self.result = batch
        done = [r for r in batch.results if r.status == "signed"]
        if not done:
            msg = batch.stopped or "; ".join(r.message for r in batch.results if r.message) or tr("Chưa ký được.")
            self.status.setText(msg)
            show_error(self, ValidationError(msg), modal=False)
            return
        r = done[0]
        self.entry = signed.entry.to_json()
        self.signed_path = Path(r.output)
        level = f" [{r.level}]" if r.level else ""
        self.status.setText(tr("Đã ký số{l}. Tệp đã ký được lưu vào văn bản.").format(l=level) +
                            (" " + tr("Sẽ bổ sung dữ liệu kiểm tra (B-LT) khi có mạng.") if r.pending_upgrade else ""))
        self.dispatch_button.setEnabled(True)
        emit(self.signed, r.to_dict())

    def recipient_ids(self) -> list[str]:
        return [x.strip() for x in self.recipients.toPlainText().replace(";", "\n").splitlines() if x.strip()]

    def dispatch(self) -> Worker | None:
        to = self.recipient_ids()
        if not to:
            QMessageBox.information(self, tr("Nơi nhận"), tr("Cần ít nhất một nơi nhận (mã định danh)."))
            return None
        from ..workflows import exchange
        op = Op(self, self.session, exchange.send, self.session.settings, self.entry["id"], to, control=True,
                label=tr("Phát hành"), changes=Changes(entries=True, outbox=True))
        op.success(self._dispatched).failure(lambda exc: (show_error(self, exc, modal=False), True)[1])
        self.op = op
        w = op.run()
        self._run(w, tr("Đang kiểm tra tệp và đóng gói…"), start=False)
        self.dispatch_button.setEnabled(False)
        return w

    def _dispatched(self, queued: dict) -> None:
        warnings = queued.get("warnings") or []
        self.status.setText(tr("Đã đưa vào hàng đợi gửi (mã văn bản {d}). Văn bản sẽ được gửi khi có mạng.").format(
            d=queued.get("document_id")) + ("" if not warnings else " " + "; ".join(map(str, warnings))))
