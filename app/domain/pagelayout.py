"""Layout of an administrative document page (ND30, Appendix I) from word boxes — pure: no
I/O, no imaging. Used by field extraction (app/scan) and seal placement (app/sign).

Words come from a PDF text layer (PyMuPDF) or from Tesseract's TSV; each has text, conf
(0..100), a box (x0, y0, x1, y1; top-left origin, any unit) and Tesseract's (block, par, line).

Regions of page 1: the two-column header (left: parent body, issuer, "Số:", "V/v …", urgency
marks; right: motto, place and date), the type heading and the summary centred under it, then
the body. At the end of the main document: "Nơi nhận:" on the left and the signing block on the
right (TM./KT./TL./TUQ./Q. authority lines, the title, the signature, the name); annexes follow."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

from .text import fold

Box = tuple[float, float, float, float]     # x0, y0, x1, y1


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float                      # 0..100
    words: list[Word] = field(default_factory=list)

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

    @property
    def box(self) -> Box:
        return (self.x0, self.y0, self.x1, self.y1)


@dataclass
class PageLayout:
    number: int                      # 0-based
    width: float
    height: float
    lines: list[Line]
    words: int = 0


@dataclass
class Word:
    """A word and its box: from Tesseract's TSV (conf 0–100) or a PDF text layer (PyMuPDF
    `get_text("words")`, conf 100)."""
    text: str
    conf: float
    x0: float
    y0: float
    x1: float
    y1: float
    block: int = 0
    par: int = 0
    line: int = 0


def fold_chars(text: str) -> str:
    """fold() character by character, so that positions in the result match the NFC input."""
    return "".join((fold(c) or c)[:1] for c in text)


def build(number: int, width: float, height: float, words: Sequence[Word]) -> PageLayout:
    """Visual lines, top to bottom, from words carrying (block, par, line) and boxes; a line is
    split where a wide gap separates two columns (Tesseract often joins the header columns)."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        if w.conf < 0 or not w.text.strip():
            continue
        groups.setdefault((w.block, w.par, w.line), []).append(w)
    lines: list[Line] = []
    for ws in groups.values():
        ws.sort(key=lambda w: w.x0)
        h = median(w.y1 - w.y0 for w in ws)
        # a speck or a lone tone mark read as a letter ('viên z chức'): tiny next to its line's words
        ws = [w for w in ws if not (w.text.isalpha() and w.y1 - w.y0 < 0.4 * h and w.x1 - w.x0 < 0.6 * h)] or ws
        seg = [ws[0]]
        for w in ws[1:]:
            # a stray mark read off a rule ('_') must not bridge the gap between two columns
            solid = [x for x in seg if not _is_mark(x.text)] or seg
            if w.x0 - seg[-1].x1 > 1.2 * h or (not _is_mark(w.text) and w.x0 - solid[-1].x1 > 2.5 * h):
                lines.extend(_line(part) for part in _split_at_motto(seg))
                seg = []
            seg.append(w)
        lines.extend(_line(part) for part in _split_at_motto(seg))
    if lines:        # a speck or a tone mark read as a line of its own ('z' between two summary lines)
        med = median(ln.height for ln in lines)
        lines = [ln for ln in lines if not (ln.height < 0.4 * med and len(ln.text) <= 3 and ln.text.isalpha())]
    return PageLayout(number, width, height, _reading_order(lines), len(words))


def _split_at_motto(ws: list[Word]) -> list[list[Word]]:
    """The national motto opens the right header column: a line read across both columns
    ('UBND HUYỆN MỸ XUYÊN _ CỘNG HÒA XÃ HỘI …') is cut before it; marks at the cut are dropped."""
    folded = [fold(w.text).lower() for w in ws]
    for i in range(1, len(ws) - 1):
        if folded[i] == "cong" and folded[i + 1] in ("hoa", "hoà"):
            left = ws[:i]
            while len(left) > 1 and _is_mark(left[-1].text):
                left = left[:-1]
            return [left, ws[i:]]
    return [ws]


def _is_mark(text: str) -> bool:
    """A stray mark: punctuation, or a lone accent OCR read off the line ('ˆ', a modifier letter)."""
    import unicodedata
    return len(text) <= 2 and not any(ch.isalnum() and unicodedata.category(ch) != "Lm" for ch in text)


def from_pdf_words(number: int, width: float, height: float,
                   words: Iterable[tuple[float, float, float, float, str, int, int, int]]) -> PageLayout:
    """Layout from PyMuPDF's (x0, y0, x1, y1, text, block, line, word) tuples, in points."""
    import unicodedata
    return build(number, width, height, [Word(unicodedata.normalize("NFC", t), 100.0, x0, y0, x1, y1, b, 0, ln)
                                         for (x0, y0, x1, y1, t, b, ln, _n) in words])


def _reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom; lines whose vertical centres are within half a line height form one row,
    read left to right (a skewed scan must not put the end of a row before its start)."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (ln.y0 + ln.y1) / 2):
        c = (ln.y0 + ln.y1) / 2
        if rows:
            r = rows[-1]
            rc = sum((x.y0 + x.y1) / 2 for x in r) / len(r)
            if abs(c - rc) < 0.5 * min(ln.height, max(x.height for x in r)):
                r.append(ln)
                continue
        rows.append([ln])
    return [ln for r in rows for ln in _join_cut(sorted(r, key=lambda ln: ln.x0))]


def _key(w: Word) -> tuple[int, int, int]:
    return (w.block, w.par, w.line)


def _join_cut(row: list[Line]) -> list[Line]:
    """Join the pieces of one visual line that OCR cut apart ('PH' + 'O CHỦ TỊCH' when the mark
    over Ó was read as a word of its own): pieces of a row with almost no gap between them."""
    out = row[:1]
    for ln in row[1:]:
        prev = out[-1]
        h = max(prev.height, ln.height)
        gap = ln.x0 - prev.x1
        # never what build() split on purpose (a column gap, the motto): pieces of one OCR line
        same = bool(prev.words and ln.words) and _key(prev.words[-1]) == _key(ln.words[0])
        if not same and -0.1 * h < gap < 0.5 * h and abs((ln.y0 + ln.y1) - (prev.y0 + prev.y1)) < 0.5 * h:
            sep = "" if gap < 0.15 * h else " "
            confs = [w.conf for w in prev.words + ln.words] or [prev.conf, ln.conf]
            out[-1] = Line(prev.text + sep + ln.text, prev.x0, min(prev.y0, ln.y0), ln.x1, max(prev.y1, ln.y1),
                           sum(confs) / len(confs), prev.words + ln.words)
        else:
            out.append(ln)
    return out


def _line(ws: list[Word]) -> Line:
    confs = [w.conf for w in ws]
    return Line(" ".join(w.text for w in ws), min(w.x0 for w in ws), min(w.y0 for w in ws),
                max(w.x1 for w in ws), max(w.y1 for w in ws), sum(confs) / len(confs), list(ws))


def is_rule(line: Line) -> bool:
    """A typed rule: a run of dashes, underscores, dots or em dashes (no letters or digits)."""
    t = line.text.replace(" ", "")
    return len(t) >= 4 and not any(ch.isalnum() for ch in t) and sum(ch in "-_—–=.…~" for ch in t) >= 0.7 * len(t)


# --- the signing block ----------------------------------------------------------------------------

AUTHORITY = re.compile(r"^(tm|kt|tl|tuq|q)\s*[.,]\s*", re.I)
TITLE_HEADS = ("chu tich", "pho chu tich", "giam doc", "pho giam doc", "truong phong", "pho truong phong",
               "chanh van phong", "pho chanh van phong", "truong ban", "pho truong ban", "cuc truong",
               "pho cuc truong", "chi cuc truong", "bo truong", "thu truong", "chanh thanh tra",
               "pho chanh thanh tra", "hieu truong", "pho hieu truong", "tong giam doc", "vien truong",
               "bi thu", "pho bi thu", "thu tuong", "pho thu tuong", "chanh an", "truong doan", "tong cuc truong",
               "quyen ", "uy vien", "giam doc so", "truong khoa", "thu ky")
_TITLE_WORDS = ("chu tich", "giam doc", "truong phong", "van phong", "uy ban")     # never in a person's name
_NOT_NAME = ("da ky", "ky ten", "dong dau", "noi nhan", "luu")


@dataclass
class SignatureBlock:
    page: int                          # 0-based
    authority: list[str]               # the authority lines (TM. …, KT. …), as printed
    title_lines: list[Line]            # the title lines (Line), last one above the signature
    name: Line | None                  # the signer's name line
    area: Box | None                   # where the leader signs: between the title and the name (page units)
    page_size: tuple[float, float] = (0.0, 0.0)
    name_page: int | None = None       # page of the name and of `area` (the next one when a page break splits the block)

    @property
    def title_text(self) -> str:
        return " ".join(ln.text for ln in self.title_lines)

    @property
    def prefix(self) -> str | None:
        """The authority prefix of the title line itself ('Q' for 'Q. GIÁM ĐỐC'), if any."""
        m = AUTHORITY.match(fold_chars(self.title_lines[-1].text))
        return m.group(1).upper() if m else None

    @property
    def lines(self) -> list[Line]:
        return list(self.title_lines) + ([self.name] if self.name else [])


def _is_block_line(ln: Line, width: float) -> bool:
    """A caps line of the right column that opens or belongs to a signing block."""
    if ln.caps_ratio <= 0.7 or len(ln.letters) > 70 or ln.cx < 0.55 * width or ln.x0 < 0.35 * width:
        return False
    f = fold_chars(ln.text).lower().strip(" .|")
    return bool(AUTHORITY.match(f)) or f.startswith(TITLE_HEADS)


def person_name(text: str) -> str | None:
    """'NGUYỄN VĂN AN' or 'Nguyễn Văn An' -> 'Nguyễn Văn An'; None when it is not a name."""
    import unicodedata
    words = [w.strip(".,;:'\"|") for w in unicodedata.normalize("NFC", text).split()]
    words = [w for w in words if w]
    if not 2 <= len(words) <= 6 or not all(w.isalpha() for w in words):
        return None
    if not all(w[0].isupper() for w in words) or any(len(w) > 8 for w in words):
        return None
    f = fold_chars(" ".join(words)).lower()
    if AUTHORITY.match(f) or f.startswith(TITLE_HEADS) or any(f" {h} " in f" {f} " for h in _TITLE_WORDS):
        return None
    return " ".join(w[0] + w[1:].lower() for w in words)


def signature_blocks(page: PageLayout, min_y: float = 0.0) -> list[SignatureBlock]:
    """The signing blocks of one page, top to bottom: authority/title caps lines in the right
    column, then (within a third of a page below) the signer's name centred under them."""
    W, H = page.width, page.height
    lines = [ln for ln in page.lines if (ln.y0 + ln.y1) / 2 >= min_y]
    out = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if not _is_block_line(ln, W):
            i += 1
            continue
        block = [ln]
        j = i + 1
        while j < len(lines):    # more caps lines of the same block right below, aligned
            nxt = lines[j]
            if nxt.cx < 0.45 * W:          # Nơi nhận list on the left: same rows, skip
                j += 1
                continue
            if (nxt.caps_ratio > 0.7 and nxt.y0 - block[-1].y1 < 1.2 * max(nxt.height, block[-1].height)
                    and abs(nxt.cx - block[-1].cx) < 0.12 * W and len(nxt.letters) < 70
                    and not person_name(nxt.text) or (nxt.caps_ratio > 0.7 and _is_block_line(nxt, W)
                                                      and nxt.y0 - block[-1].y1 < 1.2 * nxt.height)):
                block.append(nxt)
                j += 1
                continue
            break
        auth = [b for b in block if AUTHORITY.match(fold_chars(b.text).lower()) and not
                fold_chars(b.text).lower().startswith("q")]
        titles = block[len(auth):] if auth and block[:len(auth)] == auth else [block[-1]]
        if not titles:
            titles = [block[-1]]
        top = block[-1]
        name = None
        for nxt in lines[j:]:
            if nxt.y0 - top.y1 > 0.3 * H:
                break
            if abs(nxt.cx - top.cx) > 0.15 * W or nxt.cx < 0.45 * W:
                continue
            if _is_block_line(nxt, W):
                break                       # another block starts: this one has no name
            if any(k in nxt.letters for k in _NOT_NAME):
                continue
            if person_name(nxt.text) and nxt.conf > 40:
                name = nxt
                break
        area = None
        if name is not None:
            area = (min(top.x0, name.x0), top.y1, max(top.x1, name.x1), name.y0)
        out.append(SignatureBlock(page.number, [b.text for b in auth], titles, name, area, (W, H), page.number))
        i = j if name is None else lines.index(name) + 1
    return out


def leader_block(pages: list[PageLayout], first_min_y: float = 0.3) -> SignatureBlock | None:
    """The signing block of the main document: the first one, in page order, that has a name
    (a decision's block on page 1 or 2 comes before the annex that follows it), else the first
    one without. On page 1 the upper part (header, type heading) is skipped."""
    blocks = []
    pages = [p for p in pages if p is not None]
    for k, p in enumerate(pages):
        found = signature_blocks(p, min_y=first_min_y * p.height if p.number == 0 else 0.0)
        nxt = pages[k + 1] if k + 1 < len(pages) and pages[k + 1].number == p.number + 1 else None
        if found and found[-1].name is None and nxt is not None:
            _name_over_the_break(found[-1], p, nxt)
        blocks += found
    named = [b for b in blocks if b.name is not None]
    return named[0] if named else (blocks[0] if blocks else None)


def _name_over_the_break(block: SignatureBlock, page: PageLayout, nxt: PageLayout) -> None:
    """A block at the foot of a page whose name went to the top of the next page (a word
    processor split the table row): the name, and the signature area above it on that page."""
    last = block.title_lines[-1]
    if last.y1 < 0.6 * page.height:
        return
    for ln in nxt.lines:
        if ln.y0 > 0.3 * nxt.height:
            break
        if abs(ln.cx / nxt.width - last.cx / page.width) >= 0.15:
            continue
        if _is_block_line(ln, nxt.width):        # the block's title went over too
            lines = [*block.title_lines, ln]
            auth = []
            for x in lines[:-1]:                 # TM. … / KT. … lines; the last one is the title
                m = AUTHORITY.match(fold_chars(x.text).lower())
                if not m or m.group(1) == "q":
                    break
                auth.append(x)
            block.authority = [x.text for x in auth]
            block.title_lines = lines[len(auth):]
            continue
        if person_name(ln.text) and ln.conf > 40:
            block.name, block.name_page = ln, nxt.number
            block.area = (min(last.x0, ln.x0), max(0.0, ln.y0 - 0.1 * nxt.height), max(last.x1, ln.x1), ln.y0)
            return


# --- page 1 regions -------------------------------------------------------------------------------

@dataclass
class HeaderRegions:
    split_x: float                     # between the left (issuer) and right (motto) columns
    left: list[Line]                   # lines of the left header column
    right: list[Line]                  # lines of the right header column
    motto: Line | None
    title: Line | None                 # the type heading
    summary: list[Line]                # summary lines under the type heading
    body_top: float                    # where the body begins
    all_lines: list[Line] = field(default_factory=list)


_BODY_STARTS = re.compile(r"(can cu|kinh gui|dieu\s+\d|theo de nghi|xet de nghi)\b")   # 'Điều 1.', not 'điều hành'


def header_regions(page: PageLayout, type_names: Mapping[str, str],
                   inside: Callable[[Line], bool] | None = None) -> HeaderRegions:
    """Regions of page 1. `type_names` maps folded letters to type names ('quyet dinh' ->
    'Quyết định'); `inside(line)` says which lines to ignore (a receiving office's stamp)."""
    W, H = page.width, page.height
    lines = [ln for ln in page.lines if (ln.conf > 20 or len(ln.words) > 2
                                         or (ln.y1 < 0.2 * H and ln.caps_ratio > 0.7 and len(ln.letters) >= 3))
             and not (inside and inside(ln))]
    motto = next((ln for ln in lines if "cong hoa xa hoi" in ln.letters or "doc lap tu do" in ln.letters), None)
    split_x = motto.x0 - 0.02 * W if motto and motto.x0 > 0.35 * W else 0.48 * W
    if not lines:
        return HeaderRegions(split_x, [], [], motto, None, [], 0.0, lines)
    text_cx = (min(ln.x0 for ln in lines) + max(ln.x1 for ln in lines)) / 2
    top_zone = 0.45 * H
    title = None
    for ln in lines:
        if ln.y0 > top_zone:
            break
        if ln.letters in type_names and ln.caps_ratio > 0.7 and abs(ln.cx - text_cx) < 0.12 * W \
                and (not motto or ln.y0 > motto.y1):
            title = ln
            break
    header_bottom = title.y0 if title else top_zone
    body = next((ln for ln in lines if (not motto or ln.y0 > motto.y1) and ln.y0 < header_bottom
                 and (ln.x1 - ln.x0 > 0.55 * W or ln.letters.startswith("kinh gui"))), None)
    if body is not None:
        header_bottom = body.y0
    header = [ln for ln in lines if ln.y1 <= header_bottom + 2]
    left = [ln for ln in header if ln.cx < split_x and ln.x1 < split_x + 0.1 * W]
    right = [ln for ln in header if ln.cx >= split_x]
    summary: list[Line] = []
    body_top = header_bottom
    if title is not None:
        prev, first_gap = title, None
        below = [ln for ln in lines if ln.y0 > title.y1 and ln.cx > 0.2 * W]
        left_m = min((ln.x0 for ln in below), default=0.0)
        right_m = max((ln.x1 for ln in below), default=W)
        for ln in lines:
            if ln.y0 < title.y1 - 2:
                continue
            gap = ln.y0 - prev.y1
            h = max(prev.height, ln.height)
            # the summary's own line spacing is the one between the heading and its first line;
            # a blank line (or a rule MuPDF/Tesseract did not read) before the body is wider
            limit = 1.6 * h if first_gap is None else max(first_gap, 0.0) + 0.45 * h
            if is_rule(ln) or gap > limit or _BODY_STARTS.match(ln.folded.lower()):
                break
            if ln.caps_ratio > 0.7:                 # the issuing authority line of a decision
                break
            if abs(ln.cx - text_cx) > 0.1 * W:      # not centred: a body line
                break
            if ln.x0 - left_m > 0.03 * W and right_m - ln.x1 < 0.03 * W and ln.x0 - left_m > 2 * (right_m - ln.x1):
                break                               # indented and running to the right margin: a paragraph
            summary.append(ln)
            if first_gap is None:
                first_gap = gap
            prev = ln
        body_top = (summary[-1].y1 if summary else title.y1)
    return HeaderRegions(split_x, left, right, motto, title, summary, body_top, lines)
