"""From files (scans, images, PDFs) to a searchable PDF and suggested register fields.

    result = process(["letter.tif"], out_pdf="letter.pdf", progress=cb, cancelled=ev.is_set,
                     on_fields=show_in_form)

Pages are read in worker processes (see _ocr_document for the schedule): `on_fields(fields,
final)` is called as soon as the top of page 1 is read (final=False), and again when everything
is read (final=True). A PDF with a text layer or signatures is kept byte for byte: its text is read
from it (no OCR) and the result's pdf is the original file."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import tr
from . import extract, imaging, inputs, layout, ocr
from .errors import Cancelled, InputFileError, ScanError

log = logging.getLogger("vanthu.scan.pipeline")


@dataclass
class PageInfo:
    number: int              # 1-based
    blank: bool              # flagged for the clerk's review, never dropped
    confidence: float        # mean OCR word confidence 0..1 (1 for a text layer)
    skew: float = 0.0        # degrees corrected
    rotated: int = 0         # degrees turned clockwise to make it upright
    dpi: int = 0
    source: str = ""         # file and page it came from


@dataclass
class IntakeResult:
    pdf: Path | None                     # the searchable PDF (or the original PDF kept as is)
    kept_original: bool
    pages: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    text: str = ""
    timings: dict = field(default_factory=dict)   # seconds: fields_ready, ocr_done, pdf_done

    @property
    def blank_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.blank]


def _check_cancel(cancelled):
    if cancelled and cancelled():
        raise Cancelled(tr("Đã hủy."), "cancelled by the user")


def process(paths, out_pdf=None, progress=None, cancelled=None, on_fields=None, on_page=None,
            workdir=None, early_fields: bool = True, searchable: bool = True) -> IntakeResult:
    """Read one document made of `paths` (in order). `progress(done, total)` counts pages;
    `cancelled()` is polled; `on_page(PageInfo)` reports each page as it is read. The
    searchable PDF goes to `out_pdf`, or to a new temporary file that the caller owns.
    early_fields=False skips the early header pass (nobody is waiting for page-1 fields);
    searchable=False reads the fields only: no PDF is written (result.pdf is None)."""
    t0 = time.perf_counter()
    paths = [Path(p) for p in (paths if isinstance(paths, (list, tuple)) else [paths])]
    if not paths:
        raise InputFileError(tr("Chưa chọn tệp nào."), "no input files")
    sources = [inputs.inspect(p) for p in paths]
    if any(s.keep_original for s in sources):
        if len(sources) > 1:
            raise InputFileError(
                tr("Tệp PDF «{n}» đã có chữ hoặc chữ ký số: hãy nhập riêng tệp này.").format(
                    n=next(s.path.name for s in sources if s.keep_original)), "keep-original PDF among several files")
        if sources[0].has_text:
            return _from_text_pdf(sources[0], progress, cancelled, on_fields, on_page, t0)
    keep = sources[0] if sources[0].keep_original else None   # signed image-only PDF: OCR beside it
    refs = inputs.page_refs(sources)
    own_tmp = workdir is None
    work = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="vanthu-intake-"))
    try:
        return _ocr_document(refs, keep, out_pdf, work, progress, cancelled, on_fields, on_page, t0,
                             early_fields=early_fields, searchable=searchable)
    finally:
        if own_tmp:
            shutil.rmtree(work, ignore_errors=True)


def _order(n: int) -> list[int]:
    """Page 1 first, then the last page (signature block), then the rest."""
    return [0] + ([n - 1] if n > 1 else []) + list(range(1, n - 1))


def _parts(n: int, workers: int) -> int:
    """Strips per page. Whole pages, longest first, when there are at least as many pages as
    workers: Tesseract reads a stamp or a stray mark a little differently in a strip (measured on
    18 generated 3-page scans: 59 vs 62 character errors in 60,000, but one signer's title
    picked up a stray letter), and a 3-page scan gains little (the last page is usually short).
    A single page on 2 cores is read in 2 strips, twice as fast."""
    fixed = os.environ.get("VANTHU_OCR_STRIPS", "")     # benchmarks: force strips per page
    if fixed.isdigit() and int(fixed) > 0:
        return int(fixed)
    return 1 if n >= workers else -(-workers // n)


# Early pass for the page-1 fields: the top of page 1 is cut (between text lines) below the
# header table (~20 % of the height) and below the type heading and summary (~40 %); these two
# strips are read first, one per worker, and give the first suggestion only. The page itself is
# read again in its own strips: Tesseract reads a stamp or a header column a little differently
# in a short strip, and the text layer must not get worse for a preview. The signing block,
# which may be on any page, comes with the full read.
HEADER_MARKS = (0.2, 0.4)


# task classes, first served first: page 1's header preview, preparing pages (which makes more
# work known), a page read again to turn it upright, strips (most work first), stored images
_CLASS = {"head": 0, "prep": 1, "page": 2, "strip": 3, "image": 4}


@dataclass
class _Page:
    """What the workers returned for one page so far."""
    prep: ocr.Prepared
    strips: dict = field(default_factory=dict)     # y0 -> ocr.Strip
    image: bytes = b""
    whole: ocr.PageResult | None = None            # read again in one piece to turn it upright
    checked: bool = False

    @property
    def spans(self) -> list:
        return list(zip(self.prep.cuts, self.prep.cuts[1:]))

    @property
    def read(self) -> bool:
        return len(self.strips) == len(self.spans)

    def words(self) -> list:
        if self.whole is not None:
            return self.whole.words
        return [w for y0 in sorted(self.strips) for w in self.strips[y0].words]

    def conf(self) -> float:
        good = [w.conf for w in self.words() if w.conf >= 0]
        return sum(good) / len(good) if good else 0.0


def _ocr_document(refs, keep, out_pdf, work, progress, cancelled, on_fields, on_page, t0,
                  early_fields: bool = True, searchable: bool = True) -> IntakeResult:
    """Schedule the pages on the worker pool: each page is prepared (deskewed, whitened, cut into
    strips between text lines), then its strips are read, the most work first (so that no worker
    is left with a long page at the end); at most one task per worker is in flight, so that
    page 1's header strips jump the queue as soon as they are known."""
    import heapq
    import itertools

    from . import pdf as pdfmod
    n = len(refs)
    pool = ocr.pool()
    nworkers = ocr.workers()
    parts = _parts(n, nworkers)
    seq = itertools.count()
    pending: list = []                   # heap of (class, -work, seq, task)

    def queue(task, cost: float = 0.0):
        heapq.heappush(pending, (_CLASS[task[0]], -cost, next(seq), task))

    order = _order(n)
    # with early fields due, the middle pages are prepared only once page 1's preview strips are
    # queued: a worker must not be busy with them when the preview can start
    held = order[2:] if early_fields else []
    for k in order[:2] if early_fields else order:
        queue(("prep", k, None))
    in_flight: dict = {}
    pages: dict[int, _Page] = {}
    head: dict = {}                     # y0 -> page 1's header preview strips, while early fields are due
    texts: dict[int, str] = {}
    layouts: dict[int, layout.PageLayout] = {}
    infos: dict[int, PageInfo] = {}
    timings: dict = {}
    fields = None
    done = 0

    def submit(task):
        kind, k, arg = task
        ref = refs[k]
        if kind == "prep":
            marks = HEADER_MARKS if (k == 0 and early_fields) else ()
            fut = pool.submit(ocr.prepare, ref, str(work), parts, marks, HEADER_MARKS[-1])
        elif kind in ("strip", "head"):
            fut = pool.submit(ocr.ocr_strip, ref, arg[0], arg[1], str(work), searchable and kind == "strip")
        elif kind == "image":
            fut = pool.submit(ocr.page_image, ref, str(work))
        else:   # "page": the whole page again, with orientation detection
            fut = pool.submit(ocr.ocr_page, ref, True, str(work), searchable)
        in_flight[fut] = task

    def page_read(k: int) -> None:
        nonlocal done, fields
        pg = pages[k]
        words = pg.words()
        r = pg.whole
        rotated = r.rotated if r else 0
        width, height = (r.width, r.height) if r else (pg.prep.width, pg.prep.height)
        conf = pg.conf()
        blank = imaging.looks_blank(pg.prep.ink, sum(1 for w in words if w.conf > 50
                                                     and any(c.isalnum() for c in w.text)))
        texts[k] = ocr.words_to_text(words)
        info = PageInfo(k + 1, blank, round(conf / 100, 3), pg.prep.skew, rotated, pg.prep.dpi,
                        f"{Path(refs[k].path).name}#{refs[k].index + 1}")
        infos[k] = info
        layouts[k] = layout.build(k, width, height, words)
        done += 1
        if on_page:
            on_page(info)
        if progress:
            progress(done, n)
        if k == 0 and n > 1 and "fields_ready" not in timings:    # no early pass: page 1 read
            fields = extract.extract_fields([layouts[0]], pages=n)
            timings["fields_ready"] = round(time.perf_counter() - t0, 3)
            if on_fields:
                on_fields(fields, False)

    try:
        while pending or in_flight:
            _check_cancel(cancelled)
            while pending and len(in_flight) < nworkers:
                if early_fields and 0 not in pages and pending[0][0] > _CLASS["prep"]:
                    break       # keep a worker free for page 1's preview strips
                submit(heapq.heappop(pending)[-1])
            finished, _ = wait(list(in_flight), timeout=0.2, return_when=FIRST_COMPLETED)
            for fut in finished:
                kind, k, arg = in_flight.pop(fut)
                r = _result(fut, refs[k])
                if kind == "prep":
                    pg = pages[k] = _Page(r)
                    for sp in zip(r.header, r.header[1:]):
                        queue(("head", k, sp))
                    for sp, cost in zip(pg.spans, r.work):
                        queue(("strip", k, sp), cost)
                    if searchable:
                        queue(("image", k, None))
                    if k == 0:
                        for m in held:
                            queue(("prep", m, None))
                    if not pg.spans:          # nothing to read on it
                        page_read(k)
                elif kind == "head":
                    head[arg[0]] = r
                    pg = pages[k]
                    if "fields_ready" not in timings and len(head) == len(pg.prep.header) - 1:
                        fields = _early_fields(pg, [head[y] for y in sorted(head)], n)
                        timings["fields_ready"] = round(time.perf_counter() - t0, 3)
                        if on_fields:
                            on_fields(fields, False)
                elif kind == "strip":
                    pg = pages[k]
                    pg.strips[arg[0]] = r
                    if pg.read:
                        words = pg.words()
                        if not pg.checked and ocr.needs_orientation_check(words, pg.conf()):
                            pg.checked = True
                            queue(("page", k, None))
                        else:
                            page_read(k)
                elif kind == "image":
                    if pages[k].whole is None:
                        pages[k].image = r
                else:
                    pg = pages[k]
                    pg.whole = r
                    pg.image = r.image
                    page_read(k)
    except BaseException:
        for fut in in_flight:
            fut.cancel()
        raise
    timings["ocr_done"] = round(time.perf_counter() - t0, 3)
    text = "\n\n".join(texts[k] for k in range(n))
    fields = extract.extract_fields([layouts.get(k) for k in range(n)], pages=n, text=text)
    if all(infos[k].blank for k in range(n)):
        log.warning("every page looks blank")
    timings["fields_full"] = round(time.perf_counter() - t0, 3)
    timings.setdefault("fields_ready", timings["fields_full"])
    if keep is not None:
        pdf_path, kept = keep.path, True
    elif not searchable:
        pdf_path, kept = None, False
    else:
        if out_pdf:
            out = Path(out_pdf)
        else:   # the caller owns this file
            fd, name = tempfile.mkstemp(prefix="vanthu-scan-", suffix=".pdf")
            os.close(fd)
            out = Path(name)
        pdf_path = pdfmod.assemble([_pdf_part(work, k, pages[k]) for k in range(n)], out, cancelled=cancelled)
        kept = False
    timings["pdf_done"] = round(time.perf_counter() - t0, 3)
    found = sorted(k for k in extract.FIELDS if fields.get(k) is not None)
    log.info("intake: %d page(s) from %s, blank %s, fields %s, timings %s", n,
             ", ".join(sorted({Path(r.path).name for r in refs})), [k + 1 for k in range(n) if infos[k].blank],
             found, timings)
    if on_fields:
        on_fields(fields, True)
    return IntakeResult(pdf_path, kept, [infos[k] for k in range(n)], fields, text, timings)


def _result(fut, ref):
    """A worker's answer, its failures turned into the clerk's messages."""
    try:
        return fut.result()
    except (InputFileError, ScanError, Cancelled):
        raise
    except BrokenProcessPool as exc:
        ocr.reset_pool()
        raise ScanError(tr("Tiến trình nhận dạng chữ bị dừng đột ngột; hãy thử lại."), repr(exc)) from exc
    except RuntimeError as exc:
        raise ScanError(tr("Không nhận dạng được chữ trang {p}: {e}").format(
            p=ref.number + 1, e=str(exc)[:200]), repr(exc)) from exc
    except Exception as exc:  # noqa: BLE001  anything else from a worker: no traceback for the clerk
        log.exception("OCR worker failed on page %d", ref.number + 1)
        raise ScanError(tr("Không đọc được trang {p} của tệp.").format(p=ref.number + 1), repr(exc)) from exc


def _pdf_part(work: Path, k: int, pg: _Page):
    """The page's JPEG and text layers written beside each other for pdf.assemble."""
    from . import pdf as pdfmod
    img = work / f"p{k:05d}.jpg"
    img.write_bytes(pg.image)
    if pg.whole is not None:
        r = pg.whole
        dpi, w, h = r.dpi, r.width, r.height
        layers = [(0, h, r.text_pdf)]
    else:
        dpi, w, h = pg.prep.dpi, pg.prep.width, pg.prep.height
        layers = [(y0, s.y1, s.text_pdf) for y0, s in sorted(pg.strips.items()) if s.text_pdf]
    text = []
    for i, (y0, y1, data) in enumerate(layers):
        path = work / f"p{k:05d}-{i:02d}.pdf"
        path.write_bytes(data)
        text.append((path, y0 * 72 / dpi, (y1 - y0) * 72 / dpi))
    return pdfmod.PagePart(img, text, w * 72 / dpi, h * 72 / dpi)


def _early_fields(pg: _Page, strips: list, n: int) -> dict:
    """Fields from page 1's header strips (page coordinates, so the layout rules hold)."""
    words = [w for s in strips for w in s.words]
    return extract.extract_fields([layout.build(0, pg.prep.width, pg.prep.height, words)], pages=n)


def _from_text_pdf(src, progress, cancelled, on_fields, on_page, t0) -> IntakeResult:
    from .pdf import text_pages
    n = src.pages
    texts, lays, infos = [], {}, []
    for i, page in text_pages(src.path, progress, cancelled):
        t = page.get_text("text")
        texts.append(t.strip())
        lays[i] = layout.from_pdf_page(page, i)
        blank = not t.strip() and not page.get_images()
        info = PageInfo(i + 1, blank, 1.0, source=f"{src.path.name}#{i + 1}")
        infos.append(info)
        if on_page:
            on_page(info)
        if i == 0 and on_fields and n > 1:
            on_fields(extract.extract_fields([lays[0]], pages=n), False)
    text = "\n\n".join(texts)
    fields = extract.extract_fields([lays[k] for k in range(n)], pages=n, text=text)
    t = round(time.perf_counter() - t0, 3)
    if on_fields:
        on_fields(fields, True)
    return IntakeResult(src.path, True, infos, fields, text,
                        {"fields_ready": t, "ocr_done": t, "pdf_done": t})
