"""`vanthu audit verify`: the audit chain, each entry against its last audited revision, and
the gapless numbering of every register and year.

A run that finds nothing records a checkpoint (audit head, how far the change notes go).
Triggers (schema._v3_verify_checkpoints) note every entry whose row or revisions change, by this
program or by anyone editing the file, and any audit record touched; a routine run then checks
the audit records added since the checkpoint, the noted entries and the counters, instead of
every entry. A full run checks everything. Limit: someone who removes the triggers is caught
(they are checked), but one who edits the file and then also erases the notes is caught only
by a full run — run it now and then (e.g. monthly)."""
import json
import logging
import sqlite3
from dataclasses import dataclass, field

from ..domain import clock
from . import audit
from .db import Progress, Store
from .entries import content_hash, content_of
from .schema import VERIFY_TRIGGERS

log = logging.getLogger(__name__)

_ENTRY_AUDIT = ("SELECT e.*, a.data AS audit_data FROM entries e LEFT JOIN audit_log a ON a.seq = "
                "(SELECT max(seq) FROM audit_log WHERE entity = 'entry' AND entity_id = e.uid)")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    full: bool = True
    entries_checked: int = 0
    audit_checked: int = 0
    since: str | None = None      # time of the checkpoint a routine run started from


def verify(store: Store, progress: Progress = None, full: bool = True) -> list[str]:
    """Problems found (empty: everything matches). `progress(done, total)` counts entries.
    full=False: a routine run from the last checkpoint (see the module docstring)."""
    return run(store, progress, full).problems


def run(store: Store, progress: Progress = None, full: bool = True) -> Report:
    conn = store.conn
    cp = _checkpoint(conn)
    # Read the starting point first: changes made while the run goes on stay noted for the next.
    dirty_upto = conn.execute("SELECT coalesce(max(id), 0) FROM verify_dirty").fetchone()[0]
    head = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    rep = Report(full=full or cp is None)
    rep.problems += _trigger_problems(conn)
    if rep.problems:
        rep.full = True
    if rep.full or cp is None:      # (cp None: full already)
        rep.problems += audit.verify_chain(conn)
        rep.audit_checked = head[0] if head else 0
        total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        rows = conn.execute(f"{_ENTRY_AUDIT} ORDER BY e.id")
        for done, row in enumerate(rows, 1):
            if progress and done % 10_000 == 0:
                progress(done, total)
            rep.problems += _entry_problems(conn, row)
        rep.entries_checked = total
        if progress:
            progress(total, total)
    else:
        rep.since = cp["at"]
        rep.problems += _routine(conn, cp, dirty_upto, rep, progress)
    rep.problems += _counter_problems(conn)
    if not rep.problems:
        _record(store, head, dirty_upto, rep)
    return rep


def _checkpoint(conn: sqlite3.Connection) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM verify_checkpoints ORDER BY id DESC LIMIT 1").fetchone()
    return row


def _trigger_problems(conn: sqlite3.Connection) -> list[str]:
    found = {r[0]: r[1] for r in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'verify_%'")}
    bad = [n for n, body in VERIFY_TRIGGERS.items() if found.get(n) != f"CREATE TRIGGER {n} {body}"]
    return [f"cơ sở dữ liệu: trình ghi nhận thay đổi {n} đã bị xóa hoặc sửa" for n in bad]


def _routine(conn: sqlite3.Connection, cp: sqlite3.Row, dirty_upto: int, rep: Report,
             progress: Progress) -> list[str]:
    problems: list[str] = []
    touched = conn.execute("SELECT min(audit_seq) FROM verify_dirty WHERE id <= ? AND audit_seq IS NOT NULL",
                           (dirty_upto,)).fetchone()[0]
    at_cp = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (cp["audit_seq"],)).fetchone()
    if touched is not None or (cp["audit_seq"] and (at_cp is None or at_cp[0] != cp["audit_hash"])):
        problems += audit.verify_chain(conn)     # history itself was touched: the whole chain
        rep.audit_checked = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    else:
        problems += audit.verify_chain(conn, after_seq=cp["audit_seq"], prev_hash=cp["audit_hash"])
        rep.audit_checked = conn.execute("SELECT count(*) FROM audit_log WHERE seq > ?",
                                         (cp["audit_seq"],)).fetchone()[0]
    ids = [r[0] for r in conn.execute("SELECT DISTINCT entry_id FROM verify_dirty WHERE id <= ? AND "
                                      "entry_id IS NOT NULL ORDER BY entry_id", (dirty_upto,))]
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for row in conn.execute(f"{_ENTRY_AUDIT} WHERE e.id IN ({','.join('?' * len(part))})", part):
            problems += _entry_problems(conn, row)
        if progress:
            progress(min(i + 500, len(ids)), len(ids))
    rep.entries_checked = len(ids)
    return problems


def _entry_problems(conn: sqlite3.Connection, row: sqlite3.Row) -> list[str]:
    label = f"văn bản mã {row['id']} (số {row['register_number']}/{row['year']})"
    if row["audit_data"] is None:
        return [f"{label}: không có bản ghi nhật ký"]
    problems = []
    rec = json.loads(row["audit_data"])
    digest = content_hash(content_of(row))
    if rec.get("revision") != row["revision"]:
        problems.append(f"{label}: phiên bản {row['revision']} khác phiên bản trong nhật ký "
                        f"({rec.get('revision')})")
    elif rec.get("content_hash") != digest:
        problems.append(f"{label}: nội dung đã bị sửa ngoài chương trình (không khớp nhật ký)")
    snap = conn.execute("SELECT data FROM entry_revisions WHERE entry_id = ? AND revision = ?",
                        (row["id"], row["revision"])).fetchone()
    if snap is None or content_hash(json.loads(snap[0])) != rec.get("content_hash"):
        problems.append(f"{label}: lịch sử phiên bản không khớp nhật ký")
    return problems


def _counter_problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for reg_id, year, last in conn.execute("SELECT register_id, year, last_number FROM counters").fetchall():
        n, lo, hi = conn.execute(
            "SELECT count(*), min(register_number), max(register_number) FROM entries "
            "WHERE register_id = ? AND year = ?", (reg_id, year)).fetchone()
        if (n, lo, hi) != (last, 1 if last else None, last if last else None):
            problems.append(f"sổ {reg_id} năm {year}: bộ đếm {last} nhưng có {n} số "
                            f"(từ {lo} đến {hi}): số bị thiếu hoặc trùng")
    return problems


def _record(store: Store, head: sqlite3.Row | None, dirty_upto: int, rep: Report) -> None:
    """Remember the verified state; the change notes it covers are dropped."""
    try:
        with store.transaction() as conn:
            conn.execute("INSERT INTO verify_checkpoints (at, audit_seq, audit_hash, dirty_upto, entries, full)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         (clock.iso(clock.now()), head[0] if head else 0, head[1] if head else audit.GENESIS,
                          dirty_upto, rep.entries_checked, int(rep.full)))
            conn.execute("DELETE FROM verify_dirty WHERE id <= ?", (dirty_upto,))
            conn.execute("DELETE FROM verify_checkpoints WHERE id < (SELECT max(id) - 50 FROM verify_checkpoints)")
    except Exception as exc:
        log.warning("audit verify: checkpoint not recorded: %s", exc)
