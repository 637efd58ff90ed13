"""Rows of a book straight from SQL, ordered by register number and streamed (a year's
register is never loaded as a list of objects)."""
import sqlite3
from contextlib import contextmanager
from datetime import date, timedelta
from types import SimpleNamespace

from ..store.db import BUSY_TIMEOUT_MS, translate_sqlite_error
from .forms import BookForm

_COLUMNS = ("register_number, status, void_reason, registered_at, doc_type, number, notation, reference, "
            "issued_on, issuer, summary, note, signer, urgency, copies, arrival_at, received_via, "
            "receiving_unit, handling_note, handling_deadline, transferred_on, kept_by, dispatched_on, "
            "recipients, content_hash, id, revision")


def _where(form: BookForm, register_id: int, year: int, start: date, end: date) -> tuple[str, list]:
    sql = (f"WHERE e.register_id = ? AND e.year = ? AND e.registered_at >= ? AND e.registered_at < ? "
           f"{form.where}")
    return sql, [register_id, year, start.isoformat(), (end + timedelta(days=1)).isoformat()]


def rows(store, form: BookForm, register_id: int, year: int, start: date, end: date):
    """Iterator of sqlite3.Row, in register-number order."""
    where, params = _where(form, register_id, year, start, end)
    cur = store.conn.execute(f"SELECT {_COLUMNS} FROM entries e {where} ORDER BY e.register_number", params)
    try:
        while batch := cur.fetchmany(500):
            yield from batch
    finally:
        try:
            cur.close()
        except sqlite3.ProgrammingError:   # the snapshot was closed first (work cancelled)
            pass


def summary(store, form: BookForm, register_id: int, year: int, start: date, end: date) -> dict:
    """Count, first and last number, voided count and last registration date of a period."""
    where, params = _where(form, register_id, year, start, end)
    r = store.conn.execute(
        f"SELECT COUNT(*), MIN(register_number), MAX(register_number), "
        f"COALESCE(SUM(status = 'voided'), 0), MAX(registered_at) FROM entries e {where}", params).fetchone()
    return {"count": r[0], "first": r[1], "last": r[2], "voided": r[3],
            "last_date": date.fromisoformat(r[4][:10]) if r[4] else None}


@contextmanager
def snapshot(store):
    """A read transaction on a connection of its own: every query of one report sees the register
    as it was when the report started (WAL: the clerk keeps registering meanwhile), and the UI
    thread's connection is never shared with the worker's long read."""
    try:
        conn = sqlite3.connect(store.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("BEGIN")
        conn.execute("SELECT COUNT(*) FROM registers").fetchone()    # the snapshot starts here
    except sqlite3.Error as exc:
        mapped = translate_sqlite_error(exc)
        if mapped is None:
            raise
        raise mapped from exc
    try:
        yield SimpleNamespace(conn=conn, data_dir=store.data_dir, path=store.path)
    finally:
        try:
            conn.execute("ROLLBACK")
        finally:
            conn.close()
