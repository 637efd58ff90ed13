"""What the screens and the command line read, as typed records: an entry, its detail (files,
revision history, what each recipient reported), the registers with their years, where a
stored file lies. Read-only; the window calls these on a worker thread (app.ui.ops.read)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain import clock
from ..domain.records import Attachment, Entry, Kind, Register
from ..errors import VanthuError
from ..store import attachments, entries, listing, registers
from ..store import files as content
from ..store.db import Store


@dataclass(frozen=True)
class Revision:
    """One stored revision of an entry: who changed it, when, why, and the content after."""

    revision: int
    at: str
    actor: str | None
    reason: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class EntryDetail:
    """Everything the detail screen shows about one entry."""

    entry: Entry
    register_title: str
    attachments: tuple[Attachment, ...]
    history: tuple[Revision, ...]
    deliveries: tuple[dict[str, Any], ...] = ()   # the platform's word on each recipient's copy
    statuses: tuple[dict[str, Any], ...] = ()     # the statuses each recipient sent back


@dataclass(frozen=True)
class RegisterChoices:
    """The filter choices of a register screen: its registers, the years they have numbers in
    (and this year), and how many entries they hold."""

    registers: tuple[Register, ...]
    years: tuple[int, ...]
    total: int


def entry(store: Store, ref: int | str) -> Entry:
    """An entry by id or uid (NotFoundError otherwise)."""
    return entries.get_entry(store, ref)


def entries_by_id(store: Store, ids: list[int]) -> list[Entry]:
    return entries.entries_by_id(store, ids)


def history(store: Store, entry_id: int) -> list[Revision]:
    rows: list[dict[str, Any]] = entries.history(store, entry_id)
    return [Revision(int(r["revision"]), str(r["at"]), r.get("actor"), r.get("reason"), dict(r["data"]))
            for r in rows]


def attachments_of(store: Store, entry_id: int) -> list[Attachment]:
    return attachments.attachments_of(store, entry_id)


def file_path(store: Store, sha256: str) -> Path:
    """Where the content store keeps the file `sha256` (nothing is read)."""
    return Path(content.path_for(store, sha256))


def register_title(store: Store, code: str) -> str:
    """The register's title, or the code itself when there is no such register."""
    try:
        return registers.get_register(store, code).title
    except VanthuError:
        return code


def registers_of(store: Store, kind: Kind | str | None = None) -> list[Register]:
    """The registers (of one kind), in creation order."""
    return [r for r in registers.all_registers(store) if kind is None or r.kind == kind]


def register_choices(store: Store, kind: Kind | str) -> RegisterChoices:
    regs = registers_of(store, kind)
    years = {clock.today().year}
    for r in regs:
        years.update(registers.counters(store, r.id))
    return RegisterChoices(tuple(regs), tuple(sorted(years, reverse=True)), listing.total(store, str(kind)))


def entry_detail(store: Store, entry_id: int) -> EntryDetail:
    """The entry, its register's title, files, revisions and, for an outgoing one, what the
    exchange platform and each recipient reported."""
    e = entry(store, entry_id)
    deliveries: tuple[dict[str, Any], ...] = ()
    statuses: tuple[dict[str, Any], ...] = ()
    if e.kind is not Kind.INCOMING:
        from ..sync import inbox
        statuses = tuple(dict(r) for r in inbox.statuses_for_entry(store, e.id))
        deliveries = tuple(dict(d) for d in inbox.delivery_state(store, e.id))
    return EntryDetail(e, register_title(store, e.register), tuple(attachments_of(store, e.id)),
                       tuple(history(store, e.id)), deliveries, statuses)


def total_entries(store: Store, kind: str | None = None) -> int:
    """How many entries the registers (of `kind`) hold: the sum of their gapless counters."""
    return listing.total(store, kind)


def latest_entry_id(store: Store) -> int | None:
    return listing.latest_entry_id(store)


def list_entries(store: Store, *, limit: int = 100, **filters: Any) -> list[Entry]:
    """Entries newest first, filtered (register, kind, year, status, doc_type, urgency, date_from,
    date_to)."""
    rows: list[dict[str, Any]] = entries.list_entries(store, limit=limit, **filters)
    return [Entry.from_row(r) for r in rows]


def search(store: Store, text: str, *, limit: int = 50, **filters: Any) -> list[Entry]:
    """Entries matching every word of `text` (any case, with or without diacritics), newest
    first, with the same filters as list_entries()."""
    from ..store import search as full_text
    rows: list[dict[str, Any]] = full_text.search(store, text, limit=limit, **filters)
    return [Entry.from_row(r) for r in rows]


@dataclass(frozen=True)
class InboxListing:
    """The documents received through the exchange in one state (or the quarantine), and how
    many wait in each state."""

    items: tuple[dict[str, Any], ...]
    counts: dict[str, int]
    quarantine: bool = False


def inbox_listing(store: Store, state: str | None = None, limit: int = 500) -> InboxListing:
    """Received documents in `state` ("quarantined": the packages held aside), newest first."""
    from ..sync import inbox
    counts: dict[str, int] = dict(inbox.counts(store))
    if state == "quarantined":
        held: list[dict[str, Any]] = inbox.quarantine_list(store, limit=limit)
        return InboxListing(tuple(held), counts, quarantine=True)
    items: list[dict[str, Any]] = inbox.list_items(store, state, limit)
    return InboxListing(tuple(items), counts)


@dataclass(frozen=True)
class OutboxListing:
    """What waits to go to the exchange platform and the provincial server: the items, the
    counts per state (all, and the register mirror's), and the entries the items name by uid."""

    items: tuple[dict[str, Any], ...]
    counts: dict[str, int]
    mirror: dict[str, int]
    entries: dict[str, Entry]


@dataclass(frozen=True)
class OutboxSummary:
    """Items per state in the outbox: all of them, and those of the register mirror."""

    counts: dict[str, int]
    mirror: dict[str, int]


def outbox_summary(store: Store) -> OutboxSummary:
    from ..store import outbox
    return OutboxSummary(dict(outbox.counts(store)), dict(outbox.mirror_summary(store)))


def outbox_items(store: Store, state: str | None = None, limit: int = 1000, *, mirror: bool | None = None,
                 newest_first: bool = False) -> list[dict[str, Any]]:
    """Outbox items (dicts, the payload as stored JSON text) in `state` (None: all)."""
    from ..store import outbox
    return outbox.items(store, state, limit, mirror=mirror, newest_first=newest_first)


def outbox_listing(store: Store, state: str | None = None, *, mirror: bool | None = None,
                   limit: int = 1000) -> OutboxListing:
    """The outbox screen: the items of `state` (newest first when done), the counts, and the
    entries that the sends name."""
    items = outbox_items(store, state, limit, mirror=mirror, newest_first=state == "done")
    named: dict[str, Entry] = {}
    for item in items:
        payload = json.loads(item["payload"]) if item.get("payload") else {}
        uid = payload.get("entry") if isinstance(payload, dict) else None
        if isinstance(uid, str) and uid not in named:
            try:
                named[uid] = entry(store, uid)
            except VanthuError:
                pass
    summary = outbox_summary(store)
    return OutboxListing(tuple(items), summary.counts, summary.mirror, named)
