"""Liberation Serif (Times New Roman metrics) registered once with reportlab and embedded
(subset, with ToUnicode maps, so Vietnamese text stays extractable)."""
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "VT-Serif", "VT-Serif-Bold", "VT-Serif-Italic", "VT-Serif-BoldItalic"
_FILES = {REGULAR: "Regular", BOLD: "Bold", ITALIC: "Italic", BOLD_ITALIC: "BoldItalic"}
_done = False


def register() -> None:
    global _done
    if _done:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for name, style in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"LiberationSerif-{style}.ttf")))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(REGULAR, bold, italic, name)
    _done = True
