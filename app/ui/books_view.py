"""Sổ và in sổ: choose the book, register, year and quarter → the book is laid out by
app.reports on a worker thread → preview → print through the system dialog (QPrinter) or
save as PDF."""
import logging
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..domain import clock
from ..workflows import queries
from .i18n import N_, tr
from .messages import show_error
from .ops import Op, read
from .qtfix import current_data, guard
from .viewer import DocumentViewer
from .workers import Worker

log = logging.getLogger(__name__)

BOOKS = (("incoming", N_("Sổ đăng ký văn bản đến")), ("outgoing", N_("Sổ đăng ký văn bản đi")),
         ("followup", N_("Sổ theo dõi giải quyết văn bản đến")), ("postal", N_("Sổ gửi văn bản đi bưu điện")))
PERIODS = ((1, N_("Quý I")), (2, N_("Quý II")), (3, N_("Quý III")), (4, N_("Quý IV")), (None, N_("Cả năm (quyển đóng)")))
PRINT_DPI = 300
# the kind of register each book's rows come from (app.reports.forms.FORMS[...].register_kind),
# repeated here so that opening the window does not load the reports' libraries
REGISTER_KIND = {"incoming": "incoming", "outgoing": "outgoing", "followup": "incoming", "postal": "outgoing"}


def print_pdf(pdf: Path, printer, progress=None, cancelled=None) -> int:
    """Paint every page of `pdf` on `printer` (rendered by PyMuPDF at the printer's resolution,
    capped at PRINT_DPI), landscape pages kept whole. Returns the number of pages printed."""
    from .viewer import open_document, render_page
    doc = open_document(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("cannot start printing")
    try:
        n = len(doc)
        dpi = min(printer.resolution(), PRINT_DPI)
        for i in range(n):
            if cancelled and cancelled():
                break
            if i:
                printer.newPage()
            img = render_page(doc, i, dpi / 72)
            target = painter.viewport()
            scaled = img.size().scaled(target.size(), Qt.KeepAspectRatio)
            painter.drawImage(QRect(target.x(), target.y(), scaled.width(), scaled.height()), img)
            if progress:
                progress(i + 1, n)
        return n
    finally:
        painter.end()
        doc.close()


def copy_pdf(src: Path, dest) -> Path:
    """Copy the built book to `dest` (".pdf" added when missing)."""
    dest = Path(dest)
    if dest.suffix.lower() != ".pdf":
        dest = dest.with_suffix(".pdf")
    shutil.copyfile(src, dest)
    return dest


class BooksView(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("booksView")
        self.result = None
        self.worker = None
        self.tmp = Path(tempfile.mkdtemp(prefix="vanthu-ui-books-"))
        self.book = QComboBox()
        self.book.setObjectName("bookKind")
        for kind, label in BOOKS:
            self.book.addItem(tr(label), kind)
        self.register = QComboBox()
        self.register.setObjectName("bookRegister")
        self.year = QSpinBox()
        self.year.setObjectName("bookYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.period = QComboBox()
        self.period.setObjectName("bookPeriod")
        for q, label in PERIODS:
            self.period.addItem(tr(label), q)
        self.period.setCurrentIndex((clock.today().month - 1) // 3)
        self.preview_button = QPushButton(tr("Xem trước"))
        self.preview_button.setObjectName("bookPreview")
        self.preview_button.clicked.connect(self.build)
        self.print_button = QPushButton(tr("In… (Ctrl+P)"))
        self.print_button.setObjectName("bookPrint")
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button = QPushButton(tr("Lưu PDF…"))
        self.save_button.setObjectName("bookSave")
        self.save_button.clicked.connect(self.save_dialog)
        self.cancel_button = QPushButton(tr("Dừng"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(lambda: self.worker and self.worker.cancel())
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setMaximumWidth(200)
        self.info = QLabel(tr("Chọn sổ, năm và quý rồi bấm «Xem trước»."))
        self.info.setObjectName("bookInfo")
        self.info.setWordWrap(True)
        row = QHBoxLayout()
        for w in (QLabel(tr("Sổ")), self.book, self.register, QLabel(tr("Năm")), self.year, self.period,
                  self.preview_button, self.progress, self.cancel_button):
            row.addWidget(w)
        row.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(self.info, 1)
        row2.addWidget(self.print_button)
        row2.addWidget(self.save_button)
        self.viewer = DocumentViewer(self, signatures=False)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addLayout(row2)
        lay.addWidget(self.viewer, 1)
        self.book.currentIndexChanged.connect(self._fill_registers)
        session.on_change(self._fill_registers, "registers")
        self._fill_registers()
        self._enable(False)

    def _enable(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def _fill_registers(self):
        """The registers of the chosen book's kind, read off the UI thread."""
        kind = REGISTER_KIND.get(current_data(self.book), "incoming")
        op = read(self, self.session, queries.registers_of, kind).success(
            lambda regs: self._show_registers(kind, regs))
        op.run()
        return op

    def _show_registers(self, kind: str, registers) -> None:
        if REGISTER_KIND.get(current_data(self.book), "incoming") != kind:
            return      # the clerk chose another book meanwhile
        chosen = current_data(self.register)
        self.register.clear()
        for reg in registers:
            self.register.addItem(reg.title, reg.code)
        if chosen is not None and self.register.findData(chosen) >= 0:
            self.register.setCurrentIndex(self.register.findData(chosen))

    def build(self) -> Worker | None:
        """Lay out the book through the books workflow (as `vanthu book`), off the UI thread."""
        from ..workflows import books
        if self.worker is not None:
            return None
        out = self.tmp / f"so-{current_data(self.book)}-{self.year.value()}-{current_data(self.period) or 'nam'}.pdf"
        op = Op(self, self.session, books.print_book, self.session.settings, current_data(self.book),
                register=current_data(self.register), year=self.year.value(), quarter=current_data(self.period),
                out=out, control=True, label=tr("Lập sổ"))
        op.success(self._built).failure(lambda exc: (show_error(self, exc, modal=False), True)[1]) \
            .cancelled(lambda: self.info.setText(tr("Đã dừng."))).progress(self._progress)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.preview_button.setEnabled(False)
        self.info.setText(tr("Đang lập sổ…"))
        w = op.run()
        self.worker = w
        w.signals.done.connect(guard(self, self._done))
        return w

    def _progress(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _done(self) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.preview_button.setEnabled(True)

    def _built(self, result) -> None:
        self.result = result
        self.viewer.load(result.path, verify=False)
        self.info.setText(tr("{label}: {n} văn bản, {p} tờ (trang {a}–{b}).").format(
            label=result.label, n=result.entries, p=result.pages, a=result.first_page, b=result.last_page))
        self._enable(True)

    def save_to(self, dest) -> Path:
        return copy_pdf(self.result.path, dest)

    def save_dialog(self) -> None:
        if not self.result:
            return
        name, _ = QFileDialog.getSaveFileName(self, tr("Lưu sổ thành PDF"), str(Path.home() / self.result.path.name),
                                              tr("Tệp PDF (*.pdf)"))
        if name:       # copied off the UI thread (a year's book is tens of megabytes)
            def failed(exc) -> bool:
                from ..errors import StorageError
                if not isinstance(exc, OSError):
                    return False
                show_error(self, StorageError(tr("Không lưu được tệp {p}.").format(p=name), str(exc)))
                return True
            Op(self, self.session, copy_pdf, self.result.path, name, store=False, label=tr("Lưu sổ")) \
                .success(lambda dest: self.info.setText(tr("Đã lưu {p}.").format(p=dest))).failure(failed).run()

    def make_printer(self):
        from PySide6.QtGui import QPageLayout, QPageSize
        from PySide6.QtPrintSupport import QPrinter
        printer = QPrinter(QPrinter.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.A4))
        printer.setPageOrientation(QPageLayout.Landscape if current_data(self.book) != "slip" else QPageLayout.Portrait)
        printer.setFullPage(True)
        printer.setDocName(self.result.path.name if self.result else "vanthu")
        return printer

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog
        if not self.result:
            return
        printer = self.make_printer()
        dlg = QPrintDialog(printer, self)
        dlg.setWindowTitle(tr("In sổ"))
        if dlg.exec() == QPrintDialog.Accepted:
            self.print_job(printer)

    def print_job(self, printer) -> Op:
        """Paint the book on `printer` off the UI thread (QPainter may paint on a QPrinter in a
        worker thread); the page count in the info line when done."""
        self.info.setText(tr("Đang in…"))
        op = Op(self, self.session, print_pdf, self.result.path, printer, store=False, control=True,
                label=tr("In sổ")).progress(self._progress) \
            .success(lambda n: self.info.setText(tr("Đã gửi {n} trang tới máy in.").format(n=n))) \
            .failure(lambda exc: (show_error(self, exc), True)[1])
        op.run()
        return op
