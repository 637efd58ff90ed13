"""Register books as print-ready PDF (ND30 Appendix IV): incoming, outgoing, follow-up and
postal books for a quarter, a date range or the whole year (the bound yearly volume).

Pagination, deliberately:
- Each quarter is a section that starts on a new sheet. Its page breaks depend only on its own
  rows, and its pages carry the yearly volume's continuous page numbers: quarter q starts at
  1 + the pages of quarters 1..q-1 (counted by laying them out without drawing).
- The quarterly print is a front page (unnumbered) + the quarter's section; the yearly volume is
  a cover and a front page (unnumbered) + the four sections + a closing page (unnumbered). So
  the pages of a quarter are the same sheets, with the same numbers, in both, and a lost sheet
  can be reprinted from either.
- Output is deterministic: no current time, fixed creation date (reportlab invariant mode), the
  document id derived from the content; a fingerprint of the rows goes into the keywords.
"""
import hashlib
import logging
from collections.abc import Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from ..domain import clock
from ..domain.reference import format_number
from ..errors import ValidationError
from ..i18n import tr
from ..settings import Settings
from ..store import registers
from ..store.registers import RegisterDict
from . import fonts, ledger, source
from .common import Progress, atomic_output, check_cancelled
from .forms import BookForm
from .forms import form as get_form
from .layout import MARGINS, PAGE, NullCanvas, TablePager, wrap
from .period import Period, dmy, quarter_bounds, resolve

log = logging.getLogger(__name__)
CERT_HEIGHT = 110


@dataclass
class Section:
    label: str
    start: date
    end: date
    first_page: int = 0
    last_page: int = 0
    count: int = 0
    voided: int = 0
    first_number: int | None = None
    last_number: int | None = None
    fingerprint: str = ""         # SHA-256 of the section's rows (number, status, content hash)
    quarter: int | None = None
    last_date: str | None = None  # registration date of the last row
    as_printed: bool = False      # reproduced from the record of a printed quarter


@dataclass
class BookResult:
    path: Path
    kind: str
    register: str
    year: int
    label: str
    volume: int
    pages: int                    # sheets in the file, unnumbered front and closing pages included
    first_page: int               # printed page numbers of the table pages
    last_page: int
    entries: int
    sections: list[Section] = field(default_factory=list)
    fingerprint: str = ""
    warnings: list[str] = field(default_factory=list)   # for the clerk (Vietnamese)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["path"] = str(self.path)
        for s in d["sections"]:
            s["start"], s["end"] = s["start"].isoformat(), s["end"].isoformat()
        return d


def _org(settings) -> tuple[str, str]:
    return (settings.get("org.parent") or "", settings.get("org.name") or "")


def _numbers(first, last) -> str:
    if first is None:
        return tr("Không có văn bản nào")
    return tr("Từ số {a} đến số {b}").format(a=format_number(first), b=format_number(last))


def draw_front_page(c, parent: str, org: str, title: str, subtitle: str | None,
                    lines: Sequence[tuple[str, str, float]]) -> None:
    """The form's cover / first page: parent body and organization top left, then the title and
    the lines (text, font, size) centred."""
    W, H = PAGE
    left_w = 125 * 2.8346
    cx = MARGINS["left"] + left_w / 2
    y = H - MARGINS["top"] - 20
    c.setFont(fonts.REGULAR, 13)
    for line in wrap(parent.upper(), left_w, fonts.REGULAR, 13):
        c.drawCentredString(cx, y, line)
        y -= 16
    c.setFont(fonts.BOLD, 13)
    for line in wrap(org.upper(), left_w, fonts.BOLD, 13):
        c.drawCentredString(cx, y, line)
        y -= 16
    c.setLineWidth(0.8)
    c.line(cx - 45, y + 6, cx + 45, y + 6)
    mid = MARGINS["left"] + (W - MARGINS["left"] - MARGINS["right"]) / 2
    y = H * 0.60
    c.setFont(fonts.BOLD, 30)
    c.drawCentredString(mid, y, title)
    y -= 30
    if subtitle:
        c.setFont(fonts.ITALIC, 15)
        c.drawCentredString(mid, y, subtitle)
        y -= 26
    y -= 14
    for text, font, size in lines:
        c.setFont(font, size)
        c.drawCentredString(mid, y, text)
        y -= size * 1.9
    c.showPage()


def _certification(form: BookForm, sec: Section):
    def draw(c, x, top, width, pager: TablePager):
        if sec.count:
            what = tr("{label}: {n} văn bản, {nums}").format(
                label=sec.label, n=f"{sec.count:,}".replace(",", "."),
                nums=_numbers(sec.first_number, sec.last_number).lower())
            if sec.voided:
                what += tr(" (trong đó {v} số đã hủy)").format(v=sec.voided)
        else:
            what = tr("{label}: không có văn bản nào").format(label=sec.label)
        pages = pager.page - pager.first_page + 1
        text = what + tr("; phần này gồm {p} trang, từ trang {a} đến trang {b}.").format(
            p=pages, a=pager.first_page, b=pager.page)
        c.setFont(fonts.ITALIC, 11)
        y = top - 11
        for line in wrap(text, width, fonts.ITALIC, 11)[:3]:
            c.drawString(x, y, line)
            y -= 14
        y -= 10
        for cx, head in ((x + width * 0.22, tr("NGƯỜI LẬP SỔ")), (x + width * 0.78, tr("NGƯỜI KIỂM TRA"))):
            c.setFont(fonts.BOLD, 11)
            c.drawCentredString(cx, y, head)
            c.setFont(fonts.ITALIC, 10)
            c.drawCentredString(cx, y - 13, tr("(Ký, ghi rõ họ tên)"))
    return draw


def _lay_section(canvas, form: BookForm, rows, sec: Section, first_page: int, running: tuple[str, str, str],
                 options: dict, progress: Progress, digest=None) -> list[list[int]]:
    """Lay out one section from `rows`; fills in `sec` and returns the [id, revision] laid out."""
    pager = TablePager(canvas, form.columns, running, first_page, cont_col=form.cont_col)
    own = hashlib.sha256()
    laid: list[list[int]] = []
    with closing(rows):
        _lay_rows(pager, form, rows, sec, options, progress, own, digest, laid)
    if not sec.count:
        pager.add_span_row(tr("Không có văn bản nào trong kỳ này."))
    pager.add_block(CERT_HEIGHT, _certification(form, sec))
    pager.close()
    sec.first_page, sec.last_page = first_page, pager.last_page
    sec.fingerprint = own.hexdigest()
    return laid


def _lay_rows(pager, form, rows, sec, options, progress, own, digest, laid) -> None:
    for row in rows:
        progress.tick()
        if form.keep and not form.keep(row, options):
            continue
        pager.add_row(form.cells(row, options))
        laid.append([row["id"], row["revision"]])
        sec.count += 1
        sec.voided += row["status"] == "voided"
        if sec.first_number is None:
            sec.first_number = row["register_number"]
        sec.last_number = row["register_number"]
        sec.last_date = row["registered_at"][:10]
        line = f"{row['register_number']}|{row['status']}|{row['content_hash']}\n".encode()
        own.update(line)
        if digest is not None:
            digest.update(line)


def _sections(period: Period) -> list[Section]:
    if period.whole_year:
        out = []
        for q in (1, 2, 3, 4):
            start, end = quarter_bounds(period.year, q)
            out.append(Section(Period(period.year, start, end, q).label, start, end, quarter=q))
        return out
    return [Section(period.label, period.start, period.end, quarter=period.quarter)]


def build_book(store, settings: Settings | None, kind: str, register: str | None = None, year: int | None = None,
               quarter: int | None = None, date_from: date | None = None, date_to: date | None = None,
               out=None, volume: int = 1, paper_types=None, record: bool = False, as_printed: bool = True,
               progress=None, cancelled=None) -> BookResult:
    """Write the book `kind` (incoming, outgoing, followup, postal) of `register` for a quarter,
    a date range or the whole year (the yearly volume) to `out` (.pdf). `progress(done, total)`
    is called as rows are laid out; `cancelled` (Event or callable) stops the work, in which case
    Cancelled is raised and no file is left behind.

    Quarters recorded as printed (`record=True` when the clerk prints and signs them) are
    reproduced as they were printed unless `as_printed=False`; what changed since is returned in
    `warnings`."""
    fonts.register()
    from reportlab.pdfgen.canvas import Canvas

    form = get_form(kind)
    settings = settings or Settings(store.data_dir)
    reg = registers.resolve(store, form.register_kind, register)
    period = resolve(year, quarter, date_from, date_to)
    with source.snapshot(store) as snap:      # one consistent view of the register throughout
        return _build(snap, Canvas, settings, form, reg, period, out, volume, paper_types, record, as_printed,
                      progress, cancelled)


def _build(store, Canvas, settings, form: BookForm, reg: RegisterDict, period: Period, out, volume, paper_types,
           record: bool, as_printed: bool, progress, cancelled) -> BookResult:
    volume = int(volume or 1)
    options = {"paper_types": tuple(paper_types or ())}
    parent, org = _org(settings)
    running = (org, tr("{t} NĂM {y} – QUYỂN SỐ {v}").format(t=form.title, y=period.year, v=format_number(volume)), "")
    sections = _sections(period)

    printed = ledger.load(store, form.kind, reg["code"], period.year, volume)["quarters"] \
        if period.quarter or period.whole_year else {}
    warnings: list[str] = []

    def record_of(sec: Section) -> dict | None:
        return printed.get(str(sec.quarter)) if as_printed and sec.quarter else None

    def rows_of(sec: Section):
        rec = record_of(sec)
        if rec:
            return ledger.printed_rows(store, rec)
        return source.rows(store, form, reg["id"], period.year, sec.start, sec.end)

    earlier = []   # quarters before the one printed: their pages come first in the volume
    if period.quarter and period.quarter > 1:
        for q in range(1, period.quarter):
            start, end = quarter_bounds(period.year, q)
            earlier.append(Section(Period(period.year, start, end, q).label, start, end, quarter=q))
    to_lay = [s for s in earlier if not record_of(s)] + sections
    total = sum(rec["count"] if (rec := record_of(s)) else
                source.summary(store, form, reg["id"], period.year, s.start, s.end)["count"] for s in to_lay)
    prog = Progress(progress, total, cancelled)
    check_cancelled(cancelled)

    next_page = 1
    for sec in earlier:
        rec = record_of(sec)
        if rec:
            next_page = rec["last_page"] + 1
        else:   # laid out without drawing, only to count its pages
            _lay_section(NullCanvas(), form, rows_of(sec), sec, next_page, (running[0], running[1], sec.label),
                         options, prog)
            next_page = sec.last_page + 1

    firsts, lasts, last_dates = [], [], []
    for sec in sections:
        rec = record_of(sec)
        if rec:
            sec.as_printed = True
            summary = {"first": rec["first_number"], "last": rec["last_number"], "last_date": rec["last_date"]}
            warnings += ledger.changes_since(store, form, reg, period.year, sec, rec, options)
        else:
            summary = source.summary(store, form, reg["id"], period.year, sec.start, sec.end)
            summary["last_date"] = summary["last_date"] and summary["last_date"].isoformat()
            old = printed.get(str(sec.quarter)) if sec.quarter else None
            if old:
                warnings.append(tr("{label} đã in ngày {d}; bản này lập theo dữ liệu hiện tại, có thể khác "
                                   "bản đã ký.").format(label=sec.label, d=old["printed_at"][:10]))
        if summary["first"] is not None:
            firsts.append(summary["first"])
            lasts.append(summary["last"])
        if summary["last_date"]:
            last_dates.append(date.fromisoformat(summary["last_date"]))
    overall = {"first": min(firsts, default=None), "last": max(lasts, default=None),
               "last_date": max(last_dates, default=None)}
    shown_end = period.end
    if overall["last_date"] and period.end >= clock.today() and overall["last_date"] < period.end:
        shown_end = overall["last_date"]      # a period still running: up to the last entry
    front = [(tr("Năm: {y}").format(y=period.year), fonts.BOLD, 18)]
    if not period.whole_year:
        front.append((period.label, fonts.ITALIC, 15))
    front += [(tr("Từ ngày {a} đến ngày {b}").format(a=dmy(period.start), b=dmy(shown_end)), fonts.REGULAR, 15),
              (_numbers(overall["first"], overall["last"]), fonts.REGULAR, 15),
              (tr("Quyển số: {v}").format(v=format_number(volume)), fonts.REGULAR, 15)]
    subtitle = reg["title"] if form.kind in ("incoming", "outgoing") and \
        reg["title"].upper() != form.title else None
    digest = hashlib.sha256(f"{form.kind}|{reg['code']}|{period}|{volume}|{options}|{org}|{parent}\n".encode())

    with atomic_output(out, ".pdf") as tmp:
        c = Canvas(tmp, pagesize=PAGE, invariant=1, pageCompression=1, initialFontName=fonts.REGULAR)
        c.setTitle(f"{form.title.capitalize()} – {period.label}")
        c.setAuthor(org)
        c.setSubject(tr("{t} {l}, quyển số {v}").format(t=form.title.capitalize(), l=period.label,
                                                          v=format_number(volume)))
        c.setCreator("Văn thư")
        physical = 0
        if period.whole_year:
            draw_front_page(c, parent, org, form.title, subtitle, front)   # cover
            physical += 1
        draw_front_page(c, parent, org, form.title, subtitle, front)       # first page
        physical += 1
        laid = {}
        for sec in sections:
            laid[sec.quarter] = _lay_section(c, form, rows_of(sec), sec, next_page,
                                             (running[0], running[1], sec.label), options, prog, digest)
            rec = record_of(sec)
            if rec and (rec["fingerprint"], rec["first_page"], rec["last_page"]) != \
                    (sec.fingerprint, sec.first_page, sec.last_page):
                raise ValidationError(tr("Không dựng lại được đúng {label} như đã in (dữ liệu các phiên bản "
                                         "không khớp). Hãy lập sổ theo dữ liệu hiện tại.").format(label=sec.label),
                                      f"fingerprint {sec.fingerprint} != {rec['fingerprint']}")
            physical += sec.last_page - sec.first_page + 1
            next_page = sec.last_page + 1
        first, last = sections[0].first_page, sections[-1].last_page
        entries = sum(s.count for s in sections)
        if period.whole_year:
            _closing_page(c, parent, org, form, period, first, last, entries, sections)
            physical += 1
        fingerprint = digest.hexdigest()
        c.setKeywords(f"vanthu-book {form.kind} {reg['code']} {period.year} sha256:{fingerprint}")
        c.save()
    if record:
        running_q = [s for s in sections if s.quarter and not s.as_printed and s.end >= clock.today()]
        for sec in running_q:
            warnings.append(tr("{label} chưa kết thúc: chưa ghi nhận là đã in; in lại sau ngày {d}.").format(
                label=sec.label, d=dmy(sec.end)))
        recorded = [s for s in sections if s.quarter and not s.as_printed and s not in running_q]
        if recorded:
            data = ledger.load(store, form.kind, reg["code"], period.year, volume)
            for sec in recorded:
                data["quarters"][str(sec.quarter)] = ledger.make_record(sec, laid[sec.quarter])
            ledger.save(store, form.kind, reg["code"], period.year, volume, data)
    prog.finish()
    log.info("book %s register=%s %s volume=%s: %s entries, pages %s-%s, %s warnings -> %s",
             form.kind, reg["code"], period.label, volume, entries, first, last, len(warnings), out)
    return BookResult(Path(out), form.kind, reg["code"], period.year, period.label, volume, physical,
                      first, last, entries, sections, fingerprint, warnings)


def _closing_page(c, parent, org, form, period, first, last, entries, sections) -> None:
    """The volume's closing certification: how many pages and documents it holds."""
    voided = sum(s.voided for s in sections)
    nums = [s for s in sections if s.count]
    text = tr("Sổ này có {p} trang, đánh số từ trang {a} đến trang {b}; gồm {n} văn bản").format(
        p=last - first + 1, a=first, b=last, n=f"{entries:,}".replace(",", "."))
    if nums:
        text += ", " + _numbers(nums[0].first_number, nums[-1].last_number).lower()
    if voided:
        text += tr(" (trong đó {v} số đã hủy)").format(v=voided)
    text += "."
    W, H = PAGE
    x, width = MARGINS["left"], W - MARGINS["left"] - MARGINS["right"]
    y = H - MARGINS["top"] - 60
    c.setFont(fonts.BOLD, 16)
    c.drawCentredString(x + width / 2, y, tr("XÁC NHẬN CỦA CƠ QUAN, TỔ CHỨC"))
    y -= 40
    c.setFont(fonts.REGULAR, 14)
    for line in wrap(text, width - 80, fonts.REGULAR, 14):
        c.drawString(x + 40, y, line)
        y -= 20
    y -= 30
    cx = x + width * 0.72
    c.setFont(fonts.ITALIC, 13)
    c.drawCentredString(cx, y, tr("......, ngày ..... tháng ..... năm ......"))
    c.setFont(fonts.BOLD, 13)
    c.drawCentredString(cx, y - 20, tr("NGƯỜI ĐỨNG ĐẦU CƠ QUAN, TỔ CHỨC"))
    c.setFont(fonts.ITALIC, 12)
    c.drawCentredString(cx, y - 36, tr("(Ký tên, đóng dấu)"))
    c.showPage()
