"""A screen whose part of the program is not built yet: says so plainly."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from .i18n import tr


class NotAvailable(QWidget):
    def __init__(self, title: str, explanation: str, parent=None):
        super().__init__(parent)
        self.setObjectName("notAvailable")
        head = QLabel(title)
        f = head.font()
        f.setPointSize(f.pointSize() + 4)
        f.setBold(True)
        head.setFont(f)
        body = QLabel(tr("Chức năng này chưa có trong phiên bản hiện tại.") + "\n\n" + explanation)
        body.setWordWrap(True)
        body.setObjectName("notAvailableText")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        for w in (head, body):
            w.setAlignment(Qt.AlignCenter)
            lay.addWidget(w)
        lay.addStretch(2)
