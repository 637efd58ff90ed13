"""The reminders list in the main window, refreshed off the UI thread."""
import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..domain import clock
from . import formatting as fmt
from .i18n import tr
from .ops import read
from .qtfix import emit, item_data
from .reminders import overdue

log = logging.getLogger(__name__)


def wrap_lines(text: str, fits, most: int = 0) -> list[str]:
    """`text` in lines broken between words, each one such that `fits(line)`; with `most`, at
    most that many lines, the last ending with "…" when text was left out."""
    lines: list[str] = []
    for word in (text or "").split():
        if lines and fits(lines[-1] + " " + word):
            lines[-1] += " " + word
        else:
            lines.append(word)
    lines = lines or [""]
    if most and len(lines) > most:
        lines = lines[:most]
        last = lines[-1]
        while not fits(last + " …") and " " in last:
            last = last.rsplit(" ", 1)[0]
        lines[-1] = last.rstrip(",;:.-") + " …"
    return lines


def shorten(text: str, width: int) -> str:
    """At most `width` characters, cut between words (never mid-word), "…" when cut."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.-") + " …"

REFRESH_MS = 60_000


def compute(session, reader):
    return overdue(reader, session.calendar())


def _compute(store, session):
    return compute(session, store)


class RemindersPanel(QWidget):
    open_entry = Signal(int)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("remindersPanel")
        self.title = QLabel(tr("Nhắc việc"))
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.list = QListWidget()
        self.list.setObjectName("remindersList")
        self.list.setWordWrap(False)                  # lines are broken by show_items, between words
        self.list.setTextElideMode(Qt.ElideNone)
        self.list.setUniformItemSizes(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setSpacing(3)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activate)
        self.list.itemDoubleClicked.connect(self._activate)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.list, 1)
        self.items = []
        self._busy = False
        self._again = False
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._debounce = QTimer(self, singleShot=True, interval=500)
        self._debounce.timeout.connect(self.refresh)
        session.on_change(self._debounce.start, "entries", "settings")

    def start(self) -> None:
        self.refresh()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._debounce.stop()

    def refresh(self) -> None:
        """Compute the reminders on a reading connection of the session (app.ui.ops.read)."""
        if self._busy:
            self._again = True
            return
        self._busy = True

        def failed(exc) -> bool:
            log.warning("reminders failed: %s", exc)
            self._done()
            return True
        read(self, self.session, _compute, self.session) \
            .success(lambda result: (self.show_items(result[0]), self._done())).failure(failed).run()

    def _done(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.refresh()

    def show_items(self, items) -> None:
        self.items = list(items)
        self.list.clear()
        # lines broken here, between words, to the panel's width: Qt's own wrapping of list items
        # misjudges their height and cut the last line
        fm = self.list.fontMetrics()
        room = max(self.list.viewport().width() - 16, 120)

        def fits(line: str) -> bool:
            return fm.horizontalAdvance(line) <= room
        now = clock.now()
        for r in self.items:
            what = tr("Chưa chuyển") if r.kind == "incoming" else tr("Chưa phát hành")
            head = (tr("Số đến {n}") if r.kind == "incoming" else tr("Số {n}")).format(n=fmt.number(r.register_number))
            urg = fmt.urgency(r.urgency)
            late = now - r.due
            hours = int(late.total_seconds() // 3600)
            if hours >= 48:
                lateness = tr("quá hạn {d} ngày").format(d=hours // 24)
            elif hours >= 1:
                lateness = tr("quá hạn {h} giờ").format(h=hours)
            else:
                lateness = tr("đến hạn")
            first = f"{head} · {what}" + (f" · {urg.upper()}" if urg else "") + f" · {lateness}"
            item = QListWidgetItem("\n".join(wrap_lines(first, fits) + wrap_lines(r.summary, fits, 3)))
            item.setStatusTip(r.summary)
            item.setData(Qt.UserRole, r.entry_id)
            item.setToolTip(tr("Hạn: {d}").format(d=fmt.vn_datetime(r.due.isoformat())))
            if r.urgent:
                item.setForeground(QBrush(QColor("#b3261e")))
            self.list.addItem(item)
        if not self.items:
            self.list.addItem(tr("Không có việc quá hạn."))
        self.title.setText(tr("Nhắc việc ({n})").format(n=len(self.items)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.items and event.oldSize().width() != event.size().width():
            self.show_items(self.items)

    def _activate(self, item) -> None:
        entry_id = item_data(item)
        if entry_id:
            emit(self.open_entry, int(entry_id))
