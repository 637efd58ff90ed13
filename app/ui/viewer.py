"""Document viewer: pages rendered with PyMuPDF into QImage (QtPdf does not draw signature
appearances), zoom, page thumbnails and a signatures panel."""
import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget)

from ..errors import ValidationError
from . import integrations
from .i18n import tr

log = logging.getLogger(__name__)

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
THUMB_WIDTH = 110


def open_document(path):
    import fitz  # PyMuPDF, imported lazily
    try:
        return fitz.open(str(path))
    except Exception as exc:
        raise ValidationError(tr("Không mở được tệp {p}: tệp hỏng hoặc không phải PDF/ảnh.").format(
            p=Path(path).name), str(exc)) from exc


def render_page(doc, index: int, zoom: float) -> QImage:
    """One page as an opaque RGB image at `zoom` × 72 dpi."""
    import fitz
    page = doc[index]
    pix = page.get_pixmap(matrix=fitz.Matrix(zoom, zoom), alpha=False)
    img = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format_RGB888)
    return img.copy()  # own the pixels: `pix` is freed when this function returns


def signatures_of(path) -> list[dict] | None:
    """Signature verdicts from the signing area, or None when it is not available."""
    verify = integrations.module("sign.verify")
    if verify is None:
        return None
    for name in ("verify_pdf", "verify_file", "verify"):
        fn = getattr(verify, name, None)
        if fn:
            try:
                result = fn(path)
            except Exception as exc:
                log.info("verification failed: %s", exc)
                return [{"ok": False, "summary": tr("Không kiểm tra được chữ ký: {e}").format(e=exc)}]
            items = getattr(result, "signatures", result)
            out = []
            for s in items or []:
                d = s.to_dict() if hasattr(s, "to_dict") else dict(s) if isinstance(s, dict) else vars(s)
                out.append(d)
            return out
    return None


class DocumentViewer(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("documentViewer")
        self.doc = None
        self.path = None
        self.page = 0
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

    def load(self, path, verify: bool = True) -> None:
        self.doc = open_document(path)
        self.path = Path(path)
        self.thumbs.clear()
        for i in range(len(self.doc)):
            img = render_page(self.doc, i, THUMB_WIDTH / max(self.doc[i].rect.width, 1))
            item = QListWidgetItem(QIcon(QPixmap.fromImage(img)), str(i + 1))
            self.thumbs.addItem(item)
        self.page = -1
        self.show_page(0)
        self.signatures.clear()
        if verify:
            self.show_signatures(signatures_of(self.path))

    def show_signatures(self, sigs) -> None:
        self.signatures.clear()
        if sigs is None:
            self.signatures.addItem(tr("Chưa kiểm tra được chữ ký: phần ký số chưa có trong phiên bản này."))
            return
        if not sigs:
            self.signatures.addItem(tr("Tệp không có chữ ký số."))
            return
        for s in sigs:
            ok = s.get("ok", s.get("valid"))
            who = s.get("signer") or s.get("subject") or s.get("name") or ""
            when = s.get("signed_at") or s.get("time") or ""
            text = s.get("summary") or s.get("message") or ""
            mark = "✔" if ok else "✘"
            item = QListWidgetItem(f"{mark} {who}\n{when}\n{text}".strip())
            item.setForeground(Qt.darkGreen if ok else Qt.darkRed)
            self.signatures.addItem(item)

    def page_count(self) -> int:
        return len(self.doc) if self.doc is not None else 0

    def show_page(self, index: int) -> None:
        if self.doc is None or not 0 <= index < len(self.doc) or index == self.page:
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
        if self.doc is None:
            return
        img = render_page(self.doc, self.page, self.zoom * self.devicePixelRatioF())
        pm = QPixmap.fromImage(img)
        pm.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(pm)
        self.page_label.setText(tr("Trang {p}/{n}").format(p=self.page + 1, n=len(self.doc)))
        self.zoom_label.setText(f"{int(self.zoom * 100)} %")


class ViewerDialog(QDialog):
    def __init__(self, path, title: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(title or Path(path).name)
        self.viewer = DocumentViewer(self)
        self.viewer.load(path)
        lay = QVBoxLayout(self)
        lay.addWidget(self.viewer)
        self.resize(1000, 800)


def open_viewer(parent, path, title: str = "") -> ViewerDialog | None:
    from .messages import show_error
    try:
        dlg = ViewerDialog(path, title, parent)
    except ValidationError as exc:
        show_error(parent, exc)
        return None
    dlg.setAttribute(Qt.WA_DeleteOnClose)
    dlg.show()
    return dlg
