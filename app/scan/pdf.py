"""Searchable PDF: each page is the cleaned scan at true size with Tesseract's invisible text
laid over it (one text-only PDF per strip the page was read in, each at its place). Written in
chunks with incremental saves so that memory stays bounded."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..i18n import tr

CHUNK = 20


@dataclass
class PagePart:
    image: Path          # JPEG of the page
    text: list           # (one-page PDF with the invisible text, top, height in points), top to bottom
    width_pt: float
    height_pt: float


def assemble(parts: list[PagePart], out: Path, title: str | None = None, progress=None, cancelled=None) -> Path:
    """Write the searchable PDF to `out` (atomically: a temporary file, then rename)."""
    import pymupdf as fitz

    from .errors import Cancelled
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    if tmp.exists():
        tmp.unlink()
    doc = fitz.open()
    saved = False
    try:
        for i, part in enumerate(parts):
            if cancelled and cancelled():
                raise Cancelled(tr("Đã hủy."), "cancelled while assembling the PDF")
            page = doc.new_page(width=part.width_pt, height=part.height_pt)
            page.insert_image(page.rect, filename=str(part.image))
            for text_pdf, top, height in part.text:
                with fitz.open(text_pdf) as src:
                    if src.page_count and src[0].get_text("text").strip():
                        page.show_pdf_page(fitz.Rect(0, top, part.width_pt, top + height), src, 0)
            if (i + 1) % CHUNK == 0 and i + 1 < len(parts):
                if not saved:
                    doc.save(tmp, deflate=True)
                    saved = True
                else:
                    doc.saveIncr()
                doc.close()
                doc = fitz.open(tmp)
            if progress:
                progress(i + 1, len(parts))
        meta = {"producer": "Văn thư (vanthu)", "creator": "vanthu scan"}
        if title:
            meta["title"] = title
        doc.set_metadata(meta)
        if saved:
            doc.saveIncr()
        else:
            doc.save(tmp, deflate=True, garbage=3)
        doc.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
        return out
    except BaseException:
        try:
            doc.close()
        except Exception:
            pass
        tmp.unlink(missing_ok=True)
        raise


def text_pages(path: Path, progress=None, cancelled=None):
    """Text of each page of a PDF that has a text layer, page by page (memory stays bounded)."""
    from .inputs import open_pdf
    doc = open_pdf(Path(path))
    try:
        n = doc.page_count
        for i in range(n):
            if cancelled and cancelled():
                from .errors import Cancelled
                raise Cancelled(tr("Đã hủy."), "cancelled while reading the PDF text")
            page = doc[i]
            yield i, page
            if progress:
                progress(i + 1, n)
    finally:
        doc.close()
