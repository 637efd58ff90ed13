"""One document in: read it, then register it in an incoming register (with its PDF attached)
or write the searchable PDF and the suggested fields beside each other."""
from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path

from ..domain.marks import refuse_secret
from . import pipeline, safety

log = logging.getLogger("vanthu.scan.intake")

FIELD_KEYS = ("reference", "number", "notation", "issued_on", "place", "issuer", "doc_type", "summary",
              "signer", "signer_title", "urgency", "secrecy", "pages", "text", "confidence")


def contract(fields: dict) -> dict:
    """The stable JSON object of `vanthu extract --json`."""
    return {k: fields.get(k) for k in FIELD_KEYS}


def register_result(store, result: pipeline.IntakeResult, register: str | None = None,
                    allow_duplicate: bool = False, name: str | None = None) -> dict:
    """Register the suggested fields as an incoming document and attach the PDF. A secrecy mark
    raises SecretDocumentError before anything is stored."""
    from ..store import attachments, entries
    refuse_secret(result.fields.get("secrecy"))
    data = {k: v for k, v in result.fields.items() if k in FIELD_KEYS}
    active = safety.pdf_active_content(result.pdf) if result.pdf and result.kept_original else None
    if active:   # warned on the entry, a stripped copy for viewing, the original untouched (issue 15)
        log.warning("%s", active.message(name or Path(result.pdf).name))
        data["note"] = safety.note_with_warning(data.get("note"), active, name or Path(result.pdf).name)
    entry = entries.register(store, "incoming", data, register=register, allow_duplicate=allow_duplicate)
    if result.pdf:
        attachments.add(store, entry["id"], path=result.pdf,
                        role="original" if result.kept_original else "scan", name=name)
        if active:
            safety.attach_viewing_copy(store, entry["id"], result.pdf, name)
    return entry


def take_in(path: Path, store=None, register: str | None = None, out_dir: Path | None = None,
            progress=None, cancelled=None) -> dict:
    """Process one file. With `store`: register it (returns {'entry': ...}); otherwise write
    <out_dir>/<stem>.pdf and <stem>.json (returns their paths)."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="vanthu-intake-") as td:
        out = Path(td) / (path.stem + ".pdf")
        result = pipeline.process([path], out_pdf=out, progress=progress, cancelled=cancelled)
        info = {"path": str(path), "pages": len(result.pages), "blank_pages": result.blank_pages,
                "kept_original": result.kept_original}
        if store is not None:
            entry = register_result(store, result, register, name=path.stem + ".pdf")
            return dict(info, entry=entry)
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / (path.stem + ".pdf")
        if not (result.kept_original and target.resolve() == path.resolve()):
            shutil.copyfile(result.pdf, target)
        fields_file = out_dir / (path.stem + ".json")
        fields_file.write_text(json.dumps(contract(result.fields), ensure_ascii=False, indent=1), "utf-8")
        return dict(info, pdf=str(target), fields=str(fields_file))
