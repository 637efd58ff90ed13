"""The same rows as a book, with the same column headings, as an Excel workbook (openpyxl in
write-only mode: rows are streamed, never held all at once)."""
import logging
from datetime import date
from pathlib import Path

from ..i18n import tr
from ..settings import Settings
from ..store import registers
from . import fonts, source
from .common import Progress, atomic_output, check_cancelled
from .forms import cell_text
from .forms import form as get_form
from .layout import wrap
from .period import resolve

log = logging.getLogger(__name__)


def export_excel(store, settings: Settings | None, kind: str, register: str | None = None, year: int | None = None,
                 quarter: int | None = None, date_from: date | None = None, date_to: date | None = None,
                 out=None, paper_types=None, progress=None, cancelled=None) -> dict:
    """Write the rows of book `kind` for the period to `out` (.xlsx); returns {path, rows}."""
    form = get_form(kind)
    settings = settings or Settings(store.data_dir)
    reg = registers.resolve(store, form.register_kind, register)
    period = resolve(year, quarter, date_from, date_to)
    with source.snapshot(store) as snap:
        return _export(snap, settings, form, reg, period, out, {"paper_types": tuple(paper_types or ())},
                       progress, cancelled)


def _export(store, settings, form, reg, period, out, options, progress, cancelled) -> dict:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    total = source.summary(store, form, reg["id"], period.year, period.start, period.end)["count"]
    prog = Progress(progress, total, cancelled)
    check_cancelled(cancelled)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(tr("Sổ"))
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=11)
    bold = Font(name="Times New Roman", size=11, bold=True)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ncols = len(form.columns)
    total_w = sum(c.weight for c in form.columns)
    widths = [max(8, round(150 * col.weight / total_w)) for col in form.columns]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    # Spreadsheet programs do not size wrapped rows when printing a file they did not lay out:
    # give each row the height its wrapped text needs (Excel width units -> points).
    text_pts = [(w * 7 + 5) * 0.75 - 5 for w in widths]
    line_no = [0]

    def append(cells, lines=1):
        line_no[0] += 1
        if lines > 1:
            ws.row_dimensions[line_no[0]].height = lines * 13.5 + 4
        ws.append(cells)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9     # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:5"
    ws.freeze_panes = "A6"

    def styled(value, f=font, align=wrap_top, b=None):
        cell = WriteOnlyCell(ws, value=value)
        cell.font, cell.alignment = f, align
        if b:
            cell.border = b
        return cell

    org = settings.get("org.name") or ""
    append([styled(org.upper(), bold, Alignment())])
    append([styled(f"{form.title} – {period.label.upper()}", bold, Alignment())])
    append([styled(reg["title"], font, Alignment())])
    append([styled(c.title, bold, centre, border) for c in form.columns],
           max(len(wrap(c.title, w, fonts.BOLD, 11)) for c, w in zip(form.columns, text_pts)))
    append([styled(f"({i})", font, centre, border) for i in range(1, ncols + 1)])
    rows = 0
    for row in source.rows(store, form, reg["id"], period.year, period.start, period.end):
        prog.tick()
        if form.keep and not form.keep(row, options):
            continue
        cells = form.cells(row, options)
        values = [cell_text(c) for c in cells]
        append([styled(v, font, centre if form.columns[i].align == "center" else wrap_top, border)
                for i, v in enumerate(values)],
               max(len(wrap(v, w, fonts.REGULAR, 11)) for v, w in zip(values, text_pts)))
        rows += 1
    if not rows:
        append([styled(tr("Không có văn bản nào trong kỳ này."), font, Alignment())])
    with atomic_output(out, ".xlsx") as tmp:
        wb.save(tmp)
    prog.finish()
    log.info("excel %s register=%s %s: %s rows -> %s", form.kind, reg["code"], period.label, rows, out)
    return {"path": str(Path(out)), "rows": rows, "register": reg["code"], "period": period.label}



