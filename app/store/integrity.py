"""`vanthu audit verify`: the audit chain, each entry against its last audited revision, and
the gapless numbering of every register and year."""
import json

from . import audit
from .entries import content_hash, content_of


def verify(store, progress=None) -> list[str]:
    """Problems found (empty: everything matches). `progress(done, total)` counts entries."""
    conn = store.conn
    problems = audit.verify_chain(conn)
    total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    rows = conn.execute(
        "SELECT e.*, a.data AS audit_data FROM entries e LEFT JOIN audit_log a ON a.seq = "
        "(SELECT max(seq) FROM audit_log WHERE entity = 'entry' AND entity_id = e.uid) ORDER BY e.id")
    for done, row in enumerate(rows, 1):
        if progress and done % 10_000 == 0:
            progress(done, total)
        label = f"văn bản mã {row['id']} (số {row['register_number']}/{row['year']})"
        if row["audit_data"] is None:
            problems.append(f"{label}: không có bản ghi nhật ký")
            continue
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
    if progress:
        progress(total, total)
    for reg_id, year, last in conn.execute("SELECT register_id, year, last_number FROM counters"):
        n, lo, hi = conn.execute(
            "SELECT count(*), min(register_number), max(register_number) FROM entries "
            "WHERE register_id = ? AND year = ?", (reg_id, year)).fetchone()
        if (n, lo, hi) != (last, 1 if last else None, last if last else None):
            problems.append(f"sổ {reg_id} năm {year}: bộ đếm {last} nhưng có {n} số "
                            f"(từ {lo} đến {hi}): số bị thiếu hoặc trùng")
    return problems
