"""Showing errors to the clerk: the Vietnamese message, and a "Sao chép chi tiết" button that
copies the technical detail (for the administrator) to the clipboard."""
import logging
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
)

from ..errors import VanthuError
from .i18n import tr

log = logging.getLogger(__name__)


def describe(exc: BaseException, tb: str | None = None) -> tuple[str, str]:
    """(message for the clerk, detail for the log and the clipboard)."""
    if isinstance(exc, VanthuError):
        detail = f"{type(exc).__name__}: {exc.message}\n{exc.detail or ''}".strip()
        return exc.message, detail
    detail = tb or "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return tr("Đã xảy ra lỗi không mong đợi. Hãy sao chép chi tiết và gửi cho quản trị viên."), detail


class ErrorDialog(QDialog):
    def __init__(self, message: str, detail: str = "", title: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title or tr("Không thực hiện được"))
        self.setObjectName("errorDialog")
        self.detail = detail
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.SP_MessageBoxWarning).pixmap(40, 40))
        icon.setAlignment(Qt.AlignTop)
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message_label.setMinimumWidth(460)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message_label, 1)
        self.detail_view = QPlainTextEdit(detail)
        self.detail_view.setReadOnly(True)
        self.detail_view.setVisible(False)
        self.detail_view.setMinimumHeight(140)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(tr("Sao chép chi tiết"))
        self.copy_button.setEnabled(bool(detail))
        self.copy_button.clicked.connect(self.copy_detail)
        self.show_button = QPushButton(tr("Xem chi tiết"))
        self.show_button.setCheckable(True)
        self.show_button.setEnabled(bool(detail))
        self.show_button.toggled.connect(self.detail_view.setVisible)
        close = buttons.addButton(tr("Đóng"), QDialogButtonBox.AcceptRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        buttons.addButton(self.show_button, QDialogButtonBox.ActionRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.detail_view)
        lay.addWidget(buttons)

    def copy_detail(self) -> None:
        QApplication.clipboard().setText(f"{self.message_label.text()}\n\n{self.detail}")
        self.copy_button.setText(tr("Đã sao chép"))


def show_error(parent, exc: BaseException, tb: str | None = None, title: str | None = None,
               modal: bool = True) -> ErrorDialog:
    """Log the detail, show the message. Modal by default; `modal=False` returns at once."""
    message, detail = describe(exc, tb)
    if isinstance(exc, VanthuError):
        log.info("%s: %s | %s", type(exc).__name__, exc.message, exc.detail)
    else:
        log.error("unexpected error: %s", detail)
    dlg = ErrorDialog(message, detail, title, parent)
    if modal:
        dlg.exec()
    else:
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.show()
    return dlg
