"""Icons from resources/icons (SVG)."""
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

ICONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
NAV_SIZE = QSize(22, 22)
BUTTON_SIZE = QSize(18, 18)


def icon(name: str) -> QIcon:
    path = ICONS_DIR / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def app_icon() -> QIcon:
    return icon("app")
