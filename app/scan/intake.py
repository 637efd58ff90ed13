"""One document in: read it, then register it in an incoming register (with its PDF attached)
or write the searchable PDF and the suggested fields beside each other."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from . import pipeline

FIELD_KEYS = ("reference", "number", "notation", "issued_on", "place", "issuer", "doc_type", "summary",
              "signer", "signer_title", "urgency", "secrecy", "pages", "text", "confidence")


def contract(fields: dict) -> dict:
    """The stable JSON object of `vanthu extract --json`."""
    return {k: fields.get(k) for k in FIELD_KEYS}


def register_result(store, result: pipeline.IntakeResult, register: str | None = None,
                    allow_duplicate: bool = False, name: str | None = None) -> dict:
    """Register the suggested fields as an incoming document and attach the PDF (the workflow
    app.workflows.intake.register_read_document; dict form kept for old callers)."""
    from ..workflows.intake import register_read_document
    return register_read_document(store, result, register_code=register, allow_duplicate=allow_duplicate,
                                  name=name).entry.to_json()


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
