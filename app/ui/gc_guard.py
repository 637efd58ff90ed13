"""Python's cyclic garbage collector runs on whichever thread happens to allocate; on a worker
thread it may destroy Qt objects that belong to the UI thread, which crashes the process. So
automatic collection is switched off and done here, on the UI thread, by a timer."""
import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class MainThreadCollector(QObject):
    def __init__(self, parent):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(INTERVAL_MS)

    @staticmethod
    def collect() -> None:
        """Collect the generations whose thresholds were passed, as gc itself would."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


def install(app) -> MainThreadCollector:
    """Idempotent: one collector per application."""
    gc.disable()
    return app.findChild(MainThreadCollector) or MainThreadCollector(app)
