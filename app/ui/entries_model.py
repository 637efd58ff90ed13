"""A lazy table model over a register: rows are fetched in pages as the clerk scrolls
(canFetchMore/fetchMore, keyset paging through app.store.listing, newest first). Only entry ids are kept for
every fetched row; row contents live in a small page cache, so scrolling through a million
entries keeps memory flat."""
import logging
from array import array
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ..store import listing
from . import formatting as fmt
from .i18n import N_, tr
from .qtfix import emit

log = logging.getLogger(__name__)

PAGE = 256
CACHE_PAGES = 48
SORTED_PAGES = 8

# key: header (the sort keys are app.store.listing.SORT_KEYS)
COLUMNS = {
    "register_number": N_("Số"), "arrival_number": N_("Số đến"), "arrival_at": N_("Ngày đến"),
    "issuer": N_("Tác giả"), "reference": N_("Số, ký hiệu"), "issued_on": N_("Ngày văn bản"),
    "summary": N_("Tên loại và trích yếu nội dung"), "receiving_unit": N_("Đơn vị, người nhận"),
    "signer": N_("Người ký"), "recipients": N_("Nơi nhận"), "urgency": N_("Độ khẩn"),
    "status": N_("Trạng thái"), "register": N_("Sổ"),
}
KIND_COLUMNS = {
    "incoming": ("arrival_number", "urgency", "arrival_at", "issuer", "reference", "issued_on", "summary",
                 "receiving_unit", "status"),
    "outgoing": ("register_number", "urgency", "reference", "issued_on", "summary", "signer", "recipients",
                 "status"),
    "copy": ("register_number", "reference", "issued_on", "summary", "recipients", "status"),
}
_F = listing.FIELD_INDEX

ENTRY_ID_ROLE = int(Qt.UserRole) + 1
STATUS_ROLE = int(Qt.UserRole) + 2
# Plain ints: comparing Qt enums in data(), called for every visible cell and role, is slow.
_DISPLAY, _TOOLTIP, _FOREGROUND, _FONT, _ALIGN = (int(Qt.DisplayRole), int(Qt.ToolTipRole),
                                                  int(Qt.ForegroundRole), int(Qt.FontRole),
                                                  int(Qt.TextAlignmentRole))
_DECORATION, _BACKGROUND = int(Qt.DecorationRole), int(Qt.BackgroundRole)
URGENCY_ROLE = int(Qt.UserRole) + 3
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _FOREGROUND, _FONT, _ALIGN, _DECORATION, _BACKGROUND,
                    ENTRY_ID_ROLE, STATUS_ROLE, URGENCY_ROLE))
_TOOLTIP_KEYS = frozenset(("summary", "recipients", "receiving_unit", "issuer"))
_RIGHT = int((Qt.AlignRight | Qt.AlignVCenter).value)


class _Style:
    def __init__(self):
        self.grey = QBrush(QColor("#8a8a8a"))
        self.red = QBrush(QColor("#b3261e"))
        self.brown = QBrush(QColor("#8c5a00"))
        self.blue = QBrush(QColor("#0b57d0"))
        self.struck = QFont()
        self.struck.setStrikeOut(True)
        self.bold = QFont()
        self.bold.setBold(True)
        self.marks = {code: urgency_mark(color) for code, color in fmt.URGENCY_COLOR.items()}
        self.urgent_bg = QBrush(QColor("#fdecea"))
        self.very_urgent_bg = QBrush(QColor("#fad2cf"))


def urgency_mark(color: str, size: int = 12):
    """A filled circle of `color`: the urgency mark in lists."""
    from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPixmap
    dpr = QGuiApplication.primaryScreen().devicePixelRatio() if QGuiApplication.primaryScreen() else 1.0
    pm = QPixmap(int(size * dpr), int(size * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(color))
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return QIcon(pm)


_STYLE: _Style | None = None


def _style() -> _Style:
    global _STYLE
    if _STYLE is None:  # needs a QGuiApplication: built on first use
        _STYLE = _Style()
    return _STYLE


class EntriesModel(QAbstractTableModel):
    completed = Signal()      # the last page turned out empty: every row is loaded
    def __init__(self, store, kind: str, parent=None, page_size: int | None = None):
        super().__init__(parent)
        self.store = store
        self.kind = kind
        self.page_size = page_size or PAGE
        self.columns = KIND_COLUMNS[kind]
        self.filters: dict = {}
        self.text = ""
        self.sort_key: str | None = None      # None: newest first (e.id DESC)
        self.descending = True
        self._ids = array("q")
        self._cache: OrderedDict[int, dict[int, tuple]] = OrderedDict()
        self._last_key = None
        self._exhausted = False
        self._build_query()
        self._fetch_page()

    # -- reading (all SQL is app.store.listing's) ----------------------------------------
    def _build_query(self) -> None:
        self.query = listing.Listing(self.store, self.kind, self.text, self.filters, self.sort_key, self.descending)

    def _query_page(self) -> list[tuple]:
        """The next rows after the last fetched one (no state changes)."""
        return self.query.page(self._last_key, self._fetch_size())

    def _fetch_size(self) -> int:
        """Rows per query. Sorted by a column without an index, every query reads the whole
        selection, so ask for several pages at once (fewer, not longer, waits)."""
        return self.page_size if self.sort_key is None else self.page_size * SORTED_PAGES

    def _append(self, rows: list[tuple]) -> None:
        if len(rows) < self._fetch_size():
            self._exhausted = True
        if not rows:
            return
        self._last_key = self.query.key_of(rows[-1])
        start = len(self._ids)
        self._ids.extend(r[0] for r in rows)
        # pages are aligned on page_size positions: every fetch but the last is whole pages
        for i in range(0, len(rows), self.page_size):
            part = rows[i:i + self.page_size]
            self._remember((start + i) // self.page_size, {r[0]: r for r in part})

    def _fetch_page(self) -> None:
        self._append(self._query_page())

    def _remember(self, page: int, rows: dict) -> None:
        self._cache[page] = rows
        self._cache.move_to_end(page)
        while len(self._cache) > CACHE_PAGES:
            self._cache.popitem(last=False)

    def _row(self, row: int) -> tuple | None:
        if row < 0 or row >= len(self._ids):
            return None
        page = row // self.page_size
        rows = self._cache.get(page)
        if rows is None:
            ids = list(self._ids[page * self.page_size:(page + 1) * self.page_size])
            rows = {r[0]: r for r in listing.rows_by_ids(self.store, ids)}
            self._remember(page, rows)
        else:
            self._cache.move_to_end(page)
        return rows.get(self._ids[row])

    # -- public API ----------------------------------------------------------------------
    def set_query(self, text: str | None = None, **filters) -> None:
        """Filter (register, year, status, doc_type, urgency, date_from, date_to) and search text."""
        self.beginResetModel()
        self.filters = {k: v for k, v in filters.items() if v not in (None, "")}
        self.text = (text or "").strip()
        self._reset_rows()
        self._build_query()
        self._fetch_page()
        self.endResetModel()

    def refresh(self) -> None:
        self.beginResetModel()
        self._reset_rows()
        self._build_query()
        self._fetch_page()
        self.endResetModel()

    def _reset_rows(self) -> None:
        self._ids = array("q")
        self._cache.clear()
        self._last_key = None
        self._exhausted = False

    def entry_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, entry_id: int) -> int | None:
        try:
            return self._ids.index(entry_id)
        except ValueError:
            return None

    def loaded(self) -> int:
        return len(self._ids)

    def is_complete(self) -> bool:
        return self._exhausted

    def cached_pages(self) -> int:
        return len(self._cache)

    # -- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        rows = self._query_page()
        if not rows:
            self._exhausted = True
            emit(self.completed)
            return
        before = len(self._ids)
        self.beginInsertRows(QModelIndex(), before, before + len(rows) - 1)
        self._append(rows)
        self.endInsertRows()

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and 0 <= section < len(self.columns) and role == Qt.DisplayRole:
            return tr(COLUMNS[self.columns[section]])
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column]
        # the number column in descending order is the natural order: newest first by id
        sort_key = None if key in ("register_number", "arrival_number") and order == Qt.DescendingOrder else key
        descending = order == Qt.DescendingOrder
        if (sort_key, descending) == (self.sort_key, self.descending):
            return
        self.beginResetModel()
        self.sort_key, self.descending = sort_key, descending
        self._reset_rows()
        self._build_query()
        self._fetch_page()
        self.endResetModel()

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def data(self, index, role=Qt.DisplayRole):
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row = self._row(index.row())
        if row is None:
            return None
        key = self.columns[index.column()]
        if role == _DISPLAY:
            return self._display(row, key)
        if role == _TOOLTIP:
            return self._display(row, key) if key in _TOOLTIP_KEYS else None
        if role == ENTRY_ID_ROLE:
            return row[0]
        if role == STATUS_ROLE:
            return row[_F["status"]]
        if role == URGENCY_ROLE:
            return row[_F["urgency"]] or 0
        status = row[_F["status"]]
        if role == _DECORATION:
            if key == "urgency" and row[_F["urgency"]] and status != "voided":
                return _style().marks.get(int(row[_F["urgency"]]))
            return None
        if role == _BACKGROUND:
            urg = row[_F["urgency"]] or 0
            if urg >= 3 and status != "voided":
                return _style().very_urgent_bg
            if urg == 2 and status != "voided":
                return _style().urgent_bg
            return None
        if role == _FOREGROUND:
            if status == "voided":
                return _style().grey
            if key == "urgency" and row[_F["urgency"]]:
                return _style().red
            if key == "status" and status == "registered" and self.kind == "incoming":
                return _style().blue
            if status == "recalled":
                return _style().brown
            return None
        if role == _FONT:
            if status == "voided":
                return _style().struck
            if key in ("arrival_number", "register_number") or (key == "urgency" and row[_F["urgency"]]):
                return _style().bold
            return None
        if role == _ALIGN and key in ("register_number", "arrival_number"):
            return _RIGHT
        return None

    def _display(self, row: tuple, key: str) -> str:
        if key in ("register_number", "arrival_number"):
            return fmt.number(row[_F["register_number"]])
        if key == "arrival_at":
            return fmt.vn_datetime(row[_F["arrival_at"]])
        if key == "issued_on":
            return fmt.vn_date(row[_F["issued_on"]])
        if key == "summary":
            doc_type = row[_F["doc_type"]]
            return f"{doc_type}: {row[_F['summary']]}" if doc_type else row[_F["summary"]]
        if key == "urgency":
            return fmt.urgency(row[_F["urgency"]])
        if key == "status":
            return fmt.status(row[_F["status"]])
        if key == "recipients":
            return fmt.recipients(row[_F["recipients"]])
        value = row[_F[key]]
        return "" if value is None else str(value)
