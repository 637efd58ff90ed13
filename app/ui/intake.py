"""Incoming paper mail: scan (device, feeder/duplex, resolution) or import / drop files →
page thumbnails, blank pages flagged for the clerk to confirm → OCR progress → the
registration form filled with the suggested fields, the uncertain ones highlighted. The work
itself is app.scan's (sources.acquire, pipeline.process), run on worker threads."""
import logging
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ..errors import VanthuError
from ..scan.extract import CHECK_BELOW
from .i18n import N_, tr
from .messages import show_error
from .ops import Op
from .qtfix import current_data, emit, guard, item_data
from .workers import Worker

log = logging.getLogger(__name__)

FILE_FILTER = N_("Văn bản quét (*.pdf *.tif *.tiff *.png *.jpg *.jpeg);;Mọi tệp (*)")
SUFFIXES = {".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg"}
UNCERTAIN_BELOW = CHECK_BELOW  # one threshold: the core's confidence calibration decides
FORM_KEYS = ("reference", "number", "notation", "issued_on", "place", "issuer", "doc_type", "summary",
             "signer", "signer_title", "urgency", "secrecy", "pages")
THUMB = QSize(90, 127)


def suggested(fields: dict) -> tuple[dict, list[str]]:
    """(values for the form, the names of those to check): a value whose confidence is below
    UNCERTAIN_BELOW is highlighted; a field with no value is simply left empty."""
    conf = fields.get("confidence") or {}
    values = {k: fields[k] for k in FORM_KEYS if fields.get(k) not in (None, "")}
    if values.get("urgency") in (0, "0"):
        values.pop("urgency")
    uncertain = [k for k in values if k in conf and (conf.get(k) or 0) < UNCERTAIN_BELOW]
    return values, uncertain


def thumbnails(pages: list[tuple[Path, int, int]]) -> list:
    """Worker thread: a thumbnail QImage (a QPixmap may only be made on the UI thread) of each
    (file, page, rotation), None where the page cannot be drawn."""
    from PySide6.QtGui import QTransform

    from .viewer import open_document, render_page
    out = []
    for path, i, rot in pages:
        try:
            doc = open_document(path)
            try:
                img = render_page(doc, min(i, len(doc) - 1), THUMB.width() / max(doc[0].rect.width, 1))
            finally:
                doc.close()
            out.append(img.transformed(QTransform().rotate(rot)) if rot else img)
        except VanthuError as exc:  # a thumbnail is a convenience: the page is still read
            log.info("thumbnail of %s#%d failed: %s", path, i + 1, exc)
            out.append(None)
    return out


def document_inputs(page_list: list[tuple[Path, int, int]], scan_dir: Path) -> list[Path]:
    """What the pipeline reads (worker thread): the files as given, or one PDF of the pages in
    the clerk's order and orientation when pages were moved, turned or removed."""
    plain = []
    for path in dict.fromkeys(p for p, _, _ in page_list):
        plain += [(path, i, 0) for i in range(page_count(path))]
    if plain == page_list:
        return list(dict.fromkeys(p for p, _, _ in page_list))
    return [assemble(page_list, scan_dir / f"pages-{id(page_list)}-{len(page_list)}.pdf")]


def read_document(page_list: list[tuple[Path, int, int]], scan_dir: Path, **kwargs):
    """Worker thread: assemble the pages if needed, then the scan pipeline (OCR, fields)."""
    from ..scan import pipeline
    return pipeline.process(document_inputs(page_list, scan_dir), **kwargs)


def count_pages(paths: list[Path]) -> list[tuple[Path, object]]:
    """Worker thread: (file, its page count, or the VanthuError saying why it cannot be read)."""
    out: list[tuple[Path, object]] = []
    for path in paths:
        try:
            out.append((path, page_count(path)))
        except VanthuError as exc:
            out.append((path, exc))
    return out


def page_count(path: Path) -> int:
    from .viewer import open_document
    doc = open_document(path)
    try:
        return len(doc)
    finally:
        doc.close()


def assemble(pages: list[tuple[Path, int, int]], out: Path) -> Path:
    """One PDF of `pages` ((file, page index, rotation) in the clerk's order), images included."""
    import pymupdf
    doc = pymupdf.open()
    try:
        for path, index, rot in pages:
            src = pymupdf.open(str(path))
            try:
                if not src.is_pdf:
                    src = pymupdf.open("pdf", src.convert_to_pdf())
                doc.insert_pdf(src, from_page=index, to_page=index)
            finally:
                src.close()
            if rot:
                page = doc[-1]
                page.set_rotation((page.rotation + rot) % 360)
        doc.save(str(out), garbage=3, deflate=True)
    finally:
        doc.close()
    return out


def drop_pages(pdf: Path, drop: list[int], out: Path) -> Path:
    """A copy of `pdf` without the pages `drop` (1-based); the text layer stays."""
    import pymupdf
    doc = pymupdf.open(str(pdf))
    try:
        keep = [i for i in range(len(doc)) if i + 1 not in set(drop)]
        doc.select(keep)
        doc.save(str(out), garbage=3, deflate=True)
    finally:
        doc.close()
    return out


class _Bridge(QObject):
    """Carries the pipeline's callbacks from the worker thread to the UI thread."""
    page = Signal(object)
    fields = Signal(object, bool)


class IntakeDialog(QDialog):
    """`form_requested(values, uncertain, attachments, extra)` when the clerk goes on to register."""

    form_requested = Signal(object, object, object, object)
    reading_done = Signal(object)        # the pipeline's result, for a form opened early

    def __init__(self, session, parent=None, paths=(), kind: str = "incoming"):
        super().__init__(parent)
        self.session = session
        self.kind = kind      # outgoing: the PDF the leader signed, fields suggested from its text
        self.setObjectName("intakeDialog")
        self.setWindowTitle(tr("Nhập văn bản giấy") if kind == "incoming" else tr("Văn bản đi từ tệp PDF"))
        self.setAcceptDrops(True)
        self.paths: list[Path] = []
        self.page_list: list[tuple[Path, int, int]] = []    # (file, page in it, rotation): the document
        self._insert_at: int | None = None
        self._reread = False
        self.result = None
        self.fields: dict = {}
        self.worker: Worker | None = None
        self._scanned: list = []
        self._kept_after_error: list = []
        self.scan_dir = Path(tempfile.mkdtemp(prefix="vanthu-ui-scan-"))
        self.bridge = _Bridge(self)
        self.bridge.page.connect(self._on_page)
        self.bridge.fields.connect(self._on_fields)

        self.device = QComboBox()
        self.device.setObjectName("scanDevice")
        self.device.setMinimumWidth(200)
        self.source = QComboBox()
        self.source.setObjectName("scanSource")
        for value, label in (("flatbed", N_("Mặt kính")), ("adf", N_("Khay nạp giấy")), ("duplex", N_("Hai mặt"))):
            self.source.addItem(tr(label), value)
        self.dpi = QSpinBox()
        self.dpi.setObjectName("scanDpi")
        self.dpi.setRange(200, 600)
        self.dpi.setSingleStep(100)
        self.dpi.setSuffix(" dpi")
        self.mode = QComboBox()
        for value, label in (("gray", N_("Xám")), ("color", N_("Màu"))):
            self.mode.addItem(tr(label), value)
        s = session.settings
        self.source.setCurrentIndex(max(0, self.source.findData(s.get("scan.source"))))
        self.dpi.setValue(int(s.get("scan.dpi") or 300))
        self.mode.setCurrentIndex(max(0, self.mode.findData(s.get("scan.mode"))))
        self.scan_button = QPushButton(tr("Quét (F6)"))
        self.scan_button.setObjectName("scanButton")
        self.scan_button.clicked.connect(self.scan)
        self.find_button = QPushButton(tr("Tìm máy quét"))
        self.find_button.clicked.connect(self.find_devices)
        self.open_button = QPushButton(tr("Chọn tệp… (Ctrl+O)"))
        self.open_button.setObjectName("openFiles")
        self.open_button.clicked.connect(self.choose_files)
        self.profile = QComboBox()
        self.profile.setObjectName("scanProfile")
        self.profile.setToolTip(tr("Hồ sơ quét: máy, khay, độ phân giải và màu đã lưu, chọn một lần là xong"))
        self.save_profile_button = QPushButton(tr("Lưu hồ sơ…"))
        self.save_profile_button.setObjectName("saveProfile")
        self.save_profile_button.clicked.connect(lambda: self.save_profile())
        self._fill_profiles()
        self.profile.activated.connect(lambda _i: self.apply_profile(current_data(self.profile)))
        row0 = QHBoxLayout()
        row0.addWidget(QLabel(tr("Hồ sơ quét")))
        row0.addWidget(self.profile, 1)
        row0.addWidget(self.save_profile_button)
        row1 = QHBoxLayout()
        row1.addWidget(QLabel(tr("Máy quét")))
        row1.addWidget(self.device, 1)
        row1.addWidget(self.find_button)
        row1.addWidget(self.source)
        row1.addWidget(self.dpi)
        row1.addWidget(self.mode)
        row1.addWidget(self.scan_button)
        row2 = QHBoxLayout()
        row2.addWidget(self.open_button)
        hint = QLabel(tr("hoặc kéo thả tệp PDF, TIFF, PNG, JPEG vào đây. Mỗi lần nhập là một văn bản."))
        hint.setStyleSheet("color: #555;")
        row2.addWidget(hint, 1)

        self.pages = QListWidget()
        self.pages.setObjectName("pageThumbnails")
        self.pages.setViewMode(QListView.IconMode)
        self.pages.setFlow(QListView.TopToBottom)
        self.pages.setWrapping(False)
        self.pages.setIconSize(THUMB)
        self.pages.setResizeMode(QListView.Adjust)
        self.pages.setMovement(QListView.Static)
        self.pages.setSpacing(6)
        self.pages.setFixedWidth(THUMB.width() + 48)
        self.pages.itemDoubleClicked.connect(self._preview)
        self.pages.currentRowChanged.connect(self._show_big)
        from .page_view import PageView
        self.big = PageView(session, None, single=True)
        self.big.setObjectName("bigPage")
        self.big.picture.setText(tr("Trang đang chọn hiện ở đây, cỡ lớn, để đối chiếu."))
        tools = QHBoxLayout()
        self.tool_buttons = {}
        for name, label, tip, key in (
                ("left", N_("⟲ Xoay trái"), N_("Xoay trái trang đang chọn"), "Ctrl+L"),
                ("right", N_("⟳ Xoay phải"), N_("Xoay phải trang đang chọn"), "Ctrl+R"),
                ("up", N_("▲ Lên"), N_("Đưa trang lên trước"), "Ctrl+Up"),
                ("down", N_("▼ Xuống"), N_("Đưa trang xuống sau"), "Ctrl+Down"),
                ("delete", N_("Xóa trang"), N_("Bỏ trang đang chọn khỏi văn bản"), "Delete"),
                ("insert", N_("Quét chèn sau trang này"), N_("Quét lại một trang và chèn vào sau trang đang chọn"),
                 None)):
            b = QPushButton(tr(label))
            b.setObjectName(f"page_{name}")
            b.setToolTip(tr(tip) + (f" ({key})" if key else ""))
            b.clicked.connect(lambda _c=False, n=name: self.page_tool(n))
            if key:
                QShortcut(QKeySequence(key), self, activated=lambda n=name: self.page_tool(n))
            b.setEnabled(False)          # until there are pages
            tools.addWidget(b)
            self.tool_buttons[name] = b
        tools.addStretch(1)
        self.attach_note = QLabel()
        self.attach_note.setObjectName("intakeAttachment")
        self.attach_note.setWordWrap(True)
        self.attach_note.setStyleSheet("background: #e8f0fe; border: 1px solid #aecbfa; padding: 4px;")
        self.attach_note.setVisible(False)
        self.blank_note = QLabel()
        self.blank_note.setObjectName("blankNote")
        self.blank_note.setWordWrap(True)
        self.blank_note.setStyleSheet("color: #8c1d18;")
        self.status = QLabel(tr("Chưa có trang nào."))
        self.status.setObjectName("intakeStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("intakeProgress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(tr("Dừng"))
        self.cancel_button.setObjectName("intakeCancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        prow = QHBoxLayout()
        prow.addWidget(self.status, 1)
        prow.addWidget(self.progress)
        prow.addWidget(self.cancel_button)
        self.form_button = QPushButton(tr("Đăng ký văn bản này…"))
        self.form_button.setObjectName("toForm")
        self.form_button.setEnabled(False)
        self.form_button.setDefault(True)
        self.form_button.clicked.connect(self.to_form)
        close = QPushButton(tr("Đóng"))
        close.clicked.connect(self.reject)
        brow = QHBoxLayout()
        brow.addStretch(1)
        brow.addWidget(self.form_button)
        brow.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(row0)
        lay.addLayout(row1)
        if kind != "incoming":
            for row in (row0, row1):
                for i in range(row.count()):
                    w = row.itemAt(i).widget()
                    if w:
                        w.setVisible(False)
        lay.addLayout(row2)
        middle = QHBoxLayout()
        middle.addWidget(self.pages)
        right = QVBoxLayout()
        right.addLayout(tools)
        right.addWidget(self.big, 1)
        middle.addLayout(right, 1)
        lay.addLayout(middle, 1)
        lay.addWidget(self.attach_note)
        lay.addWidget(self.blank_note)
        lay.addLayout(prow)
        lay.addLayout(brow)
        QShortcut(QKeySequence("Ctrl+O"), self, activated=self.choose_files)
        QShortcut(QKeySequence("F6"), self, activated=self.scan)
        from .entry_form import fit_to_screen
        fit_to_screen(self, 1200, 820)
        default = s.get("scan.device")
        if default:
            self.device.addItem(default, default)
        self._warm_up_ocr()
        if paths:
            self.add_files(paths)

    def _warm_up_ocr(self) -> Worker:
        """Start the OCR workers (model loaded) while the clerk feeds the scanner, so that page 1's
        fields do not wait for them; idempotent, silent (a real failure shows when reading)."""
        from ..scan import ocr
        w = Worker(ocr.warm_up, pass_control=False, label=tr("Chuẩn bị nhận dạng chữ"))
        w.reader = True          # not a clerk's job: the status bar does not count it
        return self.session.jobs.start(w)

    # -- scanner profiles (kept per user in ui-state.ini) -------------------------------
    def _profiles(self):
        from .columns import state
        return state(self.session.data_dir)

    def profiles(self) -> dict[str, dict]:
        import json
        raw = self._profiles().value("scan/profiles")
        try:
            data = json.loads(raw) if raw else {}
        except (TypeError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _fill_profiles(self) -> None:
        self.profile.clear()
        self.profile.addItem(tr("(chưa chọn hồ sơ)"), None)
        for name in sorted(self.profiles()):
            self.profile.addItem(name, name)

    def save_profile(self, name: str | None = None) -> bool:
        """Keep the current device, source, resolution and colour under a name."""
        import json
        if name is None:
            from PySide6.QtWidgets import QInputDialog
            name, ok = QInputDialog.getText(self, tr("Lưu hồ sơ quét"), tr("Tên hồ sơ (ví dụ: Công văn 1 mặt):"))
            if not ok:
                return False
        name = (name or "").strip()
        if not name:
            return False
        data = self.profiles()
        data[name] = {"device": current_data(self.device), "source": current_data(self.source),
                      "dpi": self.dpi.value(), "mode": current_data(self.mode)}
        self._profiles().setValue("scan/profiles", json.dumps(data, ensure_ascii=False))
        self._fill_profiles()
        self.profile.setCurrentIndex(self.profile.findData(name))
        return True

    def apply_profile(self, name: str | None) -> bool:
        p = self.profiles().get(name or "")
        if not p:
            return False
        if p.get("device"):
            if self.device.findData(p["device"]) < 0:
                self.device.addItem(p["device"], p["device"])
            self.device.setCurrentIndex(self.device.findData(p["device"]))
        self.source.setCurrentIndex(max(0, self.source.findData(p.get("source"))))
        self.dpi.setValue(int(p.get("dpi") or 300))
        self.mode.setCurrentIndex(max(0, self.mode.findData(p.get("mode"))))
        return True

    # -- sources -------------------------------------------------------------------------
    def find_devices(self) -> Worker:
        from ..scan import sources
        self.find_button.setEnabled(False)
        self.status.setText(tr("Đang tìm máy quét…"))
        w = Worker(sources.list_devices, pass_control=False, label=tr("Tìm máy quét"))
        w.signals.finished.connect(self._devices_found)
        w.signals.failed.connect(self._failed)
        w.signals.done.connect(guard(self, lambda: self.find_button.setEnabled(True)))
        return self.session.jobs.start(w)

    def _devices_found(self, devices) -> None:
        current = current_data(self.device)
        self.device.clear()
        for d in devices:
            label = " ".join(x for x in (d.get("vendor"), d.get("model")) if x) or d["name"]
            self.device.addItem(f"{label} ({d['name']})", d["name"])
        if current:
            self.device.setCurrentIndex(max(0, self.device.findData(current)))
        self.status.setText(tr("Tìm thấy {n} máy quét.").format(n=len(devices)) if devices
                            else tr("Không tìm thấy máy quét nào."))

    def scan(self) -> Worker | None:
        from ..scan import sources
        device = current_data(self.device)
        if not device:
            self.status.setText(tr("Chưa chọn máy quét: bấm «Tìm máy quét» trước."))
            return None
        out = Path(tempfile.mkdtemp(dir=self.scan_dir))
        w = Worker(sources.acquire, device, source=current_data(self.source), dpi=self.dpi.value(),
                   mode=current_data(self.mode), out_dir=out, label=tr("Đang quét"))
        w.signals.finished.connect(self._scanned.extend)   # read once the scan worker is done
        w.signals.failed.connect(self._scan_failed)
        self._run(w, tr("Đang quét…"))
        return w

    def _scan_failed(self, exc, tb) -> None:
        pages = getattr(exc, "pages", None)
        show_error(self, exc, tb, modal=False)
        if pages:  # what was scanned before the jam is kept, and not read until the clerk asks
            self._kept_after_error = list(pages)

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, tr("Chọn tệp văn bản"), "", tr(FILE_FILTER))
        if names:
            self.add_files(names)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        paths = [p for p in paths if p.suffix.lower() in SUFFIXES]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    # -- pages and OCR -------------------------------------------------------------------
    def add_files(self, paths, run: bool = True, at: int | None = None):
        """Add the files' pages to the document (at the end, or after page `at`) and read it
        again. The pages are counted off the UI thread; reading starts before the thumbnails
        are drawn, so that the OCR workers are busy at once. Returns the counting step."""
        if self.worker is not None:
            return None
        self.status.setText(tr("Đang mở tệp…"))
        self.count_op = Op(self, self.session, count_pages, [Path(p) for p in paths], store=False, label="") \
            .success(lambda counted: self._add_counted(counted, run, at))
        self.count_op.run()
        return self.count_op

    def _add_counted(self, counted, run: bool, at: int | None) -> None:
        new = []
        for path, count in counted:
            if isinstance(count, VanthuError):
                show_error(self, count, modal=False)
                continue
            self.paths.append(path)
            new += [(path, i, 0) for i in range(count)]
        pos = len(self.page_list) if at is None else max(0, min(at, len(self.page_list)))
        self.page_list[pos:pos] = new
        self._refresh_pages(run)
        if new:
            self.pages.setCurrentRow(pos)

    def _refresh_pages(self, run: bool = True) -> None:
        self.result = None
        self.form_button.setEnabled(False)
        current = max(self.pages.currentRow(), 0)
        self.pages.clear()
        self.blank_note.clear()
        self.attach_note.setVisible(False)
        for n, _ in enumerate(self.page_list, 1):
            item = QListWidgetItem(tr("Trang {n}").format(n=n))
            item.setData(Qt.UserRole, n)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)
            self.pages.addItem(item)
        self.status.setText(tr("{n} trang.").format(n=len(self.page_list)))
        for b in self.tool_buttons.values():
            b.setEnabled(bool(self.page_list))
        if run and self.page_list:
            self.read()
        self.thumbs_op = None
        if self.page_list:      # drawn off the UI thread, after the reading has started
            pages = list(self.page_list)
            self.thumbs_op = Op(self, self.session, thumbnails, pages, store=False, label="").success(
                lambda images: self._show_thumbnails(pages, images))
            self.thumbs_op.run()
        if self.page_list:
            self.pages.setCurrentRow(min(current, len(self.page_list) - 1))

    def _show_thumbnails(self, pages, images) -> None:
        if pages != self.page_list:
            return          # the pages changed meanwhile: newer thumbnails are on their way
        for row, img in enumerate(images):
            if img is not None and row < self.pages.count():
                self.pages.item(row).setIcon(QIcon(QPixmap.fromImage(img)))

    def _show_big(self, row: int) -> None:
        if 0 <= row < len(self.page_list):
            path, i, rot = self.page_list[row]
            self.big.set_source(path, i, rot)

    def page_tool(self, name: str) -> None:
        """Rotate, move, delete the selected page, or scan one to insert after it; the document
        is then read again in its new order."""
        row = self.pages.currentRow()
        if not 0 <= row < len(self.page_list):
            return
        if name == "insert":
            self._insert_at = row + 1
            self.scan()
            return
        pages = self.page_list
        if name in ("left", "right"):
            path, i, rot = pages[row]
            pages[row] = (path, i, (rot + (270 if name == "left" else 90)) % 360)
        elif name == "up" and row > 0:
            pages[row - 1], pages[row] = pages[row], pages[row - 1]
            row -= 1
        elif name == "down" and row + 1 < len(pages):
            pages[row + 1], pages[row] = pages[row], pages[row + 1]
            row += 1
        elif name == "delete":
            del pages[row]
            row = min(row, len(pages) - 1)
        else:
            return
        if self.worker is not None:         # read again once the current reading has stopped
            self._reread = True
            self.worker.cancel()
            self._refresh_pages(run=False)
        else:
            self._refresh_pages(run=True)
        if pages:
            self.pages.setCurrentRow(row)

    def inputs(self) -> list[Path]:
        """What the pipeline reads (see document_inputs; the dialog reads on a worker thread)."""
        return document_inputs(self.page_list, self.scan_dir)

    def read(self) -> Worker:
        out = self.scan_dir / "document.pdf"
        w = Worker(read_document, list(self.page_list), self.scan_dir, out_pdf=out, label=tr("Nhận dạng chữ"),
                   on_page=guard(self.bridge, lambda info: emit(self.bridge.page, info)),
                   on_fields=guard(self.bridge, lambda f, final: emit(self.bridge.fields, f, final)))
        w.signals.finished.connect(self._read_done)
        w.signals.failed.connect(self._failed)
        self._run(w, tr("Đang nhận dạng chữ…"))
        return w

    def _run(self, worker: Worker, text: str) -> None:
        self.worker = worker
        self.status.setText(text)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        for b in (self.scan_button, self.open_button):
            b.setEnabled(False)
        worker.signals.progress.connect(self._progress)
        worker.signals.cancelled.connect(guard(self, lambda: self.status.setText(tr("Đã dừng."))))
        worker.signals.done.connect(self._idle)
        self.session.jobs.start(worker)
        status_bar = getattr(self.parent(), "status", None)
        if status_bar is not None and hasattr(status_bar, "track"):
            status_bar.track(worker)

    def _progress(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.status.setText(tr("Đã đọc {d}/{t} trang…").format(d=done, t=total))

    def _idle(self) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        for b in (self.scan_button, self.open_button):
            b.setEnabled(True)
        if self._scanned:
            files, self._scanned = self._scanned, []
            at, self._insert_at = self._insert_at, None
            self.add_files(files, at=at)
        elif self._reread:
            self._reread = False
            if self.page_list:
                self.read()
        elif self._kept_after_error:
            files, self._kept_after_error = self._kept_after_error, []
            self.add_files(files, run=False)
            self.status.setText(tr("Đã giữ {n} trang quét được trước khi máy báo lỗi.").format(n=len(files)))

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(tr("Đang dừng…"))

    def _on_page(self, info) -> None:
        item = self.pages.item(info.number - 1)
        if item is None:
            return
        if info.blank:
            item.setText(tr("Trang {n} — trắng?").format(n=info.number))
            item.setBackground(QBrush(QColor("#fde2e1")))
            item.setCheckState(Qt.Unchecked)
            item.setToolTip(tr("Trang này có vẻ trắng: bỏ chọn để loại khỏi bản số hóa, chọn lại để giữ."))
        else:
            item.setToolTip(tr("Độ tin cậy nhận dạng: {c:.0%}").format(c=info.confidence))

    def _on_fields(self, fields: dict, final: bool) -> None:
        self.fields = fields
        if not final and self.result is None:
            self.status.setText(tr("Đã có gợi ý từ trang đầu; đang đọc các trang còn lại…"))
            self.form_button.setText(tr("Mở biểu mẫu ngay (vẫn đọc tiếp)"))
            self.form_button.setEnabled(True)

    def _read_done(self, result) -> None:
        self.result = result
        self.form_button.setText(tr("Đăng ký văn bản này…"))
        self.fields = result.fields
        blank = result.blank_pages
        self.blank_note.setText(
            tr("Trang {p} có vẻ trắng và đã được bỏ chọn. Xem lại rồi chọn lại nếu cần giữ.").format(
                p=", ".join(map(str, blank))) if blank else "")
        self.status.setText(tr("Đã đọc xong {n} trang.").format(n=len(result.pages)))
        self.form_button.setEnabled(True)
        if result.pdf:
            from .entry_form import attachment_text
            role = "original" if result.kept_original or self.kind != "incoming" else "scan"
            self.attach_note.setText(attachment_text([(Path(result.pdf), role)]))
            self.attach_note.setVisible(True)

    def _failed(self, exc, tb) -> None:
        self.status.setText(tr("Không thực hiện được."))
        show_error(self, exc, tb, modal=False)

    def _preview(self, item) -> None:
        if self.result and self.result.pdf:
            from .viewer import open_viewer
            dlg = open_viewer(self, self.result.pdf, tr("Bản số hóa"))
            if dlg:
                dlg.viewer.show_page(int(item_data(item)) - 1)

    def dropped_pages(self) -> list[int]:
        return [item_data(self.pages.item(i)) for i in range(self.pages.count())
                if self.pages.item(i).checkState() != Qt.Checked]

    # -- on to the form ------------------------------------------------------------------
    def _pages_to_drop(self) -> list[int]:
        """The pages the clerk unchecked, when they are to be left out of the stored PDF."""
        result, drop = self.result, self.dropped_pages()
        if result and result.pdf and drop and not result.kept_original and len(drop) < self.pages.count():
            return drop
        return []

    def prepared(self, kept: Path | None = None) -> tuple[dict, list, list, dict]:
        """(form values, uncertain names, attachments, extra input) for the registration form;
        `kept`: the PDF without the unchecked pages, already written (else written here)."""
        result = self.result
        values, uncertain = suggested(self.fields)
        pdf = Path(result.pdf) if result and result.pdf else None
        drop = self._pages_to_drop()
        if drop:
            pdf = kept or drop_pages(pdf, drop, self.scan_dir / "document-kept.pdf")
            values["pages"] = self.pages.count() - len(drop)
        role = "original" if (result and result.kept_original) or self.kind != "incoming" else "scan"
        if self.kind != "incoming":   # the register gives the number; the rest is suggested
            for key in ("number", "reference"):
                values.pop(key, None)
            uncertain = [k for k in uncertain if k not in ("number", "reference")]
        attachments = [(pdf, role)] if pdf else []
        extra = {"text": result.text} if result and result.text else {}
        if result is not None and self.kind == "incoming":
            # the form registers through app.workflows.intake.register_read_document
            import dataclasses
            extra["_result"] = dataclasses.replace(result, pdf=pdf, fields=dict(self.fields))
        if self.fields.get("boxes"):
            extra["_boxes"] = dict(self.fields["boxes"])
        return values, uncertain, attachments, extra

    def to_form(self) -> None:
        if self.result is None:
            if self.fields and self.worker is not None:
                self.early_form()
            return
        drop = self._pages_to_drop()
        if drop:        # the PDF without the unchecked pages is written off the UI thread
            Op(self, self.session, drop_pages, Path(self.result.pdf), drop, self.scan_dir / "document-kept.pdf",
               store=False, label="").success(self._open_form).run()
            return
        self._open_form(None)

    def _open_form(self, kept: Path | None) -> None:
        values, uncertain, attachments, extra = self.prepared(kept)
        emit(self.form_requested, values, uncertain, attachments, extra)
        self.accept()

    def early_form(self) -> None:
        """Open the form with page 1's suggestions while the other pages are still read: the
        page view shows the first page as given; registering waits for the stored PDF."""
        values, uncertain = suggested(self.fields)
        first = self.page_list[0][0] if self.page_list else None
        extra = {"_pending": self, "_preview": first}
        if self.fields.get("boxes"):
            extra["_boxes"] = dict(self.fields["boxes"])
        self.worker.signals.finished.connect(lambda result: emit(self.reading_done, result))
        self.hide()                     # keeps reading; closed once the form has what it needs
        emit(self.form_requested, values, uncertain, [], extra)

    def done(self, code) -> None:
        if self.worker is not None:
            self.worker.cancel()
        super().done(code)
