"""The forms of ND30 Appendix IV: each book's title, columns (numbered (1)…(n) when printed)
and how a register entry fills a row. Cells are plain text; the Excel export uses the same."""
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from ..domain.marks import Urgency
from ..domain.reference import format_number
from ..domain.text import fold
from ..errors import ValidationError
from ..i18n import tr
from ..store.entries import STATUS_LABELS
from . import fonts
from .layout import Cell, Column
from .period import dmy


@dataclass
class BookForm:
    kind: str                   # incoming | outgoing | followup | postal
    register_kind: str          # the kind of register the rows come from
    title: str                  # printed title, upper case
    columns: list[Column]
    cells: Callable             # (row, options) -> list[Cell | str]
    where: str = ""             # extra SQL condition on entries e
    cont_col: int = 0           # column that says "(tiếp)" on a row continued on the next page
    keep: Callable | None = None  # (row, options) -> bool, rows filtered in Python
    options: dict = field(default_factory=dict)


def type_and_summary(row) -> str:
    summary = row["summary"] or ""
    doc_type = row["doc_type"] or ""
    if doc_type and not fold(summary[:len(doc_type) + 1]).startswith(fold(doc_type)):
        return f"{doc_type} {summary}"
    return summary


def reference(row) -> str:
    if row["reference"]:
        return row["reference"]
    if row["number"] and row["notation"]:
        return f"{format_number(row['number'])}/{row['notation']}"
    return row["notation"] or ""


def urgency_label(row) -> str | None:
    try:
        return Urgency(int(row["urgency"] or 0)).label
    except ValueError:
        return None


def status_mark(row) -> Cell | None:
    """Voided and recalled entries keep their row and number and say so, in bold."""
    if row["status"] == "voided":
        return Cell(tr("ĐÃ HỦY SỐ. Lý do: {r}").format(r=row["void_reason"] or ""), fonts.BOLD)
    if row["status"] == "recalled":
        return Cell(tr("ĐÃ THU HỒI"), fonts.BOLD)
    return None


def notes(row, *extra) -> str:
    parts = [p for p in (*extra, row["note"]) if p]
    return "\n".join(parts)


def note_cell(row, *extra) -> Cell:
    mark = status_mark(row)
    text = notes(row, *extra)
    if mark:
        return Cell((mark.text or "") + ("\n" + text if text else ""), fonts.BOLD)
    return Cell(text)


def recipient_names(row) -> list[dict]:
    value = row["recipients"]
    return json.loads(value) if isinstance(value, str) else (value or [])


def _names(recipients) -> str:
    return "; ".join(r.get("name") or r.get("id") or "" for r in recipients)


# --- incoming ------------------------------------------------------------------------------
def _incoming(row, opts):
    via = tr("Điện tử") if row["received_via"] == "electronic" else None
    return [dmy(row["arrival_at"] or row["registered_at"]), Cell(format_number(row["register_number"]), fonts.BOLD),
            row["issuer"], reference(row), dmy(row["issued_on"]), type_and_summary(row),
            row["receiving_unit"], dmy(row["transferred_on"]), "", note_cell(row, urgency_label(row), via)]


INCOMING = BookForm(
    "incoming", "incoming", "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    [Column("Ngày đến", 20, "center"), Column("Số đến", 13, "center"), Column("Tác giả", 32),
     Column("Số, ký hiệu văn bản", 26, "center"), Column("Ngày tháng văn bản", 20, "center"),
     Column("Tên loại và trích yếu nội dung văn bản", 62), Column("Đơn vị hoặc người nhận", 30),
     Column("Ngày chuyển", 20, "center"), Column("Ký nhận", 18), Column("Ghi chú", 19)],
    _incoming, cont_col=1)


# --- outgoing ------------------------------------------------------------------------------
def _outgoing(row, opts):
    return [Cell(reference(row), fonts.BOLD), dmy(row["issued_on"]), type_and_summary(row), row["signer"],
            _names(recipient_names(row)), row["kept_by"], str(row["copies"]) if row["copies"] else "",
            dmy(row["dispatched_on"]), "", note_cell(row, urgency_label(row))]


OUTGOING = BookForm(
    "outgoing", "outgoing", "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    [Column("Số, ký hiệu văn bản", 28, "center"), Column("Ngày tháng văn bản", 20, "center"),
     Column("Tên loại và trích yếu nội dung văn bản", 58), Column("Người ký", 24),
     Column("Nơi nhận văn bản", 41), Column("Đơn vị, người nhận bản lưu", 22),
     Column("Số lượng bản", 12, "center"), Column("Ngày chuyển", 20, "center"), Column("Ký nhận", 16),
     Column("Ghi chú", 19)],
    _outgoing)


# --- follow-up of incoming documents -------------------------------------------------------
def _followup(row, opts):
    doc = "\n".join(p for p in (row["issuer"], ", ".join(x for x in (reference(row), dmy(row["issued_on"])) if x),
                                type_and_summary(row)) if p)
    progress = "\n".join(p for p in (STATUS_LABELS.get(row["status"], row["status"]), row["handling_note"]) if p)
    return [Cell(format_number(row["register_number"]), fonts.BOLD), dmy(row["arrival_at"] or row["registered_at"]),
            doc, row["receiving_unit"], Cell(dmy(row["handling_deadline"]), fonts.BOLD), progress, "",
            note_cell(row)]


FOLLOWUP = BookForm(
    "followup", "incoming", "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
    [Column("Số đến", 13, "center"), Column("Ngày đến", 20, "center"),
     Column("Tác giả, số, ký hiệu, ngày tháng và trích yếu nội dung văn bản", 80),
     Column("Đơn vị hoặc người nhận", 33), Column("Thời hạn giải quyết", 21, "center"),
     Column("Tiến độ giải quyết", 40), Column("Số, ký hiệu văn bản trả lời", 30), Column("Ghi chú", 23)],
    _followup, where="AND e.handling_deadline IS NOT NULL AND e.status != 'voided'")


# --- postal dispatch -----------------------------------------------------------------------
def paper_recipients(row, opts) -> list[dict]:
    """Recipients who get the document on paper: those without an organization identifier
    (unreachable through the exchange hub), or all of them for the types the clerk names."""
    recipients = recipient_names(row)
    if row["doc_type"] in (opts.get("paper_types") or ()):
        return recipients
    return [r for r in recipients if not r.get("id")]


def _postal(row, opts):
    paper = paper_recipients(row, opts)
    return [dmy(row["dispatched_on"] or row["issued_on"]), Cell(reference(row), fonts.BOLD), _names(paper),
            str(len(paper)), note_cell(row, urgency_label(row)), ""]


POSTAL = BookForm(
    "postal", "outgoing", "SỔ GỬI VĂN BẢN ĐI BƯU ĐIỆN",
    [Column("Ngày chuyển", 21, "center"), Column("Số, ký hiệu văn bản", 32, "center"),
     Column("Nơi nhận văn bản", 110), Column("Số lượng bì", 17, "center"), Column("Ghi chú", 45),
     Column("Ký nhận của bưu điện", 35)],
    _postal, where="AND e.status != 'voided'", cont_col=1,
    keep=lambda row, opts: bool(paper_recipients(row, opts)))

FORMS = {f.kind: f for f in (INCOMING, OUTGOING, FOLLOWUP, POSTAL)}
KIND_LABELS = {"incoming": "sổ đăng ký văn bản đến", "outgoing": "sổ đăng ký văn bản đi",
               "followup": "sổ theo dõi giải quyết văn bản đến", "postal": "sổ gửi văn bản đi bưu điện"}


def form(kind: str) -> BookForm:
    if kind not in FORMS:
        raise ValidationError(tr("Không có loại sổ «{k}» (incoming, outgoing, followup, postal).").format(k=kind))
    return FORMS[kind]


def cell_text(cell) -> str:
    return (cell.text if isinstance(cell, Cell) else cell) or ""
