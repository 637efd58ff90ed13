"""The outbox: what the server must later be told, written in the same transaction as the
change it reports. Items keep their order per register and carry an idempotency key."""
import uuid

from ..domain import clock
from .canonical import canonical_json


def enqueue(conn, topic: str, payload: dict, register_id: int | None = None,
            entity_id: str | None = None) -> str:
    """Add an item inside the caller's transaction; returns its idempotency key."""
    key = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO outbox (key, register_id, topic, entity_id, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (key, register_id, topic, entity_id, canonical_json(payload), clock.iso_precise(clock.now())))
    return key


def items(store, state: str | None = None, limit: int = 1000) -> list[dict]:
    sql = "SELECT * FROM outbox" + (" WHERE state = ?" if state else "") + " ORDER BY seq LIMIT ?"
    return [dict(r) for r in store.query(sql, ((state, limit) if state else (limit,)))]


def counts(store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.query("SELECT state, count(*) FROM outbox GROUP BY state")}
