"""The counts behind the statistics table (issue: ND30 yearly report): totals, groupings and the
overdue / late lists of a period, read inside a report snapshot (app.store.books.snapshot)."""
import sqlite3
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

# grouping name -> SQL expression over entries e
GROUPS = {
    "month": "substr(e.registered_at, 1, 7)",
    "month_number": "CAST(substr(e.registered_at, 6, 2) AS INTEGER)",
    "doc_type": "e.doc_type",
    "urgency": "e.urgency",
    "issuer": "e.issuer",
}


class Period:
    """WHERE clause of one kind's entries registered in [start, end] of `year`, optionally one register."""

    def __init__(self, kind: str, year: int, start: date, end: date, register_id: int | None = None):
        self.sql = "WHERE e.kind = ? AND e.year = ? AND e.registered_at >= ? AND e.registered_at < ?"
        self.params: list[Any] = [kind, year, start.isoformat(), (end + timedelta(days=1)).isoformat()]
        if register_id:
            self.sql += " AND e.register_id = ?"
            self.params.append(register_id)


def group_counts(conn: sqlite3.Connection, group: str, p: Period) -> list[tuple[Any, int]]:
    """(key, count) of the period's entries not voided, by `group` (a GROUPS name), biggest first."""
    expr = GROUPS[group]
    return [(k, n) for k, n in conn.execute(
        f"SELECT {expr} AS k, COUNT(*) FROM entries e {p.sql} AND e.status != 'voided' "
        f"GROUP BY k ORDER BY COUNT(*) DESC, k", p.params)]


def totals(conn: sqlite3.Connection, p: Period) -> tuple[int, int, int]:
    """(not voided, voided, recalled)."""
    r = conn.execute(
        f"SELECT COALESCE(SUM(status != 'voided'), 0), COALESCE(SUM(status = 'voided'), 0), "
        f"COALESCE(SUM(status = 'recalled'), 0) FROM entries e {p.sql}", p.params).fetchone()
    return int(r[0]), int(r[1]), int(r[2])


def electronic_incoming(conn: sqlite3.Connection, p: Period) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM entries e {p.sql} AND e.status != 'voided' "
                            f"AND e.received_via = 'electronic'", p.params).fetchone()[0])


def electronic_outgoing(conn: sqlite3.Connection, p: Period) -> int:
    """Outgoing entries with at least one recipient reached by its organization id (sent electronically)."""
    return int(conn.execute(
        f"SELECT COUNT(*) FROM entries e {p.sql} AND e.status != 'voided' AND EXISTS (SELECT 1 FROM "
        f"json_each(e.recipients) WHERE json_extract(value, '$.id') IS NOT NULL)", p.params).fetchone()[0])


def overdue_incoming(conn: sqlite3.Connection, p: Period, open_statuses: Sequence[str],
                     before: date) -> list[sqlite3.Row]:
    """Open incoming entries whose handling deadline is before `before`, earliest first."""
    return conn.execute(
        f"SELECT e.id, e.register_number, e.reference, e.issuer, e.summary, e.handling_deadline, e.status "
        f"FROM entries e {p.sql} AND e.status IN ({','.join('?' * len(open_statuses))}) "
        f"AND e.handling_deadline IS NOT NULL AND e.handling_deadline < ? ORDER BY e.handling_deadline, "
        f"e.register_number", [*p.params, *open_statuses, before.isoformat()]).fetchall()


def outgoing_for_dispatch(conn: sqlite3.Connection, p: Period) -> sqlite3.Cursor:
    """Outgoing entries not voided or recalled, in number order (for the timely-dispatch check)."""
    return conn.execute(f"SELECT e.id, e.register_number, e.reference, e.summary, e.registered_at, "
                        f"e.dispatched_on, e.status FROM entries e {p.sql} "
                        f"AND e.status NOT IN ('voided', 'recalled') ORDER BY e.register_number", p.params)
