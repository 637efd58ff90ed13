"""Column widths that fit the table's viewport: every column gets at least its minimum, the
wide text columns share what is left by weight, so that nothing needs a horizontal scroll at
1280 px and wide screens show more text. Widths the clerk drags become that column's preferred
width, kept per user (ui-state.ini in the data folder)."""
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QHeaderView


@dataclass(frozen=True)
class Col:
    min: int            # pixels at 96 dpi for the default font
    pref: int           # what it gets when there is room
    weight: int = 0     # share of the room beyond the preferred widths
    drop: int = 0       # >0: may be hidden on a narrow window, highest first
    sample: str = ""    # the widest usual content: the minimum is at least its width
    from_width: int = 0  # shown only when the viewport is at least this wide (at 96 dpi)
    pad: int = 18       # room beside the sample (an icon, the bold font)


def state(data_dir) -> QSettings:
    return QSettings(str(data_dir / "ui-state.ini"), QSettings.IniFormat)


class ColumnSizer(QObject):
    """Keeps `table`'s columns (keys `keys`, specs `specs`) fitted to its viewport."""

    def __init__(self, table, keys, specs: dict[str, Col], settings: QSettings | None = None,
                 name: str = "", parent=None):
        super().__init__(parent or table)
        self.table, self.keys, self.specs = table, list(keys), specs
        self.settings, self.name = settings, name
        self.user: dict[str, int] = {}
        if settings is not None:
            for key in self.keys:
                v = settings.value(f"columns/{name}/{key}")
                try:
                    if v is not None:
                        self.user[key] = int(v)
                except (TypeError, ValueError):
                    pass
        self._applying = False
        hh = table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.Interactive)
        hh.setStretchLastSection(False)
        hh.sectionResized.connect(self._resized_by_clerk)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.apply)
        table.viewport().installEventFilter(self)
        self.scale = table.fontMetrics().averageCharWidth() / 7.0
        self.header_labels = {}

    def _min(self, key: str) -> int:
        spec = self.specs[key]
        fm = self.table.fontMetrics()
        w = self._px(spec.min)
        if spec.sample:
            w = max(w, fm.horizontalAdvance(spec.sample) + spec.pad)
        if not spec.weight:     # a short column shows its whole header
            i = self.keys.index(key)
            model = self.table.model()
            label = model.headerData(i, Qt.Horizontal) if model is not None else None
            if label:
                bold = self.table.horizontalHeader().font()
                from PySide6.QtGui import QFontMetrics
                w = max(w, QFontMetrics(bold).horizontalAdvance(str(label)) + 22)
        return w

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent
        if event.type() == QEvent.Resize:
            self._timer.start()
        return False

    def _px(self, v: int) -> int:
        return int(v * max(self.scale, 1.0))

    def widths(self, avail: int) -> dict[str, int]:
        """{key: width} (0 = hidden) for a viewport `avail` pixels wide."""
        shown = [k for k in self.keys if avail >= self._px(self.specs[k].from_width)]
        mins = {k: self._min(k) for k in self.keys}
        while sum(mins[k] for k in shown) > avail:
            droppable = [k for k in shown if self.specs[k].drop]
            if not droppable:
                break
            shown.remove(max(droppable, key=lambda k: self.specs[k].drop))
        deficit = sum(mins[k] for k in shown) - avail
        if deficit > 0:     # still too narrow: the text columns give up to half their minimum
            flexible = [k for k in shown if self.specs[k].weight]
            give = sum(mins[k] // 2 for k in flexible)
            if give:
                f = min(1.0, deficit / give)
                for k in flexible:
                    mins[k] -= int(mins[k] // 2 * f) + 1
        # a width the clerk chose is kept as long as the other columns keep their minimum
        spare = avail - sum(mins[k] for k in shown)
        for k in shown:
            if self.user.get(k) and spare > 0:
                grow = min(max(self.user[k] - mins[k], 0), spare)
                mins[k] += grow
                spare -= grow
        prefs = {k: max(mins[k], self.user.get(k) or self._px(self.specs[k].pref)) for k in shown}
        out = dict(mins)
        room = avail - sum(mins[k] for k in shown)
        want = sum(prefs[k] - mins[k] for k in shown)
        if room > 0 and want > 0:
            f = min(1.0, room / want)
            for k in shown:
                out[k] = mins[k] + int((prefs[k] - mins[k]) * f)
            room -= sum(out[k] - mins[k] for k in shown)
        weights = sum(self.specs[k].weight for k in shown)
        if room > 0 and weights:
            for k in shown:
                out[k] += room * self.specs[k].weight // weights
        used = sum(out[k] for k in shown)
        if shown and used < avail:      # rounding: the rest to the widest column
            out[max(shown, key=lambda k: self.specs[k].weight)] += avail - used
        return {k: (out[k] if k in shown else 0) for k in self.keys}

    def apply(self) -> None:
        avail = self.table.viewport().width()
        if avail <= 0:
            return
        self._applying = True
        try:
            for i, (_key, w) in enumerate(self.widths(avail).items()):
                self.table.setColumnHidden(i, w == 0)
                if w:
                    self.table.setColumnWidth(i, w)
        finally:
            self._applying = False

    def _resized_by_clerk(self, index: int, _old: int, new: int) -> None:
        if self._applying or not 0 <= index < len(self.keys) or new <= 0:
            return
        key = self.keys[index]
        self.user[key] = new
        if self.settings is not None:
            self.settings.setValue(f"columns/{self.name}/{key}", new)
        self._timer.start()

    def reset(self) -> None:
        self.user.clear()
        if self.settings is not None:
            self.settings.remove(f"columns/{self.name}")
        self.apply()
