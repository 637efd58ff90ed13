"""Connection, durability settings, transactions and the mapping of SQLite failures to
errors the clerk can act on."""
import errno
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from ..errors import DatabaseLockedError, DiskFullError, StorageError
from ..i18n import tr

log = logging.getLogger(__name__)

DB_NAME = "vanthu.sqlite3"
BUSY_TIMEOUT_MS = 10_000


# Primary SQLite result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 5, 6, 10, 11, 13, 26


def translate_sqlite_error(exc: BaseException) -> StorageError | None:
    """The clerk-facing error for a storage failure, or None if it is not one. SQLite errors are
    told apart by their result code (sqlite3.Error.sqlite_errorcode), OS errors by errno."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if isinstance(exc, sqlite3.Error) and primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseLockedError(
            tr("Cơ sở dữ liệu đang được một chương trình khác sử dụng; đã chờ {s} giây mà chưa "
               "được. Hãy đóng chương trình kia hoặc thử lại sau.").format(s=BUSY_TIMEOUT_MS // 1000),
            str(exc))
    if (isinstance(exc, sqlite3.Error) and primary in (SQLITE_FULL, SQLITE_IOERR)) or \
            (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)):
        return DiskFullError(
            tr("Ổ đĩa đã đầy hoặc không ghi được: thao tác đã bị hủy, dữ liệu cũ vẫn nguyên vẹn. "
               "Hãy giải phóng dung lượng rồi thử lại."), str(exc))
    if isinstance(exc, sqlite3.DatabaseError) and primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return StorageError(
            tr("Tệp cơ sở dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu của chương trình. "
               "Hãy báo quản trị viên và khôi phục từ bản sao lưu."), str(exc))
    return None


@contextmanager
def sqlite_errors() -> Iterator[None]:
    """Inside the block, a SQLite failure that has a clerk-facing error (translate_sqlite_error)
    is raised as that error; any other exception goes through unchanged."""
    try:
        yield
    except sqlite3.Error as exc:
        mapped = translate_sqlite_error(exc)
        if mapped is None:
            raise
        raise mapped from exc


# Types the store's functions share: a file path as the caller may give it; a progress
# callback (done, total); query parameters as sqlite3 takes them, positional or named.
PathArg = str | PathLike[str]
Progress = Callable[[int, int], object] | None
Params = Sequence[Any] | Mapping[str, Any]


class Connected(Protocol):
    """Something to read from: an open Store, or a report's snapshot (app.store.books)."""

    @property
    def conn(self) -> sqlite3.Connection: ...

    @property
    def path(self) -> Path: ...

    @property
    def data_dir(self) -> Path: ...


def _fold_or_none(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    from ..domain.text import fold
    return " ".join(fold(value).split()) if isinstance(value, str) else value


class Store:
    """An open data folder: the database plus the content-addressed file store."""

    def __init__(self, data_dir: Path, actor: str = "vanthu", create: bool = True) -> None:
        self.data_dir = Path(data_dir)
        if create:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        elif not (self.data_dir / DB_NAME).exists():
            raise StorageError(tr("Không tìm thấy dữ liệu tại {p}.").format(p=self.data_dir))
        self.files_dir = self.data_dir / "files"
        self.actor = actor
        self.path = self.data_dir / DB_NAME
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                        isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            # folded text (case, diacritics, đ) for filters written in SQL
            self.conn.create_function("vn_fold", 1, _fold_or_none, deterministic=True)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                log.warning("journal_mode is %s, not wal", mode)
            # FULL: a number told to the clerk survives a power cut.
            self.conn.execute("PRAGMA synchronous = FULL")
        except (sqlite3.Error, OSError) as exc:
            raise translate_sqlite_error(exc) or StorageError(
                tr("Không mở được cơ sở dữ liệu tại {p}.").format(p=self.path), str(exc)) from exc
        self._lock = threading.RLock()
        from . import schema
        schema.migrate(self)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; any failure rolls everything back."""
        with self._lock:
            with sqlite_errors():
                self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                mapped = translate_sqlite_error(exc) if isinstance(exc, (sqlite3.Error, OSError)) else None
                if mapped:
                    log.error("transaction rolled back: %s", exc)
                    raise mapped from exc
                raise

    def query(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        with sqlite_errors():
            return self.conn.execute(sql, params).fetchall()

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    @property
    def workstation_id(self) -> str:
        return self.meta("workstation_id") or ""

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def open_store(data_dir: PathArg, actor: str = "vanthu", create: bool = True) -> Store:
    return Store(Path(data_dir), actor=actor, create=create)


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The rowid an INSERT on `cur` just gave (typeshed has lastrowid Optional: None only before
    any statement ran on the cursor)."""
    return int(cur.lastrowid or 0)


def new_uid() -> str:
    return str(uuid.uuid4())
