"""English translation: every clerk-visible string of app/ui is in vanthu_en.ts and the
compiled .qm switches the interface."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_ui_string_has_an_english_translation():
    proc = subprocess.run([sys.executable, str(ROOT / "resources/i18n/update_ts.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_english_catalogue_switches_the_window(session, qtbot):
    from PySide6.QtWidgets import QApplication

    from app.ui import i18n
    from app.ui.main_window import MainWindow
    app = QApplication.instance()
    assert i18n.install(app, "en")
    try:
        w = MainWindow(session)
        qtbot.addWidget(w)
        labels = [w.nav.item(i).text() for i in range(w.nav.count())]
        assert labels[:2] == ["Incoming", "Outgoing"] and labels[-1] == "Settings"
        assert w.views["incoming"].model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Horizontal) == "Arrival no."
    finally:
        i18n.install(app, "vi")
    assert i18n.tr("Văn bản đến") == "Văn bản đến"


def test_the_one_label_table_is_in_the_windows_catalogue():
    """app.domain.labels is the one status table; the window translates each of its labels."""
    from app.ui import formatting
    listed = set(formatting._STATUS_NOOP) | set(formatting._EXCHANGE_NOOP)
    for table in formatting.LABEL_TABLES:
        assert set(table.values()) <= listed, set(table.values()) - listed


def test_qts_own_buttons_speak_vietnamese(qapp):
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from app.ui import i18n
    i18n.install(qapp, "vi")
    box = QMessageBox(QMessageBox.Question, "Có thể trùng", "Vẫn đăng ký?", QMessageBox.Yes | QMessageBox.No)
    assert box.button(QMessageBox.Yes).text().replace("&", "") == "Có"
    assert box.button(QMessageBox.No).text().replace("&", "") == "Không"
    bb = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    assert bb.button(QDialogButtonBox.Ok).text() == "Đồng ý"
    box.deleteLater()
    bb.deleteLater()
