"""Files taken in (PDF, multi-page TIFF, JPEG, PNG): what they are and their pages, checked
before anything is decoded whole."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..i18n import tr
from . import safety
from .errors import InputFileError

log = logging.getLogger("vanthu.scan.inputs")

MAX_PIXELS = 100_000_000      # an A3 page at 600 dpi is 70 MP; 20,000 x 20,000 is refused
MAX_PAGES = 2000
OCR_DPI = 300
MIN_DPI = 200                 # ND30: digitized copies at least 200 dpi
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff"}


@dataclass(frozen=True)
class Source:
    path: Path
    kind: str            # "image" | "pdf"
    pages: int
    has_text: bool = False
    signed: bool = False

    @property
    def keep_original(self) -> bool:
        """A PDF with text or signatures is kept byte for byte; its OCR text goes beside it."""
        return self.kind == "pdf" and (self.has_text or self.signed)


@dataclass(frozen=True)
class PageRef:
    path: str
    kind: str
    index: int           # page index in the file
    number: int          # page number in the document (0-based, across files)


def _sniff(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(1024)
    if not head:
        raise InputFileError(tr("Tệp «{n}» rỗng.").format(n=path.name), f"{path}: 0 bytes")
    if b"%PDF-" in head:
        return "pdf"
    if head[:3] == b"\xff\xd8\xff" or head[:8] == b"\x89PNG\r\n\x1a\n" or head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image"
    raise InputFileError(tr("Tệp «{n}» không phải PDF, TIFF, JPEG hay PNG.").format(n=path.name),
                         f"{path}: unknown magic {head[:8]!r}")


@safety.reading_errors   # decoding library errors -> the clerk's message (issue 15)
def open_pdf(path: Path):
    import pymupdf as fitz
    try:
        doc = fitz.open(path)
    except Exception as exc:
        raise InputFileError(tr("Tệp PDF «{n}» bị hỏng, không đọc được.").format(n=path.name), f"{path}: {exc}") from exc
    if doc.needs_pass or doc.is_encrypted:
        doc.close()
        raise InputFileError(tr("Tệp PDF «{n}» có mật khẩu; hãy xin bản không đặt mật khẩu.").format(n=path.name),
                             f"{path}: encrypted")
    if doc.page_count == 0:
        doc.close()
        raise InputFileError(tr("Tệp PDF «{n}» không có trang nào.").format(n=path.name), f"{path}: 0 pages")
    return doc


def _check_pixels(path: Path, w: int, h: int, page: int | None = None) -> None:
    safety.check_sides(path, w, h)
    if w <= 0 or h <= 0 or w * h > MAX_PIXELS:
        where = tr(" (trang {p})").format(p=page + 1) if page is not None else ""
        raise InputFileError(
            tr("Ảnh «{n}»{w} quá lớn ({x} × {y} điểm ảnh); tối đa {m} triệu điểm ảnh.").format(
                n=path.name, w=where, x=w, y=h, m=MAX_PIXELS // 1_000_000),
            f"{path}: {w}x{h} pixels refused before decoding")


@safety.reading_errors
def inspect(path) -> Source:
    """Identify a file and check it can be taken in, without decoding images whole."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(tr("Không tìm thấy tệp {p}.").format(p=path), f"{path}: not a file")
    kind = _sniff(path)
    if kind == "pdf":
        doc = open_pdf(path)
        try:
            n = doc.page_count
            if n > MAX_PAGES:
                raise InputFileError(tr("Tệp «{n}» có {p} trang, vượt quá {m} trang.").format(
                    n=path.name, p=n, m=MAX_PAGES), f"{path}: {n} pages")
            has_text = False
            for i in range(min(n, 5)):
                try:
                    if doc[i].get_text("text").strip():
                        has_text = True
                        break
                except Exception as exc:
                    raise InputFileError(tr("Tệp PDF «{n}» bị hỏng, không đọc được.").format(n=path.name),
                                         f"{path} page {i}: {exc}") from exc
            signed = doc.get_sigflags() > 0
            return Source(path, "pdf", n, has_text, signed)
        finally:
            doc.close()
    from PIL import Image, UnidentifiedImageError
    Image.MAX_IMAGE_PIXELS = None   # our own limit below, checked on the header before any decoding
    try:
        with Image.open(path) as im:
            n = getattr(im, "n_frames", 1)
            for i in range(min(n, MAX_PAGES)):
                if i:
                    im.seek(i)
                _check_pixels(path, *im.size, page=i if n > 1 else None)
                safety.check_image(path, im)   # decoded size, PNG data enough for its header (issue 15)
    except InputFileError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InputFileError(tr("Ảnh «{n}» bị hỏng, không đọc được.").format(n=path.name), f"{path}: {exc}") from exc
    return Source(path, "image", n)


def page_refs(sources: list[Source]) -> list[PageRef]:
    refs, k = [], 0
    for s in sources:
        for i in range(s.pages):
            refs.append(PageRef(str(s.path), s.kind, i, k))
            k += 1
    return refs


def _has_colour_image(doc, page) -> bool:
    """Whether the page's (first) image is in colour: render the page in colour then."""
    import pymupdf as fitz
    images = page.get_images(full=True)
    if not images:
        return False
    try:
        pix = fitz.Pixmap(doc, images[0][0])
        return pix.n - pix.alpha >= 3
    except Exception:
        return images[0][5] not in ("DeviceGray", "Indexed", "")


@safety.reading_errors
def load_page(ref: PageRef):
    """Decode one page as a PIL image (L or RGB) and its resolution in dpi."""
    from PIL import Image
    path = Path(ref.path)
    if ref.kind == "pdf":
        import pymupdf as fitz
        doc = open_pdf(path)
        try:
            page = doc[ref.index]
            color = _has_colour_image(doc, page)
            r = page.rect
            dpi = OCR_DPI
            while dpi > MIN_DPI and (r.width * dpi / 72) * (r.height * dpi / 72) > MAX_PIXELS:
                dpi -= 25
            _check_pixels(path, round(r.width * dpi / 72), round(r.height * dpi / 72), ref.index)
            pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csRGB if color else fitz.csGRAY, alpha=False)
            mode = "RGB" if color else "L"
            img = Image.frombytes(mode, (pix.width, pix.height), pix.samples)
            return img, dpi
        finally:
            doc.close()
    Image.MAX_IMAGE_PIXELS = None   # checked below on the header, before decoding
    im = Image.open(path)
    if ref.index:
        im.seek(ref.index)
    _check_pixels(path, *im.size, page=ref.index)
    dpi = im.info.get("dpi", (OCR_DPI, OCR_DPI))[0] or OCR_DPI
    try:
        dpi = int(round(float(dpi)))
    except (TypeError, ValueError):
        dpi = OCR_DPI
    if dpi < 72 or dpi > 1200:
        dpi = OCR_DPI
    safety.decode(im, path)   # decoding errors -> the clerk's message (issue 15)
    if im.mode not in ("L", "RGB"):
        im = im.convert("RGB" if im.mode in ("RGBA", "P", "CMYK", "YCbCr") else "L")
    return im, dpi
