"""Document viewer: pages rendered with PyMuPDF into QImage (QtPdf does not draw signature
appearances), zoom, page thumbnails and a signatures panel."""
import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..errors import ValidationError
from . import formatting as fmt
from .i18n import N_, tr
from .qtfix import guard

log = logging.getLogger(__name__)

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
THUMB_WIDTH = 110


def open_document(path):
    import pymupdf  # imported lazily
    try:
        return pymupdf.open(str(path))
    except Exception as exc:
        raise ValidationError(tr("Không mở được tệp {p}: tệp hỏng hoặc không phải PDF/ảnh.").format(
            p=Path(path).name), str(exc)) from exc


def render_page(doc, index: int, zoom: float) -> QImage:
    """One page as an opaque RGB image at `zoom` × 72 dpi."""
    import pymupdf
    page = doc[index]
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    img = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format_RGB888)
    return img.copy()  # own the pixels: `pix` is freed when this function returns


def read_document(path, thumb_width: int = THUMB_WIDTH) -> list[QImage]:
    """Worker thread: a thumbnail of every page (QImages; the view makes the pixmaps)."""
    doc = open_document(path)
    try:
        return [render_page(doc, i, thumb_width / max(doc[i].rect.width, 1)) for i in range(len(doc))]
    finally:
        doc.close()


def render_one(path, index: int, zoom: float) -> QImage:
    """Worker thread: page `index` of `path` at `zoom` × 72 dpi."""
    doc = open_document(path)
    try:
        return render_page(doc, index, zoom)
    finally:
        doc.close()


SIG_VERDICTS = {"valid": N_("hợp lệ"), "warning": N_("hợp lệ, có cảnh báo"), "invalid": N_("KHÔNG hợp lệ"),
                "unsigned": N_("không có chữ ký số")}
SIG_KINDS = {"organization": N_("Chữ ký cơ quan"), "personal": N_("Chữ ký cá nhân")}


def signatures_of(path, roots=()) -> dict | None:
    """The signing part's verdict on `path` as {verdict, summary, signatures: [...]}."""
    from ..sign import verify
    try:
        report = verify.verify_pdf(path, extra_roots=roots)
    except Exception as exc:
        log.info("verification failed: %s", exc)
        return {"verdict": "invalid", "summary": tr("Không kiểm tra được chữ ký: {e}").format(
            e=getattr(exc, "message", str(exc))), "signatures": []}
    return {"verdict": report.verdict, "summary": report.summary(),
            "signatures": [s.to_dict() for s in report.signatures]}


class DocumentViewer(QWidget):
    def __init__(self, parent=None, signatures: bool = True):
        super().__init__(parent)
        self.setObjectName("documentViewer")
        self.count = 0
        self.path = None
        self.page = 0
        self.wanted = 0                 # the page to show once the document is read
        self.loading = False
        self._render_worker = None
        self._rendering: tuple | None = None
        self.zoom = 1.0
        self.thumbs = QListWidget()
        self.thumbs.setObjectName("thumbnails")
        self.thumbs.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.414)))
        self.thumbs.setMaximumWidth(THUMB_WIDTH + 40)
        self.thumbs.currentRowChanged.connect(self.show_page)
        self.image = QLabel()
        self.image.setObjectName("pageImage")
        self.image.setAlignment(Qt.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image)
        self.scroll.setWidgetResizable(True)
        self.scroll.setStyleSheet("background: #5f6368;")
        self.signatures = QListWidget()
        self.signatures.setObjectName("signaturesPanel")
        self.signatures.setWordWrap(True)
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(QLabel(tr("Chữ ký số")))
        sl.addWidget(self.signatures)
        side.setMaximumWidth(300)
        side.setVisible(signatures)
        self.page_label = QLabel()
        self.zoom_label = QLabel()
        zin = QPushButton(tr("Phóng to (Ctrl++)"))
        zout = QPushButton(tr("Thu nhỏ (Ctrl+-)"))
        zin.clicked.connect(lambda: self.step_zoom(1))
        zout.clicked.connect(lambda: self.step_zoom(-1))
        for seq, fn in (("Ctrl++", lambda: self.step_zoom(1)), ("Ctrl+=", lambda: self.step_zoom(1)),
                        ("Ctrl+-", lambda: self.step_zoom(-1)), ("PgDown", lambda: self.show_page(self.page + 1)),
                        ("PgUp", lambda: self.show_page(self.page - 1))):
            QShortcut(QKeySequence(seq), self, activated=fn)
        bar = QHBoxLayout()
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        bar.addWidget(zout)
        bar.addWidget(self.zoom_label)
        bar.addWidget(zin)
        split = QSplitter()
        split.addWidget(self.thumbs)
        split.addWidget(self.scroll)
        split.addWidget(side)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split, 1)

    def load(self, path, verify: bool = True):
        """Open `path`: its pages are read and drawn off the UI thread ("Đang mở tệp…" until
        then); a file that cannot be read says so in the view."""
        from PySide6.QtCore import QThreadPool

        from .workers import Worker
        self.path = Path(path)
        self.count, self.page, self.wanted, self.loading = 0, -1, 0, True
        self.thumbs.clear()
        self.image.clear()
        self.image.setText(tr("Đang mở tệp…"))
        self.page_label.clear()
        self.signatures.clear()
        w = Worker(read_document, self.path, pass_control=False)
        w.signals.finished.connect(guard(self, lambda thumbs, p=self.path: self._read(p, thumbs)))
        w.signals.failed.connect(guard(self, lambda exc, tb, p=self.path: self._unreadable(p, exc)))
        self._load_worker = w
        QThreadPool.globalInstance().start(w)
        if verify:
            self.verify_in_background()
        return w

    def _read(self, path, thumbs) -> None:
        if path != self.path:
            return
        self.loading = False
        self.count = len(thumbs)
        for i, img in enumerate(thumbs):
            self.thumbs.addItem(QListWidgetItem(QIcon(QPixmap.fromImage(img)), str(i + 1)))
        self.show_page(min(self.wanted, max(self.count - 1, 0)))

    def _unreadable(self, path, exc) -> None:
        if path != self.path:
            return
        self.loading = False
        self.image.setText(getattr(exc, "message", None) or tr("Không mở được tệp."))

    def is_ready(self) -> bool:
        """The document is read and the page shown is drawn."""
        return not self.loading and self._rendering is None

    def verify_in_background(self):
        """Check the signatures on a worker thread (pyhanko takes a moment the first time)."""
        from PySide6.QtCore import QThreadPool

        from .workers import Worker
        self.signatures.clear()
        self.signatures.addItem(tr("Đang kiểm tra chữ ký số…"))
        w = Worker(signatures_of, self.path, pass_control=False)
        w.signals.finished.connect(self.show_signatures)
        w.signals.failed.connect(guard(self, lambda exc, tb: self.show_signatures(
            {"verdict": "invalid", "summary": tr("Không kiểm tra được chữ ký: {e}").format(e=exc), "signatures": []})))
        self._verify_worker = w
        QThreadPool.globalInstance().start(w)
        return w

    def show_signatures(self, result) -> None:
        self.signatures.clear()
        if result is None:
            self.signatures.addItem(tr("Chưa kiểm tra được chữ ký: phần ký số chưa có trong phiên bản này."))
            return
        head = QListWidgetItem(result["summary"])
        ok = result["verdict"] == "valid"
        head.setForeground(Qt.darkGreen if ok else (Qt.darkGray if result["verdict"] == "unsigned" else Qt.darkRed))
        f = head.font()
        f.setBold(True)
        head.setFont(f)
        self.signatures.addItem(head)
        for s in result["signatures"]:
            signer = s.get("signer") or {}
            who = signer.get("subject") or s.get("signer_subject") or ""
            kind = tr(SIG_KINDS.get(s.get("kind"), "")) if s.get("kind") in SIG_KINDS else ""
            verdict = tr(SIG_VERDICTS.get(s.get("verdict"), s.get("verdict") or ""))
            lines = [f"{'✔' if s.get('verdict') == 'valid' else '✘'} {kind}: {who}", verdict]
            if s.get("signing_time"):
                lines.append(tr("Ký lúc {t}").format(t=fmt.vn_datetime(s["signing_time"])))
            lines += [f"⚠ {p}" for p in s.get("problems") or []]
            item = QListWidgetItem("\n".join(x for x in lines if x))
            item.setForeground(Qt.darkGreen if s.get("verdict") == "valid" else Qt.darkRed)
            self.signatures.addItem(item)

    def page_count(self) -> int:
        return self.count

    def show_page(self, index: int) -> None:
        if self.loading:
            self.wanted = index
            return
        if not 0 <= index < self.count or index == self.page:
            return
        self.page = index
        self._render()
        if self.thumbs.currentRow() != index:
            self.thumbs.setCurrentRow(index)

    def step_zoom(self, step: int) -> None:
        i = min(range(len(ZOOMS)), key=lambda k: abs(ZOOMS[k] - self.zoom))
        self.zoom = ZOOMS[max(0, min(len(ZOOMS) - 1, i + step))]
        self._render()

    def _render(self) -> None:
        """Draw the page at the zoom off the UI thread; the newest request wins."""
        from PySide6.QtCore import QThreadPool

        from .workers import Worker
        if not self.count or self.path is None:
            return
        ratio = self.devicePixelRatioF()
        key = (self.path, self.page, self.zoom * ratio)
        self._rendering = key
        w = Worker(render_one, self.path, self.page, self.zoom * ratio, pass_control=False)
        w.signals.finished.connect(guard(self, lambda img, k=key: self._rendered(k, img, ratio)))
        w.signals.failed.connect(guard(self, lambda exc, tb, k=key: self._rendered(k, None, ratio)))
        self._render_worker = w
        QThreadPool.globalInstance().start(w)

    def _rendered(self, key, img, ratio: float) -> None:
        if key != self._rendering:
            return
        self._rendering = None
        if img is not None:
            pm = QPixmap.fromImage(img)
            pm.setDevicePixelRatio(ratio)
            self.image.setPixmap(pm)
        self.page_label.setText(tr("Trang {p}/{n}").format(p=self.page + 1, n=self.count))
        self.zoom_label.setText(f"{int(self.zoom * 100)} %")


class ViewerDialog(QDialog):
    """A document in its own window; read off the UI thread (viewer.is_ready())."""

    def __init__(self, path, title: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(title or Path(path).name)
        self.viewer = DocumentViewer(self)
        self.viewer.load(path)
        lay = QVBoxLayout(self)
        lay.addWidget(self.viewer)
        self.resize(1000, 800)


def open_viewer(parent, path, title: str = "") -> ViewerDialog | None:
    """Show `path` in a viewer window (a file that cannot be read says so there)."""
    dlg = ViewerDialog(path, title, parent)
    dlg.setAttribute(Qt.WA_DeleteOnClose)
    dlg.show()
    return dlg
