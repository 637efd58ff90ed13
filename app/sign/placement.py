"""Where the organization's signature goes (ND30 Appendix I).

- Outgoing main document: the seal overlaps about one third of the leader's signature, on its
  left. The leader's signature is found from an existing signature field, else from the signing
  block text (authority line / title, then the signer's name) found by app.domain.pagelayout on
  whatever page it is, else the clerk gives the position.
- Attachments and electronic copies: top right of page 1.

Boxes are returned in PDF user space (points, origin bottom-left), as pyhanko expects."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ValidationError
from ..i18n import tr
from .errors import PdfReadError

MM = 72 / 25.4
OWN_FIELD_PREFIX = "VanThu"
# A leader's handwritten signature image is about this wide when only the text block is known.
DEFAULT_SIGNATURE_WIDTH_MM = 45.0
TOP_RIGHT_MARGIN_MM = (15.0, 8.0)   # from the right edge, from the top edge
TEXT_BOX_WIDTH_MM = 78.0

@dataclass
class Placement:
    page: int                      # 0-based
    box: tuple                     # (x1, y1, x2, y2) PDF user space
    source: str                    # "field" | "text" | "override" | "top-right"
    leader_box: tuple | None = None   # the leader's signature box used as reference (PDF space)

    def to_dict(self) -> dict:
        return {"page": self.page + 1, "box": [round(v, 2) for v in self.box], "source": self.source}


def parse_position(text: str) -> tuple[int, float, float]:
    """'PAGE,X,Y' (page from 1, X and Y in millimetres from the top-left corner, seal centre)."""
    try:
        page, x, y = (p.strip() for p in text.split(","))
        page_i, xf, yf = int(page), float(x), float(y)
        if page_i < 1 or xf < 0 or yf < 0:
            raise ValueError
        return page_i, xf, yf
    except ValueError:
        raise ValidationError(tr("Vị trí «{t}» không hợp lệ: cần TRANG,X,Y (X, Y tính bằng mm từ góc trên trái), "
                                 "ví dụ 2,120,200.").format(t=text)) from None


def _to_pdf(page, rect) -> tuple:
    """MuPDF (top-left, rotated) rectangle -> PDF user space box."""
    import pymupdf
    r = pymupdf.Rect(rect) * ~page.transformation_matrix
    r.normalize()
    return (r.x0, r.y0, r.x1, r.y1)


def _seal_box_from_leader(page, leader, diameter_pt: float) -> tuple:
    """Seal (square box, `diameter_pt`) whose right edge covers the left third of `leader`
    (a MuPDF rectangle), vertically centred on it."""
    import pymupdf
    right = leader.x0 + leader.width / 3
    cy = (leader.y0 + leader.y1) / 2
    return _to_pdf(page, pymupdf.Rect(right - diameter_pt, cy - diameter_pt / 2, right, cy + diameter_pt / 2))


def _leader_field(doc):
    """The last page's signature widget that is not ours (MuPDF coordinates)."""
    import pymupdf
    for pno in range(doc.page_count - 1, -1, -1):
        page = doc[pno]
        found = [w for w in (page.widgets() or [])
                 if w.field_type == pymupdf.PDF_WIDGET_TYPE_SIGNATURE
                 and not (w.field_name or "").startswith(OWN_FIELD_PREFIX)
                 and w.rect.width > 2 and w.rect.height > 2]
        if found:
            return page, max(found, key=lambda w: (w.rect.y1, w.rect.x1)).rect
    return None, None


def page_layouts(doc) -> list:
    """Word-box layouts of every page (PyMuPDF words, MuPDF coordinates)."""
    from ..domain.pagelayout import from_pdf_words
    return [from_pdf_words(i, doc[i].rect.width, doc[i].rect.height, doc[i].get_text("words"))
            for i in range(doc.page_count)]


def _signing_block(doc):
    """(page, MuPDF rect of the leader's signature area) from the signing block text, found by
    the same finder as field extraction, on whatever page it is (a decision followed by its
    annex has it on page 1 or 2); or (None, None)."""
    import pymupdf

    from ..domain.pagelayout import leader_block
    block = leader_block(page_layouts(doc))
    if block is None or block.area is None:
        return None, None
    x0, top, x1, bottom = block.area
    top, bottom = top + 2, bottom - 2
    if bottom - top < 10:
        return None, None
    cx = (block.name.x0 + block.name.x1) / 2
    w = DEFAULT_SIGNATURE_WIDTH_MM * MM
    return doc[block.name_page], pymupdf.Rect(cx - w / 2, top, cx + w / 2, bottom)


def locate_seal(path, diameter_mm: float, position: tuple | None = None) -> Placement:
    import pymupdf
    d = diameter_mm * MM
    try:
        doc = pymupdf.open(Path(path))
    except Exception as exc:  # noqa: BLE001
        raise PdfReadError(tr("Tệp {p} không phải PDF đọc được.").format(p=Path(path).name), str(exc)) from exc
    try:
        if position:
            pno, x, y = position
            if pno > doc.page_count:
                raise ValidationError(tr("Văn bản chỉ có {n} trang, không có trang {p}.").format(
                    n=doc.page_count, p=pno))
            page = doc[pno - 1]
            cx, cy = x * MM, y * MM
            box = _to_pdf(page, pymupdf.Rect(cx - d / 2, cy - d / 2, cx + d / 2, cy + d / 2))
            return Placement(pno - 1, box, "override")
        page, rect = _leader_field(doc)
        if page is not None:
            return Placement(page.number, _seal_box_from_leader(page, rect, d), "field", _to_pdf(page, rect))
        page, rect = _signing_block(doc)
        if rect is not None:
            return Placement(page.number, _seal_box_from_leader(page, rect, d), "text", _to_pdf(page, rect))
    finally:
        doc.close()
    raise ValidationError(
        tr("Không tìm thấy chữ ký của lãnh đạo hay khối chữ ký trong {p}. "
           "Hãy chỉ định vị trí con dấu (trang, x, y).").format(p=Path(path).name), f"no signing block in {path}")


def locate_top_right(path, height_pt: float, width_mm: float = TEXT_BOX_WIDTH_MM) -> Placement:
    import pymupdf
    try:
        doc = pymupdf.open(Path(path))
    except Exception as exc:  # noqa: BLE001
        raise PdfReadError(tr("Tệp {p} không phải PDF đọc được.").format(p=Path(path).name), str(exc)) from exc
    try:
        page = doc[0]
        rm, tm = TOP_RIGHT_MARGIN_MM[0] * MM, TOP_RIGHT_MARGIN_MM[1] * MM
        w = width_mm * MM
        r = pymupdf.Rect(page.rect.width - rm - w, tm, page.rect.width - rm, tm + height_pt)
        return Placement(0, _to_pdf(page, r), "top-right")
    finally:
        doc.close()
