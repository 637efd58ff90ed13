"""Append-only, hash-chained audit log: each record's hash covers the previous hash and the
record, so editing, inserting or removing a row breaks the chain."""
import sqlite3
from collections.abc import Mapping
from typing import Any

from ..domain import clock
from .canonical import canonical_json, sha256_text

GENESIS = "0" * 64


def record_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, entity: str,
                entity_id: str, data: str) -> str:
    return sha256_text(canonical_json([prev_hash, seq, at, actor, action, entity, entity_id, data]))


def append(conn: sqlite3.Connection, actor: str, action: str, entity: str, entity_id: object,
           data: Mapping[str, Any]) -> int:
    """Add a record; must run inside the caller's transaction."""
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    at = clock.iso_precise(clock.now())
    payload = canonical_json(data)
    h = record_hash(prev, seq, at, actor, action, entity, str(entity_id), payload)
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, data, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, entity, str(entity_id), payload, prev, h))
    conn.execute("INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (f"{seq}:{h}",))
    return seq


def verify_chain(conn: sqlite3.Connection, after_seq: int = 0, prev_hash: str = GENESIS) -> list[str]:
    """Problems found in the chain itself (empty list: intact). From a verified record on:
    `after_seq` and its hash `prev_hash` (a checkpoint)."""
    problems = []
    prev, expected_seq = prev_hash, after_seq + 1
    for row in conn.execute("SELECT seq, at, actor, action, entity, entity_id, data, prev_hash, hash "
                            "FROM audit_log WHERE seq > ? ORDER BY seq", (after_seq,)):
        seq = row[0]
        if seq != expected_seq:
            problems.append(f"audit: bản ghi {expected_seq}..{seq - 1} đã bị xóa")
        if row[7] != prev:
            problems.append(f"audit: bản ghi {seq} không nối với bản ghi trước (chuỗi băm bị đứt)")
        if record_hash(row[7], seq, *row[1:7]) != row[8]:
            problems.append(f"audit: bản ghi {seq} đã bị sửa (mã băm không khớp)")
        prev, expected_seq = row[8], seq + 1
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if head and head[0] != f"{expected_seq - 1}:{prev}":
        problems.append(f"audit: bản ghi cuối đã bị xóa hoặc sửa (đầu chuỗi ghi nhận {head[0].split(':')[0]}, "
                        f"còn lại {expected_seq - 1})")
    return problems
