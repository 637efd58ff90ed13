"""The handling slip for one incoming document (phiếu giải quyết văn bản đến, ND30 Appendix IV):
the document's identification, then room for the leaders' and the handler's opinions."""
import logging
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from ..domain.reference import format_number
from ..errors import ValidationError
from ..i18n import tr
from ..settings import Settings
from ..store import entries
from ..store.entries import STATUS_LABELS
from . import fonts
from .common import atomic_output
from .forms import reference, type_and_summary, urgency_label
from .layout import wrap
from .period import dmy

log = logging.getLogger(__name__)
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 15 * mm, 20 * mm, 20 * mm


def build_slip(store, settings: Settings | None, entry_id, out, progress=None, cancelled=None) -> Path:
    """Write the handling slip of incoming entry `entry_id` (id or uid) to `out` (.pdf).
    (`progress`/`cancelled` only follow the long-work convention: a slip takes milliseconds.)"""
    fonts.register()
    from reportlab.pdfgen.canvas import Canvas

    e = entries.get(store, entry_id)
    if e["kind"] != "incoming":
        raise ValidationError(tr("Phiếu giải quyết chỉ lập cho văn bản đến; văn bản mã {i} là văn bản đi.")
                              .format(i=e["id"]))
    settings = settings or Settings(store.data_dir)
    W, H = A4
    width = W - LEFT - RIGHT
    with atomic_output(out, ".pdf") as tmp:
        c = Canvas(tmp, pagesize=A4, invariant=1, pageCompression=1, initialFontName=fonts.REGULAR)
        c.setTitle(tr("Phiếu giải quyết văn bản đến số {n}").format(n=format_number(e["register_number"])))
        c.setAuthor(settings.get("org.name") or "")
        c.setCreator("Văn thư")
        y = H - TOP - 12
        cx = LEFT + 45 * mm
        c.setFont(fonts.BOLD, 13)
        for line in wrap((settings.get("org.name") or "").upper(), 90 * mm, fonts.BOLD, 13):
            c.drawCentredString(cx, y, line)
            y -= 16
        c.setLineWidth(0.8)
        c.line(cx - 30, y + 6, cx + 30, y + 6)
        y -= 30
        c.setFont(fonts.BOLD, 15)
        c.drawCentredString(LEFT + width / 2, y, tr("PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN"))
        y -= 30
        facts = [
            (tr("Số đến"), f"{format_number(e['register_number'])}/{e['year']}"),
            (tr("Ngày đến"), dmy(e.get("arrival_at") or e["registered_at"])),
            (tr("Tác giả"), e.get("issuer")),
            (tr("Số, ký hiệu"), reference(e)),
            (tr("Ngày tháng văn bản"), dmy(e.get("issued_on"))),
            (tr("Tên loại và trích yếu"), type_and_summary(e)),
            (tr("Độ khẩn"), urgency_label(e)),
            (tr("Đơn vị hoặc người nhận"), e.get("receiving_unit")),
            (tr("Hạn giải quyết"), dmy(e.get("handling_deadline"))),
            (tr("Trạng thái"), STATUS_LABELS.get(e["status"], e["status"])),
        ]
        label_w = 53 * mm
        page = [1]

        def need(h):                      # nothing is cut: what does not fit goes overleaf
            nonlocal y
            if y - h < BOTTOM:
                c.showPage()
                page[0] += 1
                y = H - TOP - 12
        for label, value in facts:
            if not value:
                continue
            lines = wrap(value, width - label_w, fonts.REGULAR, 12)
            need(16 * min(len(lines), 3))
            c.setFont(fonts.BOLD, 12)
            c.drawString(LEFT, y, label + ":")
            c.setFont(fonts.REGULAR, 12)
            for line in lines:
                need(16)
                c.drawString(LEFT + label_w, y, line)
                y -= 16
        y -= 10
        blocks = [(tr("1. Ý kiến của lãnh đạo cơ quan, tổ chức:"), e.get("handling_note")),
                  (tr("2. Ý kiến của lãnh đạo đơn vị:"), None),
                  (tr("3. Ý kiến đề xuất của người giải quyết:"), None)]
        room = max((y - BOTTOM) / len(blocks), 116)       # title, 3 dotted lines, date and signature
        for title, text in blocks:
            lines = wrap(text, width, fonts.REGULAR, 12)
            need(min(room, 18 + 16 * len(lines) + 54 + 34))
            top, start = y, page[0]
            c.setFont(fonts.BOLD, 13)
            c.drawString(LEFT, y, title)
            y -= 18
            c.setFont(fonts.REGULAR, 12)
            for line in lines:
                need(16)
                c.setFont(fonts.REGULAR, 12)
                c.drawString(LEFT, y, line)
                y -= 16
            c.setDash(1, 2)
            dotted = 0
            while dotted < 3 or (page[0] == start and y > top - room + 60 and y - 18 > BOTTOM + 34):
                c.line(LEFT, y - 2, LEFT + width, y - 2)
                y -= 18
                dotted += 1
            c.setDash()
            need(34)
            c.setFont(fonts.ITALIC, 12)
            c.drawCentredString(LEFT + width * 0.72, y - 4, tr("Ngày ..... tháng ..... năm ......"))
            c.setFont(fonts.ITALIC, 11)
            c.drawCentredString(LEFT + width * 0.72, y - 19, tr("(Ký, ghi rõ họ tên)"))
            y = min(y - 44, top - room) if page[0] == start else y - 44
        c.showPage()
        c.save()
    if progress:
        progress(1, 1)
    log.info("slip for entry %s -> %s", e["id"], out)
    return Path(out)
