"""Files linked to an entry (scan, signed copy, received package...), stored by SHA-256."""
import mimetypes
from pathlib import Path

from ..domain import clock
from ..domain.text import clean
from ..errors import NotFoundError
from ..i18n import tr
from . import audit, files, outbox

ROLES = ("scan", "original", "signed", "attachment", "package", "ocr", "view")   # view: stripped copy of an active PDF


def add(store, entry_id: int, path=None, role: str = "attachment", name: str | None = None,
        data: bytes | None = None) -> dict:
    """Store the file (outside the transaction: files are immutable and idempotent), then link it."""
    if role not in ROLES:
        raise ValueError(f"unknown attachment role {role!r}")
    sha, size = files.put_bytes(store, data) if data is not None else files.put_file(store, path)
    name = clean(name or (Path(path).name if path else sha[:12]), "name")[:255]
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    with store.transaction() as conn:
        row = conn.execute("SELECT uid, register_id FROM entries WHERE id = ?", (entry_id,)).fetchone()
        if not row:
            raise NotFoundError(tr("Không có văn bản mã {i} trong sổ.").format(i=entry_id))
        cur = conn.execute(
            "INSERT INTO attachments (entry_id, sha256, name, role, size, mime, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry_id, sha, name, role, size, mime, clock.iso(clock.now())))
        info = {"entry": row["uid"], "sha256": sha, "name": name, "role": role, "size": size, "mime": mime}
        audit.append(conn, store.actor, "attachment.add", "attachment", str(cur.lastrowid), info)
        outbox.enqueue(conn, "attachment.added", info, register_id=row["register_id"], entity_id=row["uid"])
    return dict(info, id=cur.lastrowid, entry_id=entry_id)


def list_for(store, entry_id: int) -> list[dict]:
    return [dict(r) for r in store.query(
        "SELECT id, entry_id, sha256, name, role, size, mime, added_at FROM attachments WHERE entry_id = ? "
        "ORDER BY id", (entry_id,))]


def path(store, sha256: str) -> Path:
    return files.path_for(store, sha256)
