"""The exchange with other agencies (edXML through the hub): send an outgoing entry, accept or
reject a received document, restore a workstation from the provincial server. These wrap the
public functions of app.sync (owned by the exchange work) so that the window and the command
line call one place; results come back as typed records."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..domain.records import Entry, InboxItem, Status
from ..errors import ValidationError
from ..i18n import tr
from ..store import entries
from ..store.db import Store
from ._types import CancelCheck, Progress, check


def send(store: Store, settings: Any, entry_ref: int | str, to: Sequence[str], *, progress: Progress = None,
         cancelled: CancelCheck = None, business: int = 0, reason: str | None = None) -> dict[str, Any]:
    """Queue an outgoing entry (its signed file and attachments) for the hub to the agencies `to`
    (organization ids). Returns {key, document_id, scan, warnings} as app.sync.outgoing does."""
    from ..sync.outgoing import send_entry
    check(cancelled)
    entry = entries.get_entry(store, entry_ref)
    if entry.status in (Status.VOIDED, Status.RECALLED):
        raise ValidationError(tr("Văn bản đã bị hủy số hoặc thu hồi, không gửi được."), code="not_sendable")
    result: dict[str, Any] = send_entry(store, settings, entry.id, list(to), progress=progress,
                                        cancelled=cancelled, business=business, reason=reason)
    return result


def accept(store: Store, settings: Any, item_id: int, *, register: str | None = None,
           overrides: dict[str, Any] | None = None) -> Entry:
    """Register a received document with the next arrival number (and answer "03" to its sender).
    Safe to repeat after a crash."""
    from ..sync import inbox
    result = inbox.accept(store, settings, item_id, register=register, overrides=overrides)
    return entries.get_entry(store, result["id"])


def reject(store: Store, settings: Any, item_id: int, reason: str) -> InboxItem:
    """Return a received document to its sender with a reason (status "02")."""
    from ..sync import inbox
    inbox.reject(store, settings, item_id, reason)
    return inbox_item(store, item_id)


def inbox_item(store: Store, item_id: int) -> InboxItem:
    from ..sync import inbox
    return InboxItem.from_row(inbox.get(store, item_id))


def restore(store: Store, settings: Any, *, progress: Progress = None, cancelled: CancelCheck = None,
            transport: Any = None, workstation: str | None = None) -> dict[str, Any]:
    """Rebuild an empty data folder from the provincial server's mirror (registers, entries,
    files), keeping every register number."""
    from ..sync.restore import restore_from_server
    result: dict[str, Any] = restore_from_server(store, settings, transport=transport, progress=progress,
                                                 cancelled=cancelled, workstation=workstation)
    return result


def retry_now(store: Store, key: str | None = None) -> int:
    """Send again at once the items parked after refusals (or waiting for their next try): the
    one item `key`, or all of them. Returns how many were put back in the queue."""
    from ..store import outbox
    count: int = outbox.retry_now(store, key)
    return count
