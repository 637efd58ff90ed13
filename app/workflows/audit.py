"""Checking the registers' integrity: the audit chain, every entry against its last audited
revision and the gapless numbers (a routine run checks what changed since the last clean run,
which it records; a full run checks everything)."""
from __future__ import annotations

from typing import Any

from ..store.db import Store
from ._types import Progress


def verify(store: Store, *, full: bool = False, progress: Progress = None) -> Any:
    """Run the check; returns app.store.integrity.Report (problems, full, entries_checked,
    audit_checked, since). A clean run records a checkpoint for the next routine run."""
    from ..store import integrity
    return integrity.run(store, progress, full=full)
