"""Typed records and enumerations shared by the store, the workflows and their callers.

Records are frozen dataclasses built from store rows; `to_json()` gives the exact dict the
command line prints (`--format json`), the contract other programs rely on."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import IntEnum, StrEnum
from typing import Any, NamedTuple, Protocol

from .marks import Urgency

__all__ = ["AttachmentRole", "Attachment", "Entry", "FieldSpec", "FieldType", "InboxItem", "InboxState",
           "Job", "JobState", "Kind", "OutboxItem", "OutboxState", "Recipient", "Register", "STATUSES",
           "RowLike", "Status", "Urgency"]


class RowLike(Protocol):
    """A row records are built from: a sqlite3.Row (read by column name) or a plain mapping."""

    def keys(self) -> Iterable[str]: ...

    def __getitem__(self, key: str, /) -> Any: ...


class Kind(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    COPY = "copy"


class Status(StrEnum):
    REGISTERED = "registered"
    FORWARDED = "forwarded"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    RECALLED = "recalled"
    VOIDED = "voided"
    SIGNED = "signed"
    DISPATCHED = "dispatched"


# The statuses an entry of each kind may take (voided only through void()).
STATUSES: dict[Kind, tuple[Status, ...]] = {
    Kind.INCOMING: (Status.REGISTERED, Status.FORWARDED, Status.IN_PROGRESS, Status.DONE,
                    Status.RECALLED, Status.VOIDED),
    Kind.OUTGOING: (Status.REGISTERED, Status.SIGNED, Status.DISPATCHED, Status.RECALLED, Status.VOIDED),
    Kind.COPY: (Status.REGISTERED, Status.SIGNED, Status.DISPATCHED, Status.VOIDED),
}


class OutboxState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    PARKED = "parked"


class InboxState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    RECALLED = "recalled"
    INFO = "info"
    INVALID = "invalid"
    QUARANTINED = "quarantined"


class JobState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class AttachmentRole(StrEnum):
    SCAN = "scan"
    ORIGINAL = "original"
    SIGNED = "signed"
    ATTACHMENT = "attachment"
    PACKAGE = "package"
    OCR = "ocr"
    VIEW = "view"          # a copy stripped of active PDF content, for viewing (issue 15)


class FieldType(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    NUMBER = "number"
    NOTATION = "notation"
    DATE = "date"
    DATETIME = "datetime"
    INT = "int"
    URGENCY = "urgency"
    ORGID = "orgid"
    VIA = "via"
    RECIPIENTS = "recipients"


class FieldSpec(NamedTuple):
    """One register field (ND30, Appendix VI)."""

    type: FieldType
    max_length: int | None
    kinds: tuple[str, ...]
    label: str


class Recipient(NamedTuple):
    id: str | None
    name: str | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


def _recipients(value: Any) -> tuple[Recipient, ...]:
    if isinstance(value, str):
        value = json.loads(value)
    return tuple(Recipient(r.get("id"), r.get("name")) for r in value or ())


class _Record:
    """Shared conversion: to_json() keeps the field order, which is the printed key order."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            out[f.name] = _plain(getattr(self, f.name))
        return out

    def as_dict(self) -> dict[str, Any]:
        return self.to_json()

    def __getitem__(self, key: str) -> Any:
        """Read access by name, for code still written against the old dicts."""
        return self.to_json()[key]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple) and value and isinstance(value[0], Recipient):
        return [r.to_json() for r in value]
    if isinstance(value, Recipient):
        return value.to_json()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, IntEnum):
        return int(value)
    if isinstance(value, StrEnum):
        return str(value)
    return value


@dataclass(frozen=True)
class Entry(_Record):
    """A register entry as stored (the columns of `entries`, less internal keys) plus the
    register's code."""

    id: int
    uid: str
    register_id: int
    kind: Kind
    year: int
    register_number: int
    revision: int
    status: Status
    registered_at: str
    updated_at: str
    doc_type: str | None = None
    number: str | None = None
    notation: str | None = None
    reference: str | None = None
    issued_on: str | None = None
    place: str | None = None
    issuer: str | None = None
    issuer_id: str | None = None
    summary: str = ""
    language: str | None = None
    pages: int | None = None
    note: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    urgency: Urgency = Urgency.NORMAL
    copies: int | None = None
    reply_deadline: str | None = None
    arrival_at: str | None = None
    received_via: str | None = None
    receiving_unit: str | None = None
    handling_note: str | None = None
    handling_deadline: str | None = None
    transferred_on: str | None = None
    kept_by: str | None = None
    dispatched_on: str | None = None
    recipients: tuple[Recipient, ...] = ()
    file_code: str | None = None
    file_ordinal: int | None = None
    doc_identifier: str | None = None
    void_reason: str | None = None
    register: str = ""

    @classmethod
    def from_row(cls, row: RowLike) -> Entry:
        names = {f.name for f in fields(cls)}
        d = {k: row[k] for k in row.keys() if k in names}  # noqa: SIM118 (sqlite3.Row)
        d["kind"] = Kind(d["kind"])
        d["status"] = Status(d["status"])
        d["urgency"] = Urgency(d.get("urgency") or 0)
        d["recipients"] = _recipients(d.get("recipients"))
        return cls(**d)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["recipients"] = [r.to_json() for r in self.recipients]
        return out

    @property
    def is_voided(self) -> bool:
        return self.status is Status.VOIDED


@dataclass(frozen=True)
class Register(_Record):
    id: int
    code: str
    kind: Kind
    title: str
    notation: str | None
    doc_types: tuple[str, ...]
    with_year: bool
    is_default: bool
    owner: str | None
    created_at: str

    @classmethod
    def from_row(cls, row: RowLike) -> Register:
        types = row["doc_types"]
        return cls(id=row["id"], code=row["code"], kind=Kind(row["kind"]), title=row["title"],
                   notation=row["notation"],
                   doc_types=tuple(json.loads(types) if isinstance(types, str) else types),
                   with_year=bool(row["with_year"]), is_default=bool(row["is_default"]),
                   owner=row["owner"], created_at=row["created_at"])


@dataclass(frozen=True)
class Attachment(_Record):
    id: int
    entry_id: int
    sha256: str
    name: str
    role: AttachmentRole
    size: int
    mime: str | None
    added_at: str

    @classmethod
    def from_row(cls, row: RowLike) -> Attachment:
        return cls(id=row["id"], entry_id=row["entry_id"], sha256=row["sha256"], name=row["name"],
                   role=AttachmentRole(row["role"]), size=row["size"], mime=row["mime"],
                   added_at=row["added_at"])


@dataclass(frozen=True)
class OutboxItem(_Record):
    seq: int
    key: str
    register_id: int | None
    topic: str
    entity_id: str | None
    payload: str
    created_at: str
    state: OutboxState
    attempts: int
    next_attempt_at: str | None
    last_error: str | None
    done_at: str | None

    @classmethod
    def from_row(cls, row: RowLike) -> OutboxItem:
        return cls(seq=row["seq"], key=row["key"], register_id=row["register_id"], topic=row["topic"],
                   entity_id=row["entity_id"], payload=row["payload"], created_at=row["created_at"],
                   state=OutboxState(row["state"]), attempts=row["attempts"],
                   next_attempt_at=row["next_attempt_at"], last_error=row["last_error"],
                   done_at=row["done_at"])

    def data(self) -> Any:
        return json.loads(self.payload)


@dataclass(frozen=True)
class InboxItem(_Record):
    id: int
    package_id: str
    kind: str
    business_type: int | None
    sender_id: str | None
    sender_name: str | None
    document_id: str | None
    reference: str | None
    summary: str | None
    status_code: str | None
    received_at: str
    package_sha256: str
    package_size: int
    header: Any
    attachments: Any
    verdict: str | None
    verification: Any
    state: InboxState
    entry_id: int | None
    related_entry_id: int | None
    reason: str | None
    decided_at: str | None

    @classmethod
    def from_row(cls, row: RowLike) -> InboxItem:
        d = dict(row)
        for k in ("header", "attachments", "verification"):
            if isinstance(d.get(k), str):
                d[k] = json.loads(d[k])
        d["state"] = InboxState(d["state"])
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True)
class Job(_Record):
    id: int
    kind: str
    payload: Any
    state: JobState
    created_at: str
    attempts: int
    last_error: str | None
    done_at: str | None

    @classmethod
    def from_row(cls, row: RowLike) -> Job:
        payload = row["payload"]
        return cls(id=row["id"], kind=row["kind"],
                   payload=json.loads(payload) if isinstance(payload, str) else payload,
                   state=JobState(row["state"]), created_at=row["created_at"], attempts=row["attempts"],
                   last_error=row["last_error"], done_at=row["done_at"])
