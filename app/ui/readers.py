"""The window's reading connections: a few SQLite connections lent to background reads (a
connection belongs to the worker thread that borrowed it until it gives it back), so that no
screen reads on the UI thread and no read opens a connection of its own. Plain Python, no Qt.

Closing never pulls a connection from under a running query (that crashed SQLite before): busy
connections are interrupted and closed by their own thread when it gives them back."""
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import Cancelled
from ..store import open_store
from ..store.db import Store

log = logging.getLogger(__name__)


class ReaderPool:
    def __init__(self, data_dir: Path, actor: str, keep: int = 4):
        self.data_dir, self.actor, self.keep = Path(data_dir), actor, keep
        self._lock = threading.Lock()
        self._idle: list[Store] = []
        self._busy: set[Store] = set()
        self._closed = False
        self.opened = 0          # connections opened so far (tests, bench)

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        """A connection for the calling thread until the block ends. Raises Cancelled once the
        pool is closed, and when closing interrupted the query."""
        with self._lock:
            if self._closed:
                raise Cancelled()
            store = self._idle.pop() if self._idle else None
        if store is None:
            store = open_store(self.data_dir, actor=self.actor, create=False)
            with self._lock:
                self.opened += 1
        with self._lock:
            closed = self._closed
            if not closed:
                self._busy.add(store)
        if closed:
            store.close()
            raise Cancelled()
        try:
            yield store
        except sqlite3.OperationalError:
            if self._closed:        # interrupted by close(): the window is going away
                raise Cancelled() from None
            raise
        finally:
            with self._lock:
                self._busy.discard(store)
                kept = not self._closed and len(self._idle) < self.keep
                if kept:
                    self._idle.append(store)
            if not kept:
                store.close()

    def busy(self) -> int:
        with self._lock:
            return len(self._busy)

    def close(self) -> None:
        """Interrupt the running reads (their threads close their connection) and close the idle
        connections; later borrows raise Cancelled."""
        with self._lock:
            self._closed = True
            idle, busy = self._idle, list(self._busy)
            self._idle = []
        for store in busy:
            try:
                store.conn.interrupt()
            except sqlite3.Error as exc:
                log.debug("interrupt: %s", exc)
        for store in idle:
            store.close()
