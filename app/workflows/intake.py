"""Taking a paper or electronic document in: read it (scan pipeline, OCR, suggested fields),
then register it as an incoming entry with its PDF — the one register-then-attach."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..domain.marks import refuse_secret
from ..domain.records import AttachmentRole, Kind
from ..scan import safety
from ..store.db import Store
from ._types import CancelCheck, Progress
from .registering import FileToAttach, Registered, register

# Suggested fields (app.scan.intake.FIELD_KEYS) that registering accepts.
_FIELD_KEYS = ("reference", "number", "notation", "issued_on", "place", "issuer", "doc_type", "summary",
               "signer", "signer_title", "urgency", "secrecy", "pages", "text", "confidence")


def register_read_document(store: Store, result: Any, *, settings: Any = None, register_code: str | None = None,
                           allow_duplicate: bool = False, name: str | None = None,
                           overrides: dict[str, Any] | None = None) -> Registered:
    """Register the fields read from a document (an app.scan.pipeline.IntakeResult), corrected by
    `overrides` (the clerk's edits), as an incoming entry with its PDF attached, in one
    transaction. A secrecy mark raises SecretDocumentError before anything is stored."""
    fields = {k: v for k, v in result.fields.items() if k in _FIELD_KEYS}
    fields.update(overrides or {})
    refuse_secret(fields.get("secrecy"))
    files = []
    if result.pdf:
        role = AttachmentRole.ORIGINAL if result.kept_original else AttachmentRole.SCAN
        files.append(FileToAttach(Path(result.pdf), role, name))
    with safety.active_content_guard(result, fields, name) as view:   # warning + stripped copy (issue 15)
        if view:
            files.append(FileToAttach(view.path, AttachmentRole.VIEW, view.name))
        return register(store, Kind.INCOMING, fields, settings=settings, register=register_code,
                        allow_duplicate=allow_duplicate, files=files)


def take_in(store: Store, path: Path | str, *, settings: Any = None, register_code: str | None = None,
            allow_duplicate: bool = False, progress: Progress = None,
            cancelled: CancelCheck = None) -> Registered:
    """Read one file (PDF or image) and register it as an incoming entry with its PDF."""
    from ..scan import pipeline
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="vanthu-intake-") as td:
        out = Path(td) / (path.stem + ".pdf")
        result = pipeline.process([path], out_pdf=out, progress=progress, cancelled=cancelled)
        return register_read_document(store, result, settings=settings, register_code=register_code,
                                      allow_duplicate=allow_duplicate, name=path.stem + ".pdf")
