"""The scanned page beside the registration form: a large view of one page of the PDF to be
stored, with the words a suggestion was read from highlighted (app.scan's `fields["boxes"]`:
{field: {"page": 1-based, "box": [x0, y0, x1, y1] as fractions of the page}}). Pages are
rendered off the UI thread."""
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from .i18n import tr
from .qtfix import guard
from .workers import Worker

RENDER_WIDTH = 1100         # pixels of a rendered page (about 130 dpi for A4)


def render(path: str, index: int, width: int = RENDER_WIDTH, rotation: int = 0) -> tuple[QImage, int]:
    """(page `index` of `path` turned by `rotation` degrees as an image about `width` pixels
    wide, the page count) — worker thread."""
    import pymupdf

    from .viewer import open_document
    doc = open_document(path)
    try:
        index = max(0, min(index, len(doc) - 1))
        page = doc[index]
        zoom = width / max(page.rect.width if rotation % 180 == 0 else page.rect.height, 1)
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom).prerotate(rotation), alpha=False)
        img = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format_RGB888).copy()
        return img, len(doc)
    finally:
        doc.close()


class PageView(QWidget):
    page_changed = Signal(int)

    def __init__(self, session, path, boxes: dict | None = None, parent=None, single: bool = False):
        super().__init__(parent)
        self.setObjectName("pageView")
        self.session, self.path = session, str(path) if path else None
        self.rotation = 0
        self.single = single     # one page of a bigger list (the intake strip): no page buttons
        self.boxes = dict(boxes or {})
        self.index, self.count = 0, 0
        self.field: str | None = None
        self.image: QImage | None = None
        self.picture = QLabel(tr("Đang hiển thị trang…"))
        self.picture.setObjectName("pageImage")
        self.picture.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.picture.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.picture)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip(tr("Trang trước (Page Up)"))
        self.prev_button.clicked.connect(lambda: self.show_page(self.index - 1))
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(tr("Trang sau (Page Down)"))
        self.next_button.clicked.connect(lambda: self.show_page(self.index + 1))
        self.label = QLabel()
        self.label.setObjectName("pageLabel")
        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.label, 1, Qt.AlignCenter)
        bar.addWidget(self.next_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        if not single:
            lay.addLayout(bar)
        lay.addWidget(self.scroll, 1)
        self.worker: Worker | None = None
        if self.path:
            self.show_page(0)

    def set_source(self, path, index: int, rotation: int = 0) -> Worker | None:
        """Show page `index` of `path`, turned by `rotation` degrees."""
        self.path, self.rotation, self.count = str(path), rotation % 360, 0
        return self.show_page(index)

    def show_page(self, index: int) -> Worker | None:
        if self.count and not 0 <= index < self.count:
            return None
        self.index = max(index, 0)
        if not self.path:
            return None
        w = Worker(render, self.path, self.index, RENDER_WIDTH, self.rotation, pass_control=False, label="")
        w.signals.finished.connect(guard(self, self._rendered))
        self.worker = w
        return self.session.jobs.start(w)

    def _rendered(self, result) -> None:
        self.image, self.count = result
        self.label.setText(tr("Trang {n}/{t}").format(n=self.index + 1, t=self.count))
        self.prev_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index + 1 < self.count)
        self._paint()

    def highlight(self, field: str | None) -> None:
        """Show where `field` was read (turning to its page), or no highlight."""
        self.field = field
        box = self.boxes.get(field) if field else None
        if box and box.get("page") and box["page"] - 1 != self.index:
            self.show_page(box["page"] - 1)
            return
        self._paint()

    def highlighted_rect(self) -> QRectF | None:
        """The highlight in image pixels, if one is drawn on the page shown."""
        box = self.boxes.get(self.field) if self.field else None
        if not box or self.image is None or box.get("page", 1) - 1 != self.index:
            return None
        x0, y0, x1, y1 = box["box"]
        w, h = self.image.width(), self.image.height()
        return QRectF(x0 * w - 4, y0 * h - 4, (x1 - x0) * w + 8, (y1 - y0) * h + 8)

    def _paint(self) -> None:
        if self.image is None:
            return
        pm = QPixmap.fromImage(self.image)
        rect = self.highlighted_rect()
        if rect is not None:
            p = QPainter(pm)
            p.setRenderHint(QPainter.Antialiasing)
            p.setPen(QPen(QColor("#d93025"), 3))
            p.setBrush(QColor(255, 235, 59, 70))
            p.drawRoundedRect(rect, 6, 6)
            p.end()
        avail = max(self.scroll.viewport().width() - 4, 200)
        if pm.width() > avail:
            pm = pm.scaledToWidth(avail, Qt.SmoothTransformation)
        self.picture.setPixmap(pm)
        if rect is not None:
            scale = pm.width() / self.image.width()
            self.scroll.ensureVisible(int(rect.center().x() * scale), int(rect.center().y() * scale), 50, 120)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._paint()
