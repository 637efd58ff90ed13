"""The reads behind printed books and exports: one consistent snapshot of the register, its rows
for a period streamed in register-number order, the period's summary, and the revisions of
rows as they were printed."""
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .db import BUSY_TIMEOUT_MS, Connected, sqlite_errors

COLUMNS = ("register_number, status, void_reason, registered_at, doc_type, number, notation, reference, "
           "issued_on, issuer, summary, note, signer, urgency, copies, arrival_at, received_via, "
           "receiving_unit, handling_note, handling_deadline, transferred_on, kept_by, dispatched_on, "
           "recipients, content_hash, id, revision")


def _where(extra: str, register_id: int, year: int, start: date, end: date) -> tuple[str, list[Any]]:
    sql = (f"WHERE e.register_id = ? AND e.year = ? AND e.registered_at >= ? AND e.registered_at < ? "
           f"{extra}")
    return sql, [register_id, year, start.isoformat(), (end + timedelta(days=1)).isoformat()]


def rows(store: Connected, extra: str, register_id: int, year: int, start: date, end: date) -> Iterator[sqlite3.Row]:
    """Rows (COLUMNS) of the register's year registered from `start` to `end`, in number order;
    `extra` is the book form's own condition (e.g. "AND e.status != 'voided'")."""
    where, params = _where(extra, register_id, year, start, end)
    cur = store.conn.execute(f"SELECT {COLUMNS} FROM entries e {where} ORDER BY e.register_number", params)
    try:
        while batch := cur.fetchmany(500):
            yield from batch
    finally:
        try:
            cur.close()
        except sqlite3.ProgrammingError:   # the snapshot was closed first (work cancelled)
            pass


def summary(store: Connected, extra: str, register_id: int, year: int, start: date, end: date) -> dict[str, Any]:
    """Count, first and last number, voided count and last registration date of a period."""
    where, params = _where(extra, register_id, year, start, end)
    r = store.conn.execute(
        f"SELECT COUNT(*), MIN(register_number), MAX(register_number), "
        f"COALESCE(SUM(status = 'voided'), 0), MAX(registered_at) FROM entries e {where}", params).fetchone()
    return {"count": r[0], "first": r[1], "last": r[2], "voided": r[3],
            "last_date": date.fromisoformat(r[4][:10]) if r[4] else None}


@dataclass(frozen=True)
class Snapshot:
    """A report's own read connection (see snapshot()), read like the Store it was opened from."""

    conn: sqlite3.Connection
    data_dir: Path
    path: Path


@contextmanager
def snapshot(store: Connected) -> Iterator[Snapshot]:
    """A read transaction on a connection of its own: every query of one report sees the register
    as it was when the report started (WAL: the clerk keeps registering meanwhile), and the UI
    thread's connection is never shared with the worker's long read."""
    with sqlite_errors():
        conn = sqlite3.connect(store.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("BEGIN")
        conn.execute("SELECT COUNT(*) FROM registers").fetchone()    # the snapshot starts here
    try:
        yield Snapshot(conn=conn, data_dir=store.data_dir, path=store.path)
    finally:
        try:
            conn.execute("ROLLBACK")
        finally:
            conn.close()


def revisions(store: Connected, pairs: Sequence[Sequence[int]]) -> dict[tuple[int, int], str]:
    """{(entry_id, revision): snapshot JSON} for the pairs asked (those found)."""
    found: dict[tuple[int, int], str] = {}
    for start in range(0, len(pairs), 400):
        part = pairs[start:start + 400]
        sql = (f"SELECT entry_id, revision, data FROM entry_revisions WHERE (entry_id, revision) IN "
               f"(VALUES {','.join(['(?, ?)'] * len(part))})")
        for entry_id, revision, data in store.conn.execute(sql, [x for pair in part for x in pair]):
            found[(entry_id, revision)] = data
    return found
