"""OCR with Tesseract `vie`, run in worker processes (never threads) as small tasks: prepare a
page (load, deskew, whiten, choose where it may be cut), read a strip or a whole page (word
boxes and the invisible-text PDF layer), encode the stored image; ocr_page does everything for
one page and turns it upright when it reads badly.

The pool has at most one worker per core, each Tesseract single-threaded (OMP_THREAD_LIMIT=1):
pages are parallel across processes instead, which is much faster on small machines."""
from __future__ import annotations

import atexit
import io
import logging
import multiprocessing
import os
import subprocess
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.pagelayout import Word

log = logging.getLogger("vanthu.scan.ocr")

LANG = os.environ.get("VANTHU_OCR_LANG", "vie")
PAGE_TIMEOUT = 120          # seconds for one Tesseract run
JPEG_QUALITY = 60
IMAGE_DPI = int(os.environ.get("VANTHU_IMAGE_DPI", "200"))  # stored image: ND30 asks >= 200 dpi
LOW_CONF = 55               # below this mean word confidence, check the page orientation
# below this share of ink (measured at 1/4 scale, where scanner specks vanish) a page is not
# read at all; a page holding only the signer's name (a signing block split by a page break)
# has about 0.0005
MIN_INK = 0.0003


def _traced(fn):
    """With VANTHU_OCR_TRACE=<file>, each worker task appends one line (pid, task, page, start,
    end, CPU seconds) to the file: bench/intake.py draws the schedule from it."""
    import functools
    import time

    @functools.wraps(fn)
    def run(ref, *args, **kwargs):
        trace = os.environ.get("VANTHU_OCR_TRACE")
        if not trace:
            return fn(ref, *args, **kwargs)
        t, c = time.time(), time.process_time()
        try:
            return fn(ref, *args, **kwargs)
        finally:
            with open(trace, "a", encoding="utf-8") as f:
                f.write(f"{os.getpid()}\t{fn.__name__}\t{ref.number}\t{args[:2] if fn.__name__ == 'ocr_strip' else ''}"
                        f"\t{t:.3f}\t{time.time():.3f}\t{time.process_time() - c:.3f}\n")
    return run


@dataclass
class PageResult:
    number: int                     # 0-based page number in the document
    width: int                      # pixels
    height: int
    dpi: int
    words: list = field(default_factory=list)
    text: str = ""
    mean_conf: float = 0.0
    blank: bool = False
    ink: float = 0.0
    skew: float = 0.0
    rotated: int = 0                # degrees turned clockwise to make the page upright
    image: bytes = b""              # cleaned page, JPEG
    image_mode: str = "L"
    text_pdf: bytes = b""           # Tesseract's text-only PDF page (invisible text)


def tesseract_cmd() -> str:
    import pytesseract
    return pytesseract.pytesseract.tesseract_cmd


def _env() -> dict:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def run_tesseract(png: Path, dpi: int, timeout: float = PAGE_TIMEOUT, pdf: bool = True) -> tuple[str, bytes]:
    """One run of the tesseract program producing the TSV word boxes and (unless pdf=False)
    the text-only PDF (the fallback where the C API cannot be loaded)."""
    from .tesseract import SETTINGS
    out = png.with_suffix("")
    cmd = [tesseract_cmd(), str(png), str(out), "-l", LANG, "--dpi", str(dpi)]
    for k, v in SETTINGS.items():
        cmd += ["-c", f"{k}={v}"]
    cmd += ["-c", "textonly_pdf=1", "pdf", "tsv"] if pdf else ["tsv"]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=_env())
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"tesseract timed out after {timeout}s") from None
    if proc.returncode != 0:
        raise RuntimeError(f"tesseract exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-400:]}")
    tsv = out.with_suffix(".tsv").read_text("utf-8")
    return tsv, (out.with_suffix(".pdf").read_bytes() if pdf else b"")


def read_image(gray, dpi: int, pdf: bool = True, timeout: float = PAGE_TIMEOUT) -> tuple[str, bytes]:
    """TSV and text-only PDF of a grayscale PIL image: through this process's loaded engine,
    else through the program."""
    from .tesseract import engine
    eng = engine(LANG)
    if eng is not None:
        return eng.read(gray, dpi, pdf, timeout)
    with tempfile.TemporaryDirectory(prefix="vanthu-ocr-") as td:
        png = Path(td) / "p.tif"     # uncompressed TIFF: Leptonica reads it 20x faster than a PGM
        gray.save(png)
        return run_tesseract(png, dpi, timeout, pdf)


def parse_tsv(tsv: str) -> list[Word]:
    import unicodedata
    words = []
    for row in tsv.splitlines():          # the program's header line is not a level-5 row
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        # Tesseract sometimes returns the look-alike Icelandic eth (Ð U+00D0) for Đ
        text = unicodedata.normalize("NFC", parts[11]).strip().replace("\u00d0", "Đ").replace("\u00f0", "đ")
        if not text:
            continue
        left, top, w, h = (int(p) for p in parts[6:10])
        words.append(Word(text, float(parts[10]), left, top, left + w, top + h,
                          int(parts[2]), int(parts[3]), int(parts[4])))
    return words


def words_to_text(words: list[Word]) -> str:
    lines, key = [], None
    for w in words:
        k = (w.block, w.par, w.line)
        if k != key:
            lines.append([])
            key = k
        lines[-1].append(w.text)
    return "\n".join(" ".join(l) for l in lines)


def _osd_rotation(gray) -> int:
    """Clockwise degrees the page must turn to be upright, from Tesseract OSD (≈1 s)."""
    import pytesseract
    small = gray.reduce(2) if gray.width > 2000 else gray
    try:
        osd = pytesseract.image_to_osd(small, config="--psm 0", output_type=pytesseract.Output.DICT,
                                       timeout=60)
    except Exception as exc:  # too little text to decide
        log.debug("osd failed: %s", exc)
        return 0
    if float(osd.get("orientation_conf", 0)) < 1.5:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _mostly_tall(words) -> bool:
    """Words taller than wide: a page lying on its side that Tesseract read sideways."""
    long_words = [w for w in words if len(w.text) >= 3]
    return bool(long_words) and sum((w.y1 - w.y0) > (w.x1 - w.x0) for w in long_words) > 0.6 * len(long_words)


def _recognize(gray, dpi, pdf_layer: bool = True):
    tsv, pdf = read_image(gray, dpi, pdf=pdf_layer)
    words = parse_tsv(tsv)
    good = [w.conf for w in words if w.conf >= 0]
    return words, pdf, (sum(good) / len(good) if good else 0.0)


_memo: dict = {}     # this worker's last prepared pages: strips of one page often run here


def _prepared(ref, cache_dir):
    """Page image upright-ish, deskewed and whitened, with (dpi, skew, ink). Cached in
    `cache_dir` so that the strips of a page, read by any worker, reuse the work."""
    import json

    from PIL import Image

    from . import imaging, inputs
    st = os.stat(ref.path)
    key = (ref.path, ref.index, str(cache_dir), st.st_mtime_ns, st.st_size)   # a file replaced is read anew
    if key in _memo:
        return _memo[key]
    stem = Path(cache_dir) / f"pre{ref.number:05d}" if cache_dir else None
    if stem is not None and stem.with_suffix(".json").exists():
        meta = json.loads(stem.with_suffix(".json").read_text())
        img = Image.open(stem.with_suffix(".pnm"))
        img.load()
        return _remember(key, (img, meta["dpi"], meta["skew"], meta["ink"]))
    img, dpi = inputs.load_page(ref)
    gray = imaging.to_gray(img)
    skew = imaging.estimate_skew(gray)
    if abs(skew) < 0.3:      # invisible, and Tesseract copes: save the rotation
        skew = 0.0
    if skew:
        img = imaging.rotate(img, skew)
        gray = imaging.to_gray(img) if img.mode != "L" else img
    clean = imaging.whiten(img, imaging.paper_level(gray))
    ink = imaging.ink_ratio(imaging.to_gray(clean))
    if stem is not None:   # two workers may prepare the same page at once: unique temporaries
        tmp = stem.with_name(f"{stem.name}.{os.getpid()}.part")
        clean.save(tmp, "PPM")
        os.replace(tmp, stem.with_suffix(".pnm"))
        tmp.write_text(json.dumps({"dpi": dpi, "skew": skew, "ink": ink}))
        os.replace(tmp, stem.with_suffix(".json"))
    return _remember(key, (clean, dpi, skew, ink))


def _remember(key, value):
    while len(_memo) >= 3:
        _memo.pop(next(iter(_memo)))
    _memo[key] = value
    return value


@dataclass
class Prepared:
    number: int
    width: int
    height: int
    dpi: int
    skew: float
    ink: float
    cuts: list = field(default_factory=list)     # strip boundaries in pixels, 0 .. height; [] = nothing to read
    header: list = field(default_factory=list)   # boundaries of the header preview strips (see pipeline)
    work: list = field(default_factory=list)     # relative reading work of each strip (imaging.strip_work)


@_traced
def prepare(ref, cache_dir, parts: int = 1, marks: tuple = (), header_end: float = 0.0) -> Prepared:
    """First task of a page: load, deskew and whiten it (cached for the strips) and choose
    where to cut it into strips (imaging.strip_cuts). With `marks`, also the boundaries of
    preview strips down to the last mark (page 1's header and summary)."""
    from . import imaging
    clean, dpi, skew, ink = _prepared(ref, cache_dir)
    if ink < MIN_INK:
        return Prepared(ref.number, clean.width, clean.height, dpi, skew, ink)
    gray = imaging.to_gray(clean)
    header = []
    if marks:
        rows = imaging.strip_cuts(gray, 1, marks)
        header = [y for y in rows if y <= (header_end + 0.15) * clean.height] if len(rows) > 2 else rows[:2]
    cuts = imaging.strip_cuts(gray, parts)
    return Prepared(ref.number, clean.width, clean.height, dpi, skew, ink, cuts, header, imaging.strip_work(gray, cuts))


@dataclass
class Strip:
    number: int
    y0: int
    y1: int
    words: list
    text_pdf: bytes          # text-only PDF of the strip (b"" unless searchable)
    conf: float


@_traced
def ocr_strip(ref, y0: int, y1: int, cache_dir, searchable: bool = True) -> Strip:
    """Word boxes (in page coordinates) and the text layer of rows y0..y1 of a prepared page."""
    from . import imaging
    clean, dpi, _skew, _ink = _prepared(ref, cache_dir)
    crop = imaging.to_gray(clean if (y0, y1) == (0, clean.height) else clean.crop((0, y0, clean.width, y1)))
    tsv, pdf = read_image(crop, dpi, pdf=searchable)
    words = parse_tsv(tsv)
    for w in words:
        w.y0 += y0
        w.y1 += y0
        w.block += 1000 * y0       # blocks of different strips stay apart
    good = [w.conf for w in words if w.conf >= 0]
    return Strip(ref.number, y0, y1, words, pdf, sum(good) / len(good) if good else 0.0)


@_traced
def page_image(ref, cache_dir) -> bytes:
    """The cleaned page as stored in the searchable PDF (JPEG, at most IMAGE_DPI)."""
    clean, dpi, _skew, _ink = _prepared(ref, cache_dir)
    return _jpeg(clean, dpi)


def _jpeg(clean, dpi: int) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    keep = clean
    if dpi > IMAGE_DPI >= 200:
        keep = clean.resize((round(clean.width * IMAGE_DPI / dpi), round(clean.height * IMAGE_DPI / dpi)),
                            Image.LANCZOS)
    keep.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, dpi=(min(dpi, IMAGE_DPI),) * 2)
    return buf.getvalue()


def needs_orientation_check(words, conf: float) -> bool:
    """A page read with low confidence, hardly any words or words on their side may be
    upside down or sideways: ocr_page then asks Tesseract's orientation detection."""
    return conf < LOW_CONF or len(words) < 8 or _mostly_tall(words)


@_traced
def ocr_page(ref, detect_orientation: bool = True, cache_dir=None, searchable: bool = True) -> PageResult:
    """Everything for one page in one task (`ref` is an inputs.PageRef), turning it upright
    when needed. With searchable=False only the word boxes: no text layer, no stored image."""
    from . import imaging
    clean, dpi, skew, ink = _prepared(ref, cache_dir)
    clean_gray = imaging.to_gray(clean)
    rotated = 0
    if ink < MIN_INK:
        words, pdf, conf = [], b"", 0.0
    else:
        words, pdf, conf = _recognize(clean_gray, dpi, searchable)
        tall = _mostly_tall(words)
        if detect_orientation and needs_orientation_check(words, conf):
            turn = _osd_rotation(clean_gray)
            if turn:
                # PIL rotates counter-clockwise
                cand = clean.rotate(-turn, expand=True)
                cgray = imaging.to_gray(cand)
                w2, pdf2, conf2 = _recognize(cgray, dpi, searchable)
                # Tesseract reads a sideways page almost as confidently, boxes on their side
                if conf2 > conf or (tall and not _mostly_tall(w2) and conf2 >= conf - 10):
                    clean, clean_gray, words, pdf, conf, rotated = cand, cgray, w2, pdf2, conf2, turn
    if not pdf and searchable:
        pdf = _empty_text_pdf(clean.width, clean.height, dpi)
    blank = imaging.looks_blank(ink, sum(1 for w in words if w.conf > 50 and any(c.isalnum() for c in w.text)))
    if not searchable:
        return PageResult(ref.number, clean.width, clean.height, dpi, words, words_to_text(words), conf, blank,
                          ink, skew, rotated, b"", clean.mode, b"")
    image = _jpeg(clean, dpi)
    return PageResult(ref.number, clean.width, clean.height, dpi, words, words_to_text(words), conf, blank,
                      ink, skew, rotated, image, clean.mode, pdf)


def _empty_text_pdf(w, h, dpi) -> bytes:
    import pymupdf as fitz
    doc = fitz.open()
    doc.new_page(width=w * 72 / dpi, height=h * 72 / dpi)
    return doc.tobytes()


# --- the pool ---------------------------------------------------------------------------------

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, int(os.environ.get("VANTHU_OCR_WORKERS", "0")) or 64))


def _init_worker():
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _context():
    """'fork' where it is safe — Linux, a process with no other thread and no Qt (the command
    line): the workers start in milliseconds with the modules already imported here, instead of
    ~0.4 s CPU each for a new interpreter. 'spawn' otherwise (safe beside Qt threads)."""
    import sys
    method = os.environ.get("VANTHU_OCR_START", "")
    if method not in ("fork", "spawn", "forkserver"):
        method = "fork" if (sys.platform.startswith("linux") and threading.active_count() == 1
                            and not any(m.startswith("PySide6") for m in sys.modules)) else "spawn"
    if method == "fork":
        import pymupdf  # noqa: F401  (imported once, here, for every worker)

        from . import imaging, inputs, tesseract  # noqa: F401
    return multiprocessing.get_context(method)


def pool() -> ProcessPoolExecutor:
    """A shared pool of OCR worker processes (see _context for how they start)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=workers(), mp_context=_context(), initializer=_init_worker)
        return _pool


def reset_pool() -> None:
    """Drop the pool (after a worker died or on cancellation); the next call starts a new one."""
    global _pool
    with _pool_lock:
        p, _pool = _pool, None
    if p is not None:
        p.shutdown(wait=False, cancel_futures=True)


def warm_up() -> None:
    """Start the workers ahead of the first page (the UI calls this at start)."""
    p = pool()
    for f in [p.submit(_noop) for _ in range(workers())]:
        f.result(timeout=60)


def _noop():
    """Get a worker ready: modules imported, the model loaded, the image code paths run once
    (a first page otherwise pays ~0.2 s more)."""
    import pymupdf  # noqa: F401
    from PIL import Image, ImageDraw

    from . import imaging, inputs  # noqa: F401
    from .tesseract import engine
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    for y in range(200, 1500, 60):
        draw.rectangle((150, y, 1000, y + 20), fill=0)
    img = imaging.whiten(imaging.rotate(img, imaging.estimate_skew(img) or 0.5), 230)
    imaging.strip_work(img, imaging.strip_cuts(img, 2))
    img.save(io.BytesIO(), "TIFF")
    engine(LANG)                    # load the model now, not with the first page
    return os.getpid()


atexit.register(reset_pool)
