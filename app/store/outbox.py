"""The outbox: what the server must later be told, written in the same transaction as the
change it reports. Items keep their order per register and carry an idempotency key."""
import json
import sqlite3
import uuid
from collections.abc import Mapping
from typing import Any

from ..domain import clock
from ..domain.records import OutboxItem
from .canonical import canonical_json
from .db import Store

# Keys of the entry kept in an outbox payload that points at its revision ("rev").
ENTRY_STUB_KEYS = ("uid", "revision", "status", "register_number", "year", "reference")


def expand(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    """The outbox row as a dict whose payload carries the full entry snapshot again (the same
    JSON text as when the snapshot was stored inline), read from the revision it points at."""
    d = dict(row)
    text = d.get("payload")
    if text and str(d.get("topic", "")).startswith("entry.") and '"rev":' in text:
        payload = json.loads(text)
        ref = payload.pop("rev", None)
        if isinstance(ref, list):
            snap = conn.execute("SELECT data FROM entry_revisions WHERE entry_id = ? AND revision = ?",
                                (ref[0], ref[1])).fetchone()
            if snap is not None:
                payload["entry"] = json.loads(snap[0])
                d["payload"] = canonical_json(payload)
    return d


def enqueue(conn: sqlite3.Connection, topic: str, payload: Mapping[str, Any], register_id: int | None = None,
            entity_id: str | None = None) -> str:
    """Add an item inside the caller's transaction; returns its idempotency key."""
    key = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO outbox (key, register_id, topic, entity_id, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (key, register_id, topic, entity_id, canonical_json(payload), clock.iso_precise(clock.now())))
    return key


# Topics that mirror the register to the provincial server (as opposed to documents and
# statuses sent to other agencies).
MIRROR_TOPIC_SQL = "(topic LIKE 'entry.%' OR topic = 'attachment.added')"


def _select(state: str | None, mirror: bool | None, newest_first: bool) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if state:
        where.append("state = ?")
        params.append(state)
    if mirror is not None:
        where.append(MIRROR_TOPIC_SQL if mirror else f"NOT {MIRROR_TOPIC_SQL}")
    sql = ("SELECT * FROM outbox" + (" WHERE " + " AND ".join(where) if where else "")
           + f" ORDER BY seq {'DESC' if newest_first else 'ASC'} LIMIT ?")
    return sql, params


def outbox_items(store: Store, state: str | None = None, limit: int = 1000, *, mirror: bool | None = None,
                 newest_first: bool = False) -> list[OutboxItem]:
    """Items in `state` (all states if None); `mirror` True: only register-mirror items, False:
    only documents/statuses for other agencies, None: both."""
    sql, params = _select(state, mirror, newest_first)
    return [OutboxItem.from_row(expand(store.conn, r)) for r in store.query(sql, [*params, limit])]


def items(store: Store, state: str | None = None, limit: int = 1000, *, mirror: bool | None = None,
          newest_first: bool = False) -> list[dict[str, Any]]:
    """Dict form of outbox_items() (legacy)."""
    sql, params = _select(state, mirror, newest_first)
    return [expand(store.conn, r) for r in store.query(sql, [*params, limit])]


def mirror_summary(store: Store) -> dict[str, int]:
    """{state: count} of the register-mirror items."""
    return {r[0]: r[1] for r in store.query(
        f"SELECT state, count(*) FROM outbox WHERE {MIRROR_TOPIC_SQL} GROUP BY state")}


def counts(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.query("SELECT state, count(*) FROM outbox GROUP BY state")}


# --- draining (used by app.sync.worker; storage only, no network here) ---

def due(store: Store, now_iso: str, limit: int = 500) -> list[dict[str, Any]]:
    """Pending items that may be sent now, oldest first. Items of one register keep their
    order: a register's lane stops at its first item still waiting for its retry time.
    Items without a register (status reports) form their own lane."""
    blocked: set[int | None] = set()
    out: list[dict[str, Any]] = []
    after = 0
    for _ in range(50):   # pages, so that one register backing off does not starve the others
        rows = store.query("SELECT * FROM outbox WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?",
                           (after, limit * 2))
        for r in rows:
            after = r["seq"]
            lane = r["register_id"]
            if lane in blocked:
                continue
            if r["next_attempt_at"] and r["next_attempt_at"] > now_iso:
                blocked.add(lane)
                continue
            out.append(expand(store.conn, r))
            if len(out) >= limit:
                return out
        if len(rows) < limit * 2:
            break
    return out


def mark_done(store: Store, keys: list[str]) -> None:
    if not keys:
        return
    now = clock.iso_precise(clock.now())
    with store.transaction() as conn:
        conn.executemany("UPDATE outbox SET state = 'done', done_at = ?, last_error = NULL, attempts = attempts + 1"
                         " WHERE key = ? AND state = 'pending'", [(now, k) for k in keys])


def mark_parked(store: Store, key: str, reason: str) -> None:
    """Refused for good by the server: kept with its reason, no longer blocks its register."""
    with store.transaction() as conn:
        conn.execute("UPDATE outbox SET state = 'parked', last_error = ?, attempts = attempts + 1,"
                     " done_at = ? WHERE key = ? AND state = 'pending'",
                     (reason, clock.iso_precise(clock.now()), key))


def mark_retry(store: Store, keys: list[str], error: str, next_attempt_at: str) -> None:
    if not keys:
        return
    with store.transaction() as conn:
        conn.executemany("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
                         " WHERE key = ? AND state = 'pending'", [(error, next_attempt_at, k) for k in keys])


def retry_now(store: Store, key: str | None = None) -> int:
    """Make parked (or backing-off) items due again at once; all of them when key is None."""
    with store.transaction() as conn:
        if key:
            cur = conn.execute("UPDATE outbox SET state = 'pending', next_attempt_at = NULL, done_at = NULL"
                               " WHERE key = ? AND state != 'done'", (key,))
        else:
            cur = conn.execute("UPDATE outbox SET state = 'pending', next_attempt_at = NULL, done_at = NULL"
                               " WHERE state != 'done'")
        return cur.rowcount


def get(store: Store, key: str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM outbox WHERE key = ?", (key,))
    return expand(store.conn, rows[0]) if rows else None


def next_due_at(store: Store) -> str | None:
    rows = store.query("SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'")
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def reset_backoff(store: Store) -> int:
    """The link is back: pending items waiting for their retry time become due at once."""
    with store.transaction() as conn:
        return conn.execute("UPDATE outbox SET next_attempt_at = NULL WHERE state = 'pending'"
                            " AND next_attempt_at IS NOT NULL").rowcount
