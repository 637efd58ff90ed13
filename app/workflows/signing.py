"""Signing an entry's document as the organization (or a digitized copy): sign, store the
signed file with the entry, queue its B-LT upgrade when signed offline, and set the status
"signed" — the one place that does all of it, for the window and `vanthu sign --entry`."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.records import Attachment, AttachmentRole, Entry, Kind, Status
from ..errors import ValidationError
from ..i18n import tr
from ..store import attachments, entries
from ..store import files as content
from ..store.db import Store
from ._types import CancelCheck, Progress

MODES = ("organization", "attachment", "copy")


@dataclass(frozen=True)
class SignedEntry:
    """The outcome of signing files for an entry: the entry after the change, the stored signed
    files, and pyHanko's batch result (per-file status, level, messages)."""

    entry: Entry
    attachments: tuple[Attachment, ...]
    batch: Any  # app.sign.signer.BatchResult

    @property
    def ok(self) -> bool:
        return bool(self.batch.ok)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = self.batch.to_dict()
        out["entry"] = self.entry.to_json()
        out["attachments"] = [a.to_json() for a in self.attachments]
        return out


def sign_options(settings: Any, **overrides: Any) -> Any:
    """SignOptions from the settings (built in one place: SignOptions.from_settings)."""
    from ..sign.signer import SignOptions
    return SignOptions.from_settings(settings, **overrides)


def document_to_sign(store: Store, entry_id: int, mode: str = "organization") -> Path:
    """The stored PDF of the entry to sign: its latest scan for a digitized copy, else its latest
    original, scan or attachment PDF."""
    roles = ("scan",) if mode == "copy" else ("original", "scan", "attachment")
    for a in reversed(attachments.attachments_of(store, entry_id)):
        if a.role in roles and (a.name.lower().endswith(".pdf") or a.mime == "application/pdf"):
            return attachments.path(store, a.sha256)
    raise ValidationError(tr("Văn bản này chưa có bản số hóa để ký.") if mode == "copy"
                          else tr("Văn bản này chưa có tệp PDF để ký."), code="no_document")


def sign_entry(store: Store, settings: Any, entry_ref: int | str, pin: str, *,
               files: Sequence[Path | str] = (), mode: str = "organization", options: Any = None,
               progress: Progress = None, cancelled: CancelCheck = None,
               on_signed: Callable[[Any], object] | None = None) -> SignedEntry:
    """Sign `files` (default: the entry's own PDF) for the entry `entry_ref` with the token.
    Each signed file is stored and linked (role "signed"); one signed offline is queued for its
    B-LT upgrade; signing as the organization moves a registered outgoing entry to "signed".
    `options` is a SignOptions (default: sign_options(settings))."""
    from ..sign.signer import sign_batch
    if mode not in MODES:
        raise ValidationError(tr("Cách ký «{m}» không hợp lệ.").format(m=mode), field="mode", code="bad_mode")
    entry = entries.get_entry(store, entry_ref)
    if entry.status in (Status.VOIDED, Status.RECALLED):
        raise ValidationError(tr("Văn bản đã bị hủy số hoặc thu hồi, không ký được."), code="not_signable")
    opts = options if options is not None else sign_options(settings)
    if not opts.module:
        raise ValidationError(tr("Chưa chọn thư viện token: vào Cài đặt › Token và con dấu."),
                              field="token.module", code="no_token")
    sources = [Path(f) for f in files]
    if not sources:  # the entry's own stored file: the signed copy goes to the data folder
        sources = [document_to_sign(store, entry.id, mode)]
        if opts.out_dir is None:
            opts.out_dir = store.data_dir / "tmp-signed"
    if opts.out_dir is not None:
        Path(opts.out_dir).mkdir(parents=True, exist_ok=True)
    stored: list[Attachment] = []

    def keep(res: Any) -> None:
        sha, size = content.put_file(store, res.output)
        name = f"ban-so-hoa-da-ky-{entry.id}.pdf" if mode == "copy" else Path(res.output).name
        info = attachments.link(store, entry.id, sha, size, role=str(AttachmentRole.SIGNED), name=name)
        stored.append(attachments.get_attachment(store, info["id"]))
        if res.pending_upgrade:
            from ..sign import upgrade
            upgrade.record_pending(store, sha, entry.id, name=name)
        if on_signed is not None:
            on_signed(res)

    batch = sign_batch(sources, mode, pin, opts, progress=progress, cancelled=cancelled, on_signed=keep)
    if stored and mode == "organization" and entry.kind is not Kind.INCOMING \
            and entry.status is Status.REGISTERED:
        entry = entries.change_status(store, entry.id, Status.SIGNED, tr("Ký số cơ quan"))
    else:
        entry = entries.get_entry(store, entry.id)
    return SignedEntry(entry, tuple(stored), batch)


def sign_files(files: Sequence[Path | str], mode: str, pin: str, options: Any, *,
               store: Callable[[], Store] | None = None, progress: Progress = None,
               cancelled: CancelCheck = None, on_signed: Callable[[Any], object] | None = None) -> Any:
    """Sign files that belong to no entry (`vanthu sign FILE...`). A file signed offline is kept
    in the content store (opened by `store()` only then) and queued for its B-LT upgrade."""
    from ..sign.signer import sign_batch

    def keep(res: Any) -> None:
        if store is not None and res.pending_upgrade:
            from ..sign import upgrade
            opened = store()
            sha, _ = content.put_file(opened, res.output)
            upgrade.record_pending(opened, sha, None, name=Path(res.output).name)
        if on_signed is not None:
            on_signed(res)
    return sign_batch(list(files), mode, pin, options, progress=progress, cancelled=cancelled, on_signed=keep)


def upgrade_pending(store: Store, settings: Any, progress: Progress = None,
                    cancelled: CancelCheck = None) -> list[dict[str, Any]]:
    """Upgrade every file signed offline to B-LT now that the time-stamp server answers."""
    from ..sign import certs, upgrade
    return upgrade.process_pending(store, settings.get("sign.tsa_url"),
                                   certs.trust_roots(settings_roots=settings.get("sign.trust_roots")),
                                   progress=progress, cancelled=cancelled)
