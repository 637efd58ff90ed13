"""Trợ giúp › Hướng dẫn sử dụng: the clerk's guide (resources/guide/huong-dan.md, with its
screenshots beside it), shown offline in a window of its own."""
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from .i18n import tr

GUIDE = Path(__file__).resolve().parents[2] / "resources" / "guide" / "huong-dan.md"


class GuideDialog(QDialog):
    def __init__(self, parent=None, path: Path = GUIDE):
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle(tr("Hướng dẫn sử dụng"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        self.path = Path(path)
        if self.path.is_file():
            self.browser.setSearchPaths([str(self.path.parent)])
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(self.path.parent) + "/"))
            self.browser.setMarkdown(self.path.read_text(encoding="utf-8"))
            self.found = True
        else:
            self.browser.setMarkdown(tr("# Hướng dẫn sử dụng\n\nBản cài đặt này thiếu tệp hướng dẫn ({p}). "
                                        "Hãy báo quản trị viên cài lại chương trình.").format(p=self.path))
            self.found = False
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)
        from .entry_form import fit_to_screen
        fit_to_screen(self, 900, 760)
