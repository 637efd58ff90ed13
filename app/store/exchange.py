"""Storage of the exchange (app.sync): the link state, the inbox of received packages, the
quarantine of packages whose sender cannot be trusted, per-recipient delivery state of what we
sent, the handling-step watermark and the restore of a snapshot. All the SQL app.sync needs that
is not an entry/attachment/outbox store function lives here."""
import collections
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..domain import clock
from . import audit, entries, search
from .canonical import canonical_json
from .db import PathArg, Store, inserted_id

_MIGRATION = """
-- who the transport authenticated as the sender (the platform's `from`, or 'folder' import)
ALTER TABLE inbox ADD COLUMN transport_sender TEXT;
-- 'platform' or 'folder'; warnings: JSON list of over-long values kept as received
ALTER TABLE inbox ADD COLUMN source TEXT;
ALTER TABLE inbox ADD COLUMN warnings TEXT;
-- Packages not acted on because their sender cannot be trusted: kept, visible, decided by a person.
CREATE TABLE exchange_quarantine (
    id                INTEGER PRIMARY KEY,
    package_id        TEXT NOT NULL UNIQUE,
    source            TEXT NOT NULL,
    transport_sender  TEXT,
    claimed_sender    TEXT,
    kind              TEXT,
    business_type     INTEGER,
    status_code       TEXT,
    document_id       TEXT,
    reason            TEXT NOT NULL,
    package_sha256    TEXT NOT NULL,
    package_size      INTEGER NOT NULL,
    received_at       TEXT NOT NULL,
    state             TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'dismissed')),
    decided_at        TEXT,
    note              TEXT
);
CREATE INDEX exchange_quarantine_state ON exchange_quarantine (state, id);
-- Per-recipient delivery state of what we sent (the platform's getSentEdocList).
CREATE TABLE exchange_delivery (
    hub_doc_id     TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    receive_status TEXT,
    status_desc    TEXT,
    sent_time      TEXT,
    received_time  TEXT,
    checked_at     TEXT NOT NULL,
    PRIMARY KEY (hub_doc_id, recipient)
)
"""


def migrate(store: Store) -> None:
    """Schema migration of the exchange (appended to app.store.schema.MIGRATIONS)."""
    for statement in _MIGRATION.split(";\n"):
        if statement.strip():
            store.conn.execute(statement)


# ------------------------------------------------------------------ link state

def set_state(store: Store, **values: object) -> None:
    with store.transaction() as conn:
        for k, v in values.items():
            if v is None:
                conn.execute("DELETE FROM sync_state WHERE key = ?", (k,))
            else:
                conn.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key)"
                             " DO UPDATE SET value = excluded.value", (k, str(v)))


def get_state(store: Store) -> dict[str, str]:
    return {r[0]: r[1] for r in store.query("SELECT key, value FROM sync_state")}


def registers_meta(store: Store) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for r in store.query("SELECT id, code, kind, title, notation, doc_types, with_year, is_default FROM registers"):
        out[r["id"]] = {"code": r["code"], "kind": r["kind"], "title": r["title"], "notation": r["notation"],
                        "doc_types": json.loads(r["doc_types"]), "with_year": bool(r["with_year"]),
                        "is_default": bool(r["is_default"])}
    return out


# ------------------------------------------------------------------ sent documents

def add_sent(conn: sqlite3.Connection, key: str, entry_id: int, document_id: str, recipients: list[str],
             package_sha256: str, scan: Mapping[str, Any]) -> None:
    conn.execute("INSERT INTO exchange_sent (key, entry_id, document_id, recipients, package_sha256, scan,"
                 " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (key, entry_id, document_id, json.dumps(recipients), package_sha256,
                  json.dumps(scan, ensure_ascii=False), clock.iso(clock.now())))


def mark_sent(store: Store, key: str, hub_doc_id: str) -> None:
    """The outbox item went through: done, with the platform's id of the message."""
    with store.transaction() as conn:
        conn.execute("UPDATE outbox SET state = 'done', done_at = ?, last_error = NULL, attempts = attempts + 1"
                     " WHERE key = ? AND state = 'pending'", (clock.iso_precise(clock.now()), key))
        conn.execute("UPDATE exchange_sent SET hub_doc_id = ? WHERE key = ?", (hub_doc_id, key))


def sent_to(conn: sqlite3.Connection, document_id: str | None, recipient: str | None) -> int | None:
    """(entry_id) of a document we sent to `recipient` under this DocumentId, else None."""
    for r in conn.execute("SELECT entry_id, recipients FROM exchange_sent WHERE document_id = ? ORDER BY created_at",
                          (document_id or "",)).fetchall():
        if recipient in json.loads(r["recipients"]):
            return int(r["entry_id"])
    return None


def record_deliveries(store: Store, rows: Iterable[Mapping[str, Any]]) -> int:
    """Store getSentEdocList rows: {hub_doc_id, recipient, receive_status, status_desc, sent_time,
    received_time}. Returns how many rows concern documents we sent."""
    known = {r[0] for r in store.query("SELECT hub_doc_id FROM exchange_sent WHERE hub_doc_id IS NOT NULL")}
    now = clock.iso(clock.now())
    n = 0
    with store.transaction() as conn:
        for r in rows:
            if str(r.get("hub_doc_id")) not in known or not r.get("recipient"):
                continue
            conn.execute("INSERT INTO exchange_delivery (hub_doc_id, recipient, receive_status, status_desc, sent_time,"
                         " received_time, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hub_doc_id, recipient)"
                         " DO UPDATE SET receive_status = excluded.receive_status, status_desc = excluded.status_desc,"
                         " sent_time = excluded.sent_time, received_time = excluded.received_time,"
                         " checked_at = excluded.checked_at",
                         (str(r["hub_doc_id"]), r["recipient"], r.get("receive_status"), r.get("status_desc"),
                          r.get("sent_time"), r.get("received_time"), now))
            n += 1
    return n


def deliveries_for_entry(store: Store, entry_id: int) -> list[dict[str, Any]]:
    """Per-recipient state of every dispatch of one outgoing entry: [{document_id, recipient,
    queued (bool: not yet handed to the platform), receive_status, status_desc, sent_time,
    received_time, checked_at}]; recipients the platform has not reported yet have no status."""
    out: list[dict[str, Any]] = []
    for s in store.query("SELECT key, document_id, recipients, hub_doc_id, created_at FROM exchange_sent"
                         " WHERE entry_id = ? ORDER BY created_at", (int(entry_id),)):
        got = {r["recipient"]: dict(r) for r in store.query(
            "SELECT * FROM exchange_delivery WHERE hub_doc_id = ?", (s["hub_doc_id"] or "",))}
        for rcpt in json.loads(s["recipients"]):
            d = got.get(rcpt, {})
            out.append({"document_id": s["document_id"], "recipient": rcpt, "queued": s["hub_doc_id"] is None,
                        "receive_status": d.get("receive_status"), "status_desc": d.get("status_desc"),
                        "sent_time": d.get("sent_time"), "received_time": d.get("received_time"),
                        "checked_at": d.get("checked_at")})
    return out


# ------------------------------------------------------------------ inbox

def inbox_row(store: Store, item_id: int | str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM inbox WHERE id = ?", (int(item_id),))
    return dict(rows[0]) if rows else None


def inbox_rows(store: Store, state: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    sql = "SELECT * FROM inbox" + (" WHERE state = ?" if state else "") + " ORDER BY id DESC LIMIT ?"
    return [dict(r) for r in store.query(sql, (state, limit) if state else (limit,))]


def inbox_counts(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.query("SELECT state, count(*) FROM inbox GROUP BY state")}


def inbox_id_for_package(store: Store, package_id: str) -> int | None:
    rows = store.query("SELECT id FROM inbox WHERE package_id = ?", (package_id,))
    return int(rows[0][0]) if rows else None


def package_seen(store: Store, package_id: str) -> bool:
    """Already in the inbox or in quarantine (a redelivery)."""
    return bool(store.query("SELECT 1 FROM inbox WHERE package_id = ? UNION ALL"
                            " SELECT 1 FROM exchange_quarantine WHERE package_id = ?", (package_id, package_id)))


def insert_inbox(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    """Insert one inbox row (column: value); returns its id. INSERT OR IGNORE: a package id
    already there is not inserted twice (the caller reads it back by package id)."""
    cols = list(values)
    cur = conn.execute(f"INSERT OR IGNORE INTO inbox ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                       [values[c] for c in cols])
    return inserted_id(cur)


def registered_incoming(store: Store, document_id: str | None) -> sqlite3.Row | None:
    """(id, register_number) of a live incoming entry registered under this DocumentId."""
    if not document_id:
        return None
    rows = store.query("SELECT id, register_number FROM entries WHERE doc_identifier = ? AND kind = 'incoming'"
                       " AND status != 'voided' ORDER BY id LIMIT 1", (document_id,))
    return rows[0] if rows else None


def related_entry(conn: sqlite3.Connection, document_ids: list[Any], sender: str | None) -> int | None:
    """The entry registered from an earlier package of the SAME sender with one of these ids
    (str or None, as read from a package header: app.sync concatenates a list[Any] with a list[str],
    which only list[Any] accepts)."""
    for doc in document_ids:
        if not doc:
            continue
        rows = conn.execute("SELECT entry_id FROM inbox WHERE document_id = ? AND kind = 'edoc' AND sender_id = ?"
                            " AND coalesce(business_type, 0) != 1 AND entry_id IS NOT NULL ORDER BY id",
                            (doc, sender or "")).fetchall()
        if rows:
            return int(rows[0][0])
    return None


def items_for_document(store: Store, document_id: str | None, sender: str | None) -> list[sqlite3.Row]:
    """Received documents (not recall notices) with this id from this sender, oldest first."""
    return store.query("SELECT id, entry_id, state FROM inbox WHERE document_id = ? AND kind = 'edoc' AND"
                       " sender_id = ? AND coalesce(business_type, 0) != 1 ORDER BY id",
                       (document_id or "", sender or ""))


def mark_recalled(store: Store, item_id: int, note: str) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE inbox SET state = 'recalled', reason = ?, decided_at = ? WHERE id = ?"
                     " AND state IN ('pending', 'accepted', 'invalid')", (note, clock.iso(clock.now()), item_id))


def set_reason(conn: sqlite3.Connection, item_id: int, reason: str) -> None:
    conn.execute("UPDATE inbox SET reason = ? WHERE id = ?", (reason, item_id))


def mark_accepted(conn: sqlite3.Connection, item_id: int, entry_id: int) -> bool:
    cur = conn.execute("UPDATE inbox SET state = 'accepted', entry_id = ?, decided_at = ? WHERE id = ?"
                       " AND state = 'pending'", (entry_id, clock.iso(clock.now()), item_id))
    return cur.rowcount > 0


def mark_rejected(conn: sqlite3.Connection, item_id: int, reason: str,
                  from_states: Sequence[str] = ("pending", "invalid")) -> bool:
    cur = conn.execute(f"UPDATE inbox SET state = 'rejected', reason = ?, decided_at = ? WHERE id = ?"
                       f" AND state IN ({', '.join('?' * len(from_states))})",
                       (reason, clock.iso(clock.now()), item_id, *from_states))
    return cur.rowcount > 0


def entry_used_by_other_item(store: Store, entry_id: int, item_id: int) -> bool:
    return bool(store.query("SELECT 1 FROM inbox WHERE entry_id = ? AND id != ?", (entry_id, item_id)))


def status_rows_for_entry(store: Store, entry_id: int) -> list[sqlite3.Row]:
    return store.query("SELECT sender_id, sender_name, status_code, summary, received_at FROM inbox"
                       " WHERE kind = 'status' AND related_entry_id = ? ORDER BY id", (int(entry_id),))


def unanswered_recalls(store: Store) -> list[sqlite3.Row]:
    return store.query("SELECT id, kind, sender_id, document_id, header FROM inbox WHERE reason IS NULL AND"
                       " ((kind = 'edoc' AND business_type = 1) OR (kind = 'status' AND status_code = '13'))")


# ------------------------------------------------------------------ quarantine

def quarantine_add(store: Store, values: Mapping[str, Any]) -> int:
    """Hold a package aside (keys: package_id, source, transport_sender, claimed_sender, kind,
    business_type, status_code, document_id, reason, package_sha256, package_size, received_at)."""
    with store.transaction() as conn:
        cols = list(values)
        conn.execute(f"INSERT OR IGNORE INTO exchange_quarantine ({', '.join(cols)})"
                     f" VALUES ({', '.join('?' * len(cols))})", [values[c] for c in cols])
        row = conn.execute("SELECT id FROM exchange_quarantine WHERE package_id = ?", (values["package_id"],)).fetchone()
        audit.append(conn, store.actor, "inbox.quarantined", "quarantine", row[0],
                     {k: values.get(k) for k in ("package_id", "transport_sender", "claimed_sender", "reason",
                                                 "package_sha256")})
        return int(row[0])


def quarantine_items(store: Store, state: str | None = "held", limit: int = 500) -> list[dict[str, Any]]:
    sql = "SELECT * FROM exchange_quarantine" + (" WHERE state = ?" if state else "") + " ORDER BY id DESC LIMIT ?"
    return [dict(r) for r in store.query(sql, (state, limit) if state else (limit,))]


def quarantine_get(store: Store, item_id: int | str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM exchange_quarantine WHERE id = ?", (int(item_id),))
    return dict(rows[0]) if rows else None


def quarantine_dismiss(store: Store, item_id: int | str, note: str) -> bool:
    with store.transaction() as conn:
        cur = conn.execute("UPDATE exchange_quarantine SET state = 'dismissed', decided_at = ?, note = ?"
                           " WHERE id = ? AND state = 'held'", (clock.iso(clock.now()), note, int(item_id)))
        if cur.rowcount:
            audit.append(conn, store.actor, "inbox.quarantine_dismissed", "quarantine", int(item_id), {"note": note})
        return cur.rowcount > 0


def quarantine_count(store: Store) -> int:
    return int(store.query("SELECT count(*) FROM exchange_quarantine WHERE state = 'held'")[0][0])


# ------------------------------------------------------------------ handling steps (04/05/06)

def handling_watermark(store: Store) -> int:
    row = store.query("SELECT value FROM sync_state WHERE key = 'handling_watermark'")
    return int(row[0][0]) if row else 0


def status_changes_after(store: Store, mark: int, limit: int) -> list[sqlite3.Row]:
    return store.query("SELECT seq, payload FROM outbox WHERE topic = 'entry.status' AND seq > ? ORDER BY seq LIMIT ?",
                       (mark, limit))


def accepted_item_for_entry_uid(store: Store, uid: str | None) -> sqlite3.Row | None:
    """(id, sender_id, header) of the inbox item an entry was accepted from, else None."""
    rows = store.query("SELECT i.id, i.sender_id, i.header FROM inbox i JOIN entries e ON e.id = i.entry_id"
                       " WHERE e.uid = ? AND i.state = 'accepted'", (uid,))
    return rows[0] if rows else None


def set_handling_watermark(conn: sqlite3.Connection, seq: int) -> None:
    conn.execute("INSERT INTO sync_state (key, value) VALUES ('handling_watermark', ?) ON CONFLICT (key)"
                 " DO UPDATE SET value = excluded.value", (str(seq),))


# ------------------------------------------------------------------ restore

def has_entries(store: Store) -> bool:
    return bool(store.query("SELECT 1 FROM entries LIMIT 1"))


class SnapshotError(Exception):
    """The snapshot names a register it does not describe (args: the register code)."""


def apply_snapshot(store: Store, snap: Mapping[str, Any], workstation: str | None) -> dict[str, Any]:
    """Write a provincial server snapshot into an empty store: registers, every revision of every
    entry, counters, attachments (files already in the store) and the workstation identity."""
    owners = collections.Counter(r["owner"] for r in snap["registers"] if r.get("owner"))
    ws = workstation or (owners.most_common(1)[0][0] if owners else None)
    by_uid: collections.defaultdict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for rev in snap["revisions"]:
        by_uid[rev["uid"]].append(rev)
    n_entries = n_files = 0
    with store.transaction() as conn:
        reg_ids: dict[str, int] = {}
        for reg in snap["registers"]:
            if "kind" not in reg:
                continue
            row = conn.execute("SELECT id FROM registers WHERE code = ?", (reg["code"],)).fetchone()
            if row:
                conn.execute("UPDATE registers SET title = ?, notation = ?, doc_types = ?, with_year = ? WHERE id = ?",
                             (reg["title"], reg.get("notation"), json.dumps(reg.get("doc_types") or [], ensure_ascii=False),
                              int(reg.get("with_year") or 0), row[0]))
                reg_ids[reg["code"]] = row[0]
            else:
                cur = conn.execute(
                    "INSERT INTO registers (code, kind, title, notation, doc_types, with_year, is_default, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (reg["code"], reg["kind"], reg["title"], reg.get("notation"),
                     json.dumps(reg.get("doc_types") or [], ensure_ascii=False), int(reg.get("with_year") or 0),
                     int(reg.get("is_default") or 0), clock.iso(clock.now())))
                reg_ids[reg["code"]] = inserted_id(cur)
        uid_to_id: dict[str, int] = {}
        ordered = sorted(by_uid.values(), key=lambda revs: (revs[0]["entry"]["registered_at"],
                                                            revs[0]["entry"]["register_number"]))
        for revs in ordered:
            revs.sort(key=lambda r: r["revision"])
            latest = dict(revs[-1]["entry"])
            code: str | None = revs[-1]["register"] or revs[-1].get("payload", {}).get("register")
            if code is None:
                raise SnapshotError(code)
            if code not in reg_ids:
                row = conn.execute("SELECT id FROM registers WHERE code = ?", (code,)).fetchone()
                if not row:
                    raise SnapshotError(code)
                reg_ids[code] = row[0]
            latest["register_id"] = reg_ids[code]
            content: dict[str, Any] = {k: latest.get(k) for k in entries.CONTENT_FIELDS}
            digest = entries.content_hash(content)
            values = dict(content, recipients=json.dumps(content["recipients"] or [], ensure_ascii=False),
                          dup_key=entries.dup_key(str(content["kind"]), content), content_hash=digest)
            cur = conn.execute(f"INSERT INTO entries ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                               list(values.values()))
            eid = inserted_id(cur)
            uid_to_id[content["uid"]] = eid
            for r in revs:
                snap_entry = dict(r["entry"], register_id=reg_ids[code])
                conn.execute("INSERT INTO entry_revisions (entry_id, revision, at, actor, reason, data)"
                             " VALUES (?, ?, ?, ?, ?, ?)",
                             (eid, r["revision"], snap_entry["updated_at"], "khôi phục", r.get("reason"),
                              canonical_json({k: snap_entry.get(k) for k in entries.CONTENT_FIELDS})))
            search.index(conn, eid, content, [])
            audit.append(conn, store.actor, "entry.restored", "entry", content["uid"], {
                "id": eid, "register": code, "year": content["year"], "register_number": content["register_number"],
                "revision": content["revision"], "status": content["status"], "content_hash": digest,
                "reason": "khôi phục từ máy chủ"})
            conn.execute("INSERT INTO counters (register_id, year, last_number, last_registered_at) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT (register_id, year) DO UPDATE SET"
                         " last_number = max(last_number, excluded.last_number),"
                         " last_registered_at = max(last_registered_at, excluded.last_registered_at)",
                         (reg_ids[code], content["year"], content["register_number"], content["registered_at"]))
            n_entries += 1
        for a in snap["attachments"]:
            att_eid = uid_to_id.get(a["entry_uid"])
            if not att_eid:
                continue
            conn.execute("INSERT INTO attachments (entry_id, sha256, name, role, size, mime, added_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", (att_eid, a["sha256"], a["name"], a["role"], a["size"],
                                                           a.get("mime"), clock.iso(clock.now())))
            n_files += 1
        if ws:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'workstation_id'", (ws,))
        summary = {"entries": n_entries, "attachments": n_files, "registers": len(reg_ids), "workstation": ws}
        audit.append(conn, store.actor, "sync.restore", "workstation", ws or "", summary)
    return summary


def due_exchange(store: Store, now_iso: str, topics: Sequence[str] = ("edoc.send", "status.send"),
                 limit: int = 200) -> list[dict[str, Any]]:
    """Pending document/status sends that may go now, oldest first (used when no provincial
    server takes the register changes, which then simply wait)."""
    return [dict(r) for r in store.query(
        f"SELECT * FROM outbox WHERE state = 'pending' AND topic IN ({', '.join('?' * len(topics))})"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY seq LIMIT ?", (*topics, now_iso, limit))]


def pending_by_topic(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.query("SELECT topic, count(*) FROM outbox WHERE state = 'pending' GROUP BY topic")}


def items_for_document_any_sender(store: Store, document_id: str | None) -> list[sqlite3.Row]:
    return store.query("SELECT id, sender_id FROM inbox WHERE document_id = ? AND kind = 'edoc'"
                       " AND coalesce(business_type, 0) != 1", (document_id or "",))


def last_online_readonly(db_path: PathArg) -> bool | None:
    """The link state recorded by the last sync round, read from the database file without
    opening the store (no migration, no write); None if never synced or unreadable."""
    if not Path(db_path).exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=2)
        try:
            row = conn.execute("SELECT value FROM sync_state WHERE key = 'online'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return None if row is None else row[0] == "1"
