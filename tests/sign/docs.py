"""Test PDFs shaped like ND30 documents (PyMuPDF, Liberation Serif so Vietnamese text is real)."""
from __future__ import annotations

from pathlib import Path

FONT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "LiberationSerif-Regular.ttf"
FONT_BOLD = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "LiberationSerif-Bold.ttf"
MM = 72 / 25.4
A4 = (595.28, 841.89)

# signing block geometry (MuPDF coordinates: origin top-left) of make_decision()
BLOCK_CX = 150 * MM           # centre of the right column
TITLE_Y = 200 * MM            # baseline of "CHỦ TỊCH"
NAME_Y = 232 * MM             # baseline of the leader's name


def _text(page, x, y, text, size=13, bold=False, center=False):
    import pymupdf
    font = pymupdf.Font(fontfile=str(FONT_BOLD if bold else FONT))
    if center:
        x -= font.text_length(text, fontsize=size) / 2
    page.insert_text((x, y), text, fontsize=size, fontname="B" if bold else "R",
                     fontfile=str(FONT_BOLD if bold else FONT))


def make_decision(path, pages: int = 2, javascript: bool = False, launch: bool = False,
                  exe_attachment: bool = False, leader_field: bool = False, signing_block: bool = True) -> Path:
    """A 'Quyết định' with the header on page 1 and the signing block at the end of the last page."""
    import pymupdf
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=A4[0], height=A4[1])
        if i == 0:
            _text(page, 30 * MM, 25 * MM, "ỦY BAN NHÂN DÂN", bold=True)
            _text(page, 30 * MM, 31 * MM, "TỈNH SÓC TRĂNG", bold=True)
            _text(page, 30 * MM, 40 * MM, "Số: 1007/QĐ-UBND")
            _text(page, 100 * MM, 25 * MM, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
            _text(page, 115 * MM, 31 * MM, "Độc lập - Tự do - Hạnh phúc", bold=True)
            _text(page, 105 * MM, 40 * MM, "Sóc Trăng, ngày 05 tháng 4 năm 2019")
            _text(page, 105 * MM, 60 * MM, "QUYẾT ĐỊNH", bold=True, center=True)
            _text(page, 105 * MM, 67 * MM, "Về việc phê duyệt kế hoạch số hóa tài liệu", bold=True, center=True)
        for k in range(8):
            _text(page, 30 * MM, (85 + 10 * k) * MM, f"Điều {k + 1}. Nội dung quy định thứ {k + 1} của trang {i + 1}.")
        if i == pages - 1 and signing_block:
            _text(page, 30 * MM, 185 * MM, "Nơi nhận:", bold=True, size=12)
            _text(page, 30 * MM, 191 * MM, "- Như Điều 3;", size=11)
            _text(page, 30 * MM, 196 * MM, "- Lưu: VT, VP.", size=11)
            _text(page, BLOCK_CX, 185 * MM, "TM. ỦY BAN NHÂN DÂN", bold=True, center=True)
            _text(page, BLOCK_CX, TITLE_Y, "CHỦ TỊCH", bold=True, center=True)
            _text(page, BLOCK_CX, NAME_Y, "Nguyễn Văn An", bold=True, center=True)
    if javascript:
        doc.xref_set_key(doc.pdf_catalog(), "OpenAction", "<</S/JavaScript/JS(app.alert\\('x'\\))>>")
    if launch:
        doc.xref_set_key(doc.pdf_catalog(), "OpenAction", "<</S/Launch/F(calc.exe)>>")
    if exe_attachment:
        doc.embfile_add("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, filename="setup.exe")
    if leader_field:
        page = doc[-1]
        w = pymupdf.Widget()
        w.field_type = pymupdf.PDF_WIDGET_TYPE_SIGNATURE
        w.field_name = "LanhDao"
        w.rect = pymupdf.Rect(BLOCK_CX - 25 * MM, TITLE_Y + 3 * MM, BLOCK_CX + 25 * MM, NAME_Y - 7 * MM)
        page.add_widget(w)
    doc.save(str(path))
    doc.close()
    return Path(path)
