"""Schema and forward migrations. PRAGMA user_version = MAJOR * 1000 + number of migrations.
A newer major version (incompatible layout) is refused; migrations only ever add."""
import logging
import sqlite3
from collections.abc import Callable

from ..domain import clock
from ..errors import StorageError
from ..i18n import tr
from .db import Store

log = logging.getLogger(__name__)

MAJOR = 1

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE registers (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('incoming', 'outgoing', 'copy')),
    title       TEXT NOT NULL,
    notation    TEXT,                       -- outgoing: issuer part of notations, e.g. 'UBND'
    doc_types   TEXT NOT NULL DEFAULT '[]', -- JSON list of document types of this series; [] = any
    with_year   INTEGER NOT NULL DEFAULT 0, -- legal normative series: '37/2018/QĐ-UBND'
    is_default  INTEGER NOT NULL DEFAULT 0,
    owner       TEXT,                       -- workstation allowed to write (sync)
    created_at  TEXT NOT NULL
);

-- One gapless counter per register and calendar year (Vietnam time).
CREATE TABLE counters (
    register_id         INTEGER NOT NULL REFERENCES registers(id),
    year                INTEGER NOT NULL,
    last_number         INTEGER NOT NULL,
    last_registered_at  TEXT NOT NULL,
    PRIMARY KEY (register_id, year)
) WITHOUT ROWID;

CREATE TABLE entries (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    register_id       INTEGER NOT NULL REFERENCES registers(id),
    kind              TEXT NOT NULL,
    year              INTEGER NOT NULL,
    register_number   INTEGER NOT NULL,
    revision          INTEGER NOT NULL,
    status            TEXT NOT NULL,
    registered_at     TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    doc_type          TEXT,
    number            TEXT,
    notation          TEXT,
    reference         TEXT,
    issued_on         TEXT,
    place             TEXT,
    issuer            TEXT,
    issuer_id         TEXT,
    summary           TEXT NOT NULL,
    language          TEXT,
    pages             INTEGER,
    note              TEXT,
    signer            TEXT,
    signer_title      TEXT,
    urgency           INTEGER NOT NULL DEFAULT 0,
    copies            INTEGER,
    reply_deadline    TEXT,
    arrival_at        TEXT,
    received_via      TEXT,
    receiving_unit    TEXT,
    handling_note     TEXT,
    handling_deadline TEXT,
    transferred_on    TEXT,
    kept_by           TEXT,
    dispatched_on     TEXT,
    recipients        TEXT NOT NULL DEFAULT '[]',
    file_code         TEXT,
    file_ordinal      INTEGER,
    doc_identifier    TEXT,
    void_reason       TEXT,
    dup_key           TEXT,
    content_hash      TEXT NOT NULL,
    UNIQUE (register_id, year, register_number)
);
CREATE INDEX entries_registered ON entries (registered_at);
CREATE INDEX entries_doc_identifier ON entries (doc_identifier) WHERE doc_identifier IS NOT NULL;
CREATE INDEX entries_dup_key ON entries (dup_key) WHERE dup_key IS NOT NULL;
CREATE INDEX entries_status ON entries (status, register_id);
-- number + notation is unique in the year among outgoing documents
CREATE UNIQUE INDEX entries_outgoing_reference ON entries (year, number, notation)
    WHERE kind = 'outgoing';

CREATE TABLE entry_revisions (
    entry_id   INTEGER NOT NULL REFERENCES entries(id),
    revision   INTEGER NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    reason     TEXT,
    data       TEXT NOT NULL,
    PRIMARY KEY (entry_id, revision)
) WITHOUT ROWID;

-- Extra searchable text per entry (OCR of the scan, text of received files).
CREATE TABLE entry_texts (
    entry_id  INTEGER NOT NULL REFERENCES entries(id),
    source    TEXT NOT NULL,
    text      TEXT NOT NULL,
    PRIMARY KEY (entry_id, source)
) WITHOUT ROWID;

CREATE TABLE attachments (
    id        INTEGER PRIMARY KEY,
    entry_id  INTEGER NOT NULL REFERENCES entries(id),
    sha256    TEXT NOT NULL,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL,       -- scan, original, signed, attachment, package
    size      INTEGER NOT NULL,
    mime      TEXT,
    added_at  TEXT NOT NULL
);
CREATE INDEX attachments_entry ON attachments (entry_id);

-- Folded text (no diacritics, đ -> d) so that "quyet dinh" finds "Quyết định".
-- Prefix indexes make "typing-as-you-go" queries on short prefixes cheap at a million entries.
CREATE VIRTUAL TABLE entries_fts USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2',
                                             prefix = '2 3 4');

CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    data       TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);

-- What the provincial server must later be told; written in the same transaction as the change.
CREATE TABLE outbox (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    key              TEXT NOT NULL UNIQUE,
    register_id      INTEGER REFERENCES registers(id),
    topic            TEXT NOT NULL,
    entity_id        TEXT,
    payload          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'parked')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    last_error       TEXT,
    done_at          TEXT
);
CREATE INDEX outbox_pending ON outbox (state, register_id, seq);

-- Deferred local work (e.g. upgrading a signature to B-LT once online).
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    created_at  TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    done_at     TEXT
);
CREATE INDEX jobs_pending ON jobs (state, kind);
"""


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """executescript() would COMMIT the open transaction: run statement by statement instead."""
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _v1(store: Store) -> None:
    _run_script(store.conn, _V1)
    now = clock.iso(clock.now())
    from .db import new_uid
    store.conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
        ("workstation_id", new_uid()), ("created_at", now)])
    store.conn.executemany(
        "INSERT INTO registers (code, kind, title, is_default, created_at) VALUES (?, ?, ?, 1, ?)",
        [("den", "incoming", "Sổ đăng ký văn bản đến", now),
         ("di", "outgoing", "Sổ đăng ký văn bản đi", now)])


_V2_SYNC = """
-- Packages received from the exchange hub, stored raw (files/) and shown as pending.
CREATE TABLE inbox (
    id              INTEGER PRIMARY KEY,
    package_id      TEXT NOT NULL UNIQUE,      -- the hub's id: duplicate deliveries are ignored
    kind            TEXT NOT NULL CHECK (kind IN ('edoc', 'status')),
    business_type   INTEGER,                   -- 0 new, 1 recall, 2 update, 3 replace
    sender_id       TEXT,
    sender_name     TEXT,
    document_id     TEXT,
    reference       TEXT,
    summary         TEXT,
    status_code     TEXT,                      -- status packages: 01..16
    received_at     TEXT NOT NULL,
    package_sha256  TEXT NOT NULL,
    package_size    INTEGER NOT NULL,
    header          TEXT NOT NULL,             -- parsed MessageHeader (JSON)
    attachments     TEXT NOT NULL DEFAULT '[]',-- [{name, sha256, size, mime}]
    verdict         TEXT,                      -- valid, warning, invalid, unsigned, unverified
    verification    TEXT,                      -- JSON reports per PDF
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'accepted', 'rejected', 'recalled', 'info', 'invalid')),
    entry_id        INTEGER REFERENCES entries(id),
    related_entry_id INTEGER REFERENCES entries(id),
    reason          TEXT,
    decided_at      TEXT
);
CREATE INDEX inbox_state ON inbox (state, id);
CREATE INDEX inbox_document ON inbox (document_id);

-- Documents handed to the hub: links statuses coming back (ResponseFor) to the entry.
CREATE TABLE exchange_sent (
    key          TEXT PRIMARY KEY,              -- the outbox item's idempotency key
    entry_id     INTEGER NOT NULL REFERENCES entries(id),
    document_id  TEXT NOT NULL,
    recipients   TEXT NOT NULL,                 -- JSON list of organization ids
    package_sha256 TEXT NOT NULL,
    scan         TEXT NOT NULL,                 -- malware check result (JSON)
    created_at   TEXT NOT NULL,
    hub_doc_id   TEXT
);
CREATE INDEX exchange_sent_document ON exchange_sent (document_id);

-- Small key/value facts about the link: last contact, clock skew, last error.
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at)
"""


def _v2_sync(store: Store) -> None:
    _run_script(store.conn, _V2_SYNC)


# `audit verify` checkpoints: what a routine run must look at since the last verified state.
# Triggers note every entry whose row or revisions change (by this program or by anyone editing
# the file) and the lowest audit record touched, so a routine run checks those, the audit records
# added since the checkpoint and the counters, instead of every entry. `--full` checks everything.
VERIFY_TRIGGERS = {
    "verify_entries_ins": "AFTER INSERT ON entries BEGIN INSERT INTO verify_dirty (entry_id) VALUES (NEW.id); END",
    "verify_entries_upd": "AFTER UPDATE ON entries BEGIN INSERT INTO verify_dirty (entry_id) VALUES (OLD.id), (NEW.id); END",
    "verify_entries_del": "AFTER DELETE ON entries BEGIN INSERT INTO verify_dirty (entry_id) VALUES (OLD.id); END",
    "verify_revisions_upd": "AFTER UPDATE ON entry_revisions BEGIN INSERT INTO verify_dirty (entry_id) "
                            "VALUES (OLD.entry_id), (NEW.entry_id); END",
    "verify_revisions_del": "AFTER DELETE ON entry_revisions BEGIN INSERT INTO verify_dirty (entry_id) "
                            "VALUES (OLD.entry_id); END",
    "verify_audit_upd": "AFTER UPDATE ON audit_log BEGIN INSERT INTO verify_dirty (entry_id, audit_seq) "
                        "VALUES (NULL, min(OLD.seq, NEW.seq)); END",
    "verify_audit_del": "AFTER DELETE ON audit_log BEGIN INSERT INTO verify_dirty (entry_id, audit_seq) "
                        "VALUES (NULL, OLD.seq); END",
}


def _v3_verify_checkpoints(store: Store) -> None:
    conn = store.conn
    conn.execute("CREATE TABLE IF NOT EXISTS verify_dirty (id INTEGER PRIMARY KEY, entry_id INTEGER, audit_seq INTEGER)")
    conn.execute("CREATE TABLE IF NOT EXISTS verify_checkpoints (id INTEGER PRIMARY KEY, at TEXT NOT NULL, "
                 "audit_seq INTEGER NOT NULL, audit_hash TEXT NOT NULL, dirty_upto INTEGER NOT NULL, "
                 "entries INTEGER NOT NULL, full INTEGER NOT NULL)")
    for name, body in VERIFY_TRIGGERS.items():
        conn.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def _exchange_tables(store: Store) -> None:
    from . import exchange  # imported when run (as before): schema stays free of the exchange's imports
    exchange.migrate(store)


# Append only. Each function runs inside one transaction together with the version bump.
MIGRATIONS: list[Callable[[Store], None]] = [_v1, _v2_sync, _exchange_tables, _v3_verify_checkpoints]


def _version(conn: sqlite3.Connection) -> tuple[int, int]:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    major, minor = divmod(version, 1000)
    if version and major != MAJOR:
        if major > MAJOR:
            raise StorageError(
                tr("Dữ liệu được tạo bởi phiên bản mới hơn của chương trình (lược đồ {v}); "
                   "hãy cập nhật chương trình trước khi mở.").format(v=version),
                f"user_version {version} > supported major {MAJOR}")
        raise StorageError(tr("Lược đồ dữ liệu {v} không được hỗ trợ.").format(v=version))
    return major, minor


def summary(store: Store) -> tuple[int, int]:
    """(schema version, number of entry rows) of an open store, for the self-test."""
    conn = store.conn
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    has_entries = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'entries'").fetchone()
    count = conn.execute("SELECT count(*) FROM entries").fetchone()[0] if has_entries else 0
    return int(version), int(count)


def migrate(store: Store) -> None:
    conn = store.conn
    _, minor = _version(conn)
    if minor > len(MIGRATIONS):
        log.warning("database schema minor %s is newer than this program's %s; opening anyway",
                    minor, len(MIGRATIONS))
        return
    while minor < len(MIGRATIONS):
        with store.transaction():
            _, minor = _version(conn)  # another process may have migrated meanwhile
            if minor >= len(MIGRATIONS):
                break
            MIGRATIONS[minor](store)
            minor += 1
            conn.execute(f"PRAGMA user_version = {MAJOR * 1000 + minor}")
        log.info("database migrated to %s", MAJOR * 1000 + minor)
