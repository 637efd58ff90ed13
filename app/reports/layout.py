"""A small table pager on a reportlab canvas: fixed columns, wrapped cells, the column header
row repeated on every page, rows taller than the space left split across pages (never cut),
page numbers. Page breaks depend only on the rows and the starting page number, so a section
laid out twice (alone or inside a volume) gives the same pages. A NullCanvas lays out without
drawing, to count pages.

reportlab's platypus Table was measured first: ~2.7 s per 2,000 rows here, too slow for a
year's book; this pager keeps reportlab's fonts, metrics and PDF writer and does the table."""
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from . import fonts

PAGE = landscape(A4)
# Left margin wider: the sheets are bound on the left.
MARGINS = dict(left=25 * mm, right=12 * mm, top=14 * mm, bottom=14 * mm)


@lru_cache(maxsize=200_000)
def _width1000(text: str, font: str) -> float:
    fonts.register()
    return stringWidth(text, font, 1000)


def text_width(text: str, font: str, size: float) -> float:
    return _width1000(text, font) * size / 1000


def _break_word(word: str, width: float, font: str, size: float) -> list[str]:
    """A word wider than the column: cut after its last '/' or '-' that fits ("1469/" "TTr-UBND"),
    else between characters (a URL)."""
    pieces = []
    while len(word) > 1 and text_width(word, font, size) > width:
        n = 1
        while n < len(word) and text_width(word[:n + 1], font, size) <= width:
            n += 1
        cut = max((i + 1 for i, ch in enumerate(word[:n]) if ch in "/-"), default=n)
        pieces.append(word[:cut])
        word = word[cut:]
    if word:
        pieces.append(word)
    return pieces


def wrap(text: str | None, width: float, font: str, size: float) -> list[str]:
    """Lines of `text` that fit `width`; explicit newlines are kept; nothing is dropped."""
    if not text:
        return []
    text = str(text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)      # combining marks -> precomposed glyphs
    space = text_width(" ", font, size)
    lines = []
    for para in text.split("\n"):
        cur, cur_w = "", 0.0
        for word in para.split():
            w = text_width(word, font, size)
            if w > width:
                parts = _break_word(word, width, font, size)
                if cur:
                    lines.append(cur)
                lines.extend(parts[:-1])
                cur, cur_w = parts[-1], text_width(parts[-1], font, size)
                continue
            if cur and cur_w + space + w <= width:
                cur += " " + word
                cur_w += space + w
            else:
                if cur:
                    lines.append(cur)
                cur, cur_w = word, w
        lines.append(cur)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis to fit one line (running headers only: the full text is
    on the front page)."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass(frozen=True)
class Column:
    title: str
    weight: float
    align: str = "left"      # left | center


@dataclass
class Cell:
    text: str | None
    font: str = fonts.REGULAR


class NullCanvas:
    """Accepts every drawing call and draws nothing: layout only (page counting)."""

    def __getattr__(self, name):
        return _noop


def _noop(*args, **kwargs):
    return None


def draw_text(c, font: str, size: float, x: float, y: float, text: str, align: str = "left") -> None:
    """Text straight into the page's content stream. canvas.drawString builds a text object per
    call (~0.2 ms, most of a year's book); here each string's encoding into the embedded font
    subsets is cached per document, and one BT..ET is written with its own font selection."""
    if isinstance(c, NullCanvas) or not text:
        return
    cache = c.__dict__.setdefault("_vanthu_text", {})
    key = (font, size, text)
    ops = cache.get(key)
    if ops is None:
        f = getFont(font)
        parts = [f"{f.getSubsetInternalName(subset, c._doc)} {fp_str(size)} Tf ({c._escape(chunk)}) Tj"
                 for subset, chunk in f.splitString(text, c._doc)]
        ops = cache[key] = " ".join(parts)
    if align == "center":
        x -= text_width(text, font, size) / 2
    elif align == "right":
        x -= text_width(text, font, size)
    c._code.append(f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm {ops} ET")


class TablePager:
    """Lays out rows of one section (a quarter, a period) from page `first_page` on."""

    def __init__(self, canvas, columns: list[Column], running: tuple[str, str, str], first_page: int,
                 size: float = 10, leading: float = 12, pad: float = 2.5, cont_col: int = 0):
        fonts.register()
        self.c, self.columns, self.running = canvas, columns, running
        self.size, self.leading, self.pad, self.cont_col = size, leading, pad, cont_col
        self.x0 = MARGINS["left"]
        self.width = PAGE[0] - MARGINS["left"] - MARGINS["right"]
        total = sum(col.weight for col in columns)
        self.widths = [self.width * col.weight / total for col in columns]
        self.xs = [self.x0]
        for w in self.widths:
            self.xs.append(self.xs[-1] + w)
        self.top = PAGE[1] - MARGINS["top"] - 16       # below the running header
        self.bottom = MARGINS["bottom"] + 14           # above the page number
        self.head_lines = [wrap(col.title, w - 2 * pad, fonts.BOLD, size) for col, w in zip(columns, self.widths)]
        self.head_h = max(len(x) for x in self.head_lines) * leading + 2 * pad
        self.num_h = leading + 2 * pad
        self.page = first_page - 1
        self.first_page = first_page
        self.pages = 0
        self.open = False
        self.y = self.top
        self.seg_top = None     # top of the current run of column-ruled rows

    # --- pages -------------------------------------------------------------------------
    @property
    def body_height(self) -> float:
        """Room for rows on a fresh page."""
        return self.top - self.head_h - self.num_h - self.bottom

    def _close_page(self) -> None:
        self._close_segment()
        self.c.showPage()
        self.open = False

    def _open_page(self, table: bool = True) -> None:
        if self.open:
            self._close_page()
        self.page += 1
        self.pages += 1
        self.open = True
        c = self.c
        left, centre, right = self.running
        y = PAGE[1] - MARGINS["top"] - 6
        room = (self.width - text_width(centre, fonts.BOLD, 9)) / 2 - 8
        draw_text(c, fonts.REGULAR, 9, self.x0, y, fit(left, fonts.REGULAR, 9, room))
        draw_text(c, fonts.BOLD, 9, self.x0 + self.width / 2, y, centre, "center")
        draw_text(c, fonts.ITALIC, 9, self.x0 + self.width, y, fit(right, fonts.ITALIC, 9, room), "right")
        draw_text(c, fonts.REGULAR, 10, self.x0 + self.width / 2, MARGINS["bottom"], f"Trang {self.page}", "center")
        c.setLineWidth(0.6)
        self.y = self.top
        if table:
            self._draw_header()

    def _draw_header(self) -> None:
        c, top, pad, lead = self.c, self.y, self.pad, self.leading
        c.line(self.x0, top, self.x0 + self.width, top)
        for i, lines in enumerate(self.head_lines):
            cx = self.xs[i] + self.widths[i] / 2
            offset = (self.head_h - 2 * pad - len(lines) * lead) / 2
            for j, line in enumerate(lines):
                draw_text(c, fonts.BOLD, self.size, cx, self._baseline(top - offset, j), line, "center")
        y = top - self.head_h
        c.line(self.x0, y, self.x0 + self.width, y)
        for i in range(len(self.columns)):
            draw_text(c, fonts.ITALIC, self.size, self.xs[i] + self.widths[i] / 2, self._baseline(y, 0),
                      f"({i + 1})", "center")
        y -= self.num_h
        c.line(self.x0, y, self.x0 + self.width, y)
        self.seg_top = top
        self.y = y

    def _close_segment(self) -> None:
        if self.seg_top is not None and self.seg_top > self.y:
            for x in self.xs:
                self.c.line(x, self.seg_top, x, self.y)
        self.seg_top = None

    def _baseline(self, top: float, j: int) -> float:
        return top - self.pad - j * self.leading - (self.leading * 0.5 + self.size * 0.32)

    # --- rows --------------------------------------------------------------------------
    def add_row(self, cells: list) -> None:
        cells = [c if isinstance(c, Cell) else Cell(c) for c in cells]
        lines = [wrap(cell.text, w - 2 * self.pad, cell.font, self.size) for cell, w in zip(cells, self.widths)]
        if not self.open:
            self._open_page()
        while True:
            n = max(1, max(len(x) for x in lines))
            height = n * self.leading + 2 * self.pad
            room = self.y - self.bottom
            if height <= room:
                self._draw_row(cells, lines, height)
                return
            if height <= self.body_height or room < 2 * self.leading + 2 * self.pad:
                self._open_page()        # the row moves whole to the next page (or must split there)
                continue
            k = int((room - 2 * self.pad) // self.leading)
            self._draw_row(cells, [x[:k] for x in lines], k * self.leading + 2 * self.pad)
            key = lines[self.cont_col][:1] if k else []
            lines = [x[k:] for x in lines]
            lines[self.cont_col] = key + ["(tiếp)"] + lines[self.cont_col]
            cells = [Cell(cell.text, fonts.ITALIC if i == self.cont_col else cell.font)
                     for i, cell in enumerate(cells)]
            self._open_page()

    def _draw_row(self, cells, lines, height: float) -> None:
        c, top = self.c, self.y
        for i, (cell, cell_lines) in enumerate(zip(cells, lines)):
            if not cell_lines:
                continue
            if self.columns[i].align == "center":
                x, align = self.xs[i] + self.widths[i] / 2, "center"
            else:
                x, align = self.xs[i] + self.pad, "left"
            for j, line in enumerate(cell_lines):
                draw_text(c, cell.font, self.size, x, self._baseline(top, j), line, align)
        self.y = top - height
        c.line(self.x0, self.y, self.x0 + self.width, self.y)

    def add_span_row(self, text: str, font: str = fonts.ITALIC) -> None:
        """One cell across the whole table (e.g. 'no documents in this period')."""
        if not self.open:
            self._open_page()
        lines = wrap(text, self.width - 2 * self.pad, font, self.size)
        height = max(1, len(lines)) * self.leading + 2 * self.pad
        if height > self.y - self.bottom:
            self._open_page()
        self._close_segment()
        c, top = self.c, self.y
        for j, line in enumerate(lines):
            draw_text(c, font, self.size, self.x0 + self.width / 2, self._baseline(top, j), line, "center")
        self.y = top - height
        c.line(self.x0, self.y, self.x0 + self.width, self.y)
        c.line(self.x0, top, self.x0, self.y)
        c.line(self.x0 + self.width, top, self.x0 + self.width, self.y)
        self.seg_top = self.y

    def add_block(self, height: float, draw) -> None:
        """Free content below the table (a certification): draw(canvas, x, top, width, pager)."""
        if not self.open:
            self._open_page(table=False)
        if height > self.y - self.bottom - 12:
            self._close_segment()
            self._open_page(table=False)
        self._close_segment()
        top = self.y - 12
        draw(self.c, self.x0, top, self.width, self)
        self.y = top - height

    def close(self) -> None:
        if self.open:
            self._close_page()

    @property
    def last_page(self) -> int:
        return self.page
