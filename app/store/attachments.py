"""Files linked to an entry (scan, signed copy, received package...), stored by SHA-256."""
import mimetypes
import sqlite3
from pathlib import Path
from typing import Any, TypedDict

from ..domain import clock
from ..domain.records import Attachment, AttachmentRole
from ..domain.text import clean
from ..errors import NotFoundError
from ..i18n import tr
from . import audit, files, outbox
from .db import PathArg, Store

ROLES = tuple(str(r) for r in AttachmentRole)


class LinkedFile(TypedDict):
    """What link() reports: the audit record's fields plus the new attachment's id."""

    entry: str          # the entry's uid
    sha256: str
    name: str
    role: str
    size: int
    mime: str
    id: int
    entry_id: int


def add(store: Store, entry_id: int, path: PathArg | None = None, role: str = "attachment",
        name: str | None = None, data: bytes | None = None) -> LinkedFile:
    """Store the file (outside the transaction: files are immutable and idempotent), then link it.
    A file already in the content store (files/ab/<sha256>) is linked as it is: not copied,
    not hashed again. Legacy dict form of add_attachment()."""
    return _add(store, entry_id, path, role, name, data)


def add_attachment(store: Store, entry_id: int, path: PathArg | None = None, role: str = "attachment",
                   name: str | None = None, data: bytes | None = None) -> Attachment:
    return get_attachment(store, _add(store, entry_id, path, role, name, data)["id"])


def _add(store: Store, entry_id: int, path: PathArg | None, role: str, name: str | None,
         data: bytes | None) -> LinkedFile:
    if role not in ROLES:
        raise ValueError(f"unknown attachment role {role!r}")
    known = files.stored_sha(store, path) if data is None and path is not None else None
    if known:
        sha, size = known, files.path_for(store, known).stat().st_size
    elif data is not None:
        sha, size = files.put_bytes(store, data)
    elif path is not None:
        sha, size = files.put_file(store, path)
    else:
        raise ValueError("an attachment needs a path or data")
    return link(store, entry_id, sha, size, role, name or (Path(path).name if path else None))


def link(store: Store, entry_id: int, sha256: str, size: int, role: str = "attachment",
         name: str | None = None) -> LinkedFile:
    """Link a file already in the content store to an entry (no copy, no hashing)."""
    if role not in ROLES:
        raise ValueError(f"unknown attachment role {role!r}")
    if not files.path_for(store, sha256).is_file():
        raise NotFoundError(tr("Không còn tệp {s} trong kho dữ liệu.").format(s=sha256[:12]))
    with store.transaction() as conn:
        return link_in(conn, store, entry_id, sha256, size, role, name)


def link_in(conn: sqlite3.Connection, store: Store, entry_id: int, sha256: str, size: int,
            role: str = "attachment", name: str | None = None) -> LinkedFile:
    """link() inside the caller's transaction (e.g. registering an entry with its files)."""
    name = (clean(name or sha256[:12], "name") or sha256[:12])[:255]
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    row = conn.execute("SELECT uid, register_id FROM entries WHERE id = ?", (entry_id,)).fetchone()
    if not row:
        raise NotFoundError(tr("Không có văn bản mã {i} trong sổ.").format(i=entry_id))
    cur = conn.execute(
        "INSERT INTO attachments (entry_id, sha256, name, role, size, mime, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (entry_id, sha256, name, role, size, mime, clock.iso(clock.now())))
    info = {"entry": row["uid"], "sha256": sha256, "name": name, "role": role, "size": size, "mime": mime}
    audit.append(conn, store.actor, "attachment.add", "attachment", str(cur.lastrowid), info)
    outbox.enqueue(conn, "attachment.added", info, register_id=row["register_id"], entity_id=row["uid"])
    return LinkedFile(entry=row["uid"], sha256=sha256, name=name, role=role, size=size, mime=mime,
                      id=int(cur.lastrowid or 0), entry_id=entry_id)


def get_attachment(store: Store, attachment_id: int) -> Attachment:
    rows = store.query("SELECT * FROM attachments WHERE id = ?", (attachment_id,))
    if not rows:
        raise NotFoundError(tr("Không có tệp đính kèm mã {i}.").format(i=attachment_id))
    return Attachment.from_row(rows[0])


def attachments_of(store: Store, entry_id: int) -> list[Attachment]:
    return [Attachment.from_row(r) for r in store.query(
        "SELECT * FROM attachments WHERE entry_id = ? ORDER BY id", (entry_id,))]


def list_for(store: Store, entry_id: int) -> list[dict[str, Any]]:
    """Legacy dict form of attachments_of(): the `attachments` rows (app.sync and the window
    annotate them as plain dicts)."""
    return [dict(r) for r in store.query(
        "SELECT id, entry_id, sha256, name, role, size, mime, added_at FROM attachments WHERE entry_id = ? "
        "ORDER BY id", (entry_id,))]


def path(store: Store, sha256: str) -> Path:
    return files.path_for(store, sha256)
