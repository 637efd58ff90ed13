"""Trợ giúp › Hướng dẫn sử dụng: the clerk's guide (resources/guide/huong-dan.md, with its
screenshots beside it), shown offline in a window of its own."""
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from ..resources import resource_path
from .i18n import tr

GUIDE = resource_path("guide", "huong-dan.md")     # also inside a frozen build


class GuideDialog(QDialog):
    def __init__(self, parent=None, path: Path = GUIDE):
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle(tr("Hướng dẫn sử dụng"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        self.browser.setOpenExternalLinks(True)
        self.browser.setOpenLinks(True)
        self.path = Path(path)
        if self.path.is_file():
            # setSource with the file's URL resolves the guide's relative images (img/...)
            self.browser.setSearchPaths([str(self.path.parent)])
            self.browser.setSource(QUrl.fromLocalFile(str(self.path)), QTextDocument.ResourceType.MarkdownResource)
            self.found = True
        else:
            self.browser.setMarkdown(tr("# Hướng dẫn sử dụng\n\nBản cài đặt này thiếu tệp hướng dẫn ({p}). "
                                        "Hãy báo quản trị viên cài lại chương trình.").format(p=self.path))
            self.found = False
        buttons = QDialogButtonBox()
        buttons.addButton(tr("Đóng"), QDialogButtonBox.RejectRole)   # Qt's own "Close" is not translated
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)
        from .entry_form import fit_to_screen
        fit_to_screen(self, 900, 760)
