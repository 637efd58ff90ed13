"""A lazy table model over a register: rows are fetched in pages as the clerk scrolls
(canFetchMore/fetchMore, keyset paging through app.store.listing, newest first), each read on a
worker thread. Only entry ids are kept for every fetched row; row contents live in a small page
cache, so scrolling through a million entries keeps memory flat."""
import logging
from array import array
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ..store import listing
from . import formatting as fmt
from .i18n import N_, tr
from .ops import read
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


def _first_page(store, kind: str, text: str, filters: dict, sort: str | None, descending: bool,
                limit: int) -> tuple[listing.Listing, list[tuple]]:
    """Worker thread: compile the query (it reads the register sizes) and read its first rows."""
    query = listing.Listing(store, kind, text, filters, sort, descending)
    return query, query.page(None, limit)


def _next_page(store, query: listing.Listing, after, limit: int) -> list[tuple]:
    return query.page(after, limit, store=store)


def _rows_by_ids(store, ids: list[int]) -> list[tuple]:
    return listing.rows_by_ids(store, ids)


class EntriesModel(QAbstractTableModel):
    """Every read runs off the UI thread (app.ui.ops.read on the session's reading
    connections): a new query keeps the rows shown until its first page comes, the next page
    is asked for when the view scrolls to the end, and a page evicted from the cache shows
    placeholder rows ("…") until it is read again (dataChanged)."""

    completed = Signal()      # every row of the query is loaded
    loaded = Signal()         # the first rows of a new query (set_query, refresh, sort) are in
    failed = Signal(str)      # a read failed: the message for the clerk

    def __init__(self, session, kind: str, parent=None, page_size: int | None = None):
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.page_size = page_size or PAGE
        self.columns = KIND_COLUMNS[kind]
        self.filters: dict = {}
        self.text = ""
        self.sort_key: str | None = None      # None: newest first (e.id DESC)
        self.descending = True
        self.query: listing.Listing | None = None
        self._ids = array("q")
        self._cache: OrderedDict[int, dict[int, tuple]] = OrderedDict()
        self._last_key = None
        self._exhausted = False
        self._gen = 0                 # answers of an earlier query are dropped
        self._fetching = False        # a first or next page is being read
        self._refilling: set[int] = set()
        self.error: str | None = None       # the last read's failure, for the clerk
        self._start()

    # -- reading (all SQL is app.store.listing's, on a worker thread) -------------------
    def _read(self, fn, *args, done) -> None:
        gen = self._gen
        read(self, self.session, fn, *args).success(lambda result: done(gen, result)) \
            .failure(lambda exc: self._read_failed(gen, exc)).run()

    def _read_failed(self, gen: int, exc: BaseException) -> bool:
        log.warning("register list read failed: %s", exc)
        if gen == self._gen:
            self._fetching = False
            self._refilling.clear()
            self._exhausted = True          # no retry loop: the next refresh tries again
            self.error = getattr(exc, "message", None) or tr("Không đọc được danh sách văn bản.")
            emit(self.failed, self.error)
        return True

    def _start(self) -> None:
        """Read the first page of the current query; the rows shown stay until it comes."""
        self._gen += 1
        self._fetching = True
        self.error = None
        self._read(_first_page, self.kind, self.text, dict(self.filters), self.sort_key, self.descending,
                   self._fetch_size(), done=self._got_first)

    def _got_first(self, gen: int, result) -> None:
        if gen != self._gen:
            return
        query, rows = result
        self.beginResetModel()
        self._reset_rows()
        self.query = query
        self._append(rows)
        self._fetching = False
        self.endResetModel()
        emit(self.loaded)
        if self._exhausted:
            emit(self.completed)

    def _got_next(self, gen: int, rows: list[tuple]) -> None:
        if gen != self._gen:
            return
        self._fetching = False
        if rows:
            before = len(self._ids)
            self.beginInsertRows(QModelIndex(), before, before + len(rows) - 1)
            self._append(rows)
            self.endInsertRows()
        else:
            self._exhausted = True
        if self._exhausted:
            emit(self.completed)

    def _fetch_size(self) -> int:
        """Rows per query. Sorted by a column without an index, every query reads the whole
        selection, so ask for several pages at once (fewer, not longer, waits)."""
        return self.page_size if self.sort_key is None else self.page_size * SORTED_PAGES

    def _append(self, rows: list[tuple]) -> None:
        if len(rows) < self._fetch_size():
            self._exhausted = True
        if not rows:
            return
        assert self.query is not None
        self._last_key = self.query.key_of(rows[-1])
        start = len(self._ids)
        self._ids.extend(r[0] for r in rows)
        # pages are aligned on page_size positions: every fetch but the last is whole pages
        for i in range(0, len(rows), self.page_size):
            part = rows[i:i + self.page_size]
            self._remember((start + i) // self.page_size, {r[0]: r for r in part})

    def _remember(self, page: int, rows: dict) -> None:
        self._cache[page] = rows
        self._cache.move_to_end(page)
        while len(self._cache) > CACHE_PAGES:
            self._cache.popitem(last=False)

    def _row(self, row: int) -> tuple | None:
        """The cached row, or None while its page is being read again (evicted from the cache)."""
        if row < 0 or row >= len(self._ids):
            return None
        page = row // self.page_size
        rows = self._cache.get(page)
        if rows is None:
            self._refill(page)
            return None
        self._cache.move_to_end(page)
        return rows.get(self._ids[row])

    def _refill(self, page: int) -> None:
        if page in self._refilling:
            return
        self._refilling.add(page)
        ids = list(self._ids[page * self.page_size:(page + 1) * self.page_size])
        self._read(_rows_by_ids, ids, done=lambda gen, rows: self._got_rows(gen, page, rows))

    def _got_rows(self, gen: int, page: int, rows: list[tuple]) -> None:
        if gen != self._gen:
            return
        self._refilling.discard(page)
        self._remember(page, {r[0]: r for r in rows})
        first = page * self.page_size
        last = min(first + self.page_size, len(self._ids)) - 1
        if last >= first:
            emit(self.dataChanged, self.index(first, 0), self.index(last, len(self.columns) - 1))

    # -- public API ----------------------------------------------------------------------
    def set_query(self, text: str | None = None, **filters) -> None:
        """Filter (register, year, status, doc_type, urgency, date_from, date_to) and search text."""
        self.filters = {k: v for k, v in filters.items() if v not in (None, "")}
        self.text = (text or "").strip()
        self._start()

    def refresh(self) -> None:
        self._start()

    def _reset_rows(self) -> None:
        self._ids = array("q")
        self._cache.clear()
        self._refilling.clear()
        self._last_key = None
        self._exhausted = False

    def entry_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, entry_id: int) -> int | None:
        try:
            return self._ids.index(entry_id)
        except ValueError:
            return None

    def loaded_rows(self) -> int:
        return len(self._ids)

    def is_complete(self) -> bool:
        return self._exhausted and not self._fetching

    def is_loading(self) -> bool:
        """A page or a new query is being read."""
        return self._fetching or bool(self._refilling)

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
        """Ask for the next page (answered later, off the UI thread); one at a time."""
        if parent.isValid() or self._exhausted or self._fetching or self.query is None:
            return
        self._fetching = True
        self._read(_next_page, self.query, self._last_key, self._fetch_size(), done=self._got_next)

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
        self.sort_key, self.descending = sort_key, descending
        self._start()

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def data(self, index, role=Qt.DisplayRole):
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        if role == ENTRY_ID_ROLE:
            return self.entry_id(index.row())
        row = self._row(index.row())
        if row is None:       # its page is being read: a placeholder row
            return "…" if role == _DISPLAY and index.column() == 0 else None
        key = self.columns[index.column()]
        if role == _DISPLAY:
            return self._display(row, key)
        if role == _TOOLTIP:
            return self._display(row, key) if key in _TOOLTIP_KEYS else None
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
