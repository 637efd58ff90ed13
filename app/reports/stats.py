"""Statistics for the leadership: documents in and out by month, type, issuer and urgency; the
share sent and received electronically; incoming documents past their handling deadline and
outgoing ones not dispatched in time (the same day or the next working morning). As a dict
(JSON) and as a PDF table."""
import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain import clock
from ..domain.marks import Urgency
from ..domain.reference import format_number
from ..domain.text import fold
from ..i18n import tr
from ..settings import Settings
from ..store import registers
from ..store import stats as store_stats
from ..store.registers import RegisterDict
from . import source
from .common import atomic_output, check_cancelled
from .period import Period, dmy, resolve

log = logging.getLogger(__name__)
OPEN_INCOMING = ("registered", "forwarded", "in_progress")
ISSUERS_SHOWN = 15
LIST_MAX = 500


def _where(kind: str, period: Period, register_id: int | None) -> store_stats.Period:
    return store_stats.Period(kind, period.year, period.start, period.end, register_id)


def _group(conn, group: str, where: store_stats.Period) -> dict:
    return {(k if k is not None else tr("(không ghi)")): n for k, n in store_stats.group_counts(conn, group, where)}


def _merge_spellings(groups: dict) -> dict:
    """'Sở Nội vụ' and 'SỞ NỘI VỤ' are one issuer: merged by folded name, shown in the most
    frequent spelling."""
    merged: dict[str, list] = {}
    for name, n in groups.items():                # most frequent first
        key = " ".join(fold(name).split())
        if key in merged:
            merged[key][1] += n
        else:
            merged[key] = [name, n]
    return dict(sorted(((name, n) for name, n in merged.values()), key=lambda x: (-x[1], x[0])))


def _urgency(groups: dict) -> dict:
    out: dict[str, int] = {}
    for k, n in groups.items():
        try:
            label = Urgency(int(k)).label or tr("Thường")
        except (TypeError, ValueError):
            label = str(k)
        out[label] = out.get(label, 0) + n
    return out


def _share(part: int, total: int) -> float:
    return round(part / total, 4) if total else 0.0


def _by_quarter(conn, where: store_stats.Period) -> dict:
    months = _group(conn, "month_number", where)
    out: dict[str, int] = {}
    for month, n in sorted(months.items()):
        key = f"Q{(month - 1) // 3 + 1}"
        out[key] = out.get(key, 0) + n
    return out


def _common(conn, kind: str, where: store_stats.Period) -> dict:
    total, voided, recalled = store_stats.totals(conn, where)
    return {"total": total, "voided": voided, "recalled": recalled,
            "by_month": dict(sorted(_group(conn, "month", where).items())),
            "by_quarter": _by_quarter(conn, where),
            "by_type": _group(conn, "doc_type", where),
            "by_urgency": _urgency(_group(conn, "urgency", where))}


def compute_stats(store, settings: Settings | None = None, year: int | None = None, quarter: int | None = None,
                  date_from: date | None = None, date_to: date | None = None, register: str | None = None,
                  as_of: datetime | None = None, progress=None, cancelled=None) -> dict:
    """The figures of a period; `as_of` (default now) decides what is overdue. `progress(done,
    total)` counts the two halves (incoming, outgoing)."""
    settings = settings or Settings(store.data_dir)
    period = resolve(year, quarter, date_from, date_to)
    as_of = clock.to_vn(as_of) if as_of else clock.now()
    reg = registers.get(store, register) if register else None
    with source.snapshot(store) as snap:
        return _compute(snap.conn, settings, period, as_of, reg, progress, cancelled)


def _compute(conn, settings, period: Period, as_of: datetime, reg: RegisterDict | None, progress, cancelled) -> dict:
    result: dict[str, Any] = {"year": period.year, "quarter": period.quarter, "from": period.start.isoformat(),
              "to": period.end.isoformat(), "period": period.label, "as_of": clock.iso(as_of),
              "register": reg["code"] if reg else None}
    check_cancelled(cancelled)

    if not reg or reg["kind"] == "incoming":
        where = _where("incoming", period, reg["id"] if reg else None)
        inc = _common(conn, "incoming", where)
        issuers = _merge_spellings(_group(conn, "issuer", where))
        top = dict(list(issuers.items())[:ISSUERS_SHOWN])
        rest = sum(list(issuers.values())[ISSUERS_SHOWN:])
        if rest:
            top[tr("Các cơ quan khác")] = rest
        inc["by_issuer"] = top
        electronic = store_stats.electronic_incoming(conn, where)
        inc.update(electronic=electronic, paper=inc["total"] - electronic,
                   electronic_share=_share(electronic, inc["total"]))
        overdue = store_stats.overdue_incoming(conn, where, OPEN_INCOMING, as_of.date())
        inc["overdue"] = len(overdue)
        inc["overdue_entries"] = [dict(r) for r in overdue[:LIST_MAX]]
        result["incoming"] = inc
    if progress:
        progress(1, 2)
    check_cancelled(cancelled)

    if not reg or reg["kind"] == "outgoing":
        where = _where("outgoing", period, reg["id"] if reg else None)
        out = _common(conn, "outgoing", where)
        electronic = store_stats.electronic_outgoing(conn, where)
        out.update(electronic=electronic, electronic_share=_share(electronic, out["total"]))
        cal = settings.work_calendar()
        late = []
        for r in store_stats.outgoing_for_dispatch(conn, where):
            due = cal.next_morning_deadline(datetime.fromisoformat(r["registered_at"]))
            if r["dispatched_on"]:
                is_late = date.fromisoformat(r["dispatched_on"]) > due.date()
            else:
                is_late = r["status"] != "dispatched" and as_of > due
            if is_late:
                late.append(dict(r, due=clock.iso(due)))
        out["late_dispatch"] = len(late)
        out["late_entries"] = late[:LIST_MAX]
        result["outgoing"] = out
    if progress:
        progress(2, 2)
    return result


def _table(rows, widths, header=True):
    from reportlab.platypus import Table, TableStyle

    from . import fonts
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [("FONT", (0, 0), (-1, -1), fonts.REGULAR, 10), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (-1, -1), "RIGHT")]
    if header:
        style += [("FONT", (0, 0), (-1, 0), fonts.BOLD, 10), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
    t.setStyle(TableStyle(style))
    return t


def stats_pdf(stats: dict, settings: Settings, out) -> Path:
    """The statistics as a printable A4 report (reportlab platypus)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from . import fonts
    fonts.register()
    body = ParagraphStyle("b", fontName=fonts.REGULAR, fontSize=10, leading=12)
    h1 = ParagraphStyle("h1", fontName=fonts.BOLD, fontSize=15, leading=19, alignment=1, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=fonts.BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4, keepWithNext=1)
    it = ParagraphStyle("it", fontName=fonts.ITALIC, fontSize=11, leading=14, alignment=1)
    esc = lambda s: (str(s) if s is not None else "").replace("&", "&amp;").replace("<", "&lt;")
    width = A4[0] - 45 * mm
    inc, outg = stats.get("incoming"), stats.get("outgoing")
    story = [Paragraph(esc((settings.get("org.name") or "").upper()), ParagraphStyle("o", parent=h2, spaceBefore=0)),
             Paragraph(tr("THỐNG KÊ VĂN BẢN ĐẾN, VĂN BẢN ĐI"), h1), Paragraph(esc(stats["period"]), it),
             Paragraph(tr("Số liệu tính đến {t}").format(t=f"{stats['as_of'][11:16]} ngày {dmy(stats['as_of'])}"), it)]

    def pct(x):
        return f"{x * 100:.1f} %".replace(".", ",")

    summary = [[tr("Chỉ tiêu"), tr("Văn bản đến"), tr("Văn bản đi")]]
    g = lambda d, k: (d or {}).get(k, "")
    summary += [[tr("Tổng số (không kể số đã hủy)"), g(inc, "total"), g(outg, "total")],
                [tr("Số đã hủy"), g(inc, "voided"), g(outg, "voided")],
                [tr("Đã thu hồi"), g(inc, "recalled"), g(outg, "recalled")],
                [tr("Nhận / gửi điện tử"), g(inc, "electronic"), g(outg, "electronic")],
                [tr("Tỷ lệ điện tử"), pct(inc["electronic_share"]) if inc else "",
                 pct(outg["electronic_share"]) if outg else ""],
                [tr("Văn bản đến quá hạn giải quyết"), g(inc, "overdue"), ""],
                [tr("Văn bản đi không phát hành kịp thời"), "", g(outg, "late_dispatch")]]
    story += [Paragraph(tr("1. Tổng hợp"), h2), _table(summary, [width * 0.6, width * 0.2, width * 0.2])]

    def merged(key):
        keys = list(dict.fromkeys([*((inc or {}).get(key) or {}), *((outg or {}).get(key) or {})]))
        if key == "by_month":
            keys.sort()
        return [[k if key != "by_month" else f"{k[5:7]}/{k[:4]}", g((inc or {}).get(key), k) or 0,
                 g((outg or {}).get(key), k) or 0] for k in keys]

    for n, (key, title, first) in enumerate((("by_month", tr("Theo tháng"), tr("Tháng")),
                                             ("by_type", tr("Theo tên loại văn bản"), tr("Tên loại")),
                                             ("by_urgency", tr("Theo độ khẩn"), tr("Độ khẩn"))), 2):
        rows = merged(key)
        story += [Paragraph(f"{n}. {title}", h2),
                  _table([[first, tr("Đến"), tr("Đi")], *rows] if rows else [[tr("Không có số liệu")]],
                         [width * 0.6, width * 0.2, width * 0.2] if rows else [width])]
    if inc:
        rows = [[Paragraph(esc(k), body), v] for k, v in inc["by_issuer"].items()]
        story += [Paragraph(tr("5. Văn bản đến theo cơ quan ban hành"), h2),
                  _table([[tr("Cơ quan ban hành"), tr("Số văn bản")], *rows], [width * 0.8, width * 0.2])]
        if inc["overdue_entries"]:
            rows = [[format_number(r["register_number"]), Paragraph(esc(r["reference"] or ""), body),
                     Paragraph(esc(r["summary"]), body), dmy(r["handling_deadline"])] for r in inc["overdue_entries"]]
            story += [Paragraph(tr("6. Văn bản đến quá hạn giải quyết ({n})").format(n=inc["overdue"]), h2),
                      _table([[tr("Số đến"), tr("Số, ký hiệu"), tr("Trích yếu"), tr("Hạn")], *rows],
                             [width * 0.1, width * 0.2, width * 0.55, width * 0.15])]
    if outg and outg["late_entries"]:
        rows = [[Paragraph(esc(r["reference"] or ""), body), Paragraph(esc(r["summary"]), body),
                 dmy(r["registered_at"]), dmy(r["dispatched_on"]) or tr("chưa")] for r in outg["late_entries"]]
        story += [Paragraph(tr("7. Văn bản đi không phát hành kịp thời ({n})").format(n=outg["late_dispatch"]), h2),
                  _table([[tr("Số, ký hiệu"), tr("Trích yếu"), tr("Ngày đăng ký"), tr("Ngày chuyển")], *rows],
                         [width * 0.2, width * 0.5, width * 0.15, width * 0.15])]
    with atomic_output(out, ".pdf") as tmp:
        doc = SimpleDocTemplate(tmp, pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm,
                                bottomMargin=20 * mm, title=tr("Thống kê văn bản"),
                                author=settings.get("org.name") or "", creator="Văn thư", invariant=1,
                                initialFontName=fonts.REGULAR)

        def page_no(canvas, doc_):
            canvas.setFont(fonts.REGULAR, 10)
            canvas.drawCentredString(A4[0] / 2, 12 * mm, f"Trang {doc_.page}")
        doc.build(story, onFirstPage=page_no, onLaterPages=page_no)
    return Path(out)
