"""Clerk-visible strings of the UI: Vietnamese source strings, Qt translations (.qm) for others.

`tr()` marks a string and translates it through the installed QTranslator (context "vanthu").
resources/i18n/update_ts.py extracts every `tr("...")` literal under app/ui into vanthu_en.ts."""
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

CONTEXT = "vanthu"
I18N_DIR = Path(__file__).resolve().parents[2] / "resources" / "i18n"
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}

_translator: QTranslator | None = None


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def install(app, lang: str) -> bool:
    """Load resources/i18n/vanthu_<lang>.qm; Vietnamese needs none. Returns True if loaded."""
    global _translator
    if _translator is not None:
        app.removeTranslator(_translator)
        _translator = None
    if not lang or lang == "vi":
        # Qt ships no Vietnamese for its own buttons (OK, Yes, No, Close...): ours, qt_vi.qm
        t = QTranslator(app)
        if t.load(str(I18N_DIR / "qt_vi.qm")):
            app.installTranslator(t)
            _translator = t
        return False
    t = QTranslator(app)
    if not t.load(str(I18N_DIR / f"vanthu_{lang}.qm")):
        return False
    app.installTranslator(t)
    _translator = t
    return True


def N_(text: str) -> str:
    """Mark a string for extraction without translating it now (tables of labels)."""
    return text
