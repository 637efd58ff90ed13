"""Refuse PDFs with active content before signing: JavaScript, launch actions, embedded executables.

Every object of the file is inspected (object streams included) through PyMuPDF."""
from __future__ import annotations

from pathlib import Path

from ..i18n import tr
from .errors import PdfReadError, UnsafePdfError


def find_active_content(path) -> list[str]:
    """Clerk-readable reasons (Vietnamese); empty when the PDF is safe to sign."""
    import pymupdf
    try:
        doc = pymupdf.open(Path(path))
    except Exception as exc:  # noqa: BLE001
        raise PdfReadError(tr("Tệp {p} không phải PDF đọc được.").format(p=Path(path).name), str(exc)) from exc
    reasons: list[str] = []
    try:
        if not doc.is_pdf:
            raise PdfReadError(tr("Tệp {p} không phải PDF.").format(p=Path(path).name))
        if doc.needs_pass:
            raise PdfReadError(tr("Tệp {p} được đặt mật khẩu: không ký được.").format(p=Path(path).name))
        from ..scan.safety import pdf_active_content  # one detector for intake and signing
        found = pdf_active_content(path)
        if found.javascript:
            reasons.append(tr("có mã JavaScript"))
        if found.launch:
            reasons.append(tr("có lệnh mở chương trình (Launch)"))
        for name in found.executables:
            reasons.append(tr("có tệp chương trình đính kèm «{n}»").format(n=name))
    finally:
        doc.close()
    return reasons


def check_safe_to_sign(path) -> None:
    reasons = find_active_content(path)
    if reasons:
        raise UnsafePdfError(tr("Từ chối ký {p}: tệp {r}. Hãy yêu cầu nơi soạn thảo xuất lại PDF không có "
                                "nội dung thực thi.").format(p=Path(path).name, r="; ".join(reasons)),
                             f"active content in {path}: {reasons}")


def check_certification(path) -> None:
    """Refuse a document whose certification signature (DocMDP, permission 1) forbids any change:
    a new signature would invalidate it. Read from the file before signing, as pyHanko does."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import read_certification_data
    path = Path(path)
    try:
        with open(path, "rb") as f:
            info = read_certification_data(PdfFileReader(f, strict=False))
    except (PdfError, OSError, ValueError, KeyError, TypeError) as exc:
        raise PdfReadError(tr("Không đọc được tệp PDF {p}.").format(p=path.name), repr(exc)) from exc
    if info is not None and info.permission == MDPPerm.NO_CHANGES:
        raise UnsafePdfError(tr("Văn bản {p} đã được chứng thực không cho phép thay đổi: ký thêm sẽ "
                                "làm mất hiệu lực chữ ký trước. Không ký.").format(p=path.name),
                             f"DocMDP permission {info.permission}")
