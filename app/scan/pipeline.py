"""From files (scans, images, PDFs) to a searchable PDF and suggested register fields.

    result = process(["letter.tif"], out_pdf="letter.pdf", progress=cb, cancelled=ev.is_set,
                     on_fields=show_in_form)

Pages are read in worker processes, page 1 and the last page first: `on_fields(fields, final)`
is called as soon as page 1 is read (final=False), and again when everything is read
(final=True). A PDF with a text layer or signatures is kept byte for byte: its text is read
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
from . import extract, inputs, layout, ocr
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


# Early pass for the page-1 fields: the header part of page 1 (number, date, issuer, type,
# summary) is read first, apart from the full pages; the signing block, which may be on any
# page, comes with the full read.
# Two overlapping bands read in parallel (one per worker): the header table, then the type
# heading and the summary. A word is kept from the band whose own part (KEEP) holds its centre,
# so a line cut by one band's edge comes whole from the other.
HEADER_BOX = (0.0, 0.0, 1.0, 0.4)
HEADER_BANDS = ((0.0, 0.0, 1.0, 0.22), (0.0, 0.18, 1.0, 0.4))
KEEP = {HEADER_BANDS[0]: (0.0, 0.2), HEADER_BANDS[1]: (0.2, 0.4)}


def _ocr_document(refs, keep, out_pdf, work, progress, cancelled, on_fields, on_page, t0,
                  early_fields: bool = True, searchable: bool = True) -> IntakeResult:
    from . import pdf as pdfmod
    n = len(refs)
    tasks = []
    if early_fields:
        tasks += [("region", 0, band) for band in (HEADER_BANDS if ocr.workers() > 1 else (HEADER_BOX,))]
    tasks += [("page", k, None) for k in _order(n)]
    pool = ocr.pool()
    in_flight = {}
    texts: dict[int, str] = {}
    layouts: dict[int, layout.PageLayout] = {}
    regions: list = []
    infos: dict[int, PageInfo] = {}
    parts: dict[int, pdfmod.PagePart] = {}
    timings = {}
    fields = None
    next_i = 0
    limit = 2 * ocr.workers()
    done = 0
    try:
        while next_i < len(tasks) or in_flight:
            _check_cancel(cancelled)
            while next_i < len(tasks) and len(in_flight) < limit:
                kind, k, box = tasks[next_i]
                fut = pool.submit(ocr.ocr_region, refs[k], box, str(work)) if kind == "region" else \
                    pool.submit(ocr.ocr_page, refs[k], True, str(work), searchable)
                in_flight[fut] = (kind, refs[k], box)
                next_i += 1
            finished, _ = wait(list(in_flight), timeout=0.2, return_when=FIRST_COMPLETED)
            for fut in finished:
                kind, ref, box = in_flight.pop(fut)
                try:
                    r = fut.result()
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
                if kind == "region":
                    regions.append((r, KEEP.get(box, (0.0, 1.0))))
                    if fields is None and len(regions) == sum(1 for t in tasks if t[0] == "region"):
                        fields = _early_fields(regions, n)
                        timings["fields_ready"] = round(time.perf_counter() - t0, 3)
                        if on_fields:
                            on_fields(fields, False)
                    continue
                k = r.number
                if searchable:
                    img = work / f"p{k:05d}.jpg"
                    img.write_bytes(r.image)
                    tpdf = work / f"p{k:05d}.pdf"
                    tpdf.write_bytes(r.text_pdf)
                    parts[k] = pdfmod.PagePart(img, tpdf, r.width * 72 / r.dpi, r.height * 72 / r.dpi)
                texts[k] = r.text
                info = PageInfo(k + 1, r.blank, round(r.mean_conf / 100, 3), r.skew, r.rotated, r.dpi,
                                f"{Path(ref.path).name}#{ref.index + 1}")
                infos[k] = info
                layouts[k] = layout.build(k, r.width, r.height, r.words)
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
        pdf_path = pdfmod.assemble([parts[k] for k in range(n)], out, cancelled=cancelled)
        kept = False
    timings["pdf_done"] = round(time.perf_counter() - t0, 3)
    found = sorted(k for k in extract.FIELDS if fields.get(k) is not None)
    log.info("intake: %d page(s) from %s, blank %s, fields %s, timings %s", n,
             ", ".join(sorted({Path(r.path).name for r in refs})), [k + 1 for k in range(n) if infos[k].blank],
             found, timings)
    if on_fields:
        on_fields(fields, True)
    return IntakeResult(pdf_path, kept, [infos[k] for k in range(n)], fields, text, timings)


def _early_fields(regions, n: int) -> dict:
    """Fields from the early region pass (page coordinates, so the layout rules hold)."""
    by_page: dict[int, list] = {}
    dims = {}
    for r, (top, bottom) in regions:
        by_page.setdefault(r.number, []).extend(
            w for w in r.words if top * r.height <= (w.y0 + w.y1) / 2 < bottom * r.height)
        dims[r.number] = (r.width, r.height)
    lays = [layout.build(k, *dims[k], by_page[k]) for k in sorted(by_page)]
    return extract.extract_fields(lays, pages=n)


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
