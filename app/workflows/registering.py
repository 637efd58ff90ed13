"""Registering documents and changing entries: register (with files), import a list,
correct, void, change status."""
from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..domain.records import Attachment, AttachmentRole, Entry, Kind, Status
from ..errors import ValidationError
from ..i18n import tr
from ..store import attachments, entries
from ..store.db import Store
from ._types import CancelCheck, Progress, check


class SettingsLike(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...


@dataclass(frozen=True)
class FileToAttach:
    """A file to store and link with a new entry."""

    path: Path
    role: AttachmentRole = AttachmentRole.ATTACHMENT
    name: str | None = None


@dataclass(frozen=True)
class Registered:
    entry: Entry
    attachments: tuple[Attachment, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return self.entry.to_json()


def _notation(settings: SettingsLike | None) -> str | None:
    return settings.get("org.notation") if settings is not None else None


def register(store: Store, kind: Kind | str, data: dict[str, Any], *, settings: SettingsLike | None = None,
             register: str | None = None, allow_duplicate: bool = False,
             files: Sequence[FileToAttach] = ()) -> Registered:
    """Register one document with its files. The files are read and stored first (so a missing
    or unreadable file fails before a number is used), then the entry is registered and the files
    linked to it without being read again."""
    for f in files:
        if str(f.role) not in attachments.ROLES:
            raise ValidationError(tr("Vai trò tệp «{r}» không hợp lệ.").format(r=f.role), code="bad_role")
    since = time.time()
    stored = [(*_store_file(store, f), str(f.role), f.name or Path(f.path).name) for f in files]
    try:
        entry = entries.register_entries(store, str(Kind(kind)), [data], register, allow_duplicate,
                                         default_notation=_notation(settings), files=[stored])[0]
    except BaseException:       # refused: the files stored for it go again (issue 15)
        from ..store import files as content
        content.discard_new(store, [s[0] for s in stored], since)
        raise
    return Registered(entry, tuple(attachments.attachments_of(store, entry.id)))


def _store_file(store: Store, f: FileToAttach) -> tuple[str, int]:
    from ..store import files as content
    known = content.stored_sha(store, f.path)
    if known:
        return known, content.path_for(store, known).stat().st_size
    return content.put_file(store, f.path)


def import_entries(store: Store, kind: Kind | str, items: Iterable[dict[str, Any]], *,
                   settings: SettingsLike | None = None, register: str | None = None,
                   allow_duplicate: bool = False, progress: Progress = None,
                   cancelled: CancelCheck = None) -> list[Entry]:
    """Register a list of documents in one transaction: all or none (bulk import of a JSON file)."""
    items = list(items)
    if not items:
        raise ValidationError(tr("Tệp JSON không có văn bản nào."), code="empty")
    check(cancelled)
    return entries.register_entries(store, str(Kind(kind)), items, register, allow_duplicate,
                                    progress=progress, default_notation=_notation(settings))


def correct(store: Store, entry_ref: int | str, changes: dict[str, Any], reason: str) -> Entry:
    """Correct fields of an entry; the earlier content stays in its history."""
    if not changes:
        raise ValidationError(tr("Không có trường nào cần sửa."), code="empty")
    return entries.correct(store, _id(store, entry_ref), changes, reason)


def void(store: Store, entry_ref: int | str, reason: str) -> Entry:
    """Void a mistaken entry; its number is never reused."""
    return entries.void_entry(store, _id(store, entry_ref), reason)


def change_status(store: Store, entry_ref: int | str, status: Status | str, note: str | None = None) -> Entry:
    """Move an entry to another handling status of its kind."""
    try:
        status = Status(status)
    except ValueError:
        raise ValidationError(tr("Trạng thái «{s}» không hợp lệ cho văn bản này.").format(s=status),
                              field="status", code="bad_status") from None
    if status is Status.VOIDED:
        raise ValidationError(tr("Hủy số bằng lệnh hủy số (cần ghi lý do)."), field="status", code="use_void")
    return entries.change_status(store, _id(store, entry_ref), status, note)


def _id(store: Store, entry_ref: int | str) -> int:
    """An entry id from an id or uid (the CLI accepts both)."""
    if isinstance(entry_ref, int):
        return entry_ref
    return entries.get_entry(store, entry_ref).id
