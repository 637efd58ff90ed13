"""The hub's own SQLite database: organizations, messages and their deliveries, requests seen
(replay refusal), the register mirror (changes deduplicated by idempotency key, revisions,
ownership) and files by hash. Organization secrets are never written here: they live in memory,
read from the administrator's secrets file or the environment at start."""
import hashlib
import json
import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

SCHEMA = """
DROP TABLE IF EXISTS orgs;   -- earlier versions kept secrets in plain text here
CREATE TABLE IF NOT EXISTS organizations (org_id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sender TEXT NOT NULL, key TEXT NOT NULL,
    messagetype TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, created REAL NOT NULL,
    notation TEXT, title TEXT, UNIQUE (sender, key));
CREATE TABLE IF NOT EXISTS deliveries (
    message_id INTEGER NOT NULL, recipient TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
    fetched INTEGER NOT NULL DEFAULT 0, updated REAL NOT NULL, PRIMARY KEY (message_id, recipient));
CREATE TABLE IF NOT EXISTS file_owners (org TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (org, sha256));
CREATE TABLE IF NOT EXISTS seen_requests (
    systemid TEXT NOT NULL, timestamp TEXT NOT NULL, hash TEXT NOT NULL, expires REAL NOT NULL,
    PRIMARY KEY (systemid, timestamp, hash));
CREATE TABLE IF NOT EXISTS changes (
    arrival INTEGER PRIMARY KEY AUTOINCREMENT, org TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER,
    topic TEXT NOT NULL, register TEXT, entity_id TEXT, workstation TEXT, received REAL NOT NULL,
    UNIQUE (org, key));
CREATE TABLE IF NOT EXISTS registers (org TEXT NOT NULL, code TEXT NOT NULL, meta TEXT NOT NULL,
    owner TEXT, PRIMARY KEY (org, code));
CREATE TABLE IF NOT EXISTS revisions (org TEXT NOT NULL, uid TEXT NOT NULL, revision INTEGER NOT NULL,
    register TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (org, uid, revision));
CREATE TABLE IF NOT EXISTS attachments (org TEXT NOT NULL, entry_uid TEXT NOT NULL, sha256 TEXT NOT NULL,
    name TEXT NOT NULL, role TEXT NOT NULL, size INTEGER NOT NULL, mime TEXT, key TEXT NOT NULL,
    PRIMARY KEY (org, key));
"""


class Conflict(Exception):
    pass


class HubStore:
    def __init__(self, data_dir):
        self.dir = Path(data_dir)
        self.files = self.dir / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.dir / "hub.sqlite3", isolation_level=None, check_same_thread=False,
                                    timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.executescript(SCHEMA)
        self.lock = threading.RLock()
        self.secrets: dict[str, str] = {}

    def tx(self):
        store = self

        class _Tx:
            def __enter__(self):
                store.lock.acquire()
                store.conn.execute("BEGIN IMMEDIATE")
                return store.conn

            def __exit__(self, et, ev, tb):
                try:
                    store.conn.execute("ROLLBACK" if et else "COMMIT")
                finally:
                    store.lock.release()
        return _Tx()

    def q(self, sql, params=()):
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    # --- organizations (secrets in memory only)
    def add_org(self, org_id: str, secret: str, name: str | None = None) -> None:
        self.secrets[org_id] = secret
        with self.tx() as c:
            c.execute("INSERT INTO organizations (org_id, name) VALUES (?, ?) ON CONFLICT (org_id) DO UPDATE"
                      " SET name = coalesce(excluded.name, organizations.name)", (org_id, name))

    def secret(self, system_id: str) -> str | None:
        return self.secrets.get(system_id)

    def orgs(self) -> list[dict]:
        return [{"id": r[0], "name": r[1] or r[0]} for r in self.q(
            "SELECT org_id, name FROM organizations ORDER BY org_id") if r[0] in self.secrets]

    # --- replay refusal
    def first_use(self, system_id: str, timestamp: str, digest: str, window: float) -> bool:
        """Record a signed request; False if the same one was already seen inside the window."""
        now = time.time()
        with self.tx() as c:
            c.execute("DELETE FROM seen_requests WHERE expires < ?", (now,))
            cur = c.execute("INSERT OR IGNORE INTO seen_requests (systemid, timestamp, hash, expires)"
                            " VALUES (?, ?, ?, ?)", (system_id, timestamp, digest, now + 2 * window))
            return cur.rowcount == 1

    # --- files
    def file_path(self, sha: str) -> Path:
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ValueError("bad hash")
        return self.files / sha[:2] / sha

    def spool(self, stream, limit: int | None = None) -> tuple[str, str, int]:
        """Copy an upload to a temporary file: (temporary path, sha256 hex, size). Raises
        OverflowError past `limit` (the temporary file is removed)."""
        tmp_dir = self.files / "tmp"
        tmp_dir.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=tmp_dir)
        h, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(1 << 20):
                    h.update(chunk)
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise OverflowError(f"more than {limit} bytes")
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            os.unlink(tmp)
            raise
        return tmp, h.hexdigest(), size

    def keep(self, tmp: str, sha: str) -> None:
        final = self.file_path(sha)
        final.parent.mkdir(exist_ok=True)
        os.replace(tmp, final)

    def put_stream(self, stream, limit: int | None = None) -> tuple[str, int]:
        tmp, sha, size = self.spool(stream, limit)
        self.keep(tmp, sha)
        return sha, size

    # --- exchange
    def send(self, sender: str, key: str, messagetype: str, sha: str, size: int, recipients: list[str],
             notation: str | None = None, title: str | None = None) -> tuple[int, bool]:
        with self.tx() as c:
            row = c.execute("SELECT id FROM messages WHERE sender = ? AND key = ?", (sender, key)).fetchone()
            if row:
                return row[0], False
            cur = c.execute("INSERT INTO messages (sender, key, messagetype, sha256, size, created, notation, title)"
                            " VALUES (?,?,?,?,?,?,?,?)",
                            (sender, key, messagetype, sha, size, time.time(), notation, title))
            for r in dict.fromkeys(recipients):
                c.execute("INSERT INTO deliveries (message_id, recipient, updated) VALUES (?, ?, ?)",
                          (cur.lastrowid, r, time.time()))
            return cur.lastrowid, True

    def pending_for(self, org: str, messagetype: str | None = None) -> list[dict]:
        return [dict(r) for r in self.q(
            "SELECT m.id AS docId, m.sender AS 'from', d.recipient AS 'to', d.status, m.messagetype, m.created,"
            " d.updated FROM deliveries d JOIN messages m ON m.id = d.message_id WHERE d.recipient = ?"
            " AND d.status = 'pending' AND (? IS NULL OR m.messagetype = ?) ORDER BY m.id",
            (org, messagetype, messagetype))]

    def delivery(self, org: str, doc_id: int) -> dict | None:
        """A message addressed to `org` (or sent by it); None otherwise."""
        rows = self.q("SELECT m.*, d.status FROM deliveries d JOIN messages m ON m.id = d.message_id"
                      " WHERE d.recipient = ? AND m.id = ?", (org, doc_id))
        if not rows:
            rows = self.q("SELECT m.*, 'sent' AS status FROM messages m WHERE m.sender = ? AND m.id = ?",
                          (org, doc_id))
        return dict(rows[0]) if rows else None

    def mark(self, org: str, doc_id: int, status: str, fetched: bool = False) -> bool:
        with self.tx() as c:
            if fetched:
                cur = c.execute("UPDATE deliveries SET fetched = fetched + 1 WHERE recipient = ? AND message_id = ?",
                                (org, doc_id))
            else:
                cur = c.execute("UPDATE deliveries SET status = ?, updated = ? WHERE recipient = ? AND message_id = ?",
                                (status, time.time(), org, doc_id))
            return cur.rowcount > 0

    def redeliver(self, org: str, since: float) -> int:
        """Deliver again what `org` received since `since` (a restored workstation lost its inbox)."""
        with self.tx() as c:
            return c.execute("UPDATE deliveries SET status = 'pending', updated = ? WHERE recipient = ?"
                             " AND status != 'pending' AND message_id IN (SELECT id FROM messages WHERE created >= ?)",
                             (time.time(), org, since)).rowcount

    def sent_by(self, org: str) -> list[dict]:
        return [dict(r) for r in self.q(
            "SELECT m.id AS docId, m.messagetype, d.recipient AS 'to', d.status, d.fetched, m.created, d.updated,"
            " m.notation, m.title FROM messages m JOIN deliveries d ON d.message_id = m.id WHERE m.sender = ?"
            " ORDER BY m.id", (org,))]

    # --- register mirror
    def apply_changes(self, org: str, workstation: str, items: list[dict], registers: list[dict]) -> list[dict]:
        results = []
        with self.tx() as c:
            for meta in registers:   # only the owner (or the first writer) describes a register
                c.execute("INSERT INTO registers (org, code, meta) VALUES (?, ?, ?) ON CONFLICT (org, code)"
                          " DO UPDATE SET meta = excluded.meta WHERE registers.owner IS NULL"
                          " OR registers.owner = ?", (org, meta["code"], json.dumps(meta, ensure_ascii=False),
                                                      workstation))
            for it in items:
                key = it["key"]
                if c.execute("SELECT 1 FROM changes WHERE org = ? AND key = ?", (org, key)).fetchone():
                    results.append({"key": key, "status": "duplicate"})
                    continue
                code = it.get("register")
                if code:
                    row = c.execute("SELECT owner FROM registers WHERE org = ? AND code = ?", (org, code)).fetchone()
                    if row is None:
                        c.execute("INSERT INTO registers (org, code, meta, owner) VALUES (?, ?, '{}', ?)",
                                  (org, code, workstation))
                    elif row[0] is None:
                        c.execute("UPDATE registers SET owner = ? WHERE org = ? AND code = ?", (workstation, org, code))
                    elif row[0] != workstation:
                        results.append({"key": key, "status": "conflict", "owner": row[0],
                                        "reason": f"Sổ «{code}» đang do máy trạm {row[0][:8]} giữ; "
                                                  "chỉ máy trạm đó ghi được, trừ khi được bàn giao."})
                        continue
                payload = it.get("payload") or {}
                topic = it["topic"]
                if topic.startswith("entry."):
                    entry = payload.get("entry") or {}
                    if not entry.get("uid") or not isinstance(entry.get("revision"), int):
                        results.append({"key": key, "status": "invalid", "reason": "entry snapshot missing"})
                        continue
                    c.execute("INSERT OR IGNORE INTO revisions (org, uid, revision, register, data) VALUES (?,?,?,?,?)",
                              (org, entry["uid"], entry["revision"], code or "",
                               json.dumps(dict(payload, topic=topic), ensure_ascii=False)))
                elif topic == "attachment.added":
                    sha = str(payload.get("sha256", ""))
                    owned = c.execute("SELECT 1 FROM file_owners WHERE org = ? AND sha256 = ? UNION ALL SELECT 1"
                                      " FROM attachments WHERE org = ? AND sha256 = ?", (org, sha, org, sha)).fetchone()
                    if not owned:
                        results.append({"key": key, "status": "invalid", "reason": "file not uploaded"})
                        continue
                    c.execute("INSERT OR IGNORE INTO attachments (org, entry_uid, sha256, name, role, size, mime, key)"
                              " VALUES (?,?,?,?,?,?,?,?)", (org, payload["entry"], payload["sha256"], payload["name"],
                                                             payload["role"], payload["size"], payload.get("mime"), key))
                c.execute("INSERT INTO changes (org, key, seq, topic, register, entity_id, workstation, received)"
                          " VALUES (?,?,?,?,?,?,?,?)", (org, key, it.get("seq"), topic, code, it.get("entity_id"),
                                                         workstation, time.time()))
                results.append({"key": key, "status": "applied"})
        return results

    def may_read_file(self, org: str, sha: str) -> bool:
        """An organization reads only files of its own registers."""
        return bool(self.q("SELECT 1 FROM attachments WHERE org = ? AND sha256 = ? LIMIT 1", (org, sha)))

    def own_file(self, org: str, sha: str) -> None:
        """`org` proved it holds this file (uploaded its bytes)."""
        with self.tx() as c:
            c.execute("INSERT OR IGNORE INTO file_owners (org, sha256) VALUES (?, ?)", (org, sha))

    def may_check_file(self, org: str, sha: str) -> bool:
        """Whether `org` may learn that a file exists: its own register files, or packages it sent or
        received; another organization's files stay invisible (same answer as a missing file)."""
        return self.may_read_file(org, sha) or bool(self.q(
            "SELECT 1 FROM file_owners WHERE org = ? AND sha256 = ?", (org, sha))) or bool(self.q(
            "SELECT 1 FROM messages m LEFT JOIN deliveries d ON d.message_id = m.id WHERE m.sha256 = ?"
            " AND (m.sender = ? OR d.recipient = ?) LIMIT 1", (sha, org, org)))

    def registers(self, org: str) -> list[dict]:
        return [{"code": r[0], "owner": r[1], **json.loads(r[2])}
                for r in self.q("SELECT code, owner, meta FROM registers WHERE org = ? ORDER BY code", (org,))]

    def handover(self, org: str, code: str, by: str, to: str, force: bool = False) -> None:
        with self.tx() as c:
            row = c.execute("SELECT owner FROM registers WHERE org = ? AND code = ?", (org, code)).fetchone()
            if row and row[0] and row[0] != by and not force:
                raise Conflict(f"Sổ «{code}» đang do máy trạm {row[0][:8]} giữ; chỉ máy trạm đó bàn giao được.")
            c.execute("INSERT INTO registers (org, code, meta, owner) VALUES (?, ?, '{}', ?) ON CONFLICT (org, code)"
                      " DO UPDATE SET owner = excluded.owner", (org, code, to))

    def snapshot(self, org: str) -> dict:
        revisions = [{"uid": r[0], "revision": r[1], "register": r[2], **json.loads(r[3])} for r in self.q(
            "SELECT uid, revision, register, data FROM revisions WHERE org = ? ORDER BY uid, revision", (org,))]
        atts = [dict(r) for r in self.q("SELECT entry_uid, sha256, name, role, size, mime FROM attachments"
                                         " WHERE org = ? ORDER BY rowid", (org,))]
        return {"org": org, "registers": self.registers(org), "revisions": revisions, "attachments": atts}
