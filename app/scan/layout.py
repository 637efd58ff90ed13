"""Page layout from word boxes: words grouped into visual lines, split where a wide gap
separates two columns (Tesseract often joins the two header columns into one line)."""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from ..domain.text import fold


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float                      # 0..100
    words: list = field(default_factory=list)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def folded(self) -> str:
        return fold_chars(self.text)

    @property
    def letters(self) -> str:
        """Folded letters and spaces only: 'THƯỢNG KHẨN|' -> 'thuong khan'."""
        return " ".join("".join(c if c.isalpha() else " " for c in self.folded).split())

    @property
    def caps_ratio(self) -> float:
        letters = [c for c in self.text if c.isalpha()]
        return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    lines: list
    words: int = 0


def fold_chars(text: str) -> str:
    """fold() character by character, so that positions in the result match the NFC input."""
    return "".join((fold(c) or c)[:1] for c in text)


def build(number: int, width: float, height: float, words: list) -> PageLayout:
    """Visual lines, top to bottom, from words carrying (block, par, line) and boxes."""
    groups: dict = {}
    for w in words:
        if w.conf < 0 or not w.text.strip():
            continue
        groups.setdefault((w.block, w.par, w.line), []).append(w)
    lines = []
    for ws in groups.values():
        ws.sort(key=lambda w: w.x0)
        h = median(w.y1 - w.y0 for w in ws)
        seg = [ws[0]]
        for w in ws[1:]:
            if w.x0 - seg[-1].x1 > 1.2 * h:
                lines.append(_line(seg))
                seg = []
            seg.append(w)
        lines.append(_line(seg))
    return PageLayout(number, width, height, _reading_order(lines), len(words))


def _reading_order(lines: list) -> list:
    """Top to bottom; lines whose vertical centres are within half a line height form one row,
    read left to right (a skewed scan must not put the end of a row before its start)."""
    rows: list[list] = []
    for l in sorted(lines, key=lambda l: (l.y0 + l.y1) / 2):
        c = (l.y0 + l.y1) / 2
        if rows:
            r = rows[-1]
            rc = sum((x.y0 + x.y1) / 2 for x in r) / len(r)
            if abs(c - rc) < 0.5 * min(l.height, max(x.height for x in r)):
                r.append(l)
                continue
        rows.append([l])
    return [l for r in rows for l in sorted(r, key=lambda l: l.x0)]


def _line(ws) -> Line:
    confs = [w.conf for w in ws]
    return Line(" ".join(w.text for w in ws), min(w.x0 for w in ws), min(w.y0 for w in ws),
                max(w.x1 for w in ws), max(w.y1 for w in ws), sum(confs) / len(confs), list(ws))


def from_pdf_page(page, number: int) -> PageLayout:
    """Layout of a PDF page that has a text layer (PyMuPDF words, in points)."""
    import unicodedata
    from .ocr import Word
    words = [Word(unicodedata.normalize("NFC", t), 100.0, x0, y0, x1, y1, b, 0, l)
             for (x0, y0, x1, y1, t, b, l, _n) in page.get_text("words")]
    return build(number, page.rect.width, page.rect.height, words)
