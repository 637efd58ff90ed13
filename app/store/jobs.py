"""Deferred local work (the `jobs` table): e.g. upgrading a signature to B-LT once online."""
import json
from typing import Any

from ..domain import clock
from ..domain.records import Job, JobState
from .db import Store


def _payload(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def add_once(store: Store, kind: str, payload: dict[str, Any], unique_key: str) -> int:
    """Queue a pending job unless one of `kind` with the same payload[unique_key] is pending;
    returns the job's id."""
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM jobs WHERE kind = ? AND state = 'pending' AND "
                           f"json_extract(payload, '$.{unique_key}') = ?",
                           (kind, payload[unique_key])).fetchone()
        if row:
            return int(row["id"])
        cur = conn.execute("INSERT INTO jobs (kind, payload, created_at) VALUES (?, ?, ?)",
                           (kind, _payload(payload), clock.iso(clock.now())))
        return int(cur.lastrowid or 0)


def pending(store: Store, kind: str) -> list[Job]:
    rows = store.query("SELECT * FROM jobs WHERE kind = ? AND state = 'pending' ORDER BY id", (kind,))
    return [Job.from_row(dict(r)) for r in rows]


def count_pending(store: Store) -> int:
    return int(store.query("SELECT count(*) FROM jobs WHERE state = 'pending'")[0][0])


def finish(store: Store, job: Job, state: JobState | str, error: str | None,
           payload: dict[str, Any] | None = None) -> None:
    """Record one attempt at `job`: its new state, the error if any, an updated payload."""
    state = JobState(state)
    with store.transaction() as conn:
        conn.execute("UPDATE jobs SET state = ?, attempts = attempts + 1, last_error = ?, payload = ?, "
                     "done_at = CASE WHEN ? = 'done' THEN ? ELSE done_at END WHERE id = ?",
                     (str(state), error, _payload(payload if payload is not None else job.payload),
                      str(state), clock.iso(clock.now()), job.id))
